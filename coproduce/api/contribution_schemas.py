"""Shapes of contributions, responses and decisions in the API (see schemas.py for the rules).

A contribution is one row of the shared ``Contribution`` plus one row of its own kind; in the API
it is one object whose ``kind`` names the one kind-specific field that is filled in (``idea``,
``comment``, ``asset``, ``story`` or ``need``); the others are null.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Annotated, Any, Literal

from annotated_types import Interval
from ninja import Field, Schema
from pydantic import (
    AfterValidator,
    BeforeValidator,
    StrictBool,
    StrictInt,
    StringConstraints,
    WithJsonSchema,
)

from coproduce.api.schemas import Date, Input, Slug, Text
from coproduce.budgeting.models import Feasibility
from coproduce.codesign.models import IdeaStatus
from coproduce.contributions.models import AuthorDisplay, ReportStatus, Visibility
from coproduce.insight.models import AssetKind, QuestionKind
from coproduce.services.models import Stage


# Every kind of contribution the API shows, each with its own field in ContributionOut; a test holds
# it to the kinds the installed apps register with the spine (contributions.kinds).
class ContributionKind(StrEnum):
    NEED = "need"
    ASSET = "asset"
    STORY = "story"
    IDEA = "idea"
    COMMENT = "comment"
    MEETING_QUESTION = "meeting_question"
    BUDGET_PROPOSAL = "budget_proposal"
    OPINION_STATEMENT = "opinion_statement"
    PANEL_QUESTION = "panel_question"
    PANEL_RECOMMENDATION = "panel_recommendation"
    CRITERIA_WEIGHTING = "criteria_weighting"
    ASSESSMENT_FINDING = "assessment_finding"
    STANDARD_PROPOSAL = "standard_proposal"


# A UK postcode as the Royal Mail writes it (insight.actions.POSTCODE), in either case, with or
# without the space before the last three characters; or nothing. The action then normalises it.
_OUTWARD = (
    "[A-PR-UWYZa-pr-uwyz]([0-9]{1,2}|[A-HK-Ya-hk-y][0-9]{1,2}|[0-9][A-HJKPSTUWa-hjkpstuw]"
    "|[A-HK-Ya-hk-y][0-9][ABEHMNPRV-Yabehmnprv-y])"
)
_INWARD = "[0-9][ABD-HJLNP-UW-Zabd-hjlnp-uw-z]{2}"
POSTCODE_PATTERN = rf"^([Gg][Ii][Rr] ?0[Aa][Aa]|{_OUTWARD} ?{_INWARD})?$"


def _postcode(value: str) -> str:
    if not re.search(POSTCODE_PATTERN, value):
        raise ValueError("Enter a real UK postcode, like NF1 2AB, or leave it empty.")
    return value


def _agreed(value: bool) -> bool:
    if value is not True:
        raise ValueError("Set consent to true: a story is published only with your agreement.")
    return value


Postcode = Annotated[
    str,
    StringConstraints(max_length=8),
    AfterValidator(_postcode),
    WithJsonSchema({"type": "string", "maxLength": 8, "pattern": POSTCODE_PATTERN}),
]
Consent = Annotated[
    StrictBool,
    AfterValidator(_agreed),
    WithJsonSchema(
        {
            "type": "boolean",
            "const": True,
            "description": "You agree that the story can be published on the website.",
        }
    ),
]


def _json_integer(value: Any) -> Any:
    """JSON Schema counts 5.0 as an integer, so it is one; "5" and true are not."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


# Ids in request bodies are JSON integers within PostgreSQL's integer.
Id = Annotated[StrictInt, Interval(ge=1, le=2_147_483_647), BeforeValidator(_json_integer)]
AUTHOR_DISPLAY = (
    "How your name is shown with it on the website: 'named' (your full name), 'first_name' or "
    "'anonymous'. The API and open data show an author only when they chose 'named'."
)


# --- Requests -----------------------------------------------------------------------------------
class IdeaIn(Input):
    title: Annotated[str, Text(150, required=True)]
    description: Annotated[str, Text(5000, required=True)] = Field(
        description="What would change, who it would help, and how."
    )
    category: Id | None = Field(None, description="The id of one of the challenge's categories.")
    author_display: AuthorDisplay = Field(AuthorDisplay.FIRST_NAME, description=AUTHOR_DISPLAY)


class CommentIn(Input):
    body: Annotated[str, Text(2000, required=True)]
    parent: Id | None = Field(
        None, description="The id of the comment on the same idea that this replies to."
    )
    is_question: StrictBool = Field(
        False, description="A question for the service team: they will answer it publicly."
    )
    author_display: AuthorDisplay = Field(AuthorDisplay.FIRST_NAME, description=AUTHOR_DISPLAY)


class AssetIn(Input):
    kind: AssetKind
    name: Annotated[str, Text(150, required=True)]
    description: Annotated[str, Text(3000, required=True)] = Field(
        description="What it is, who it helps and how people can use it."
    )
    postcode: Postcode = Field("", description="If it is in one place, e.g. NF1 2AB.")
    place_description: Annotated[str, Text(200)] = Field("", description="Or where it is.")
    area: Annotated[str, Text(100)] = Field("", description="The neighbourhood, village or ward.")
    organisation: Slug | None = Field(
        None, description="Slug of an organisation you work for, when it offers the asset."
    )
    author_display: AuthorDisplay = Field(AuthorDisplay.FIRST_NAME, description=AUTHOR_DISPLAY)


class StoryIn(Input):
    title: Annotated[str, Text(150, required=True)]
    body: Annotated[str, Text(10_000, required=True)] = Field(
        description="What happened, what helped and what did not. Do not name other people."
    )
    author_display: AuthorDisplay = Field(description=AUTHOR_DISPLAY)
    consent: Consent


class ReportIn(Input):
    reason: Annotated[str, Text(1000, required=True)] = Field(
        description="Why a moderator should look at it: rude, personal details, advertising…"
    )


# The Welsh beside the English: optional, as long as the English may be (decision 0025).
WELSH = "In Welsh; empty until written (Welsh pages then show the English)."


class ResponseIn(Input):
    body: Annotated[str, Text(5000, required=True)] = Field(
        description="The official answer, public: what will happen, or why not, in plain English."
    )
    body_cy: Annotated[str, Text(5000)] = Field("", description=WELSH)


class IdeaStatusIn(Input):
    to_status: IdeaStatus = Field(
        description=(
            "received → under_consideration → adopted / adapted / not_taken_forward → "
            "in_delivery → delivered; see the idea's next_statuses."
        )
    )
    reason: Annotated[str, Text(5000)] = Field(
        "", description="Shown with the status; required for adapted and not_taken_forward."
    )


class DecisionIn(Input):
    stage: Stage | None = Field(
        None, description="The stage of the current cycle it belongs to; null: the current stage."
    )
    title: Annotated[str, Text(200, required=True)] = Field(description="What was decided.")
    description: Annotated[str, Text(10_000, required=True)] = Field(
        description="Details and reasons: what will happen, and why."
    )
    title_cy: Annotated[str, Text(200)] = Field("", description=WELSH)
    description_cy: Annotated[str, Text(10_000)] = Field("", description=WELSH)
    decided_by: Annotated[str, Text(200, required=True)] = Field(
        description="A person, role or board, for example 'Health and Wellbeing Board'."
    )
    decided_on: Date = Field(description="Today or in the past.")
    contributions: list[Id] = Field(
        default_factory=list,
        max_length=200,
        description="Ids of published contributions to this service that informed it.",
    )


class LinkIn(Input):
    contributions: list[Id] = Field(
        min_length=1,
        max_length=200,
        description="Ids of published contributions to the decision's service.",
    )


# --- Query filters ------------------------------------------------------------------------------
class ContributionFilters(Schema):
    kind: ContributionKind | None = None
    visibility: Visibility | None = Field(
        None,
        description=(
            "Waiting (pending) and hidden contributions are listed only to their authors and "
            "to moderators."
        ),
    )
    idea: int | None = Field(None, ge=1, le=2_147_483_647, description="Only comments on it.")


# --- Responses ----------------------------------------------------------------------------------
class ResponseOut(Schema):
    id: int
    created_at: dt.datetime
    organisation: str = Field(description="Slug of the organisation that answered.")
    author: str = Field(description="Who answered for it, as the website shows them.")
    body: str
    body_cy: str = Field(description=WELSH)


class DecisionBriefOut(Schema):
    id: int
    title: str
    title_cy: str = Field(description=WELSH)
    stage: Stage
    cycle: int
    decided_by: str
    decided_on: dt.date


class StatusChangeOut(Schema):
    from_status: IdeaStatus
    to_status: IdeaStatus
    reason: str
    created_at: dt.datetime


class IdeaOut(Schema):
    title: str
    description: str
    category: str | None = Field(description="The name of its category.")
    status: IdeaStatus
    status_reason: str
    next_statuses: list[IdeaStatus] = Field(description="The statuses it can move to next.")
    status_history: list[StatusChangeOut] = Field(description="Oldest first.")
    support_count: int
    comment_count: int = Field(description="Every comment made, including any held or hidden.")
    supported: bool = Field(description="Whether you support it (false without a token).")
    threshold_reached_at: dt.datetime | None = Field(
        description=(
            "When it first had the supports its challenge's threshold asks for (or when the "
            "threshold was set, if it already had them); null if it has not."
        )
    )
    answer_due_on: dt.date | None = Field(
        description=(
            "The date a written answer was promised by when it reached the threshold (working "
            "days: Monday to Friday but not bank holidays in England and Wales); null if none "
            "was promised."
        )
    )


class CommentOut(Schema):
    idea: int = Field(description="The id of the idea it is on.")
    parent: int | None = Field(description="The id of the comment it replies to.")
    body: str
    is_question: bool
    agreement_count: int = Field(description="How many people agree with it.")
    agreed: bool = Field(description="Whether you agree with it (false without a token).")


class AssetOut(Schema):
    kind: AssetKind
    name: str
    description: str
    postcode: str
    place_description: str
    area: str
    organisation: str | None = Field(description="Slug of the organisation that offers it.")


class StoryOut(Schema):
    title: str
    body: str


class MeetingQuestionOut(Schema):
    meeting: int = Field(description="The id of the meeting it was asked for (/api/meetings/{id}).")
    text: str


class BudgetProposalOut(Schema):
    budget: int = Field(description="The id of the budget (/api/budgets/{id}).")
    reference: str = Field(description="The project's reference on ballots (P1 …).")
    area: int = Field(description="The id of the budget's area it is for.")
    description: str
    estimated_cost: int
    cost: int | None = Field(description="The cost after the feasibility review; null before.")
    feasibility: Feasibility


class OpinionStatementOut(Schema):
    conversation: int = Field(description="The id of the opinion-map activity it belongs to.")
    text: str
    is_seed: bool = Field(description="Written by staff to start the conversation.")
    is_meta: bool = Field(
        description="About the conversation itself: voted on, but left out of the map."
    )


class PanelQuestionOut(Schema):
    panel: int = Field(description="The id of the citizen-panel activity whose members asked it.")
    text: str


class WeightingPointsOut(Schema):
    criterion: int = Field(description="The id of the award criterion.")
    points: int = Field(description="The points given it, of 100.")


class CriteriaWeightingOut(Schema):
    round: int = Field(description="The id of the commissioning round's activity.")
    points: list[WeightingPointsOut] = Field(description="Criteria given no points are left out.")


class ImprovementActionOut(Schema):
    id: int
    description: str = Field(description="What will be done.")
    owner: str = Field(description="Who will do it: a role or a team.")
    due_on: dt.date
    status: Literal["planned", "in_progress", "done", "dropped"] = Field(
        description="``dropped``: not going ahead (``evidence`` says why)."
    )
    overdue: bool = Field(description="Still planned or in progress after its due date.")
    closed_on: dt.date | None = Field(description="When it was done or dropped.")
    evidence: str = Field(description="What shows it is done, or why it is not going ahead.")
    evidence_link: str


class AssessmentFindingOut(Schema):
    assessment: int = Field(description="The id of the assessment's activity.")
    kind: Literal["strength", "concern", "urgent"] = Field(
        description="A strength needs no answer; a concern or urgent concern does."
    )
    title: str
    evidence: str
    standards: list[int] = Field(description="The ids of the standards it is about.")
    actions: list[ImprovementActionOut] = Field(description="What the service is doing about it.")


class StandardProposalOut(Schema):
    framework: str = Field(description="Slug of the service whose standards it is about.")
    standard: int | None = Field(
        description="The agreed standard it comments on; null for a proposed new standard."
    )
    text: str = Field(description="The proposal.")
    why: str = Field(description="Why it matters to the person; may be empty.")
    became: int | None = Field(
        description="The draft standard it became once taken in (/api/services/{slug}/standards)."
    )


class PanelRecommendationOut(Schema):
    panel: int = Field(description="The id of the citizen-panel activity that made it.")
    title: str
    text: str
    support_count: int | None = Field(description="Members who supported it in their vote.")
    against_count: int | None = Field(description="Members who did not support it.")
    members_count: int | None = Field(description="Members of the panel when the vote closed.")
    answer_due: dt.date | None = Field(
        description="The day by which the organisation should have answered it."
    )


class AnswerOut(Schema):
    question: int = Field(description="The id of the question.")
    question_text: str
    question_text_cy: str = Field(description=WELSH)
    question_kind: QuestionKind
    text: str
    choices: list[str]
    scale_value: int | None


class NeedOut(Schema):
    answers: list[AnswerOut] = Field(description="In the order of the survey's questions.")
    complete: bool = Field(
        description=(
            "Whether every answer is shown. One person's choices and scale answers are shown "
            "only to them and to moderators; everyone else sees the free text (totals are on the "
            "survey's results page)."
        )
    )


class ContributionOut(Schema):
    id: int
    kind: ContributionKind
    activity: int = Field(description="The id of the activity it was made in.")
    service: str = Field(description="Slug of the service.")
    created_at: dt.datetime
    author: str = Field(
        description="The author's name if they chose to be named, otherwise 'Anonymous'."
    )
    yours: bool = Field(description="Whether you made it (false without a token).")
    visibility: Visibility
    held_reason: str | None = Field(
        description="Why it was held for a moderator: shown to moderators only, else null."
    )
    title: str
    needs_answer: bool = Field(
        description="Everything but a comment needs an official answer; a question does too."
    )
    first_response_at: dt.datetime | None
    responses: list[ResponseOut] = Field(description="Official answers, oldest first.")
    decisions: list[DecisionBriefOut] = Field(description="Decisions it informed, newest first.")
    idea: IdeaOut | None
    comment: CommentOut | None
    asset: AssetOut | None
    story: StoryOut | None
    need: NeedOut | None = Field(description="Answers to a needs survey.")
    meeting_question: MeetingQuestionOut | None = Field(
        description="A question from the public to a board's meeting, answered in its minutes."
    )
    budget_proposal: BudgetProposalOut | None = Field(
        description="A project proposed for a participatory budget (/api/budgets/{id}/projects)."
    )
    opinion_statement: OpinionStatementOut | None = Field(
        description="A statement people agree or disagree with in an opinion map."
    )
    panel_question: PanelQuestionOut | None = Field(
        description="A citizen panel's question to the service, answered in public."
    )
    panel_recommendation: PanelRecommendationOut | None = Field(
        description="A recommendation a citizen panel voted for, which the organisation answers."
    )
    criteria_weighting: CriteriaWeightingOut | None = Field(
        description="A resident's 100 points shared across a commissioning round's criteria."
    )
    assessment_finding: AssessmentFindingOut | None = Field(
        description="A finding of a service assessment, peer review or self-reflection, with the "
        "improvement actions it led to."
    )
    standard_proposal: StandardProposalOut | None = Field(
        description="A resident's proposal for a service's standards: a new one, or a comment on one."
    )


class SupportOut(Schema):
    supported: bool = Field(description="Whether you support the idea now.")
    changed: bool = Field(description="Whether this request changed anything.")
    support_count: int


class AgreementOut(Schema):
    agreed: bool = Field(description="Whether you agree with the comment now.")
    changed: bool = Field(description="Whether this request changed anything.")
    agreement_count: int


class ReportOut(Schema):
    contribution: int
    status: ReportStatus = Field(description="'open' until a moderator has looked at it.")
    created_at: dt.datetime


class LinkedContributionOut(Schema):
    id: int
    kind: ContributionKind
    activity: int
    title: str
    author: str = Field(description="As in a contribution: named, or 'Anonymous'.")
    created_at: dt.datetime


class DecisionOut(Schema):
    id: int
    service: str = Field(description="Slug of the service.")
    cycle: int
    stage: Stage
    title: str
    description: str
    title_cy: str = Field(description=WELSH)
    description_cy: str = Field(description=WELSH)
    decided_by: str
    decided_on: dt.date
    created_at: dt.datetime
    informed_by: int = Field(
        description=(
            "How many contributions are linked to it, as the website counts them (including any "
            "a moderator has hidden since; the decision itself lists the published ones)."
        )
    )


class DecisionDetailOut(DecisionOut):
    contributions: list[LinkedContributionOut] = Field(
        description="The published contributions that informed it, oldest first."
    )
