"""Commissioning rounds: the rounds, one round's set-up, timetable and award criteria (with the
published weights and how they were worked out), and your weighting of the criteria (decision
0412). Bids and what follows them are in commissioning_bids.py. Thin adapters over
commissioning's actions, rules and queries, as the website.
"""

# No `from __future__ import annotations` here: ninja reads the annotations of a @paginate-d
# operation through the wrapper, in another module, so they must be real objects (decision 0407).

import datetime as dt
from enum import StrEnum
from typing import Annotated, Any

from annotated_types import Interval
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from pydantic import BeforeValidator, StrictInt

from coproduce.accounts.types import SignedInRequest
from coproduce.api.auth import OPTIONAL
from coproduce.api.common import (
    LIST_ERRORS,
    READ,
    READ_ERRORS,
    WRITE,
    WRITE_ERRORS,
)
from coproduce.api.schemas import IdPath, Input, LimitOffset, Shaped
from coproduce.commissioning import (
    actions,
    queries,
    rules,
)
from coproduce.commissioning.models import (
    POINTS,
    Round,
    Weighting,
)
from coproduce.services.models import ActivityState

router = Router(tags=["commissioning"])

SERVICE = "activity__service_stage__service"
# A round has a handful of criteria; a weighting lists each at most once.
MAX_CRITERIA = 50


# Names of their own in the schema, as the other routers' enums.
class AwardCriterionKind(StrEnum):
    QUALITY = "quality"
    SOCIAL_VALUE = "social_value"


class PriceMethodName(StrEnum):
    LOWEST_RATIO = "lowest_ratio"


# --- Shapes -------------------------------------------------------------------------------------


class RoundOut(Schema):
    id: int = Field(description="Its activity's id, as in /api/activities/{id}.")
    service: str = Field(description="Slug of the service.")
    title: str
    title_cy: str = Field(description="In Welsh; empty until written.")
    summary: str
    state: ActivityState = Field(description="The activity's state: residents weigh while open.")
    contract_value: float = Field(description="The contract's whole value, in `currency`.")
    currency: str = Field(description="ISO 4217, for example GBP.")
    contract_months: int = Field(description="How long the contract runs.")
    price_weight: int = Field(description="Price's part of the award, in per cent (0 to 100).")
    weighting_closes_on: dt.date = Field(description="Residents weigh the criteria until then.")
    bids_close_at: dt.datetime = Field(
        description="When bids close: every bid's content stays sealed until then."
    )
    weighting_open: bool = Field(description="Whether residents may weigh the criteria now.")
    weights_published: bool = Field(description="Whether the criteria's weights are published.")


class TimetableOut(Schema):
    weighting_closes_on: dt.date = Field(description="Residents weigh the criteria until then.")
    questions_close_on: dt.date = Field(description="Bidders' questions close.")
    bids_close_at: dt.datetime = Field(
        description="Bids close; their content is sealed until then."
    )
    evaluation_on: dt.date
    award_on: dt.date
    standstill_days: int = Field(description="Working days between the award and the contract.")


class CriterionOut(Schema):
    id: int
    kind: AwardCriterionKind = Field(description="Quality or social value (price is apart).")
    name: str
    name_cy: str = Field(description="In Welsh; empty until written.")
    description: str = Field(description="What bidders must show.")
    description_cy: str = Field(description="In Welsh; empty until written.")
    indicators: list[int] = Field(
        description="The outcome indicators it serves (/api/indicators/{id})."
    )
    weight: int | None = Field(
        description=(
            "The published weight, in points of 100 shared by the criteria; null until the "
            "weights are published."
        )
    )
    residents_weight: int | None = Field(
        description=(
            "What residents' points gave (the median per criterion, scaled to 100); differs "
            "from `weight` only where staff changed it, with the round's `weights.reason`."
        )
    )
    award_share: float | None = Field(
        description="Its part of the whole award in per cent: weight × (100 − price_weight) / 100."
    )


class WeightsOut(Schema):
    published_at: dt.datetime
    participants: int = Field(description="How many people weighed the criteria.")
    method: str = Field(description="How residents' points became the weights.")
    reason: str = Field(
        description="Why staff changed what residents' points gave; empty when they did not."
    )
    reason_cy: str = Field(description="In Welsh; empty until written.")


class RoundDetailOut(RoundOut):
    summary_cy: str = Field(description="In Welsh; empty until written.")
    specification: str = Field(description="What the service must do.")
    specification_cy: str = Field(description="In Welsh; empty until written.")
    decisions: list[int] = Field(
        description="The design decisions the specification answers (/api/decisions/{id})."
    )
    indicators: list[int] = Field(
        description="The outcome indicators it answers (/api/indicators/{id})."
    )
    timetable: TimetableOut
    price_method: PriceMethodName = Field(
        description="lowest_ratio: lowest price ÷ this price × the price weight."
    )
    criteria_share: int = Field(description="What the criteria share: 100 − price_weight.")
    criteria: list[CriterionOut] = Field(description="Quality first, then social value.")
    weightings: int = Field(description="How many people have weighed the criteria so far.")
    weights: WeightsOut | None = Field(description="Null until the weights are published.")
    page: str = Field(description="The round's page on the website.")


def _whole(value: Any) -> Any:
    """JSON Schema counts 40.0 as an integer, so it is one; "40" and true are not."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


Points = Annotated[StrictInt, Interval(ge=0, le=POINTS), BeforeValidator(_whole)]


class PointsIn(Input):
    criterion: IdPath = Field(description="The criterion's id.")
    points: Points = Field(description="From 0 to 100.")


class WeightingIn(Input):
    points: list[PointsIn] = Field(
        max_length=MAX_CRITERIA,
        description=(
            "Each of the round's criteria at most once (those left out get 0), the points adding "
            "up to exactly 100."
        ),
    )


class PointsOut(Schema):
    criterion: int
    points: int


class YourWeightingOut(Schema):
    round: int
    weighed: bool = Field(description="Whether you have weighed this round's criteria.")
    points: list[PointsOut] = Field(
        description="Your points for every criterion (0 where you gave none); empty if none yet."
    )
    updated_at: dt.datetime | None = Field(description="When you last saved it.")
    contribution: int | None = Field(
        description=(
            "Your weighting as a contribution (/api/contributions/{id}), where the answer with "
            "the published weights appears; null if none yet."
        )
    )
    weighting_closes_on: dt.date
    may_weigh: bool = Field(description="Whether you may weigh (or change your weighting) now.")


# --- Adapters -----------------------------------------------------------------------------------


def _round_out(round_: Round) -> dict[str, Any]:
    activity = round_.activity
    return {
        "id": round_.pk,
        "service": activity.service_stage.service.slug,
        "title": activity.title,
        "title_cy": activity.title_cy,
        "summary": activity.summary,
        "state": activity.state,
        "contract_value": float(round_.contract_value),
        "currency": round_.currency,
        "contract_months": round_.contract_months,
        "price_weight": round_.price_weight,
        "weighting_closes_on": round_.weighting_closes_on,
        "bids_close_at": round_.bids_close_at,
        "weighting_open": rules.weighting_open(round_),
        "weights_published": round_.weights_published_at is not None,
    }


def _criteria_out(round_: Round) -> list[dict[str, Any]]:
    return [
        {
            "id": row.criterion.pk,
            "kind": row.criterion.kind,
            "name": row.criterion.name,
            "name_cy": row.criterion.name_cy,
            "description": row.criterion.description,
            "description_cy": row.criterion.description_cy,
            "indicators": sorted(i.pk for i in row.criterion.indicators.all()),
            "weight": row.weight,
            "residents_weight": row.residents_weight,
            "award_share": row.award_share,
        }
        for row in queries.weight_rows(round_)
    ]


def _weights_out(round_: Round) -> dict[str, Any] | None:
    if round_.weights_published_at is None:
        return None
    return {
        "published_at": round_.weights_published_at,
        "participants": round_.weights_participants or 0,
        "method": round_.weights_method,
        "reason": round_.weights_reason,
        "reason_cy": round_.weights_reason_cy,
    }


def _your_weighting(request: SignedInRequest, round_: Round) -> dict[str, Any]:
    weighting: Weighting | None = queries.weighting_of(round_, request.user)
    points = {} if weighting is None else actions.weighting_points(weighting)
    return {
        "round": round_.pk,
        "weighed": weighting is not None,
        "points": [{"criterion": key, "points": value} for key, value in points.items()],
        "updated_at": None if weighting is None else weighting.updated_at,
        "contribution": None if weighting is None else weighting.contribution_id,
        "weighting_closes_on": round_.weighting_closes_on,
        "may_weigh": rules.can_weigh(request.user, round_),
    }


def _closed(round_: Round) -> ValidationError:
    """Why nobody may weigh now: a rule, not a permission (anyone signed in may weigh while
    the weighting is open)."""
    if round_.weights_published_at is not None:
        return ValidationError(_("The weights are published: the weighting has closed."))
    if round_.activity.state != ActivityState.OPEN:
        return ValidationError(_("This round is not open for weighing the criteria."))
    return ValidationError(
        _("Weighing the criteria closed on %(day)s.")
        % {"day": date_format(round_.weighting_closes_on)}
    )


# --- Operations ---------------------------------------------------------------------------------


@router.get(
    "/commissioning/rounds",
    response={200: list[RoundOut], **LIST_ERRORS},
    auth=READ,
    openapi_extra=OPTIONAL,
    summary="Commissioning rounds, newest first",
    description="Those whose activity has opened; with a token, also your organisations' drafts.",
)
@paginate(LimitOffset)
def round_list(request: HttpRequest) -> Shaped[dict[str, Any]]:
    rounds = queries.rounds_seen_by(request.user).select_related(SERVICE).order_by("-pk")
    return Shaped(rounds, lambda rows: list(map(_round_out, rows)))


@router.get(
    "/commissioning/rounds/{round_id}",
    response={200: RoundDetailOut, **READ_ERRORS},
    auth=READ,
    openapi_extra=OPTIONAL,
    summary="One commissioning round: set-up, timetable, award criteria and their weights",
    description=(
        "What the service must do and what it answers (decisions, outcome indicators), the "
        "contract, the timetable, price's weight and method, and the quality and social-value "
        "criteria. Once published, each criterion has its `weight` and `residents_weight`, and "
        "`weights` says how many people weighed, the method and any reason for a change."
    ),
)
def round_detail(request: HttpRequest, round_id: IdPath) -> dict[str, Any]:
    round_ = queries.visible_round(request, round_id)
    return {
        **_round_out(round_),
        "summary_cy": round_.activity.summary_cy,
        "specification": round_.specification,
        "specification_cy": round_.specification_cy,
        "decisions": sorted(round_.decisions.values_list("pk", flat=True)),
        "indicators": sorted(round_.indicators.values_list("pk", flat=True)),
        "timetable": {
            "weighting_closes_on": round_.weighting_closes_on,
            "questions_close_on": round_.questions_close_on,
            "bids_close_at": round_.bids_close_at,
            "evaluation_on": round_.evaluation_on,
            "award_on": round_.award_on,
            "standstill_days": round_.standstill_days,
        },
        "price_method": round_.price_method,
        "criteria_share": round_.criteria_share,
        "criteria": _criteria_out(round_),
        "weightings": queries.weighting_count(round_),
        "weights": _weights_out(round_),
        "page": reverse("commissioning:round", args=[round_.pk]),
    }


@router.get(
    "/commissioning/rounds/{round_id}/weighting",
    response={200: YourWeightingOut, **READ_ERRORS},
    auth=WRITE,
    summary="Your weighting of a round's criteria (a token is needed)",
)
def weighting_detail(request: SignedInRequest, round_id: IdPath) -> dict[str, Any]:
    return _your_weighting(request, queries.visible_round(request, round_id))


@router.put(
    "/commissioning/rounds/{round_id}/weighting",
    response={200: YourWeightingOut, **WRITE_ERRORS},
    auth=WRITE,
    summary="Weigh a round's criteria: share 100 points; a second PUT changes your weighting",
    description=(
        "One weighting per person, whether made on the website or here. Points that do not add "
        "up to 100 (the message says how many to add or take away), a criterion of another "
        "round or one listed twice, a round without criteria, and a weighting that has closed "
        "(after its closing date, once the weights are published, or when the round is not "
        "open) are each a `422` of type `rule`. When the weights are published, your weighting "
        "is answered with the result."
    ),
)
def weighting_put(
    request: SignedInRequest, round_id: IdPath, payload: WeightingIn
) -> dict[str, Any]:
    round_ = queries.visible_round(request, round_id)
    if not rules.weighting_open(round_):
        raise _closed(round_)
    if not round_.criteria.exists():
        raise ValidationError(_("This round has no criteria to weigh yet."))
    points = {item.criterion: item.points for item in payload.points}
    if len(points) != len(payload.points):
        raise ValidationError({"points": _("Give each criterion its points once.")})
    actions.weighting_save(round_=round_, person=request.user, points=points)
    return _your_weighting(request, round_)
