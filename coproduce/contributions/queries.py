"""Reads across contributions: the objects a page is about, answer coverage, "you said, we did",
moderation queues, decisions, a person's contributions and follows."""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.db.models import (
    Case,
    Count,
    IntegerField,
    Min,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.accounts.models import User
from coproduce.accounts.types import Visitor
from coproduce.common import prepared
from coproduce.common.languages import field_labels, in_language, missing_fields, missing_query
from coproduce.contributions import rules
from coproduce.contributions.kinds import (
    detail_joins,
    export_prefetches,
    loop_prefetches,
    search_lookups,
)
from coproduce.contributions.models import (
    Contribution,
    ContributionQuerySet,
    Decision,
    Follow,
    Report,
    ReportStatus,
    Response,
    Visibility,
)
from coproduce.services.models import Activity, Service
from coproduce.services.pages import Untranslated

ACTIVITY_PATH = "activity__service_stage__service__organisation"

OVERDUE_AFTER = dt.timedelta(days=30)


# --- The objects pages and API operations are about: 404 for those the visitor may not see.


def visible_contribution(request: HttpRequest, pk: int) -> Contribution:
    contribution = get_object_or_404(
        Contribution.objects.with_details().select_related(ACTIVITY_PATH), pk=pk
    )
    if not rules.can_view_contribution(request.user, contribution):
        raise Http404  # held, hidden or in another organisation's draft: not there, to outsiders
    return contribution


def visible_decision(request: HttpRequest, pk: int) -> Decision:
    decision = get_object_or_404(Decision.objects.select_related("service__organisation"), pk=pk)
    if not rules.can_view_decision(request.user, decision):
        raise Http404
    return decision


def visible_response(request: HttpRequest, pk: int) -> Response:
    """An official answer, on a contribution the person can see."""
    response = get_object_or_404(
        Response.objects.select_related(
            f"contribution__{ACTIVITY_PATH}", *(f"contribution__{j}" for j in detail_joins())
        ),
        pk=pk,
    )
    if not rules.can_view_contribution(request.user, response.contribution):
        raise Http404
    return response


def page_url(obj: Any) -> str:
    """``obj.get_absolute_url()``; while that page does not exist (yet), its activity's page or ''."""
    try:
        return str(obj.get_absolute_url())
    except NoReverseMatch:
        activity = getattr(obj, "activity", None)
        return str(activity.get_absolute_url()) if activity is not None else ""


def answers_of(contribution: Contribution) -> dict[str, Any]:
    """The official responses and linked decisions of one contribution, for its page."""
    return {
        "responses": list(contribution.responses.select_related("author").order_by("created_at")),
        "decisions": list(contribution.decisions.order_by("-decided_on", "-id")),
    }


def answers_prefetch(prefix: str = "") -> list[Prefetch[Any]]:
    """Official answers and linked decisions of contributions: two queries for a whole list."""
    return [
        Prefetch(
            f"{prefix}responses",
            queryset=Response.objects.select_related("author").order_by("created_at", "id"),
        ),
        Prefetch(f"{prefix}decisions", queryset=Decision.objects.order_by("-decided_on", "-id")),
    ]


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
        .select_related("service_stage__service")  # each row links to the activity's page
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
    many contributions those reports are about; as moderation_lists, not those still waiting
    for their author to confirm them."""
    moderated = Contribution.objects.for_service(service).not_awaiting_confirmation()
    counts: dict[str, int] = moderated.aggregate(
        pending=Count("pk", filter=Q(visibility=Visibility.PENDING)),
        hidden=Count("pk", filter=Q(visibility=Visibility.HIDDEN)),
    )
    open_reports = Report.objects.filter(contribution__in=moderated, status=ReportStatus.OPEN)
    counts["reports"] = open_reports.count()
    counts["reported"] = open_reports.values("contribution").distinct().count()
    return counts


def decisions_of(service: Service) -> QuerySet[Decision]:
    """A service's decisions, newest first, with how many contributions informed each."""
    return service.decisions.annotate(informed_by=Count("contributions")).order_by(
        "-decided_on", "-id"
    )


def contributions_seen_by(user: Visitor, activity: Activity) -> ContributionQuerySet:
    """An activity's contributions this person may see: rules.can_view_contribution as a filter
    (published ones; their own; everything, for the activity's moderators). The activity is one
    they may see (its loader checked)."""
    items = Contribution.objects.filter(activity=activity)
    if rules.can_moderate(user, activity):
        return items
    shown = Q(visibility=Visibility.PUBLISHED)
    if user.is_authenticated:
        shown |= Q(author=user)
    return items.filter(shown)


def moderation_lists(service: Service) -> dict[str, ContributionQuerySet]:
    """What waits for a moderator in one service, for every kind of contribution: held ones,
    reported ones (first report first) and hidden ones. Not those still waiting for their author
    to confirm them (an anonymous survey answer is hidden until then): nobody moderates what may
    never be confirmed, and publishing it would skip the confirmation (decisions 0601, 0127)."""
    base = (
        Contribution.objects.for_service(service)
        .not_awaiting_confirmation()
        .with_details()
        .select_related("activity")
        .prefetch_related(
            Prefetch(
                "reports",
                queryset=Report.objects.filter(status=ReportStatus.OPEN).order_by("created_at"),
                to_attr="open_reports",
            ),
            *export_prefetches(),
        )
    )
    return {
        "pending": base.filter(visibility=Visibility.PENDING).order_by("created_at", "id"),
        "reports": base.annotate(
            first_report=Min("reports__created_at", filter=Q(reports__status=ReportStatus.OPEN))
        )
        .filter(first_report__isnull=False)
        .order_by("first_report", "id"),
        "hidden": base.filter(visibility=Visibility.HIDDEN).order_by("-moderated_at", "-id"),
    }


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
        *loop_prefetches(),
    )


def decision_contributions(decision: Decision) -> QuerySet[Contribution]:
    """The published contributions that informed a decision, oldest first."""
    return decision.contributions.published().with_details().order_by("created_at")


def decision_candidates(service: Service, ids: list[int]) -> QuerySet[Contribution]:
    """The contributions a decision form offers: only those asked for, never the whole service."""
    return Contribution.objects.for_service(service).published().filter(pk__in=ids).with_details()


RECENT_TO_TICK = 20


def decision_choices(service: Service, ticked: list[int], text: str = "") -> QuerySet[Contribution]:
    """What "Contributions that informed it" offers: the ones already ticked first, then the
    matches of a search, or else the service's 20 newest contributions that need an answer
    (answered or not). Bounded: at most 200 ticked, 50 matches or 20 recent."""
    if text.strip():
        offered = search_contributions(service, text)
    else:
        offered = list(
            Contribution.objects.for_service(service)
            .published()
            .answerable()
            .order_by("-created_at", "-id")
            .values_list("pk", flat=True)[:RECENT_TO_TICK]
        )
    first = Case(When(pk__in=ticked, then=Value(0)), default=Value(1), output_field=IntegerField())
    return (
        decision_candidates(service, [*ticked, *offered])
        .annotate(ticked_first=first)
        .order_by("ticked_first", "-created_at", "-id")
    )


def search_contributions(service: Service, text: str, *, limit: int = 50) -> list[int]:
    """Keys of the newest published contributions of the service whose text has every word (at
    most 5), searching the text fields every kind registered."""
    items = Contribution.objects.for_service(service).published()
    lookups = search_lookups()
    for word in text.replace("\x00", "")[:100].split()[:5]:
        match = Q()
        for lookup in lookups:
            match |= Q(**{f"{lookup}__icontains": word})
        items = items.filter(match)
    return list(items.order_by("-created_at").values_list("pk", flat=True)[:limit])


def my_contributions(user: User) -> QuerySet[Contribution]:
    """Everything the person contributed, newest first, with answers and decisions attached."""
    return (
        Contribution.objects.filter(author=user)
        .with_details()
        .select_related("activity__service_stage__service__organisation")  # who answered
        .prefetch_related(
            Prefetch("responses", queryset=Response.objects.order_by("created_at")),
            Prefetch("decisions", queryset=Decision.objects.order_by("-decided_on")),
        )
        .order_by("-created_at", "-id")
    )


def follows_of(user: User) -> QuerySet[Follow]:
    """What the person follows, newest first, with each target and its page's needs joined."""
    return (
        Follow.objects.filter(user=user)
        .select_related(
            "service",
            "activity__service_stage__service",
            "contribution__activity__service_stage__service",
            *(f"contribution__{join}" for join in detail_joins()),
        )
        .order_by("-created_at")
    )


def is_following(user: Visitor, target: Service | Activity | Contribution) -> bool:
    """Whether the person follows this service, activity or contribution."""
    if not user.is_authenticated:
        return False
    return bool(_follows(target._meta.model_name or "").rows(user.pk, target.pk))


@cache
def _follows(field: str) -> prepared.Prepared:
    """Whether a person follows one service, activity or contribution: asked on every signed-in
    page that shows a follow button, so prepared (decision 0924)."""
    return prepared.Prepared(
        lambda person, key: (
            Follow.objects.filter(user_id=person, **{f"{field}_id": key})
            .order_by()
            .values_list("pk")[:1]
        ),
        prepared.KEY - 1,
        prepared.KEY,
    )


def recent_decisions(service: Service, limit: int = 20) -> QuerySet[Decision]:
    """The service's newest decisions, that ticked contributions can be added to."""
    newest = list(
        service.decisions.order_by("-decided_on", "-id").values_list("pk", flat=True)[:limit]
    )
    return Decision.objects.filter(pk__in=newest).order_by("-decided_on", "-id")


# --- What has no Welsh yet (services.pages.MISSING_WELSH) --------------------------------------


def decisions_without_welsh(service: Service) -> QuerySet[Decision]:
    """The service's decisions with some text that has no Welsh, newest first."""
    return (
        service.decisions.filter(missing_query(Decision))
        .select_related("service")
        .order_by("-decided_on", "-id")
    )


def answers_without_welsh(service: Service) -> QuerySet[Response]:
    """Official answers to the service's published contributions that have no Welsh, newest
    first (answers to held or hidden ones are not shown to the public)."""
    return (
        Response.objects.filter(
            contribution__activity__service_stage__service=service,
            contribution__visibility=Visibility.PUBLISHED,
        )
        .filter(missing_query(Response))
        .select_related("contribution__activity", *(f"contribution__{j}" for j in detail_joins()))
        .order_by("-created_at", "-id")
    )


def untranslated_decision(decision: Decision) -> Untranslated:
    return Untranslated(
        what=_("Decision"),
        name=in_language(decision, "title"),
        missing=field_labels(Decision, missing_fields(decision)),
        url=reverse("contributions:decision_welsh", kwargs={"pk": decision.pk}),
    )


def untranslated_answer(response: Response) -> Untranslated:
    contribution = response.contribution
    return Untranslated(
        what=_("Answer"),
        name=_("Answer to “%(title)s”") % {"title": contribution.title},
        missing=field_labels(Response, missing_fields(response)),
        url=reverse("contributions:response_welsh", kwargs={"pk": response.pk}),
        where=in_language(contribution.activity, "title"),
    )
