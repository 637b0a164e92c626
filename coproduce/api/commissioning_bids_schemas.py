"""Shapes of the bids API (commissioning_bids.py): bidders' questions and their answers, a bid
with its method statements, social-value commitments and files, the register of interests, and
the award with its scores table. Prices and quantities are JSON numbers, stored rounded to two
decimals."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated

from annotated_types import Interval
from ninja import Field, Schema
from pydantic import AllowInfNan, StrictFloat

from coproduce.api.commissioning import MAX_CRITERIA, PriceMethodName
from coproduce.api.schemas import IdPath, Input, Slug, Text


# Names of their own in the schema, as the other routers' enums.
class BidStatusName(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    WITHDRAWN = "withdrawn"


class EvaluatorRoleName(StrEnum):
    STAFF = "staff"
    RESIDENT = "resident"


# The largest amount a price or a commitment's quantity stores (14 digits, 2 after the point).
LARGEST = 999_999_999_999.99


class QuestionOut(Schema):
    id: int
    question: str
    answer: str = Field(description="Empty until answered (only answered questions are listed).")
    answer_cy: str = Field(description="In Welsh; empty until written.")
    asked_at: dt.datetime
    answered_at: dt.datetime | None


class QuestionIn(Input):
    question: Annotated[str, Text(4000, required=True)] = Field(
        description="Published with its answer, to every bidder; who asked is never shown."
    )


class BidItemOut(Schema):
    id: int
    organisation: str = Field(description="Slug of the bidding organisation.")
    status: BidStatusName
    submitted_at: dt.datetime | None


class BidStartIn(Input):
    organisation: Slug = Field(
        description=(
            "Slug of the organisation you bid for: one where you are an administrator or a "
            "professional (/api/organisations/{slug})."
        )
    )


class MethodStatementOut(Schema):
    criterion: int = Field(description="A quality criterion of the round.")
    text: str


class CommitmentOut(Schema):
    id: int
    criterion: int = Field(description="A social-value criterion of the round.")
    indicator: int = Field(
        description="The outcome indicator it is measured by (/api/indicators/{id})."
    )
    quantity: float = Field(description="How much of the indicator is promised, in its unit.")
    description: str = Field(description="The promise in words.")


class AttachmentOut(Schema):
    id: int
    name: str
    kind: str = Field(description="pdf, odt or docx.")
    size: int = Field(description="In bytes.")
    sha256: str = Field(description="The file's SHA-256, in hexadecimal.")
    uploaded_at: dt.datetime
    page: str = Field(description="Where the file is downloaded, on the website (signed in).")


class BidOut(Schema):
    id: int
    round: int
    organisation: str = Field(description="Slug of the bidding organisation.")
    organisation_name: str
    status: BidStatusName
    price: float | None = Field(description="For the whole contract, in the round's currency.")
    summary: str
    statements: list[MethodStatementOut] = Field(
        description="A method statement per quality criterion."
    )
    commitments: list[CommitmentOut] = Field(description="Social-value commitments.")
    attachments: list[AttachmentOut] = Field(
        description="Added and downloaded on the website only."
    )
    created_at: dt.datetime
    updated_at: dt.datetime
    submitted_at: dt.datetime | None
    may_edit: bool = Field(description="Whether you may change, submit or withdraw it now.")
    feedback: str | None = Field(
        description="Feedback to the bidder, to the bidder alone once the award is made; else null."
    )
    page: str = Field(description="The bid's page on the website.")


class MethodStatementIn(Input):
    criterion: IdPath = Field(description="A quality criterion of the round.")
    text: Annotated[str, Text(20_000)] = Field(description="Empty to remove the statement.")


Amount = Annotated[StrictFloat, Interval(ge=0, le=LARGEST), AllowInfNan(False)]
Quantity = Annotated[StrictFloat, Interval(gt=0, le=LARGEST), AllowInfNan(False)]


class BidIn(Input):
    """A PUT replaces the price, the summary and the listed statements."""

    price: Amount | None = Field(
        description="For the whole contract; rounded to two decimals; null until you know it."
    )
    summary: Annotated[str, Text(2000)] = Field(description="The bid in a few lines.")
    statements: list[MethodStatementIn] = Field(
        default_factory=list,
        max_length=MAX_CRITERIA,
        description="Each quality criterion at most once; those left out stay as they are.",
    )


class CommitmentIn(Input):
    criterion: IdPath = Field(description="A social-value criterion of the round.")
    indicator: IdPath = Field(description="One of that criterion's indicators.")
    quantity: Quantity = Field(description="In the indicator's unit; rounded to two decimals.")
    description: Annotated[str, Text(300, required=True)] = Field(
        description='The promise in words, for example "12 local young people employed".'
    )


class BidSubmitIn(Input):
    """No fields: send {}."""


class BidWithdrawIn(Input):
    """No fields: send {}."""


class DeclarationOut(Schema):
    bid: int
    organisation: str = Field(description="Slug of the bidding organisation.")
    organisation_name: str
    declared: bool = Field(description="Whether the evaluator has declared about this bidder.")
    conflict: bool | None = Field(
        description=(
            "An interest in this bidder, which removes the evaluator from scoring its bid; "
            "null until declared."
        )
    )
    details: str = Field(description="The interest; empty when none was declared.")
    declared_at: dt.datetime | None


class EvaluatorInterestsOut(Schema):
    name: str = Field(description="The name on their account (never an email address).")
    role: EvaluatorRoleName
    declared_all: bool = Field(description="Whether they have declared about every bidder.")
    declarations: list[DeclarationOut] = Field(
        description="One per submitted bid, by bidder's name."
    )


class InterestsOut(Schema):
    round: int
    published: bool = Field(
        description="False until bids close (who bid is sealed until then): nothing is listed."
    )
    evaluators: list[EvaluatorInterestsOut] = Field(
        description="Everyone chosen to evaluate the round's bids, in the order they were chosen."
    )


class CriterionPointsOut(Schema):
    criterion: int
    weight: int = Field(description="The criterion's published weight (points of 100).")
    score: int | None = Field(description="The agreed score on the published scale; null if none.")
    points: float = Field(description="Points towards the total, rounded to two decimals.")


class ScoreLineOut(Schema):
    bid: int
    organisation: str = Field(description="Slug of the bidding organisation.")
    organisation_name: str
    price_points: float = Field(description="Points for price, rounded to two decimals.")
    criteria: list[CriterionPointsOut]
    total: float = Field(description="Out of 100, rounded to two decimals.")
    rank: int = Field(description="1 is the best; bids with equal totals share a rank.")
    tied_with: list[int] = Field(description="The bids with exactly the same total.")
    awarded: bool


class ScaleStepOut(Schema):
    score: int
    meaning: str


class AwardOut(Schema):
    round: int
    bid: int = Field(description="The winning bid.")
    organisation: str = Field(description="Slug of the winning organisation.")
    organisation_name: str
    value: float = Field(
        description=(
            "The winning bid's price: the contract's value. Other bids' prices are not "
            "published; their points for price are."
        )
    )
    currency: str
    reasons: str
    reasons_cy: str = Field(description="In Welsh; empty until written.")
    decided_at: dt.datetime
    standstill_ends_on: dt.date = Field(
        description="The standstill period's last day: the contract starts only after it."
    )
    contract_starts_on: dt.date | None
    price_weight: int
    price_method: PriceMethodName = Field(
        description="lowest_ratio: lowest price ÷ this price × the price weight."
    )
    scale: list[ScaleStepOut] = Field(description="The published scale evaluators scored on.")
    scores: list[ScoreLineOut] = Field(description="Every submitted bid, best first.")
    page: str = Field(description="The award's page on the website.")
