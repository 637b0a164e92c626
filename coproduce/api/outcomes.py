"""Outcomes: a service's outcomes framework with each indicator's latest value and status, one
indicator with all its measurements, staff recording a measurement, and residents answering an
indicator's check. Thin adapters over outcomes' actions, rules and queries, as the website
(decision 0411).
"""

# No `from __future__ import annotations`, as in the other routers: ninja reads the annotations.

import datetime as dt
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any

from annotated_types import Interval
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from pydantic import BeforeValidator, StrictFloat, StrictInt

from coproduce.accounts.types import SignedInRequest
from coproduce.api.auth import OPTIONAL
from coproduce.api.common import READ, READ_ERRORS, WRITE, WRITE_ERRORS
from coproduce.api.schemas import Date, IdPath, Input, SlugPath, Text
from coproduce.contributions.models import Visibility
from coproduce.outcomes import actions, queries, rules
from coproduce.outcomes.models import CHECK_SCALE, CheckAnswer, Indicator, Measurement, Outcome
from coproduce.outcomes.periods import period_end
from coproduce.services.models import ServiceStatus
from coproduce.services.queries import visible_service

router = Router(tags=["outcomes"])

# The largest value a measurement stores (14 digits, 2 after the point).
LARGEST = 999_999_999_999.99


# Names of their own in the schema: "Frequency" is already the notification settings' (and the
# panels' and budgets' enums are renamed the same way).
class IndicatorPillar(StrEnum):
    SOCIAL = "social"
    ENVIRONMENTAL = "environmental"
    ECONOMIC = "economic"


class IndicatorDirection(StrEnum):
    HIGHER = "higher"
    LOWER = "lower"


class IndicatorFrequency(StrEnum):
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    YEARLY = "yearly"


class IndicatorStatus(StrEnum):
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    NOT_MEASURED = "not_measured"


class MeasurementSource(StrEnum):
    STAFF = "staff"
    IMPORT = "import"
    RESIDENTS = "residents"
    ASSESSMENT = "assessment"


# --- Shapes -------------------------------------------------------------------------------------

VALUE = "A number with at most two decimals."
TOO_FEW = (
    "null when residents gave too few answers to show a value (minimum_answers), or a linked "
    "assessment standard had too few ratings to report."
)


class LatestOut(Schema):
    measured_on: dt.date = Field(
        description="The date of the value (for residents' checks, the last day of the period)."
    )
    value: float | None = Field(description=f"{VALUE} {TOO_FEW}")
    answers: int | None = Field(description="Residents' checks: how many answered; else null.")


class IndicatorOut(Schema):
    id: int
    outcome: int = Field(description="The id of the outcome it measures.")
    name: str
    name_cy: str = Field(description="In Welsh; empty until written.")
    pillar: IndicatorPillar = Field(description="The triple bottom line: which kind of value.")
    unit: str
    direction: IndicatorDirection = Field(description="Whether higher or lower values are better.")
    baseline: float
    baseline_on: dt.date
    target: float
    target_on: dt.date = Field(description="By when the target should be reached.")
    data_source: str = Field(description="Where the data come from.")
    frequency: IndicatorFrequency = Field(description="How often it is measured.")
    reported_by_residents: bool = Field(
        description=(
            "Whether residents report it by answering check_question from 1 to 5 (each period's "
            "value is their average); then only residents measure it."
        )
    )
    check_question: str = Field(description="Empty unless residents report it.")
    check_question_cy: str = Field(description="In Welsh; empty until written.")
    latest: LatestOut | None = Field(
        description="The most recent measurement, with or without a value; null before the first."
    )
    status: IndicatorStatus = Field(
        description="on_track, at_risk, off_track or not_measured, by the framework's status_rule."
    )
    status_on: dt.date | None = Field(
        description=(
            "The date of the value the status is worked out from: the latest with a value "
            "(null when not measured)."
        )
    )
    expected: float | None = Field(
        description="Where the line from the baseline to the target stands on status_on."
    )
    page: str = Field(description="The indicator's page on the website.")


class OutcomeOut(Schema):
    id: int
    title: str = Field(description="The outcome, in the words of the people who use the service.")
    title_cy: str = Field(description="In Welsh; empty until written.")
    description: str
    description_cy: str = Field(description="In Welsh; empty until written.")
    sources: list[int] = Field(
        description=(
            "The published contributions it came from (needs, stories, survey answers): "
            "/api/contributions/{id}."
        )
    )
    indicators: list[IndicatorOut]


class FrameworkOut(Schema):
    service: str = Field(description="Slug of the service.")
    status_rule: str = Field(description="How each indicator's status is worked out.")
    minimum_answers: int = Field(
        description="Residents' checks with fewer answers in a period show no value."
    )
    outcomes: list[OutcomeOut] = Field(description="In the service's order; empty when none.")
    page: str = Field(description="The outcomes page on the website.")


class MeasurementOut(Schema):
    measured_on: dt.date
    value: float | None = Field(description=f"{VALUE} {TOO_FEW}")
    answers: int | None = Field(
        description="Residents' checks, or a linked assessment standard: how many answered "
        "(null when too few to report); else null."
    )
    source: MeasurementSource = Field(
        description="Entered by staff, imported from a file, reported by residents, or recorded "
        "from a service assessment's standard that feeds the indicator."
    )
    cycle: int = Field(description="The service's cycle when it was recorded.")
    note: str


class IndicatorDetailOut(IndicatorOut):
    outcome_title: str
    status_rule: str = Field(description="How the status is worked out.")
    measurements: list[MeasurementOut] = Field(description="Every measurement, oldest first.")


class MeasurementIn(Input):
    measured_on: Date = Field(description="Today or earlier; one value per indicator and date.")
    value: StrictFloat = Field(
        ge=-LARGEST,
        le=LARGEST,
        allow_inf_nan=False,
        description="In the indicator's unit; rounded to two decimals.",
    )
    note: Annotated[str, Text(300)] = Field("", description="Where the value came from, if useful.")


def _whole(value: Any) -> Any:
    """JSON Schema counts 4.0 as an integer, so it is one; "4" and true are not."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


Rating = Annotated[
    StrictInt, Interval(ge=CHECK_SCALE[0], le=CHECK_SCALE[1]), BeforeValidator(_whole)
]


class CheckIn(Input):
    rating: Rating = Field(description="From 1 (worst) to 5 (best).")


class YourCheckOut(Schema):
    indicator: int
    question: str = Field(description="Empty when residents do not report this indicator.")
    question_cy: str = Field(description="In Welsh; empty until written.")
    period_end: dt.date = Field(description="The last day of the period answers now count for.")
    rating: int | None = Field(description="Your answer for this period; null if none yet.")
    answered_at: dt.datetime | None
    may_answer: bool = Field(description="Whether you may answer (or change your answer) now.")


# --- Adapters -----------------------------------------------------------------------------------


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _measurement_out(measurement: Measurement) -> dict[str, Any]:
    return {
        "measured_on": measurement.measured_on,
        "value": _number(measurement.value),
        "answers": measurement.answers,
        "source": measurement.source,
        "cycle": measurement.cycle,
        "note": measurement.note,
    }


def _indicator_out(reading: queries.Reading, measurements: list[Measurement]) -> dict[str, Any]:
    indicator = reading.indicator
    latest = max(measurements, key=lambda m: m.measured_on) if measurements else None
    return {
        "id": indicator.pk,
        "outcome": indicator.outcome_id,
        "name": indicator.name,
        "name_cy": indicator.name_cy,
        "pillar": indicator.pillar,
        "unit": indicator.unit,
        "direction": indicator.direction,
        "baseline": float(indicator.baseline),
        "baseline_on": indicator.baseline_on,
        "target": float(indicator.target),
        "target_on": indicator.target_on,
        "data_source": indicator.data_source,
        "frequency": indicator.frequency,
        "reported_by_residents": indicator.reported_by_residents,
        "check_question": indicator.check_question,
        "check_question_cy": indicator.check_question_cy,
        "latest": None
        if latest is None
        else {
            "measured_on": latest.measured_on,
            "value": _number(latest.value),
            "answers": latest.answers,
        },
        "status": reading.status,
        "status_on": None if reading.latest is None else reading.latest.measured_on,
        "expected": _number(reading.expected),
        "page": indicator.get_absolute_url(),
    }


def _outcome_out(row: queries.OutcomeRow) -> dict[str, Any]:
    outcome: Outcome = row.outcome
    return {
        "id": outcome.pk,
        "title": outcome.title,
        "title_cy": outcome.title_cy,
        "description": outcome.description,
        "description_cy": outcome.description_cy,
        "sources": sorted(
            source.pk
            for source in outcome.sources.all()
            if source.visibility == Visibility.PUBLISHED
        ),
        "indicators": [
            _indicator_out(reading, list(reading.indicator.measurements.all()))
            for reading in row.readings
        ],
    }


def _your_check(request: SignedInRequest, indicator: Indicator) -> dict[str, Any]:
    end = period_end(timezone.localdate(), indicator.frequency)
    answer = CheckAnswer.objects.filter(
        indicator=indicator, period_end=end, respondent=request.user
    ).first()
    return {
        "indicator": indicator.pk,
        "question": indicator.check_question,
        "question_cy": indicator.check_question_cy,
        "period_end": end,
        "rating": None if answer is None else answer.rating,
        "answered_at": None if answer is None else answer.answered_at,
        "may_answer": rules.can_answer_check(request.user, indicator),
    }


# --- Operations ---------------------------------------------------------------------------------


@router.get(
    "/services/{slug}/outcomes",
    response={200: FrameworkOut, **READ_ERRORS},
    auth=READ,
    openapi_extra=OPTIONAL,
    summary="A service's outcomes framework: its outcomes, indicators, latest values and status",
    description=(
        "Each outcome with the contributions it came from, and its indicators (social, "
        "environmental or economic), each with its baseline, target, latest measurement and "
        "status by `status_rule`. `outcomes` is empty when the service has no framework yet."
    ),
)
def framework(request: HttpRequest, slug: SlugPath) -> dict[str, Any]:
    service = visible_service(request, slug)
    return {
        "service": service.slug,
        "status_rule": str(queries.STATUS_RULE),
        "minimum_answers": actions.min_check_answers(),
        "outcomes": [_outcome_out(row) for row in queries.framework(service)],
        "page": reverse("outcomes:service_outcomes", args=[service.slug]),
    }


@router.get(
    "/indicators/{indicator_id}",
    response={200: IndicatorDetailOut, **READ_ERRORS},
    auth=READ,
    openapi_extra=OPTIONAL,
    summary="One indicator, with every measurement",
)
def indicator_detail(request: HttpRequest, indicator_id: IdPath) -> dict[str, Any]:
    indicator = queries.visible_indicator(request, indicator_id)
    measurements = list(queries.measurements_of(indicator))
    return {
        **_indicator_out(queries.reading(indicator, measurements), measurements),
        "outcome_title": indicator.outcome.title,
        "status_rule": str(queries.STATUS_RULE),
        "measurements": [_measurement_out(m) for m in measurements],
    }


@router.post(
    "/indicators/{indicator_id}/measurements",
    response={201: MeasurementOut, **WRITE_ERRORS},
    auth=WRITE,
    summary="Record an indicator's value on a date (staff who keep the service's outcomes)",
    description=(
        "Administrators and professionals of the service's organisation. A date in the future, "
        "a date that already has a value, or an indicator residents report through its check "
        "are each a `422` of type `rule`."
    ),
)
def measurement_add(
    request: SignedInRequest, indicator_id: IdPath, payload: MeasurementIn
) -> Status[Any]:
    indicator = queries.visible_indicator(request, indicator_id)
    measurement = actions.measurement_record(
        indicator=indicator,
        by=request.user,
        measured_on=payload.measured_on,
        value=Decimal(str(payload.value)),
        note=payload.note,
    )
    return Status(201, _measurement_out(measurement))


@router.get(
    "/indicators/{indicator_id}/check",
    response={200: YourCheckOut, **READ_ERRORS},
    auth=WRITE,
    summary="Your answer to an indicator's check for this period (a token is needed)",
)
def check_detail(request: SignedInRequest, indicator_id: IdPath) -> dict[str, Any]:
    return _your_check(request, queries.visible_indicator(request, indicator_id))


@router.put(
    "/indicators/{indicator_id}/check",
    response={200: YourCheckOut, **WRITE_ERRORS},
    auth=WRITE,
    summary="Answer an indicator's check for this period (1 to 5); a second PUT changes it",
    description=(
        "One answer per person and period, whether given on the website or here. An indicator "
        "that residents do not report, or one of a service that is not published, is a `422` "
        "of type `rule`. The period's value is worked out again shortly after."
    ),
)
def check_put(request: SignedInRequest, indicator_id: IdPath, payload: CheckIn) -> dict[str, Any]:
    indicator = queries.visible_indicator(request, indicator_id)
    if not indicator.reported_by_residents:
        raise ValidationError(_("Residents do not answer a question for this indicator."))
    if indicator.outcome.service.status != ServiceStatus.PUBLISHED:
        raise ValidationError(_("This service is not published yet: its questions open then."))
    actions.check_answer(indicator=indicator, respondent=request.user, rating=payload.rating)
    return _your_check(request, indicator)
