"""Reads across contributions: answer coverage, 'you said, we did', a person's contributions."""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from coproduce.codesign.models import (
    Contribution,
    Decision,
    Report,
    ReportStatus,
    Response,
    Visibility,
)
from coproduce.services.models import Activity, Service

OVERDUE_AFTER = dt.timedelta(days=30)


@dataclass(frozen=True)
class CoverageRow:
    """How well one activity's contributions have been answered."""

    activity: Activity
    total: int
    answered: int
    median_days: float | None
    overdue: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.answered / self.total) if self.total else None


@dataclass(frozen=True)
class Coverage:
    rows: list[CoverageRow]

    @property
    def total(self) -> int:
        return sum(r.total for r in self.rows)

    @property
    def answered(self) -> int:
        return sum(r.answered for r in self.rows)

    @property
    def percent(self) -> int | None:
        return round(100 * self.answered / self.total) if self.total else None

    @property
    def waiting(self) -> int:
        return self.total - self.answered

    @property
    def overdue(self) -> int:
        return sum(r.overdue for r in self.rows)


def answer_coverage(service: Service) -> Coverage:
    """Per activity: answerable published contributions, how many answered, median days to answer.

    One query for the contributions (no per-activity queries), grouped in Python.
    """
    now = timezone.now()
    rows = (
        Contribution.objects.for_service(service)
        .answerable()
        .filter(visibility=Visibility.PUBLISHED)
        .values_list("activity_id", "created_at", "first_response_at")
    )
    by_activity: dict[int, list[tuple[dt.datetime, dt.datetime | None]]] = {}
    for activity_id, created_at, first_response_at in rows:
        by_activity.setdefault(activity_id, []).append((created_at, first_response_at))
    activities = (
        Activity.objects.filter(pk__in=by_activity)
        .select_related("service_stage")
        .order_by("service_stage__cycle", "service_stage__position", "id")
    )
    result = []
    for activity in activities:
        items = by_activity[activity.pk]
        waits = [
            (answered - created).total_seconds() / 86400 for created, answered in items if answered
        ]
        result.append(
            CoverageRow(
                activity=activity,
                total=len(items),
                answered=len(waits),
                median_days=round(statistics.median(waits), 1) if waits else None,
                overdue=sum(
                    1
                    for created, answered in items
                    if answered is None and now - created > OVERDUE_AFTER
                ),
            )
        )
    return Coverage(rows=result)


def overdue_contributions(service: Service) -> list[Contribution]:
    """Published contributions still unanswered after 30 days: flagged to staff."""
    return list(
        Contribution.objects.for_service(service)
        .answerable()
        .published()
        .unanswered()
        .filter(created_at__lt=timezone.now() - OVERDUE_AFTER)
        .with_details()
        .order_by("created_at")
    )


def moderation_counts(service: Service) -> dict[str, int]:
    """What the moderation queue holds: contributions waiting and hidden, open reports, and how
    many contributions those reports are about."""
    counts: dict[str, int] = Contribution.objects.for_service(service).aggregate(
        pending=Count("pk", filter=Q(visibility=Visibility.PENDING)),
        hidden=Count("pk", filter=Q(visibility=Visibility.HIDDEN)),
    )
    open_reports = Report.objects.filter(
        contribution__activity__service_stage__service=service, status=ReportStatus.OPEN
    )
    counts["reports"] = open_reports.count()
    counts["reported"] = open_reports.values("contribution").distinct().count()
    return counts


def decisions_of(service: Service) -> QuerySet[Decision]:
    """A service's decisions, newest first, with how many contributions informed each."""
    return service.decisions.annotate(informed_by=Count("contributions")).order_by(
        "-decided_on", "-id"
    )


def loop_contributions(service: Service, *, answered: bool) -> QuerySet[Contribution]:
    """Published contributions that need an answer: answered ones (latest answer first) or those
    still waiting (longest waiting first), with their answers and decisions attached."""
    base = Contribution.objects.for_service(service).answerable().published().with_details()
    if answered:
        base = base.filter(first_response_at__isnull=False).order_by("-last_response_at", "-id")
    else:
        base = base.filter(first_response_at__isnull=True).order_by("created_at", "id")
    return base.prefetch_related(
        Prefetch("responses", queryset=Response.objects.order_by("created_at")),
        Prefetch("decisions", queryset=Decision.objects.order_by("-decided_on")),
    )
