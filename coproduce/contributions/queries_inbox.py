"""The staff inbox: what waits for an answer, per service and across an organisation's
services; how long it has waited and when an answer was promised by (decisions 0020, 0026)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, Count, DateField, F, Min, QuerySet, Value, When
from django.utils import timezone

from coproduce.accounts.models import User
from coproduce.contributions.kinds import all_kinds, answer_due_fields, export_prefetches
from coproduce.contributions.models import Contribution, ContributionQuerySet, Visibility
from coproduce.organisations.models import Organisation
from coproduce.services.models import STAFF_ROLES, Activity, Service

INBOX_AGES = (7, 14, 30)
# Those promised an answer by a date (Kind.answer_due_field), and those past it.
DUE_DATED, DUE_OVERDUE = "dated", "overdue"


@dataclass(frozen=True)
class InboxFilters:
    """Which waiting contributions an inbox shows: of one activity, of one kind, only those
    waiting more than some days, or only those promised an answer by a date (or past it).
    Empty: all of them."""

    activity: int | None = None
    kind: str = ""
    older_than: int | None = None
    due: str = ""

    @property
    def any(self) -> bool:
        return bool(self.activity or self.kind or self.older_than or self.due)


def services_answered_by(user: User) -> QuerySet[Service]:
    """The services whose contributions the person may answer (rules.can_answer_for): those of
    the organisations where they are an administrator or a professional; every one, for a
    superuser. Drafts included, as on the staff dashboard."""
    services = Service.objects.all()
    if not user.is_superuser:
        services = services.filter(
            organisation__in=Organisation.objects.with_role(user, list(STAFF_ROLES))
        )
    return services.select_related("organisation").order_by("name", "id")


def _waiting(services: QuerySet[Service] | list[Service]) -> ContributionQuerySet:
    """Published contributions of these services that need an answer and have none yet."""
    return (
        Contribution.objects.filter(activity__service_stage__service__in=services)
        .answerable()
        .published()
        .unanswered()
    )


def _answer_due() -> Case | Value:
    """The date each contribution was promised an answer by, read from its kind's own row
    (``Kind.answer_due_field``), or null."""
    fields = answer_due_fields()
    if not fields:
        return Value(None, output_field=DateField())
    return Case(
        *(When(kind=code, then=F(path)) for code, path in fields.items()),
        default=Value(None),
        output_field=DateField(),
    )


def answer_due_of(contribution: Contribution) -> dt.date | None:
    """When the contribution was promised an answer by (the inbox's annotation, when loaded
    through ``inbox``), or None."""
    if hasattr(contribution, "answer_due"):
        due: dt.date | None = contribution.answer_due
        return due
    path = answer_due_fields().get(contribution.kind)
    if not path:
        return None
    value: Any = contribution
    for name in path.split("__"):
        value = getattr(value, name, None)
    return value if isinstance(value, dt.date) else None


def inbox(
    services: QuerySet[Service] | list[Service], filters: InboxFilters = InboxFilters()
) -> ContributionQuerySet:
    """The inbox: what waits for an answer in these services, with what each one said joined (one
    query for a page of every kind). Those past the date an answer was promised by come first,
    the longest overdue first (decision 0026); then the rest, oldest first (decision 0020)."""
    today = timezone.localdate()
    items = _waiting(services).annotate(answer_due=_answer_due())
    if filters.activity:
        items = items.filter(activity_id=filters.activity)
    if filters.kind:
        items = items.filter(kind=filters.kind)
    if filters.older_than:
        items = items.filter(created_at__lt=timezone.now() - dt.timedelta(days=filters.older_than))
    if filters.due == DUE_DATED:
        items = items.filter(answer_due__isnull=False)
    elif filters.due == DUE_OVERDUE:
        items = items.filter(answer_due__lt=today)
    overdue = Case(
        When(answer_due__lt=today, then=F("answer_due")),
        default=Value(None),
        output_field=DateField(),
    )
    return (
        items.with_details()
        .prefetch_related(*export_prefetches())
        .order_by(overdue.asc(nulls_last=True), "created_at", "id")
    )


def inbox_activities(services: QuerySet[Service] | list[Service]) -> QuerySet[Activity]:
    """The activities an inbox can be narrowed to: those of these services with contributions
    that need an answer (answered or not, so that a choice stays while its last one is
    answered), by service, then in lifecycle order."""
    asked = Contribution.objects.filter(
        activity__service_stage__service__in=services,
        needs_answer=True,
        visibility=Visibility.PUBLISHED,
    ).values("activity_id")
    return (
        Activity.objects.filter(pk__in=asked)
        .select_related("service_stage__service")
        .order_by(
            "service_stage__service__name",
            "service_stage__cycle",
            "service_stage__position",
            "title",
            "id",
        )
    )


def inbox_kinds() -> list[tuple[str, str]]:
    """(code, label) of every registered kind, by label: what an inbox can be narrowed to."""
    return sorted(((k.code, str(k.label)) for k in all_kinds()), key=lambda kind: kind[1])


@dataclass(frozen=True)
class Waiting:
    """How much waits for an answer in one service, and since when."""

    service: Service
    count: int
    oldest: dt.datetime | None

    @property
    def oldest_days(self) -> int | None:
        return (timezone.now() - self.oldest).days if self.oldest else None


def waiting_in(service: Service) -> Waiting:
    """For the staff service page: how many contributions wait for an answer, and the oldest."""
    counts = _waiting([service]).aggregate(count=Count("pk"), oldest=Min("created_at"))
    return Waiting(service=service, count=counts["count"], oldest=counts["oldest"])


def waiting_count(services: QuerySet[Service] | list[Service]) -> int:
    """How many contributions wait for an answer in these services."""
    return _waiting(services).count()


def waiting_by_service(services: QuerySet[Service] | list[Service]) -> list[Waiting]:
    """For the inbox across services: each service with something waiting, the longest-waiting
    first. One query for the counts, one for the services."""
    rows = (
        _waiting(services)
        .values("activity__service_stage__service")
        .annotate(count=Count("pk"), oldest=Min("created_at"))
        .order_by()
    )
    counts = {row["activity__service_stage__service"]: row for row in rows}
    found = Service.objects.filter(pk__in=counts).select_related("organisation")
    result = [
        Waiting(service=s, count=counts[s.pk]["count"], oldest=counts[s.pk]["oldest"])
        for s in found
    ]
    return sorted(result, key=lambda w: (w.oldest or timezone.now(), w.service.name))
