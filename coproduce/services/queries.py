"""Reads about services: the objects pages are about, the lifecycle timeline and the
democratisation index."""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import groupby
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from coproduce.accounts.models import User
from coproduce.accounts.types import Visitor
from coproduce.common.languages import field_labels, in_language, missing_fields, missing_query
from coproduce.organisations.models import Organisation, OrganisationQuerySet
from coproduce.services import rules
from coproduce.services.methods import levels_until_delivered
from coproduce.services.models import (
    KIND_LEVEL,
    LEVEL_PLAIN,
    LEVEL_RANK,
    PROMISES,
    STAFF_ROLES,
    STAGE_DESCRIPTIONS,
    Activity,
    ActivityState,
    InvolvementLevel,
    Service,
    ServiceQuerySet,
    ServiceStage,
    ServiceStatus,
    Stage,
)
from coproduce.services.pages import Untranslated

# --- The objects pages and API operations are about: 404 for those the visitor may not see (another
# organisation's drafts are simply not there, to outsiders). Each is ``load`` for rule_required.


def visible_service(request: HttpRequest, slug: str) -> Service:
    service = get_object_or_404(Service.objects.select_related("organisation"), slug=slug)
    if not rules.can_view_service(request.user, service):
        raise Http404
    return service


def visible_activity(request: HttpRequest, pk: int) -> Activity:
    activity = get_object_or_404(
        Activity.objects.select_related("service_stage__service__organisation"), pk=pk
    )
    if not rules.can_view_activity(request.user, activity):
        raise Http404
    return activity


def activity_seen_by(user: Visitor, activity: str = "activity") -> Q:
    """rules.can_view_activity as a filter on rows that reach their activity by ``activity``:
    open (not draft) activities of published services, and everything of the organisations the
    person works for; everything for superusers (an empty Q)."""
    if user.is_superuser:
        return Q()
    service = f"{activity}__service_stage__service"
    public = Q(**{f"{service}__status": ServiceStatus.PUBLISHED}) & ~Q(
        **{f"{activity}__state": ActivityState.DRAFT}
    )
    if not user.is_authenticated:
        return public
    return public | Q(**{f"{service}__organisation__in": list(user.staff_roles)})


def delivered_level(activities: list[Activity], held_back: dict[int, str] | None = None) -> str:
    """The highest involvement level among activities that ran ('' when none ran).

    An activity has run once it has been opened; drafts do not count. Each method delivers at
    most the level in KIND_LEVEL; ``held_back`` (methods.levels_until_delivered) gives a lower
    level to those whose method has not delivered yet ('' for none). See
    docs/decisions/0006-delivered-involvement-level.md and 0086-delivered-assessments.md.
    """
    held = held_back or {}
    ran = [held.get(a.pk, KIND_LEVEL[a.kind]) for a in activities if a.state != ActivityState.DRAFT]
    return max((level for level in ran if level), key=LEVEL_RANK.__getitem__, default="")


@dataclass(frozen=True)
class StageView:
    """One stage of one cycle, ready for the timeline."""

    stage: str
    label: str
    description: str
    planned_level: str
    planned_label: str
    promise: str
    delivered_level: str
    delivered_label: str
    status: str  # "past", "current" or "future"
    summary: str
    activities: list[Activity] = field(default_factory=list)


@dataclass(frozen=True)
class CycleView:
    number: int
    is_current: bool
    stages: list[StageView]


def _level_label(level: str) -> str:
    return str(InvolvementLevel(level).label) if level else ""


def _level_in_plain_words(level: str) -> str:
    """A level's name with what it means in plain words, for the index: "Empower: you decide"."""
    if not level:
        return ""
    return _("%(level)s: %(plain)s") % {
        "level": InvolvementLevel(level).label,
        "plain": LEVEL_PLAIN[level],
    }


def lifecycle(service: Service, *, include_drafts: bool = False) -> list[CycleView]:
    """Every cycle of the service, newest first, with stages in order and their activities."""
    activities = Activity.objects.order_by("opens_on", "id")
    if not include_drafts:
        activities = activities.exclude(state=ActivityState.DRAFT)
    rows = list(
        ServiceStage.objects.filter(service=service)
        .select_related("service")  # each activity's link names the service
        .order_by("-cycle", "position")
        .prefetch_related(Prefetch("activities", queryset=activities))
    )
    held_back = levels_until_delivered(a for row in rows for a in row.activities.all())
    cycles = []
    for number, stages in groupby(rows, key=lambda row: row.cycle):
        views = []
        for row in stages:
            acts = list(row.activities.all())
            if row.cycle == service.current_cycle and row.stage == service.current_stage:
                status = "current"
            elif row.ended_at is not None:
                status = "past"
            else:
                status = "future"
            delivered = delivered_level(acts, held_back)
            views.append(
                StageView(
                    stage=row.stage,
                    label=str(Stage(row.stage).label),
                    description=str(STAGE_DESCRIPTIONS[row.stage]),
                    planned_level=row.planned_level,
                    planned_label=_level_label(row.planned_level),
                    promise=str(PROMISES[row.planned_level]) if row.planned_level else "",
                    delivered_level=delivered,
                    delivered_label=_level_label(delivered),
                    status=status,
                    summary=row.summary,
                    activities=acts,
                )
            )
        cycles.append(
            CycleView(number=number, is_current=number == service.current_cycle, stages=views)
        )
    return cycles


@dataclass(frozen=True)
class IndexRow:
    stage: str
    label: str
    planned_level: str
    planned_label: str
    planned_rank: int
    delivered_level: str
    delivered_label: str
    delivered_rank: int

    @property
    def promise_kept(self) -> bool | None:
        """None while no level is planned; otherwise whether delivery reached the plan."""
        if not self.planned_level:
            return None
        return self.delivered_rank >= self.planned_rank


@dataclass(frozen=True)
class DemocratisationIndex:
    """Planned and delivered public involvement for each stage of one cycle."""

    cycle: int
    rows: list[IndexRow]

    @property
    def score(self) -> int:
        """Delivered involvement across the five stages, as a percentage of 'empower' everywhere."""
        top = len(self.rows) * max(LEVEL_RANK.values())
        return round(100 * sum(row.delivered_rank for row in self.rows) / top)

    @property
    def planned_score(self) -> int:
        top = len(self.rows) * max(LEVEL_RANK.values())
        return round(100 * sum(row.planned_rank for row in self.rows) / top)


def democratisation_index(cycle: CycleView) -> DemocratisationIndex:
    """The index for one cycle, computed from the lifecycle already loaded for the page."""
    return DemocratisationIndex(
        cycle=cycle.number,
        rows=[
            IndexRow(
                stage=s.stage,
                label=s.label,
                planned_level=s.planned_level,
                planned_label=_level_in_plain_words(s.planned_level),
                planned_rank=LEVEL_RANK.get(s.planned_level, 0),
                delivered_level=s.delivered_level,
                delivered_label=_level_in_plain_words(s.delivered_level),
                delivered_rank=LEVEL_RANK.get(s.delivered_level, 0),
            )
            for s in cycle.stages
        ],
    )


def organisation_services(organisation: Organisation) -> dict[str, Any]:
    """The published services an organisation runs, and those it supports as a partner: the
    services section of its page (registered in apps.py)."""
    published = Service.objects.published()
    return {
        "services": list(published.filter(organisation=organisation)),
        "partner_services": list(published.filter(partners=organisation)),
    }


def published_services(text: str = "", area: str = "", policy_area: str = "") -> ServiceQuerySet:
    """Published services, found by words in their name or summary, area and policy area."""
    return (
        Service.objects.published().select_related("organisation").search(text, area, policy_area)
    )


def open_now(*, limit: int) -> list[Activity]:
    """Public activities open now, the ones closing soonest first."""
    return list(
        Activity.objects.public()
        .open_now()
        .select_related("service_stage__service")
        .order_by("closes_on", "id")[:limit]
    )


def public_activities(service: Service, *, stage: str = "") -> QuerySet[Activity]:
    """A service's activities that have opened, newest cycle first; of one stage when given."""
    activities = (
        Activity.objects.filter(service_stage__service=service)
        .exclude(state=ActivityState.DRAFT)
        .select_related("service_stage__service")  # each activity's link names the service
        .order_by("-service_stage__cycle", "service_stage__position", "opens_on", "id")
    )
    return activities.filter(service_stage__stage=stage) if stage else activities


def services_worked_on(user: User) -> QuerySet[Service]:
    """The services of the organisations the person works for, drafts included (all, for a
    superuser)."""
    services = (
        Service.objects.all()
        if user.is_superuser
        else Service.objects.filter(organisation__memberships__user=user).distinct()
    )
    return services.select_related("organisation")


def organisations_creating_services(user: User) -> OrganisationQuerySet:
    """The organisations the person may create services for (rules.can_create_service_in)."""
    if user.is_superuser:
        return Organisation.objects.all()
    return Organisation.objects.with_role(user, list(STAFF_ROLES))


def planned_levels(service: Service) -> dict[str, str]:
    """Stage → planned involvement level, for the service's current cycle."""
    return dict(
        ServiceStage.objects.filter(service=service, cycle=service.current_cycle).values_list(
            "stage", "planned_level"
        )
    )


def ended_stages(service: Service) -> set[str]:
    """The stages of the service's current cycle that have ended (their promise is fixed)."""
    return set(
        ServiceStage.objects.filter(
            service=service, cycle=service.current_cycle, ended_at__isnull=False
        ).values_list("stage", flat=True)
    )


# --- What has no Welsh yet (services.pages.MISSING_WELSH) --------------------------------------


def service_without_welsh(service: Service) -> QuerySet[Service]:
    """The service itself, when some of its text has no Welsh."""
    return Service.objects.filter(pk=service.pk).filter(missing_query(Service))


def activities_without_welsh(service: Service) -> QuerySet[Activity]:
    """The service's activities, drafts included, with some text that has no Welsh."""
    return (
        Activity.objects.filter(service_stage__service=service)
        .filter(missing_query(Activity))
        .select_related("service_stage")
        .order_by("service_stage__cycle", "service_stage__position", "opens_on", "id")
    )


def untranslated_service(service: Service) -> Untranslated:
    return Untranslated(
        what=_("Service"),
        name=in_language(service, "name"),
        missing=field_labels(Service, missing_fields(service)),
        url=reverse("services:service_edit", kwargs={"slug": service.slug}),
    )


def untranslated_activity(activity: Activity) -> Untranslated:
    return Untranslated(
        what=_("Activity"),
        name=in_language(activity, "title"),
        missing=field_labels(Activity, missing_fields(activity)),
        url=reverse("services:activity_edit", kwargs={"pk": activity.pk}),
    )
