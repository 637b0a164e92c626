"""Every write of the standards that feed outcome indicators: linking a standard (by lineage) to
an indicator of the service's outcomes, removing a link, and recording a closed user assessment's
results as the linked indicators' values (decision 0090).

Each action checks its own rule (PermissionDenied). What a recording writes is worked out once, by
``planned``, for the page that shows it and for the action that writes it: the share who said
"Always" or "Mostly" exactly as the results page shows it (``queries_assessments.results``), or no
value ("too few to report"). Recording again updates the assessment's own values and never
overwrites a value from another source.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from coproduce.accounts.models import User
from coproduce.assessment import queries_assessments, rules
from coproduce.assessment.actions_assessments import lock_activity
from coproduce.assessment.models import (
    Assessment,
    Framework,
    IndicatorLink,
    Standard,
    VersionStatus,
)
from coproduce.assessment.queries_assessments import latest_agreed
from coproduce.common.permissions import require
from coproduce.outcomes.models import VALUE_PLACES, Indicator, Measurement, Source
from coproduce.services.models import Service

STEP = Decimal(1).scaleb(-VALUE_PLACES)  # 0.01, as the outcomes store values
NOTE_MAX = 300  # Measurement.note


def _lock_framework(framework_id: int) -> None:
    """Take the framework's row lock: links and recordings of one framework, one at a time."""
    Framework.objects.select_for_update().filter(pk=framework_id).exists()


# --- Links ----------------------------------------------------------------------------------------


def _feeding(framework_id: int, indicator: Indicator) -> Standard | None:
    """The standard (latest agreed wording) that already feeds the indicator, if one does."""
    lineage = (
        IndicatorLink.objects.filter(framework_id=framework_id, indicator=indicator)
        .values_list("lineage", flat=True)
        .first()
    )
    if lineage is None:
        return None
    return (
        Standard.objects.filter(
            version__framework_id=framework_id,
            version__status=VersionStatus.AGREED,
            lineage=lineage,
        )
        .order_by("-version__number")
        .first()
    )


@transaction.atomic
def link_add(
    *, service: Service, by: User, standard: Standard, indicator: Indicator
) -> IndicatorLink:
    """Say that a standard of the latest agreed version (and the same standard in every other
    version) feeds an indicator of the service's outcomes."""
    require(rules.can_link_indicators(by, service))
    latest = latest_agreed(service)
    if latest is None:
        raise ValidationError(
            {NON_FIELD_ERRORS: _("Agree a version of the standards before you link them.")}
        )
    _lock_framework(service.pk)
    errors: dict[str, str] = {}
    if standard.version_id != latest.pk:
        errors["standard"] = _("Choose one of the standards of version %(number)s.") % {
            "number": latest.number
        }
    if indicator.outcome.service_id != service.pk:
        errors["indicator"] = _("Choose an indicator of this service’s outcomes.")
    elif indicator.reported_by_residents:
        errors["indicator"] = _(
            "Residents report “%(indicator)s” by answering its question, so a standard cannot "
            "feed it. Choose another indicator."
        ) % {"indicator": indicator.name}
    if errors:
        raise ValidationError(errors)
    if IndicatorLink.objects.filter(
        framework_id=service.pk, lineage=standard.lineage, indicator=indicator
    ).exists():
        raise ValidationError(
            {
                "indicator": _("“%(standard)s” already feeds “%(indicator)s”.")
                % {"standard": standard.statement, "indicator": indicator.name}
            }
        )
    other = _feeding(service.pk, indicator)
    if other is not None:
        # An indicator takes one value per date: two standards would claim the same date.
        raise ValidationError(
            {
                "indicator": _(
                    "“%(other)s” already feeds “%(indicator)s”, and an indicator has one value "
                    "per date. Remove that link first, or choose another indicator."
                )
                % {"other": other.statement, "indicator": indicator.name}
            }
        )
    try:
        with transaction.atomic():
            return IndicatorLink.objects.create(
                framework_id=service.pk,
                lineage=standard.lineage,
                indicator=indicator,
                created_by=by,
            )
    except IntegrityError:  # the same link added at the same moment
        raise ValidationError(
            {
                "indicator": _("“%(standard)s” already feeds “%(indicator)s”.")
                % {"standard": standard.statement, "indicator": indicator.name}
            }
        ) from None


@transaction.atomic
def link_remove(*, link: IndicatorLink, by: User) -> None:
    """Stop a standard feeding an indicator. The values already recorded stay."""
    require(rules.can_link_indicators(by, link.framework.service))
    link.delete()


# --- What a recording writes --------------------------------------------------------------------


def record_date(assessment: Assessment) -> dt.date:
    """The date the values are recorded on: the activity's closing date, or today if it has none."""
    return assessment.activity.closes_on or timezone.localdate()


def date_refused(day: dt.date) -> str | None:
    """Why values cannot be recorded on ``day`` (the outcomes' rule: never in the future)."""
    if day > timezone.localdate():
        return _(
            "The assessment closes on %(date)s, which is in the future. Record its results "
            "from that day."
        ) % {"date": date_format(day, "j F Y")}
    return None


@dataclass(frozen=True)
class Planned:
    """One link's value as a recording writes it: on which indicator and date, the value (None:
    too few to report) and how many rated the standard; ``existing`` is the value already on that
    date; ``problem`` says why it is skipped."""

    link: IndicatorLink
    standard: Standard  # in the assessment's pinned version
    indicator: Indicator
    measured_on: dt.date
    value: Decimal | None
    answers: int | None
    note: str
    existing: Measurement | None = None
    problem: str | None = None

    @property
    def skipped(self) -> bool:
        return self.problem is not None

    @property
    def updates(self) -> bool:
        """Whether it replaces a value an earlier recording of an assessment wrote."""
        return self.existing is not None and not self.skipped


def _note(assessment: Assessment, standard: Standard) -> str:
    text = _("From “%(title)s”: “%(standard)s”") % {
        "title": assessment.activity.title,
        "standard": standard.statement,
    }
    return Truncator(text).chars(NOTE_MAX)


def _problem(indicator: Indicator, existing: Measurement | None, taken: set[int]) -> str | None:
    if indicator.reported_by_residents:
        return _(
            "Residents report this indicator by answering its question: it takes no other values."
        )
    if existing is not None and existing.source != Source.ASSESSMENT:
        return _("It already has a value on this date (%(source)s), which is kept.") % {
            "source": existing.get_source_display().lower()
        }
    if indicator.pk in taken:
        return _("Another standard feeds this indicator, and it has one value per date.")
    return None


def planned(assessment: Assessment) -> list[Planned]:
    """What recording the assessment's results would write (it writes nothing): a row for each
    link whose standard is in the assessment's pinned version, in the results page's order."""
    day = record_date(assessment)
    results = queries_assessments.results(assessment)
    rows = [row for theme in results.themes for row in theme.items]
    links: dict[int, list[IndicatorLink]] = {}
    for link in (
        IndicatorLink.objects.filter(
            framework_id=assessment.version.framework_id,
            lineage__in=[row.standard.lineage for row in rows],
        )
        .select_related("indicator__outcome", "framework")
        .order_by("indicator__outcome__position", "indicator__position", "indicator_id")
    ):
        links.setdefault(link.lineage, []).append(link)
    existing = {
        measurement.indicator_id: measurement
        for measurement in Measurement.objects.filter(
            indicator_id__in=[link.indicator_id for found in links.values() for link in found],
            measured_on=day,
        )
    }
    plan: list[Planned] = []
    taken: set[int] = set()
    for row in rows:
        summary = row.summary
        for link in links.get(row.standard.lineage, []):
            indicator = link.indicator
            there = existing.get(indicator.pk)
            problem = _problem(indicator, there, taken)
            if problem is None:
                taken.add(indicator.pk)
            plan.append(
                Planned(
                    link=link,
                    standard=row.standard,
                    indicator=indicator,
                    measured_on=day,
                    value=(
                        Decimal(summary.positive_share).quantize(STEP)
                        if summary.positive_share is not None
                        else None
                    ),
                    # Below the minimum the results hold back even how many rated (decision 0082).
                    answers=summary.rated,
                    note=_note(assessment, row.standard),
                    existing=there,
                    problem=problem,
                )
            )
    return plan


# --- Recording ----------------------------------------------------------------------------------


@dataclass
class Recorded:
    """What a recording did: the values written (new or updated) and the links skipped, each with
    its reason."""

    recorded: list[Planned] = field(default_factory=list)
    skipped: list[Planned] = field(default_factory=list)

    @property
    def updated(self) -> int:
        return sum(row.updates for row in self.recorded)


def _write(row: Planned, *, cycle: int, by: User) -> bool:
    """Write one planned value; False when a value from elsewhere took the date meanwhile."""
    measurement = row.existing or Measurement(indicator=row.indicator, measured_on=row.measured_on)
    measurement.value = row.value
    measurement.answers = row.answers
    measurement.source = Source.ASSESSMENT
    measurement.cycle = cycle
    measurement.note = row.note
    measurement.recorded_by = by
    measurement.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            measurement.save()
    except IntegrityError:
        return False
    return True


@transaction.atomic
def indicators_record(*, assessment: Assessment, by: User) -> Recorded:
    """Record a closed user assessment's results in the indicators its standards feed, on the day
    it closes: new values, or updates of its own earlier ones; a value from another source on that
    day is kept and the link reported as skipped. Under the activity's row lock, as a re-open
    takes it: the two happen one after the other (decision 0130)."""
    assessment = lock_activity(assessment)
    require(rules.can_record_indicators(by, assessment))
    refused = date_refused(record_date(assessment))
    if refused:
        raise ValidationError(refused)
    _lock_framework(assessment.version.framework_id)
    plan = planned(assessment)
    if not plan:
        raise ValidationError(
            _("None of this assessment’s standards feeds an indicator yet. Link them first.")
        )
    cycle = assessment.activity.service.current_cycle
    done = Recorded()
    for row in plan:
        if row.skipped:
            done.skipped.append(row)
        elif _write(row, cycle=cycle, by=by):
            done.recorded.append(row)
        else:
            moment = _("A value for this date was recorded a moment ago, and it is kept.")
            done.skipped.append(replace(row, problem=moment))
    if done.recorded and assessment.results_recorded_at is None:
        assessment.results_recorded_at = timezone.now()
        assessment.save(update_fields=["results_recorded_at"])
    return done
