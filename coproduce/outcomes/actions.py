"""Every write of the outcomes framework: outcomes and their indicators, measurements entered or
imported by staff, and residents' answers to an indicator's check, whose average for each period
becomes the indicator's value (decision 0071).

Each action checks its own rule (PermissionDenied), so the web pages and the API behave the same.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Avg, Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coproduce.accounts.models import User
from coproduce.accounts.types import Visitor
from coproduce.common.permissions import require
from coproduce.contributions.models import Contribution
from coproduce.outcomes import rules
from coproduce.outcomes.models import (
    CHECK_SCALE,
    VALUE_DIGITS,
    VALUE_PLACES,
    CheckAnswer,
    Direction,
    Frequency,
    Indicator,
    Measurement,
    Outcome,
    Pillar,
    Source,
    better,
)
from coproduce.outcomes.periods import period_end
from coproduce.outcomes.tasks import aggregate_check
from coproduce.services.models import Service

STEP = Decimal(1).scaleb(-VALUE_PLACES)  # 0.01
LARGEST = Decimal(10) ** (VALUE_DIGITS - VALUE_PLACES)
IMPORT_COLUMNS = ("indicator", "date", "value")  # and an optional "note"
# What residents answered: fixed once they have (rules.check_may_change, decision 0123). The
# question's Welsh may still be written or corrected: it says the same as the English.
FIXED_ONCE_ANSWERED = ("check_question", "frequency")
CHECK_FIXED = gettext_lazy(
    "Residents have answered this question, so it and how often it is asked cannot change. Add a "
    "new indicator instead."
)


def min_check_answers() -> int:
    """Fewer answers than this in a period are "too few answers", never a number (setting)."""
    return int(settings.COPRODUCE_OUTCOMES_MIN_ANSWERS)


def _clean(instance: Outcome | Indicator | Measurement) -> None:
    instance.full_clean(exclude=["sources"] if isinstance(instance, Outcome) else None)


# --- Outcomes -----------------------------------------------------------------------------------


def _sources(service: Service, sources: Iterable[Contribution]) -> list[Contribution]:
    chosen = list(sources)
    allowed = set(
        Contribution.objects.published()
        .filter(activity__service_stage__service=service, pk__in=[c.pk for c in chosen])
        .values_list("pk", flat=True)
    )
    if any(contribution.pk not in allowed for contribution in chosen):
        raise ValidationError(
            {"sources": _("Choose only published contributions made to this service.")}
        )
    return chosen


@transaction.atomic
def outcome_create(
    *,
    service: Service,
    by: User,
    title: str,
    description: str = "",
    title_cy: str = "",
    description_cy: str = "",
    sources: Iterable[Contribution] = (),
) -> Outcome:
    """Add a long-term outcome to the service's framework, linked to what people said."""
    require(rules.can_keep_outcomes(by, service))
    chosen = _sources(service, sources)
    last = service.outcomes.order_by("-position").values_list("position", flat=True).first()
    outcome = Outcome(
        service=service,
        title=title.strip(),
        description=description.strip(),
        title_cy=title_cy.strip(),
        description_cy=description_cy.strip(),
        position=0 if last is None else last + 1,
    )
    _clean(outcome)
    outcome.save()
    outcome.sources.set(chosen)
    return outcome


@transaction.atomic
def outcome_update(
    *,
    outcome: Outcome,
    by: User,
    title: str,
    description: str = "",
    title_cy: str = "",
    description_cy: str = "",
    sources: Iterable[Contribution] = (),
) -> Outcome:
    """Change an outcome's words or what it came from."""
    require(rules.can_keep_outcome(by, outcome))
    chosen = _sources(outcome.service, sources)
    outcome.title, outcome.description = title.strip(), description.strip()
    outcome.title_cy, outcome.description_cy = title_cy.strip(), description_cy.strip()
    _clean(outcome)
    outcome.save()
    outcome.sources.set(chosen)
    return outcome


# --- Indicators ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorFields:
    """What staff write about an indicator (the same for adding and changing one)."""

    name: str
    pillar: str
    unit: str
    direction: str
    baseline: Decimal
    baseline_on: dt.date
    target: Decimal
    target_on: dt.date
    data_source: str
    frequency: str
    check_question: str = ""
    name_cy: str = ""
    check_question_cy: str = ""


def _apply(indicator: Indicator, fields: IndicatorFields) -> None:
    errors: dict[str, str] = {}
    if fields.pillar not in Pillar.values:
        errors["pillar"] = _("Choose social, environmental or economic.")
    if fields.direction not in Direction.values:
        errors["direction"] = _("Choose whether higher or lower values are better.")
    if fields.frequency not in Frequency.values:
        errors["frequency"] = _("Choose how often it is measured.")
    if fields.target_on <= fields.baseline_on:
        errors["target_on"] = _("The target's date must be after the baseline's date.")
    if fields.baseline == fields.target:
        errors["target"] = _("The target must differ from the baseline.")
    elif fields.direction in Direction.values and not better(
        fields.direction, fields.target, fields.baseline
    ):
        errors["target"] = _("The target must be better than the baseline: %(way)s.") % {
            "way": Direction(fields.direction).label.lower()
        }
    if fields.check_question.strip():
        low, high = CHECK_SCALE
        for name in ("baseline", "target"):
            value = getattr(fields, name)
            if not low <= value <= high:
                errors[name] = _(
                    "Residents answer from %(low)d to %(high)d: the %(what)s must be on that scale."
                ) % {
                    "low": low,
                    "high": high,
                    "what": _("baseline") if name == "baseline" else _("target"),
                }
    if errors:
        raise ValidationError(errors)
    for name, value in vars(fields).items():
        setattr(indicator, name, value.strip() if isinstance(value, str) else value)
    _clean(indicator)


@transaction.atomic
def indicator_create(*, outcome: Outcome, by: User, fields: IndicatorFields) -> Indicator:
    """Add an indicator that measures the outcome."""
    require(rules.can_keep_outcome(by, outcome))
    last = outcome.indicators.order_by("-position").values_list("position", flat=True).first()
    indicator = Indicator(outcome=outcome, position=0 if last is None else last + 1)
    _apply(indicator, fields)
    indicator.save()
    return indicator


@transaction.atomic
def indicator_update(*, indicator: Indicator, by: User, fields: IndicatorFields) -> Indicator:
    """Change an indicator. Whether residents report it cannot change once it has values; the
    residents' question and how often it is asked, once they have answered (decision 0123)."""
    require(rules.can_keep_indicator(by, indicator))
    wanted = {"check_question": fields.check_question.strip(), "frequency": fields.frequency}
    changed = [name for name in FIXED_ONCE_ANSWERED if wanted[name] != getattr(indicator, name)]
    if changed and not rules.check_may_change(indicator):
        raise ValidationError(dict.fromkeys(changed, CHECK_FIXED))
    was_checked = indicator.reported_by_residents
    if bool(fields.check_question.strip()) != was_checked and indicator.measurements.exists():
        raise ValidationError(
            {
                "check_question": _(
                    "This indicator already has values, so who reports it cannot change. Add a "
                    "new indicator instead."
                )
            }
        )
    _apply(indicator, fields)
    indicator.save()
    return indicator


# --- Measurements -------------------------------------------------------------------------------


def _value(text: str) -> Decimal | None:
    try:
        value = Decimal(text.strip().replace(",", ""))
    except InvalidOperation:
        return None
    if not value.is_finite() or abs(value) >= LARGEST:
        return None
    return value.quantize(STEP, rounding=ROUND_HALF_UP)


def _date_problem(indicator: Indicator, day: dt.date) -> str | None:
    if day > timezone.localdate():
        return _("the date is in the future")
    if indicator.reported_by_residents:
        return _("residents report this indicator through its check: it takes no other values")
    return None


@transaction.atomic
def measurement_record(
    *, indicator: Indicator, by: User, measured_on: dt.date, value: Decimal, note: str = ""
) -> Measurement:
    """Record the indicator's value on a date (one value per date)."""
    require(rules.can_keep_indicator(by, indicator))
    # Its row locked: two values for one date at once wait for each other, and the second is
    # refused with a reason rather than an IntegrityError (decision 0140).
    indicator = (
        Indicator.objects.select_for_update(of=("self",))
        .select_related("outcome__service")
        .get(pk=indicator.pk)
    )
    problem = _date_problem(indicator, measured_on)
    if problem:
        raise ValidationError({"measured_on": problem[0].upper() + problem[1:] + "."})
    if indicator.measurements.filter(measured_on=measured_on).exists():
        raise ValidationError(
            {"measured_on": _("There is already a value for this date. Choose another date.")}
        )
    measurement = Measurement(
        indicator=indicator,
        measured_on=measured_on,
        value=value.quantize(STEP, rounding=ROUND_HALF_UP),
        source=Source.STAFF,
        cycle=indicator.outcome.service.current_cycle,
        note=note.strip(),
        recorded_by=by,
    )
    _clean(measurement)
    measurement.save()
    return measurement


@transaction.atomic
def measurements_import(*, service: Service, by: User, text: str, source: str) -> int:
    """Add the measurements of a CSV file (indicator, date, value, optional note): all or nothing;
    each problem names its line. Returns how many were added."""
    require(rules.can_keep_outcomes(by, service))
    reader = csv.DictReader(io.StringIO(text))
    header = [name.strip().lower() for name in reader.fieldnames or []]
    if not set(IMPORT_COLUMNS) <= set(header):
        raise ValidationError(
            _("%(source)s, line 1: the columns must be indicator, date, value and (optional) note.")
            % {"source": source}
        )
    reader.fieldnames = header
    indicators = {  # locked, as a single value's record locks its indicator (decision 0140)
        str(indicator.pk): indicator
        for indicator in Indicator.objects.filter(outcome__service=service)
        .select_related("outcome__service")
        .select_for_update(of=("self",))
        .order_by("pk")
    }
    known = set(
        Measurement.objects.filter(indicator__outcome__service=service).values_list(
            "indicator_id", "measured_on"
        )
    )
    seen: dict[tuple[int, dt.date], int] = {}
    errors: list[str] = []
    rows: list[Measurement] = []
    for row in reader:
        cells = {key: (value or "").strip() for key, value in row.items() if key is not None}
        if not any(cells.values()):
            continue
        line = reader.line_num
        problem, measurement = _import_row(cells, indicators, known, seen, line)
        if problem:
            errors.append(
                _("%(source)s, line %(line)s: %(problem)s.")
                % {"source": source, "line": line, "problem": problem}
            )
        elif measurement is not None:
            measurement.recorded_by = by
            rows.append(measurement)
    if errors:
        raise ValidationError(errors)
    if not rows:
        raise ValidationError(_("%(source)s has no measurements.") % {"source": source})
    Measurement.objects.bulk_create(rows)
    return len(rows)


def _import_row(
    cells: dict[str, str],
    indicators: dict[str, Indicator],
    known: set[tuple[int, dt.date]],
    seen: dict[tuple[int, dt.date], int],
    line: int,
) -> tuple[str | None, Measurement | None]:
    indicator = indicators.get(cells.get("indicator", "").removeprefix("#"))
    if indicator is None:
        return _("there is no indicator %(id)s in this service") % {
            "id": cells.get("indicator") or "(empty)"
        }, None
    try:
        day = dt.date.fromisoformat(cells.get("date", ""))
    except ValueError:
        return _("the date must be written as YYYY-MM-DD, for example 2026-03-31"), None
    value = _value(cells.get("value", ""))
    if value is None:
        return _("the value must be a number, for example 42 or 3.5"), None
    problem = _date_problem(indicator, day)
    if problem:
        return problem, None
    if len(cells.get("note", "")) > 300:
        return _("the note is longer than 300 characters"), None
    key = (indicator.pk, day)
    if key in known:
        return _("indicator %(id)s already has a value for %(date)s") % {
            "id": indicator.pk,
            "date": day.isoformat(),
        }, None
    if key in seen:
        return _("indicator %(id)s has a value for %(date)s on line %(line)s too") % {
            "id": indicator.pk,
            "date": day.isoformat(),
            "line": seen[key],
        }, None
    seen[key] = line
    return None, Measurement(
        indicator=indicator,
        measured_on=day,
        value=value,
        source=Source.IMPORT,
        cycle=indicator.outcome.service.current_cycle,
        note=cells.get("note", ""),
    )


# --- Residents' checks --------------------------------------------------------------------------


@transaction.atomic
def check_answer(
    *, indicator: Indicator, respondent: Visitor, rating: int, today: dt.date | None = None
) -> CheckAnswer:
    """A resident's answer for this period; answering again in the same period changes it.
    The period's value is recomputed in the background."""
    require(rules.can_answer_check(respondent, indicator))
    low, high = CHECK_SCALE
    if not low <= rating <= high:
        raise ValidationError(
            {"rating": _("Choose a number from %(low)d to %(high)d.") % {"low": low, "high": high}}
        )
    end = period_end(today or timezone.localdate(), indicator.frequency)
    assert isinstance(respondent, User)
    try:
        with transaction.atomic():
            answer, _created = CheckAnswer.objects.update_or_create(
                indicator=indicator,
                period_end=end,
                respondent=respondent,
                defaults={"rating": rating},
            )
    except IntegrityError:  # the same person answered twice at once: keep the later answer
        answer = CheckAnswer.objects.get(indicator=indicator, period_end=end, respondent=respondent)
        answer.rating = rating
        answer.save(update_fields=["rating", "answered_at"])
    pk = indicator.pk
    transaction.on_commit(lambda: aggregate_check.enqueue(pk, end.isoformat()))
    return answer


@transaction.atomic
def check_aggregate(*, indicator: Indicator, period_end: dt.date) -> Measurement | None:
    """The period's value from residents' answers: their average, or no value ("too few
    answers") below the setting's minimum. Recomputed whole, so safe to run twice."""
    totals = CheckAnswer.objects.filter(indicator=indicator, period_end=period_end).aggregate(
        n=Count("pk"), mean=Avg("rating")
    )
    n = totals["n"]
    if not n:
        Measurement.objects.filter(indicator=indicator, measured_on=period_end).delete()
        return None
    value = None
    if n >= min_check_answers():
        value = Decimal(str(totals["mean"])).quantize(STEP, rounding=ROUND_HALF_UP)
    measurement, _created = Measurement.objects.update_or_create(
        indicator=indicator,
        measured_on=period_end,
        defaults={
            "value": value,
            "answers": n,
            "source": Source.RESIDENTS,
            "cycle": indicator.outcome.service.current_cycle,
        },
    )
    return measurement
