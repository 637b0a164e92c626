"""Shapes of API requests and responses; the OpenAPI document is generated from them."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Generic, TypeVar

from ninja import Field, Schema
from pydantic import AfterValidator, StringConstraints

from coproduce.organisations.models import Sector
from coproduce.services.models import (
    ActivityKind,
    ActivityState,
    InvolvementLevel,
    PolicyArea,
    ServiceStatus,
    Stage,
)


def _no_control_characters(value: str) -> str:
    if any(ord(ch) < 32 and ch not in "\t\n\r" for ch in value):
        raise ValueError("must not contain control characters")
    return value


Text = Annotated[str, AfterValidator(_no_control_characters)]
Slug = Annotated[str, StringConstraints(pattern=r"^[-a-zA-Z0-9_]+$", min_length=1, max_length=80)]
SlugPath = Annotated[str, Field(pattern=r"^[-a-zA-Z0-9_]+$", min_length=1, max_length=80)]
IdPath = Annotated[int, Field(ge=1, le=2_147_483_647)]

T = TypeVar("T")


class Error(Schema):
    detail: str


class ValidationIssue(Schema):
    loc: list[str | int]
    msg: str
    type: str


class ValidationErrors(Schema):
    detail: list[ValidationIssue]


class Page(Schema, Generic[T]):
    items: list[T]
    count: int = Field(description="How many items match, across all pages.")


class PageQuery(Schema):
    limit: int = Field(20, ge=1, le=100)
    offset: int = Field(0, ge=0, le=1_000_000)


class OrganisationOut(Schema):
    slug: str
    name: str
    sector: Sector
    summary: str
    website: str
    area: str


class ServiceOut(Schema):
    slug: str
    name: str
    organisation: str = Field(description="Slug of the organisation that runs the service.")
    summary: str
    policy_area: PolicyArea
    area_served: str
    status: ServiceStatus
    current_stage: Stage
    current_cycle: int


class StageOut(Schema):
    cycle: int
    stage: Stage
    planned_level: InvolvementLevel | None
    promise: str
    delivered_level: InvolvementLevel | None
    started_at: dt.datetime | None
    ended_at: dt.datetime | None
    summary: str


class ActivityOut(Schema):
    id: int
    service: str
    cycle: int
    stage: Stage
    kind: ActivityKind
    title: str
    summary: str
    how_to_take_part: str
    opens_on: dt.date | None
    closes_on: dt.date | None
    state: ActivityState
    outcome: str


class IndexRowOut(Schema):
    stage: Stage
    planned_level: InvolvementLevel | None
    planned_rank: int
    delivered_level: InvolvementLevel | None
    delivered_rank: int


class IndexOut(Schema):
    cycle: int
    score: int = Field(
        description="Delivered involvement as a percentage of 'empower' in all five stages."
    )
    planned_score: int
    rows: list[IndexRowOut]


class ServiceDetailOut(ServiceOut):
    description: str
    partners: list[str]
    stages: list[StageOut]
    activities: list[ActivityOut]
    democratisation_index: IndexOut


class ServiceIn(Schema):
    organisation: Slug
    name: Annotated[Text, StringConstraints(min_length=1, max_length=200, strip_whitespace=True)]
    summary: Annotated[Text, StringConstraints(min_length=1, max_length=300, strip_whitespace=True)]
    description: Annotated[Text, StringConstraints(max_length=10_000)] = ""
    policy_area: PolicyArea
    area_served: Annotated[
        Text, StringConstraints(min_length=1, max_length=200, strip_whitespace=True)
    ]
    partners: list[Slug] = Field(default_factory=list, max_length=50)
    publish: bool = False


class ServicePatch(Schema):
    name: (
        Annotated[Text, StringConstraints(min_length=1, max_length=200, strip_whitespace=True)]
        | None
    ) = None
    summary: (
        Annotated[Text, StringConstraints(min_length=1, max_length=300, strip_whitespace=True)]
        | None
    ) = None
    description: Annotated[Text, StringConstraints(max_length=10_000)] | None = None
    policy_area: PolicyArea | None = None
    area_served: (
        Annotated[Text, StringConstraints(min_length=1, max_length=200, strip_whitespace=True)]
        | None
    ) = None
    status: ServiceStatus | None = None


class InvolvementIn(Schema):
    """Planned levels for the current cycle; stages left out keep their level, null clears one."""

    commissioning: InvolvementLevel | None = None
    design: InvolvementLevel | None = None
    delivery: InvolvementLevel | None = None
    implementation: InvolvementLevel | None = None
    assessment: InvolvementLevel | None = None


class AdvanceIn(Schema):
    summary: Annotated[Text, StringConstraints(max_length=5000)] = ""


class ActivityIn(Schema):
    stage: Stage
    kind: ActivityKind
    title: Annotated[Text, StringConstraints(min_length=1, max_length=200, strip_whitespace=True)]
    summary: Annotated[Text, StringConstraints(min_length=1, max_length=300, strip_whitespace=True)]
    how_to_take_part: Annotated[Text, StringConstraints(max_length=10_000)] = ""
    opens_on: dt.date | None = None
    closes_on: dt.date | None = None


class ActivityPatch(Schema):
    kind: ActivityKind | None = None
    title: (
        Annotated[Text, StringConstraints(min_length=1, max_length=200, strip_whitespace=True)]
        | None
    ) = None
    summary: (
        Annotated[Text, StringConstraints(min_length=1, max_length=300, strip_whitespace=True)]
        | None
    ) = None
    how_to_take_part: Annotated[Text, StringConstraints(max_length=10_000)] | None = None
    opens_on: dt.date | None = None
    closes_on: dt.date | None = None


class TransitionIn(Schema):
    to_state: ActivityState
    outcome: Annotated[Text, StringConstraints(max_length=10_000)] = ""
