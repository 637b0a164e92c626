"""The coordinators' pages of a panel's quotas: the categories and their answers, the fewest and
most members of each (by hand or from census shares), and the live check that the people
registered can meet them (docs/panels-coordinators-guide.md)."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from coproduce.accounts.models import User
from coproduce.accounts.types import SignedInRequest
from coproduce.common.forms import handle_form
from coproduce.common.permissions import rule_required
from coproduce.equality.queries import representation
from coproduce.panels import actions, queries, rules
from coproduce.panels import forms_staff as forms
from coproduce.panels.models import Panel
from coproduce.panels.views.staff import panel_context


def _quotas_set(panel: Panel, by: User, form: forms.QuotaForm) -> Panel:
    """Every quota of one category, all or none."""
    with transaction.atomic():
        for feature, minimum, maximum in form.quotas():
            actions.quota_set(feature=feature, by=by, minimum=minimum, maximum=maximum)
    return panel


@rule_required(rules.can_coordinate, load=queries.visible_panel, staff=True)
@require_http_methods(["GET", "POST"])
def quotas(request: SignedInRequest, panel: Panel) -> HttpResponse:
    """The categories, their answers and the fewest and most members of each."""
    posted = request.POST.get("category") if request.method == "POST" else None
    categories = list(panel.categories.prefetch_related("features"))
    quota_forms = [
        forms.QuotaForm(request.POST if posted == str(c.pk) else None, category=c, size=panel.size)
        for c in categories
    ]
    add_form = forms.CategoryForm(
        request.POST if request.method == "POST" and posted is None else None, prefix="new"
    )
    url = reverse("panels:quotas", args=[panel.pk])
    may_add, may_set = rules.categories_may_change(panel), rules.quotas_may_change(panel)
    if request.method == "POST" and not (may_set if posted is not None else may_add):
        # A page loaded before the panel moved on: say why nothing changed.
        messages.error(
            request, actions.QUOTAS_FIXED if posted is not None else actions.CATEGORIES_FIXED
        )
        return redirect(url)
    if posted is None:
        done = handle_form(
            request,
            add_form,
            lambda data: actions.category_add(panel=panel, by=request.user, **data),
            success=url,
            message=lambda c: _("Category “%(name)s” added.") % {"name": c.name},
        )
    else:
        form = next((f for f in quota_forms if str(f.category.pk) == posted), None)
        if form is None:  # a category deleted since the page was loaded, or a made-up number
            return redirect(url)
        done = handle_form(
            request,
            form,
            lambda data: _quotas_set(panel, request.user, form),
            success=url,
            message=_("Quotas of “%(name)s” saved.") % {"name": form.category.name},
        )
    return done or render(
        request,
        "panels/staff/quotas.html",
        panel_context(
            panel,
            add_form=add_form,
            quota_forms=quota_forms,
            pending=queries.pending_selection(panel),
            may_add=may_add,
            may_set=may_set,
            # Who the service's activities have missed so far: quotas can make sure the panel
            # does not (issue 16; equality monitoring, totals only).
            gaps=representation(panel.activity.service).under,
        ),
    )


def _census_import(panel: Panel, by: User, form: forms.CensusForm) -> int:
    """Quotas of every category in the table from its shares, all or none."""
    with transaction.atomic():
        for category, shares in form.cleaned_data["shares"]:
            actions.quotas_from_population(category=category, by=by, shares=shares)
    return len(form.cleaned_data["shares"])


@rule_required(rules.can_coordinate, load=queries.visible_panel, staff=True)
@require_http_methods(["GET", "POST"])
def census_import(request: SignedInRequest, panel: Panel) -> HttpResponse:
    """Quotas from the census: each answer's share of the area's population."""
    form = forms.CensusForm(request.POST or None, request.FILES or None, panel=panel)
    done = handle_form(
        request,
        form,
        lambda data: _census_import(panel, request.user, form),
        success=reverse("panels:quotas", args=[panel.pk]),
        message=lambda count: (
            ngettext(
                "Quotas of %(count)d category set from the population shares.",
                "Quotas of %(count)d categories set from the population shares.",
                count,
            )
            % {"count": count}
        ),
    )
    example = 0.3 * panel.size
    return done or render(
        request,
        "panels/staff/census_import.html",
        panel_context(
            panel,
            form=form,
            example_seats=f"{example:g}",
            example_low=int(example),
            example_high=int(example) + (0 if example.is_integer() else 1),
        ),
    )


@rule_required(rules.can_coordinate, load=queries.visible_panel, staff=True)
@require_GET
def feasibility(request: SignedInRequest, panel: Panel) -> HttpResponse:
    """Whether the pool as it is now can give a panel meeting every quota, and if not, why."""
    return render(
        request,
        "panels/staff/feasibility.html",
        panel_context(panel, found=queries.feasibility(panel), checked_at=timezone.now()),
    )
