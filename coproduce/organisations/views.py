"""Organisation pages (public) and membership management (organisation administrators)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from coproduce.common.forms import handle_form
from coproduce.common.pagination import paginate
from coproduce.common.permissions import anyone, rule_required
from coproduce.organisations import actions, queries, rules
from coproduce.organisations.forms import MemberForm
from coproduce.organisations.models import Membership, Organisation
from coproduce.organisations.pages import ORGANISATION_PAGE


@rule_required(anyone)
def organisation_list(request: HttpRequest) -> HttpResponse:
    """Every organisation on the platform."""
    return render(
        request,
        "organisations/organisation_list.html",
        {"page": paginate(request, queries.all_organisations())},
    )


@rule_required(rules.can_view_organisation, load=queries.load_organisation)
def organisation_detail(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    """An organisation, and what other apps show about it (the services it runs or supports)."""
    return render(
        request,
        "organisations/organisation_detail.html",
        {
            "organisation": organisation,
            "sections": ORGANISATION_PAGE.render_list(organisation),
            "can_manage_members": rules.can_manage_members(request.user, organisation),
        },
    )


@rule_required(rules.can_manage_members, load=queries.load_organisation, staff=True)
@require_http_methods(["GET", "POST"])
def member_list(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    """The people in an organisation; add someone or change their role."""
    form = MemberForm(request.POST or None)
    done = handle_form(
        request,
        form,
        lambda data: actions.membership_set(
            organisation=organisation,
            user=data["user"],
            role=data["role"],
            job_title=data["job_title"],
        ),
        success=reverse("organisations:members", kwargs={"slug": organisation.slug}),
        message=_("Member saved."),
    )
    if done:
        return done
    members = queries.members_of(organisation)
    return render(
        request,
        "organisations/member_list.html",
        {"organisation": organisation, "page": paginate(request, members), "form": form},
    )


@rule_required(rules.can_remove_member, load=queries.load_membership, staff=True)
@require_POST
def member_remove(request: HttpRequest, membership: Membership) -> HttpResponse:
    """Remove a person from the organisation."""
    try:
        actions.membership_remove(membership=membership)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Member removed."))
    return redirect("organisations:members", slug=membership.organisation.slug)
