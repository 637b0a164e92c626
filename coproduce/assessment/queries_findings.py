"""Reads of findings and improvement actions: the objects pages are about, an assessment's
findings with their answers and actions, a service's actions with the overdue ones first, and the
summary on the service page (decision 0084); and which assessments have delivered (decision 0086)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone

from coproduce.accounts.types import Visitor
from coproduce.assessment import rules
from coproduce.assessment.models import (
    ActionStatus,
    Assessment,
    Finding,
    FindingKind,
    ImprovementAction,
    Standard,
)
from coproduce.contributions.models import Response, Visibility
from coproduce.services.models import Activity, ActivityKind, ActivityState, Service
from coproduce.services.queries import activity_seen_by

OPEN = (ActionStatus.PLANNED, ActionStatus.IN_PROGRESS)
# How many actions the service page lists before "See all".
ON_SERVICE_PAGE = 5

_FINDING_JOINS = (
    "contribution__activity__service_stage__service__organisation",
    "assessment__version",
)


def _findings() -> QuerySet[Finding]:
    return Finding.objects.select_related(*_FINDING_JOINS).prefetch_related(
        Prefetch("standards", queryset=Standard.objects.order_by("position", "id")),
        Prefetch("actions", queryset=ImprovementAction.objects.order_by("due_on", "id")),
        Prefetch("contribution__responses", queryset=Response.objects.order_by("created_at")),
    )


# --- The objects pages are about (404 for what the visitor may not see) --------------------------


def visible_finding(request: HttpRequest, pk: int) -> Finding:
    finding = get_object_or_404(_findings(), pk=pk)
    if not rules.can_view_finding(request.user, finding):
        raise Http404
    return finding


def visible_action(request: HttpRequest, pk: int) -> ImprovementAction:
    action = get_object_or_404(
        ImprovementAction.objects.select_related(*(f"finding__{join}" for join in _FINDING_JOINS)),
        pk=pk,
    )
    if not rules.can_view_finding(request.user, action.finding):
        raise Http404
    return action


# --- Lists ----------------------------------------------------------------------------------------


def findings_of(assessment: Assessment, user: Visitor) -> list[Finding]:
    """An assessment's findings the visitor may see: urgent concerns first, then concerns, then
    strengths, each in the order they were written."""
    order = {FindingKind.URGENT: 0, FindingKind.CONCERN: 1, FindingKind.STRENGTH: 2}
    findings = [
        finding
        for finding in _findings().filter(assessment=assessment)
        if rules.can_view_finding(user, finding)
    ]
    return sorted(findings, key=lambda f: (order.get(FindingKind(f.kind), 3), f.pk))


def service_actions(service: Service, user: Visitor) -> QuerySet[ImprovementAction]:
    """Every improvement action of the service's assessments the visitor may see: open ones first
    (the earliest due first, so the overdue lead), then closed ones, the latest closed first."""
    return (
        ImprovementAction.objects.filter(
            finding__assessment__activity__service_stage__service=service,
            finding__contribution__visibility=Visibility.PUBLISHED,
        )
        .filter(activity_seen_by(user, "finding__assessment__activity"))
        .select_related("finding__assessment__activity")
        .order_by("closed_on", "due_on", "id")
    )


@dataclass(frozen=True)
class ActionRow:
    """An improvement action as lists show it: flagged when its due date has passed while open."""

    action: ImprovementAction
    overdue: bool


def action_rows(
    actions: Iterable[ImprovementAction], today: dt.date | None = None
) -> list[ActionRow]:
    day = today or timezone.localdate()
    return [ActionRow(action, action.is_overdue(day)) for action in actions]


@dataclass(frozen=True)
class ActionSummary:
    """The improvement actions on the service page: counts and the next few open ones."""

    open: int
    overdue: int
    done: int
    dropped: int
    upcoming: list[ActionRow]

    @property
    def total(self) -> int:
        return self.open + self.done + self.dropped


def service_summary(service: Service) -> dict[str, object]:
    """The service page's "Improving the service" part: what the public may see (the service page
    is public), with overdue actions counted and listed first."""
    today = timezone.localdate()
    public = ~Q(finding__assessment__activity__state=ActivityState.DRAFT) & Q(
        finding__contribution__visibility=Visibility.PUBLISHED,
        finding__assessment__activity__service_stage__service=service,
    )
    rows = list(ImprovementAction.objects.filter(public).values_list("status", "due_on"))
    if not rows:
        return {"actions": None}
    open_rows = [due for status, due in rows if status in OPEN]
    upcoming = list(
        ImprovementAction.objects.filter(public, status__in=OPEN)
        .select_related("finding")
        .order_by("due_on", "id")[:ON_SERVICE_PAGE]
    )
    return {
        "actions": ActionSummary(
            open=len(open_rows),
            overdue=sum(1 for due in open_rows if due < today),
            done=sum(1 for status, _due in rows if status == ActionStatus.DONE),
            dropped=sum(1 for status, _due in rows if status == ActionStatus.DROPPED),
            upcoming=action_rows(upcoming, today),
        )
    }


# --- The delivered involvement level (decision 0086) ----------------------------------------------


def delivered(activities: Sequence[Activity]) -> set[int]:
    """Which opened user assessments and peer reviews have delivered: results out (a user
    assessment closed with at least the minimum number of responses to report; a peer review's
    report published). One run offline, with no assessment on the site, is judged as before: it
    counts once opened."""
    pks = [activity.pk for activity in activities]
    assessments = Assessment.objects.filter(activity_id__in=pks).annotate(
        answers=Count("responses")
    )
    set_up = {}
    for assessment_pk, kind, state, published_at, answers in assessments.values_list(
        "pk", "activity__kind", "activity__state", "published_at", "answers"
    ):
        if kind == ActivityKind.ASSESSMENT:
            done = state in (ActivityState.CLOSED, ActivityState.REPORTED) and answers >= (
                settings.COPRODUCE_ASSESSMENT_MIN_RESPONSES
            )
        else:
            done = published_at is not None
        set_up[assessment_pk] = done
    return {pk for pk in pks if set_up.get(pk, True)}
