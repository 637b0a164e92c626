"""Service, lifecycle and activity endpoints: thin adapters over services.actions and queries."""

# No `from __future__ import annotations` here: ninja reads the annotations of a @paginate-d
# operation through the wrapper, in another module, so they must be real objects (decision 0407).

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Status
from ninja.pagination import paginate

from coproduce.accounts.types import SignedInRequest
from coproduce.api.auth import OPTIONAL
from coproduce.api.common import LIST_ERRORS, READ, READ_ERRORS, WRITE, WRITE_ERRORS
from coproduce.api.schemas import (
    ActivityIn,
    ActivityOut,
    ActivityPatch,
    AdvanceIn,
    IdPath,
    InvolvementIn,
    LimitOffset,
    ServiceDetailOut,
    ServiceFilters,
    ServiceIn,
    ServiceOut,
    ServicePatch,
    Shaped,
    SlugPath,
    TransitionIn,
)
from coproduce.codesign.models import SupportsThreshold
from coproduce.codesign.queries import threshold_of
from coproduce.common.permissions import require
from coproduce.organisations.models import Organisation
from coproduce.services import actions, queries, rules
from coproduce.services.models import (
    Activity,
    ActivityKind,
    ActivityState,
    Service,
    Stage,
)
from coproduce.services.queries import visible_activity, visible_service

router = Router(tags=["services"])


def _thresholds(activities: list[Activity]) -> dict[int, SupportsThreshold]:
    """The supports thresholds of these activities' idea challenges, in one query."""
    ids = [a.pk for a in activities if a.kind == ActivityKind.IDEA_CHALLENGE]
    if not ids:
        return {}
    return SupportsThreshold.objects.filter(activity_id__in=ids, supports__isnull=False).in_bulk()


def _threshold_out(
    activity: Activity, thresholds: dict[int, SupportsThreshold] | None
) -> dict[str, Any] | None:
    if activity.kind != ActivityKind.IDEA_CHALLENGE:
        return None
    threshold = thresholds.get(activity.pk) if thresholds is not None else threshold_of(activity)
    if threshold is None or threshold.supports is None:
        return None
    return {
        "supports": threshold.supports,
        "answer_days": threshold.answer_days,
        "text": threshold.describe(),
    }


def _activities_out(activities: list[Activity]) -> list[dict[str, Any]]:
    thresholds = _thresholds(activities)
    return [_activity_out(activity, thresholds) for activity in activities]


def _activity_out(
    activity: Activity, thresholds: dict[int, SupportsThreshold] | None = None
) -> dict[str, Any]:
    """One activity; ``thresholds`` (from ``_thresholds``) saves a query per idea challenge."""
    stage = activity.service_stage
    return {
        "id": activity.pk,
        "service": stage.service.slug,
        "cycle": stage.cycle,
        "stage": stage.stage,
        "kind": activity.kind,
        "title": activity.title,
        "title_cy": activity.title_cy,
        "summary": activity.summary,
        "summary_cy": activity.summary_cy,
        "how_to_take_part": activity.how_to_take_part,
        "how_to_take_part_cy": activity.how_to_take_part_cy,
        "opens_on": activity.opens_on,
        "closes_on": activity.closes_on,
        "state": activity.state,
        "next_states": activity.next_states,
        "outcome": activity.outcome,
        "outcome_cy": activity.outcome_cy,
        "supports_threshold": _threshold_out(activity, thresholds),
    }


def _service_out(service: Service) -> dict[str, Any]:
    return {
        "slug": service.slug,
        "name": service.name,
        "name_cy": service.name_cy,
        "organisation": service.organisation.slug,
        "summary": service.summary,
        "summary_cy": service.summary_cy,
        "policy_area": service.policy_area,
        "area_served": service.area_served,
        "status": service.status,
        "current_stage": service.current_stage,
        "current_cycle": service.current_cycle,
    }


def _service_detail(request: HttpRequest, service: Service) -> dict[str, Any]:
    include_drafts = rules.can_run_activities(request.user, service)
    cycles = queries.lifecycle(service, include_drafts=include_drafts)
    index = queries.democratisation_index(cycles[0])
    rows = service.stages.order_by("cycle", "position")
    delivered = {(c.number, s.stage): s.delivered_level for c in cycles for s in c.stages}
    activities = [a for c in reversed(cycles) for s in c.stages for a in s.activities]
    thresholds = _thresholds(activities)
    return {
        **_service_out(service),
        "description": service.description,
        "description_cy": service.description_cy,
        "partners": list(service.partners.values_list("slug", flat=True)),
        "stages": [
            {
                "cycle": row.cycle,
                "stage": row.stage,
                "planned_level": row.planned_level or None,
                "promise": row.promise,
                "delivered_level": delivered[(row.cycle, row.stage)] or None,
                "started_at": row.started_at,
                "ended_at": row.ended_at,
                "summary": row.summary,
            }
            for row in rows
        ],
        "activities": [_activity_out(a, thresholds) for a in activities],
        "democratisation_index": {
            "cycle": index.cycle,
            "score": index.score,
            "planned_score": index.planned_score,
            "rows": [
                {
                    "stage": r.stage,
                    "planned_level": r.planned_level or None,
                    "planned_rank": r.planned_rank,
                    "delivered_level": r.delivered_level or None,
                    "delivered_rank": r.delivered_rank,
                }
                for r in index.rows
            ],
        },
    }


@router.get(
    "/services",
    response={200: list[ServiceOut], **LIST_ERRORS},
    auth=READ,
    openapi_extra=OPTIONAL,
    summary="Find services",
)
@paginate(LimitOffset)
def service_list(request: HttpRequest, filters: Query[ServiceFilters]) -> Shaped[dict[str, Any]]:
    services: QuerySet[Service] = (
        Service.objects.visible_to(request.user)
        .select_related("organisation")
        .search(filters.q, filters.area, filters.policy_area or "")
        .order_by("name", "pk")
    )
    if filters.stage:
        services = services.filter(current_stage=filters.stage)
    return Shaped(services, lambda rows: [_service_out(s) for s in rows])


@router.post(
    "/services",
    response={201: ServiceDetailOut, **WRITE_ERRORS},
    auth=WRITE,
    summary="Create a service (as a draft unless publish is true)",
)
def service_create(request: SignedInRequest, payload: ServiceIn) -> Status[dict[str, Any]]:
    organisation = get_object_or_404(Organisation, slug=payload.organisation)
    require(rules.can_create_service_in(request.user, organisation))
    partners = list(Organisation.objects.filter(slug__in=payload.partners))
    missing = set(payload.partners) - {p.slug for p in partners}
    if missing:
        raise ValidationError(
            {"partners": f"No organisation with slug {', '.join(sorted(missing))}."}
        )
    service = actions.service_create(
        organisation=organisation,
        name=payload.name,
        summary=payload.summary,
        description=payload.description,
        name_cy=payload.name_cy,
        summary_cy=payload.summary_cy,
        description_cy=payload.description_cy,
        policy_area=payload.policy_area,
        area_served=payload.area_served,
        partners=partners,
        publish=payload.publish,
    )
    return Status(201, _service_detail(request, service))


@router.get(
    "/services/{slug}",
    response={200: ServiceDetailOut, **READ_ERRORS},
    auth=READ,
    openapi_extra=OPTIONAL,
    summary="One service with its lifecycle, activities and democratisation index",
)
def service_detail(request: HttpRequest, slug: SlugPath) -> dict[str, Any]:
    return _service_detail(request, visible_service(request, slug))


@router.patch(
    "/services/{slug}",
    response={200: ServiceDetailOut, **WRITE_ERRORS},
    auth=WRITE,
    summary="Change a service's details or publish it",
)
def service_update(
    request: SignedInRequest, slug: SlugPath, payload: ServicePatch
) -> dict[str, Any]:
    service = visible_service(request, slug)
    require(rules.can_manage_service(request.user, service))
    changes = payload.model_dump(exclude_unset=True, exclude_none=True)
    status = changes.pop("status", None)
    with transaction.atomic():  # a refused status leaves the other changes unsaved too
        if changes:
            actions.service_update(service=service, **changes)
        if status:
            actions.service_set_status(service=service, status=status)
    return _service_detail(request, service)


@router.put(
    "/services/{slug}/involvement",
    response={200: ServiceDetailOut, **WRITE_ERRORS},
    auth=WRITE,
    summary="Set the planned involvement level of every stage in the current cycle",
    description="Stages left out or null are set to 'not decided yet'.",
)
def involvement_set(
    request: SignedInRequest, slug: SlugPath, payload: InvolvementIn
) -> dict[str, Any]:
    service = visible_service(request, slug)
    require(rules.can_manage_service(request.user, service))
    actions.involvement_set(
        service=service, levels={stage: getattr(payload, stage) or "" for stage in Stage.values}
    )
    return _service_detail(request, service)


@router.post(
    "/services/{slug}/advance",
    response={200: ServiceDetailOut, **WRITE_ERRORS},
    auth=WRITE,
    summary="End the current stage and start the next (a new cycle after assessment)",
)
def service_advance(request: SignedInRequest, slug: SlugPath, payload: AdvanceIn) -> dict[str, Any]:
    service = visible_service(request, slug)
    require(rules.can_manage_service(request.user, service))
    actions.service_advance_stage(service=service, summary=payload.summary)
    return _service_detail(request, service)


@router.get(
    "/services/{slug}/activities",
    response={200: list[ActivityOut], **READ_ERRORS},
    auth=READ,
    openapi_extra=OPTIONAL,
    summary="Activities of a service, oldest cycle first",
)
@paginate(LimitOffset)
def activity_list(request: HttpRequest, slug: SlugPath) -> Shaped[dict[str, Any]]:
    service = visible_service(request, slug)
    activities = Activity.objects.filter(service_stage__service=service).select_related(
        "service_stage__service"
    )
    if not rules.can_run_activities(request.user, service):
        activities = activities.exclude(state=ActivityState.DRAFT)
    activities = activities.order_by("service_stage__cycle", "service_stage__position", "id")
    return Shaped(activities, _activities_out)


@router.post(
    "/services/{slug}/activities",
    response={201: ActivityOut, **WRITE_ERRORS},
    auth=WRITE,
    summary="Add a draft activity to a stage of the current cycle",
)
def activity_create(
    request: SignedInRequest, slug: SlugPath, payload: ActivityIn
) -> Status[dict[str, Any]]:
    service = visible_service(request, slug)
    require(rules.can_run_activities(request.user, service))
    activity = actions.activity_create(
        service=service, created_by=request.user, **payload.model_dump()
    )
    return Status(201, _activity_out(activity))


@router.get(
    "/activities/{activity_id}",
    response={200: ActivityOut, **READ_ERRORS},
    auth=READ,
    openapi_extra=OPTIONAL,
    summary="One activity",
)
def activity_detail(request: HttpRequest, activity_id: IdPath) -> dict[str, Any]:
    return _activity_out(visible_activity(request, activity_id))


@router.patch(
    "/activities/{activity_id}",
    response={200: ActivityOut, **WRITE_ERRORS},
    auth=WRITE,
    summary="Change an activity's details",
)
def activity_update(
    request: SignedInRequest, activity_id: IdPath, payload: ActivityPatch
) -> dict[str, Any]:
    activity = visible_activity(request, activity_id)
    require(rules.can_manage_activity(request.user, activity))
    changes = payload.model_dump(exclude_unset=True)
    for text in (
        "kind",
        "title",
        "summary",
        "how_to_take_part",
        "title_cy",
        "summary_cy",
        "how_to_take_part_cy",
        "outcome_cy",
    ):
        if changes.get(text, "") is None:
            changes.pop(text)
    activity = actions.activity_update(activity=activity, **changes)
    return _activity_out(activity)


@router.post(
    "/activities/{activity_id}/transitions",
    response={200: ActivityOut, **WRITE_ERRORS},
    auth=WRITE,
    summary="Open, close, re-open or report an activity",
)
def activity_transition(
    request: SignedInRequest, activity_id: IdPath, payload: TransitionIn
) -> dict[str, Any]:
    activity = visible_activity(request, activity_id)
    require(rules.can_manage_activity(request.user, activity))
    activity = actions.activity_transition(
        activity=activity,
        to_state=payload.to_state,
        outcome=payload.outcome,
        outcome_cy=payload.outcome_cy,
    )
    return _activity_out(activity)


fallback = Router(tags=["services"])


@fallback.api_operation(
    ["GET", "POST", "PUT", "PATCH", "DELETE"], "/{path:rest}", include_in_schema=False, auth=None
)
def unknown_address(request: HttpRequest, rest: str) -> None:
    """Any other address under /api/: a JSON 404 rather than the site's HTML page."""
    raise Http404
