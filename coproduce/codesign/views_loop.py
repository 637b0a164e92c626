"""Closing the loop: 'You said, we did', decisions, and open-data exports."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from coproduce.codesign import actions, exports, queries, rules
from coproduce.codesign.forms_loop import DecisionForm, LinkContributionsForm
from coproduce.codesign.models import Contribution, Decision
from coproduce.common.forms import add_action_errors
from coproduce.common.pagination import paginate
from coproduce.common.permissions import rule_required
from coproduce.services.models import Activity, Service
from coproduce.services.rules import can_view_activity, can_view_service


def _service(request: HttpRequest, slug: str) -> Service:
    service = get_object_or_404(Service.objects.select_related("organisation"), slug=slug)
    if not can_view_service(request.user, service):
        raise Http404
    return service


def _decision(request: HttpRequest, pk: int) -> Decision:
    decision = get_object_or_404(Decision.objects.select_related("service__organisation"), pk=pk)
    if not can_view_service(request.user, decision.service):
        raise Http404
    return decision


def _activity(request: HttpRequest, pk: int) -> Activity:
    return get_object_or_404(
        Activity.objects.select_related("service_stage__service__organisation"), pk=pk
    )


@rule_required(rules.can_view_service_loop, load=_service, hide=True)
def you_said_we_did(request: HttpRequest, service: Service) -> HttpResponse:
    """What people said, paired with what was done and why; and what still waits for an answer."""
    waiting = request.GET.get("show") == "waiting"
    contributions = queries.loop_contributions(service, answered=not waiting)
    return render(
        request,
        "codesign/you_said_we_did.html",
        {
            "service": service,
            "waiting": waiting,
            "page": paginate(request, contributions),
            "coverage": queries.answer_coverage(service),
            "decisions": queries.decisions_of(service)[:10],
            "can_decide": rules.can_record_decision(request.user, service),
        },
    )


@rule_required(
    lambda user, decision: can_view_service(user, decision.service), load=_decision, hide=True
)
def decision_detail(request: HttpRequest, decision: Decision) -> HttpResponse:
    """One decision and the contributions that informed it."""
    informed_by = decision.contributions.published().with_details().order_by("created_at")
    return render(
        request,
        "codesign/decision_detail.html",
        {
            "decision": decision,
            "service": decision.service,
            "page": paginate(request, informed_by),
            "can_link": rules.can_record_decision(request.user, decision.service),
        },
    )


def _ids(values: list[str]) -> list[int]:
    return [int(v) for v in values[:200] if v.isdigit() and len(v) < 12]


def _search(service: Service, text: str) -> QuerySet[Contribution]:
    """Published contributions of the service whose text contains every word (at most 5)."""
    items = Contribution.objects.for_service(service).published()
    for word in text.replace("\x00", "")[:100].split()[:5]:
        items = items.filter(
            Q(idea__title__icontains=word)
            | Q(idea__description__icontains=word)
            | Q(comment__body__icontains=word)
            | Q(story__title__icontains=word)
            | Q(asset__name__icontains=word)
        )
    return items


def _chosen(service: Service, ids: list[int]) -> QuerySet[Contribution]:
    """The form's choices: only the contributions offered or posted, never the whole service."""
    return Contribution.objects.for_service(service).published().filter(pk__in=ids).with_details()


@rule_required(rules.can_record_decision, load=_service, staff=True)
@require_http_methods(["GET", "POST"])
def decision_create(request: HttpRequest, service: Service) -> HttpResponse:
    """Record a decision, linking the contributions it came from (?contribution=ID preselects)."""
    if request.method == "POST":
        choices = _chosen(service, _ids(request.POST.getlist("contributions")))
    else:
        choices = _chosen(service, _ids(request.GET.getlist("contribution")))
    form = DecisionForm(
        request.POST or None,
        initial={"stage": service.current_stage, "contributions": list(choices)},
        contributions=choices,
    )
    if request.method == "POST" and form.is_valid():
        try:
            decision = actions.decision_create(
                service=service, recorded_by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "Decision recorded. The people whose contributions informed it will hear about it."
                ),
            )
            return redirect(decision.get_absolute_url())
    return render(request, "codesign/decision_form.html", {"form": form, "service": service})


@rule_required(rules.can_link_decision, load=_decision, staff=True)
@require_http_methods(["GET", "POST"])
def decision_link(request: HttpRequest, decision: Decision) -> HttpResponse:
    """Search the service's contributions and link more of them to a decision."""
    service = decision.service
    already = list(decision.contributions.values_list("pk", flat=True))
    query = request.GET.get("q", "")
    if request.method == "POST":
        ids = _ids(request.POST.getlist("contributions"))
    else:
        ids = list(
            _search(service, query)
            .exclude(pk__in=already)
            .order_by("-created_at")
            .values_list("pk", flat=True)[:50]
        )
    form = LinkContributionsForm(
        request.POST or None, contributions=_chosen(service, ids).exclude(pk__in=already)
    )
    if request.method == "POST" and form.is_valid():
        actions.decision_link(
            decision=decision,
            contributions=form.cleaned_data["contributions"],
            linked_by=request.user,
        )
        messages.success(
            request, _("Contributions linked. Their authors and followers will hear about it.")
        )
        return redirect(decision.get_absolute_url())
    return render(
        request,
        "codesign/decision_link.html",
        {"form": form, "decision": decision, "service": service, "q": query},
    )


@rule_required(can_view_activity, load=_activity, hide=True)
def export_csv(request: HttpRequest, activity: Activity) -> HttpResponse:
    """The activity's published contributions and responses as CSV."""
    response = HttpResponse(exports.as_csv(activity), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="activity-{activity.pk}-contributions.csv"'
    )
    return response


@rule_required(can_view_activity, load=_activity, hide=True)
def export_json(request: HttpRequest, activity: Activity) -> HttpResponse:
    """The activity's published contributions and responses as JSON."""
    body: dict[str, Any] = {
        "activity": {
            "id": activity.pk,
            "title": activity.title,
            "kind": activity.kind,
            "service": activity.service.slug,
        },
        "contributions": list(exports.rows(activity)),
    }
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False, indent=1), content_type="application/json"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="activity-{activity.pk}-contributions.json"'
    )
    return response
