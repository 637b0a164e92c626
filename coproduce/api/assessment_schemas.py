"""Shapes of the assessment API (assessment.py): the standards, an assessment with a user
assessment's results or a team's report, findings and improvement actions. Every number that
could single a person out is nullable: it is null when too few people answered."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Literal

from ninja import Field, Schema

from coproduce.api.budgets import QueryBool
from coproduce.api.contribution_schemas import (
    AssessmentFindingOut,
    ImprovementActionOut,
    ResponseOut,
)
from coproduce.contributions.models import Visibility
from coproduce.services.models import ActivityState

WELSH = "In Welsh; empty until written."
TOO_FEW = "null when too few people rated the standard to report (`too_few`)."


# Names of their own in the schema, as the other routers' enums.
class AssessmentMethod(StrEnum):
    ASSESSMENT = "assessment"
    PEER_REVIEW = "peer_review"
    SELF_REFLECTION = "self_reflection"
    MYSTERY_SHOP = "mystery_shop"


class ResultChange(StrEnum):
    NO_PREVIOUS = "no_previous"
    NEW = "new"
    TOO_FEW = "too_few"
    SHOWN = "shown"


class AgreementReading(StrEnum):
    STRONG = "strong"
    FAIR = "fair"
    WEAK = "weak"
    UNKNOWN = "unknown"


# --- Shapes -------------------------------------------------------------------------------------


class StandardOut(Schema):
    id: int
    lineage: int = Field(description="The same number for the same standard in every version.")
    theme: str
    theme_cy: str = Field(description=WELSH)
    statement: str = Field(description="What people should experience, in their words.")
    statement_cy: str = Field(description=WELSH)
    evidence_prompt: str = Field(description="What shows it; may be empty.")
    evidence_prompt_cy: str = Field(description=WELSH)
    position: int = Field(description="Its place in the version (listed by theme, then this).")


class StandardsVersionOut(Schema):
    id: int
    number: int
    status: Literal["agreed", "draft"] = Field(description="An agreed version never changes.")
    agreed_at: dt.datetime | None = Field(description="Null for the draft.")
    change_note: str = Field(description="What changed, and why.")
    change_note_cy: str = Field(description=WELSH)
    co_authors: list[str] = Field(
        description="The names of the residents who wrote it with staff (never their emails)."
    )
    standards: list[StandardOut] = Field(description="By theme, as the website lists them.")
    page: str = Field(description="The version's page on the website.")


class StandardsOut(Schema):
    service: str = Field(description="Slug of the service.")
    versions: list[StandardsVersionOut] = Field(
        description="Newest first; empty until a version is agreed."
    )
    page: str = Field(description="The standards' page on the website.")


class StandardsQuery(Schema):
    include_draft: QueryBool = Field(
        False,
        description=(
            "Also the draft version, for those who keep the framework (administrators and "
            "professionals of the service's organisation); left out for everyone else."
        ),
    )


class RatingCountOut(Schema):
    rating: int = Field(description="5 Always, 4 Mostly, 3 Sometimes, 2 Rarely, 1 Never.")
    label: str
    count: int
    share: int = Field(description="Per cent of the people who rated the standard (whole).")


class ChangeOut(Schema):
    kind: ResultChange = Field(
        description=(
            "`no_previous`: no earlier assessment to compare; `new`: the standard was not in it; "
            "`too_few`: either side had too few ratings; `shown`: see `points`."
        )
    )
    points: int | None = Field(
        description="The change of `always_or_mostly_share`, in percentage points; else null."
    )


class ResultCommentOut(Schema):
    text: str
    name: str | None = Field(description="Only when the person chose to show it; else null.")


class StandardResultOut(Schema):
    standard: int = Field(description="The standard's id.")
    lineage: int
    theme: str
    statement: str
    too_few: bool = Field(description="Too few people rated it: no numbers and no comments.")
    responses: int | None = Field(description=f"Every answer, 'does not apply' included; {TOO_FEW}")
    rated: int | None = Field(description=f"How many rated it; {TOO_FEW}")
    does_not_apply: int | None = Field(description=TOO_FEW)
    counts: list[RatingCountOut] | None = Field(description=f"Always first; {TOO_FEW}")
    always_or_mostly: int | None = Field(description=TOO_FEW)
    always_or_mostly_share: int | None = Field(description=f"Whole per cent; {TOO_FEW}")
    change: ChangeOut = Field(description="Since the service's previous assessment.")
    comments: list[ResultCommentOut] = Field(description="Empty when too few rated it.")


class UserResultsOut(Schema):
    responses: int = Field(description="Everyone who answered, online and on paper.")
    online: int
    paper: int = Field(description="Paper forms entered by staff.")
    min_responses: int = Field(description="A standard rated by fewer shows no numbers.")
    previous: int | None = Field(
        description="The previous assessment the change is measured from (its id), or null."
    )
    standards: list[StandardResultOut] = Field(description="By theme, as the results page.")


class AgreedRatingOut(Schema):
    standard: int = Field(description="The standard's id.")
    lineage: int
    theme: str
    statement: str
    agreed: bool = Field(description="Whether the team has agreed an answer (a draft may not).")
    rating: int | None = Field(description="1 to 5; null: does not apply, or not agreed yet.")
    note: str = Field(description="Why, and what shows it.")


class PeerTeamOut(Schema):
    size: int = Field(description="How many assessors; they are never named.")
    handed_in: int = Field(description="How many handed in their own ratings.")
    groups: list[str] = Field(description="Where they come from, for example a user group.")


class TeamAgreementOut(Schema):
    alpha: float | None = Field(
        description="Krippendorff's alpha (ordinal) of their own ratings; null if undefined."
    )
    percent: float | None = Field(description="Share of pairs that agree, 0 to 1; or null.")
    reading: AgreementReading = Field(
        description="strong from 0.8, fair from 0.667, weak below; unknown without alpha."
    )
    units: int = Field(description="Standards rated by at least two assessors.")
    values: int = Field(description="Ratings in those standards.")


class UsersViewOut(Schema):
    too_few: bool
    mean: float | None = Field(description=f"The average rating, to one decimal; {TOO_FEW}")
    always_or_mostly_share: int | None = Field(description=TOO_FEW)


class ComparisonRowOut(Schema):
    standard: int = Field(description="The standard's id.")
    lineage: int
    statement: str
    team_rating: int | None = Field(description="The team's agreed rating; null if none.")
    users: UsersViewOut | None = Field(
        description="The users' view of the same standard (by lineage); null if they had none."
    )
    gap: float | None = Field(description="The team's rating less the users' average.")
    reading: str = Field(description="The gap in words; empty without one.")


class ComparisonOut(Schema):
    users_assessment: int | None = Field(
        description="The user assessment compared with (its id); null when there is none."
    )
    min_responses: int
    rows: list[ComparisonRowOut] = Field(description="By theme, as the report page.")


class TeamReportOut(Schema):
    published: bool = Field(description="A draft is seen only by the team and the staff.")
    summary: str
    summary_cy: str = Field(description=WELSH)
    ratings: list[AgreedRatingOut] = Field(description="By theme, as the report page.")
    team: PeerTeamOut | None = Field(description="A peer review's team; null otherwise.")
    agreement: TeamAgreementOut | None = Field(
        description="How far a peer team agreed on their own; null otherwise."
    )
    comparison: ComparisonOut | None = Field(
        description="A self-reflection beside how people who use the service rate it; else null."
    )
    page: str = Field(description="The report's page on the website.")


class AssessmentOut(Schema):
    id: int = Field(description="Its activity's id, as in /api/activities/{id}.")
    kind: AssessmentMethod
    service: str = Field(description="Slug of the service.")
    title: str
    title_cy: str = Field(description=WELSH)
    state: ActivityState
    version: int = Field(description="The id of the version of the standards it rates against.")
    version_number: int
    published_at: dt.datetime | None = Field(
        description="When a team's report or a mystery shop was published; else null."
    )
    visit_on: dt.date | None = Field(description="A peer review's visit; else null.")
    page: str = Field(description="The assessment's page on the website.")
    results: UserResultsOut | None = Field(description="A user assessment's results; else null.")
    report: TeamReportOut | None = Field(
        description=(
            "A peer review's or self-reflection's agreed report, when you may read it; else null."
        )
    )


class FindingOut(AssessmentFindingOut):
    id: int = Field(description="Its contribution's id, as in /api/contributions/{id}.")
    created_at: dt.datetime
    visibility: Visibility = Field(description="Hidden findings are listed to moderators only.")
    title_cy: str = Field(description=WELSH)
    evidence_cy: str = Field(description=WELSH)
    answers: list[ResponseOut] = Field(description="The service's answers, oldest first.")
    page: str = Field(description="The finding's page on the website.")


class FindingsOut(Schema):
    assessment: int
    findings: list[FindingOut] = Field(
        description="Urgent concerns first, then concerns, then strengths."
    )


class ServiceActionOut(ImprovementActionOut):
    finding: int = Field(description="The finding it answers (/api/contributions/{id}).")
    assessment: int = Field(description="The assessment of that finding.")
