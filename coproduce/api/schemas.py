"""Shapes of API requests and responses; the OpenAPI document is generated from them.

Request bodies are plain pydantic models that forbid unknown fields, so that a typo is an error
rather than silently ignored. Every rule a request must meet is written into the schema itself
(lengths, patterns, enums), so that a request the schema calls valid is never refused for its
shape; see docs/decisions/0401-api-honest-input-schema.md.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Annotated, Any, Generic, TypeVar

from annotated_types import GroupedMetadata
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    StrictBool,
    StringConstraints,
    WithJsonSchema,
)

from coproduce.organisations.models import Sector
from coproduce.services.models import (
    ActivityKind,
    ActivityState,
    InvolvementLevel,
    PolicyArea,
    ServiceStatus,
    Stage,
)

# C0 control characters other than tab, new line and carriage return. PostgreSQL refuses NUL in
# text, and none of them belongs in text written for people.
_CONTROL = r"\x00-\x08\x0b\x0c\x0e-\x1f"
NO_CONTROL_PATTERN = rf"^[^{_CONTROL}]*$"
NOT_BLANK_PATTERN = rf"^[^{_CONTROL}]*[^\s{_CONTROL}][^{_CONTROL}]*$"
SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"
# Years 2000 to 2099 (docs/decisions/0019): a year like 0001 or 9999 is a mistake. The actions
# narrow it further (an activity at most ten years ahead, a decision today or before): a "rule".
DATE_PATTERN = r"^20[0-9]{2}-[0-9]{2}-[0-9]{2}$"
_CONTROL_RE = re.compile(f"[{_CONTROL}]")
_DATE_RE = re.compile(DATE_PATTERN)


def _plain_text(value: str) -> str:
    """Text that can be stored and shown: no control characters, valid Unicode."""
    if _CONTROL_RE.search(value):
        raise ValueError(
            "Remove control characters (such as NUL); letters, tabs and new lines are fine."
        )
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("Send valid Unicode text (this contains a lone surrogate).") from None
    return value


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("Enter some text: this cannot be only spaces.")
    return value


def _iso_date(value: Any) -> Any:
    """Accept only a JSON string in the form YYYY-MM-DD (pydantic alone would also take numbers),
    in the years 2000 to 2099."""
    if value is None or isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        raise ValueError("Enter a date as YYYY-MM-DD, for example 2026-03-31.")
    if not _DATE_RE.match(value):
        raise ValueError("Enter a date in the years 2000 to 2099, for example 2026-03-31.")
    return value


@dataclass(frozen=True)
class Text(GroupedMetadata):
    """Text of at most ``max_length`` characters, with its rule published as a pattern.

    Required text has at least one character that is not a space; optional text may be empty.
    The validators enforce exactly the patterns published in the schema (a test checks they
    agree). Use as ``Annotated[str, Text(150, required=True)]``.
    """

    max_length: int
    required: bool = False

    def __iter__(self) -> Iterator[Any]:
        yield StringConstraints(min_length=1 if self.required else None, max_length=self.max_length)
        yield AfterValidator(_plain_text)
        if self.required:
            yield AfterValidator(_not_blank)
        schema: dict[str, Any] = {"type": "string", "maxLength": self.max_length}
        if self.required:
            schema |= {"minLength": 1, "pattern": NOT_BLANK_PATTERN}
        else:
            schema |= {"pattern": NO_CONTROL_PATTERN}
        yield WithJsonSchema(schema)


Name = Annotated[str, Text(200, required=True)]
Summary = Annotated[str, Text(300, required=True)]
LongText = Annotated[str, Text(10_000)]
# The Welsh beside the English: optional, as long as the English may be (decision 0025).
WelshName = Annotated[str, Text(200)]
WelshSummary = Annotated[str, Text(300)]
WELSH = "In Welsh; empty until written (Welsh pages then show the English)."
SearchText = Annotated[str, Text(200)]
Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, min_length=1, max_length=80)]
SlugPath = Annotated[str, Field(pattern=SLUG_PATTERN, min_length=1, max_length=80)]
IdPath = Annotated[int, Field(ge=1, le=2_147_483_647)]
Date = Annotated[
    dt.date,
    BeforeValidator(_iso_date),
    WithJsonSchema({"type": "string", "format": "date", "pattern": DATE_PATTERN}),
]

T = TypeVar("T")


class Error(Schema):
    detail: str = Field(description="What went wrong, in plain English.")


class ValidationIssue(Schema):
    loc: list[str | int] = Field(
        description="Where the problem is: ['body', field], ['query', name] or ['path', name]."
    )
    msg: str = Field(description="What is wrong and how to put it right.")
    type: str = Field(
        description=(
            "'rule' when a well-formed request breaks a rule of the lifecycle given the current "
            "state (for example, an open activity cannot become a draft); otherwise the kind of "
            "validation error (missing, string_too_long, enum, …)."
        )
    )


class ValidationErrors(Schema):
    detail: list[ValidationIssue]


class LimitOffset(LimitOffsetPagination):
    """How every API list is paged (``@paginate(LimitOffset)``): ``limit`` 1–100, 20 by default,
    and ``offset``; the answer is ``{"items": [...], "count": n}``. An operation returns a
    queryset, or a ``Shaped`` list when its items need shaping a page at a time."""

    class Input(Schema):
        limit: int = Field(20, ge=1, le=100, description="How many items to return (1–100).")
        offset: int = Field(0, ge=0, le=1_000_000, description="How many items to skip.")

    class Output(Schema):
        items: list[Any]
        count: int = Field(description="How many items match, across all pages.")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_limit=100, **kwargs)


class Shaped(Generic[T]):
    """A list for ``LimitOffset``: counts its source and shapes only the page that is sliced.

    ``source`` is a queryset, or anything sliced and counted the same way (``KeysFirst``);
    ``shape`` turns one page of its rows into what the API shows, so a page that needs a few
    extra queries (who supports what) makes them once for the page, not once per item.
    """

    def __init__(self, source: Any, shape: Callable[[list[Any]], list[T]]) -> None:
        self.source = source
        self.shape = shape

    def __len__(self) -> int:
        return int(self.source.count())

    def __getitem__(self, index: slice) -> list[T]:
        return self.shape(list(self.source[index]))


class ServiceFilters(Schema):
    q: SearchText = Field("", description="Words in the name or summary of the service.")
    area: SearchText = Field("", description="Part of the name of the area served.")
    policy_area: PolicyArea | None = None
    stage: Stage | None = Field(None, description="Only services now in this stage.")


class OrganisationOut(Schema):
    slug: str
    name: str
    sector: Sector
    summary: str
    website: str
    area: str
    contact_email: str = Field(description="Where residents can write to the organisation.")
    phone: str


class ServiceOut(Schema):
    slug: str
    name: str
    name_cy: str = Field(description=WELSH)
    organisation: str = Field(description="Slug of the organisation that runs the service.")
    summary: str
    summary_cy: str = Field(description=WELSH)
    policy_area: PolicyArea
    area_served: str
    status: ServiceStatus
    current_stage: Stage
    current_cycle: int


class StageOut(Schema):
    cycle: int
    stage: Stage
    planned_level: InvolvementLevel | None
    promise: str = Field(
        description="What the planned level promises the public, in plain English."
    )
    delivered_level: InvolvementLevel | None = Field(
        description="The highest level among the stage's activities that have opened."
    )
    started_at: dt.datetime | None
    ended_at: dt.datetime | None
    summary: str


class SupportsThresholdOut(Schema):
    supports: int = Field(description="Ideas with this many supports get a written answer.")
    answer_days: int | None = Field(
        description=(
            "Within this many working days (Monday to Friday, not bank holidays in England and "
            "Wales) of the day an idea reaches the supports; null when no time is promised."
        )
    )
    text: str = Field(description="The promise in plain English, as the website shows it.")


class ActivityOut(Schema):
    id: int
    service: str = Field(description="Slug of the service.")
    cycle: int
    stage: Stage
    kind: ActivityKind
    title: str
    title_cy: str = Field(description=WELSH)
    summary: str
    summary_cy: str = Field(description=WELSH)
    how_to_take_part: str
    how_to_take_part_cy: str = Field(description=WELSH)
    opens_on: dt.date | None
    closes_on: dt.date | None
    state: ActivityState
    next_states: list[ActivityState] = Field(
        description="The states this activity can move to next (see the transitions endpoint)."
    )
    outcome: str
    outcome_cy: str = Field(description=WELSH)
    supports_threshold: SupportsThresholdOut | None = Field(
        description=(
            "Idea challenges only: the written answer promised to ideas with enough supports; "
            "null when there is no such promise."
        )
    )


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
    description_cy: str = Field(description=WELSH)
    partners: list[str] = Field(description="Slugs of partner organisations.")
    stages: list[StageOut] = Field(description="Every stage of every cycle, oldest first.")
    activities: list[ActivityOut] = Field(description="Oldest cycle first.")
    democratisation_index: IndexOut = Field(description="For the current cycle.")


class Input(BaseModel):
    """Base of request bodies: a JSON object holding only the listed fields."""

    model_config = ConfigDict(extra="forbid")


class ServiceIn(Input):
    organisation: Slug = Field(description="Slug of the organisation that runs the service.")
    name: Name
    summary: Summary
    description: LongText = ""
    name_cy: WelshName = Field("", description=WELSH)
    summary_cy: WelshSummary = Field("", description=WELSH)
    description_cy: LongText = Field(
        "", description="In Welsh; only with a description in English, which it translates."
    )
    policy_area: PolicyArea
    area_served: Name
    partners: list[Slug] = Field(
        default_factory=list, max_length=50, description="Slugs of partner organisations."
    )
    publish: StrictBool = Field(False, description="Publish now, or keep as a draft.")


class ServicePatch(Input):
    """Fields left out, or null, stay as they are."""

    name: Name | None = None
    summary: Summary | None = None
    description: LongText | None = None
    name_cy: WelshName | None = Field(None, description=WELSH)
    summary_cy: WelshSummary | None = Field(None, description=WELSH)
    description_cy: LongText | None = Field(
        None, description="In Welsh; only with a description in English, which it translates."
    )
    policy_area: PolicyArea | None = None
    area_served: Name | None = None
    status: ServiceStatus | None = Field(None, description="Publish, or take back to draft.")


class InvolvementIn(Input):
    """Planned levels for every stage of the current cycle; a stage left out or null is not decided."""

    commissioning: InvolvementLevel | None = None
    design: InvolvementLevel | None = None
    delivery: InvolvementLevel | None = None
    implementation: InvolvementLevel | None = None
    assessment: InvolvementLevel | None = None


class AdvanceIn(Input):
    summary: LongText = Field("", description="What happened in the stage that is ending.")


class ActivityIn(Input):
    stage: Stage = Field(description="A stage of the service's current cycle.")
    kind: ActivityKind
    title: Name
    summary: Summary
    how_to_take_part: LongText = ""
    title_cy: WelshName = Field("", description=WELSH)
    summary_cy: WelshSummary = Field("", description=WELSH)
    how_to_take_part_cy: LongText = Field(
        "", description="In Welsh; only with how_to_take_part in English, which it translates."
    )
    opens_on: Date | None = Field(None, description="At most ten years from today.")
    closes_on: Date | None = Field(
        None, description="On or after opens_on; at most ten years from today."
    )


class ActivityPatch(Input):
    """Fields left out stay as they are; null clears a date and leaves any other field as it is."""

    kind: ActivityKind | None = Field(None, description="Only while the activity is a draft.")
    title: Name | None = None
    summary: Summary | None = None
    how_to_take_part: LongText | None = None
    title_cy: WelshName | None = Field(None, description=WELSH)
    summary_cy: WelshSummary | None = Field(None, description=WELSH)
    how_to_take_part_cy: LongText | None = Field(
        None, description="In Welsh; only with how_to_take_part in English, which it translates."
    )
    outcome_cy: LongText | None = Field(
        None, description="In Welsh; only once reported, beside the outcome it translates."
    )
    opens_on: Date | None = Field(None, description="At most ten years from today.")
    closes_on: Date | None = Field(
        None, description="On or after opens_on; at most ten years from today."
    )


class TransitionIn(Input):
    to_state: ActivityState = Field(
        description="draft → open → closed → reported; a closed activity can open again."
    )
    outcome: LongText = Field(
        "", description="Required to report: what came of the activity, for the public record."
    )
    outcome_cy: LongText = Field("", description="When reporting: the outcome in Welsh (optional).")
