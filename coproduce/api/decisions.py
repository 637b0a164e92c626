"""Decision endpoints ("you said, we did"): thin adapters over codesign actions and queries."""

# No `from __future__ import annotations` here: ninja reads the annotations of a @paginate-d
# operation through the wrapper, in another module, so they must be real objects (decision 0407).

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from ninja import Router, Status
from ninja.pagination import paginate

from coproduce.accounts.types import SignedInRequest
from coproduce.api.auth import OPTIONAL
from coproduce.api.common import READ, READ_ERRORS, WRITE, WRITE_ERRORS
from coproduce.api.contribution_schemas import DecisionDetailOut, DecisionIn, DecisionOut, LinkIn
from coproduce.api.schemas import IdPath, LimitOffset, Shaped, SlugPath
from coproduce.common.permissions import require
from coproduce.contributions import actions as spine_actions
from coproduce.contributions import queries as spine_queries
from coproduce.contributions import rules as spine_rules
from coproduce.contributions.models import Contribution, Decision
from coproduce.services.models import Service
from coproduce.services.queries import visible_service

router = Router(tags=["decisions"])


def _decision_out(decision: Decision, informed_by: int) -> dict[str, Any]:
    return {
        "id": decision.pk,
        "service": decision.service.slug,
        "cycle": decision.cycle,
        "stage": decision.stage,
        "title": decision.title,
        "description": decision.description,
        "title_cy": decision.title_cy,
        "description_cy": decision.description_cy,
        "decided_by": decision.decided_by,
        "decided_on": decision.decided_on,
        "created_at": decision.created_at,
        "informed_by": informed_by,
    }


def _decision_detail(decision: Decision) -> dict[str, Any]:
    """A decision with the published contributions that informed it, as its web page shows."""
    linked = decision.contributions.published().with_details().order_by("created_at", "id")
    return {
        **_decision_out(decision, decision.contributions.count()),
        "contributions": [
            {
                "id": contribution.pk,
                "kind": contribution.kind,
                "activity": contribution.activity_id,
                "title": contribution.title,
                "author": contribution.open_data_author,
                "created_at": contribution.created_at,
            }
            for contribution in linked
        ],
    }


def _visible_decision(request: HttpRequest, pk: int) -> Decision:
    decision = Decision.objects.select_related("service__organisation").filter(pk=pk).first()
    if decision is None or not spine_rules.can_view_decision(request.user, decision):
        raise Http404
    return decision


def _linkable(service: Service, ids: list[int]) -> list[Contribution]:
    """The contributions a decision may be linked to: published ones of its service, as on the
    website's form. Any other id is refused, without saying whether it exists elsewhere."""
    wanted = set(ids)
    found = list(
        Contribution.objects.for_service(service).published().filter(pk__in=wanted).with_details()
    )
    missing = sorted(wanted - {c.pk for c in found})
    if missing:
        raise ValidationError(
            {
                "contributions": "Link only published contributions to this service; these are "
                f"not: {', '.join(map(str, missing))}."
            }
        )
    return found


@router.get(
    "/services/{slug}/decisions",
    response={200: list[DecisionOut], **READ_ERRORS},
    auth=READ,
    openapi_extra=OPTIONAL,
    summary="Decisions about a service, newest first",
)
@paginate(LimitOffset)
def decision_list(request: HttpRequest, slug: SlugPath) -> Shaped[dict[str, Any]]:
    service = visible_service(request, slug)
    decisions = spine_queries.decisions_of(service).select_related("service")
    return Shaped(
        decisions,
        lambda rows: [_decision_out(d, d.informed_by) for d in rows],
    )


@router.post(
    "/services/{slug}/decisions",
    response={201: DecisionDetailOut, **WRITE_ERRORS},
    auth=WRITE,
    summary="Record a decision and link the contributions that informed it (staff)",
    description="Their authors and followers are emailed once it is saved.",
)
def decision_create(request: SignedInRequest, slug: SlugPath, payload: DecisionIn) -> Status[Any]:
    service = visible_service(request, slug)
    require(spine_rules.can_record_decision(request.user, service))
    decision = spine_actions.decision_create(
        service=service,
        stage=payload.stage or service.current_stage,
        title=payload.title,
        description=payload.description,
        title_cy=payload.title_cy,
        description_cy=payload.description_cy,
        decided_by=payload.decided_by,
        decided_on=payload.decided_on,
        recorded_by=request.user,
        contributions=_linkable(service, payload.contributions),
    )
    return Status(201, _decision_detail(decision))


@router.get(
    "/decisions/{decision_id}",
    response={200: DecisionDetailOut, **READ_ERRORS},
    auth=READ,
    openapi_extra=OPTIONAL,
    summary="One decision, with the contributions that informed it",
)
def decision_detail(request: HttpRequest, decision_id: IdPath) -> dict[str, Any]:
    return _decision_detail(_visible_decision(request, decision_id))


@router.post(
    "/decisions/{decision_id}/contributions",
    response={200: DecisionDetailOut, **WRITE_ERRORS},
    auth=WRITE,
    summary="Link more contributions to a decision (staff)",
    description="Contributions already linked stay linked; the newly linked ones' authors are told.",
)
def decision_link(request: SignedInRequest, decision_id: IdPath, payload: LinkIn) -> dict[str, Any]:
    decision = _visible_decision(request, decision_id)
    require(spine_rules.can_link_decision(request.user, decision))
    spine_actions.decision_link(
        decision=decision,
        contributions=_linkable(decision.service, payload.contributions),
        linked_by=request.user,
    )
    return _decision_detail(decision)
