"""A service's outcomes framework: long-term outcomes in people's own words, linked to the
contributions they came from, each measured by indicators (social, environmental or economic)
with a baseline and a target; measurements over time, from staff, a CSV file or residents'
answers to a short recurring check (decision 0071)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from coproduce.common.languages import check_english_beside
from coproduce.contributions.models import Contribution
from coproduce.services.models import Service

# Values are stored with two decimals: percentages, counts, tonnes, days, average ratings.
VALUE_DIGITS = 14
VALUE_PLACES = 2
CHECK_SCALE = (1, 5)  # the resident check's answers: 1 (worst) to 5 (best)


class Pillar(models.TextChoices):
    """The triple bottom line."""

    SOCIAL = "social", _("Social")
    ENVIRONMENTAL = "environmental", _("Environmental")
    ECONOMIC = "economic", _("Economic")


class Direction(models.TextChoices):
    HIGHER = "higher", _("Higher is better")
    LOWER = "lower", _("Lower is better")


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("Every month")
    QUARTERLY = "quarterly", _("Every three months")
    YEARLY = "yearly", _("Every year")


class Source(models.TextChoices):
    STAFF = "staff", _("Entered by staff")
    IMPORT = "import", _("Imported from a file")
    RESIDENTS = "residents", _("Reported by residents")
    ASSESSMENT = "assessment", _("From a service assessment")


# The sources whose value is worked out from people's answers: no value when there are too few.
COUNTED = (Source.RESIDENTS, Source.ASSESSMENT)


def better(direction: str, value: Decimal, than: Decimal) -> bool:
    """Whether ``value`` is strictly better than ``than`` when ``direction`` is better."""
    return value > than if direction == Direction.HIGHER else value < than


class Outcome(models.Model):
    """What the service must achieve in the long run, in the words of the people who use it."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="outcomes")
    title = models.CharField(_("outcome"), max_length=300)
    title_cy = models.CharField(_("outcome in Welsh"), max_length=300, blank=True)
    description = models.TextField(_("what it means"), blank=True)
    description_cy = models.TextField(_("what it means, in Welsh"), blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    # The needs, stories and survey answers it came from (published contributions of the service).
    sources = models.ManyToManyField(Contribution, blank=True, related_name="outcomes")
    created_at = models.DateTimeField(auto_now_add=True)

    translated_fields: ClassVar[tuple[str, ...]] = ("title", "description")

    class Meta:
        ordering = ["service", "position", "id"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        check_english_beside(self)


class Indicator(models.Model):
    """How an outcome is measured: a value with a unit, a baseline and a target, each dated."""

    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(_("indicator"), max_length=200)
    name_cy = models.CharField(_("indicator in Welsh"), max_length=200, blank=True)
    pillar = models.CharField(_("kind of value"), max_length=16, choices=Pillar.choices)
    unit = models.CharField(_("unit"), max_length=40)
    direction = models.CharField(_("which way is better"), max_length=8, choices=Direction.choices)
    baseline = models.DecimalField(
        _("baseline"), max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES
    )
    baseline_on = models.DateField(_("date of the baseline"))
    target = models.DecimalField(_("target"), max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES)
    target_on = models.DateField(_("date of the target"))
    data_source = models.CharField(_("where the data come from"), max_length=300)
    frequency = models.CharField(
        _("how often it is measured"), max_length=10, choices=Frequency.choices
    )
    # A recurring question residents answer 1–5: when set, the indicator's value for each period
    # is the average answer, and only residents measure it (decision 0071).
    check_question = models.CharField(_("question for residents"), max_length=200, blank=True)
    check_question_cy = models.CharField(
        _("question for residents, in Welsh"), max_length=200, blank=True
    )
    position = models.PositiveSmallIntegerField(default=0)

    translated_fields: ClassVar[tuple[str, ...]] = ("name", "check_question")

    class Meta:
        ordering = ["outcome", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(pillar__in=Pillar.values), name="indicator_pillar_valid"
            ),
            models.CheckConstraint(
                condition=Q(direction__in=Direction.values), name="indicator_direction_valid"
            ),
            models.CheckConstraint(
                condition=Q(frequency__in=Frequency.values), name="indicator_frequency_valid"
            ),
            models.CheckConstraint(
                condition=Q(target_on__gt=F("baseline_on")), name="indicator_target_after_baseline"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("outcomes:indicator", args=[self.pk])

    def clean(self) -> None:
        check_english_beside(self)

    @property
    def reported_by_residents(self) -> bool:
        return bool(self.check_question)

    def better(self, value: Decimal, than: Decimal) -> bool:
        """Whether ``value`` is strictly better than ``than`` in this indicator's direction."""
        return better(self.direction, value, than)

    def expected_on(self, day: dt.date) -> Decimal:
        """Where a straight line from the baseline to the target stands on ``day`` (held at the
        baseline before its date and at the target after)."""
        span = (self.target_on - self.baseline_on).days
        done = min(max((day - self.baseline_on).days, 0), span)
        return self.baseline + (self.target - self.baseline) * Decimal(done) / Decimal(span)


class Measurement(models.Model):
    """The indicator's value on a date. Residents' checks with too few answers have no value."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="measurements")
    measured_on = models.DateField(_("date"))
    value = models.DecimalField(
        _("value"), max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES, null=True, blank=True
    )
    # How many answered: residents' checks, or the people who rated a linked assessment standard.
    answers = models.PositiveIntegerField(null=True, blank=True)
    source = models.CharField(max_length=10, choices=Source.choices)
    cycle = models.PositiveSmallIntegerField()  # the service's cycle when it was recorded
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["indicator", "measured_on"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "measured_on"], name="one_value_per_date"),
            models.CheckConstraint(
                condition=Q(source__in=Source.values), name="measurement_source_valid"
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=False) | Q(source__in=COUNTED),
                name="measurement_value_unless_too_few_answers",
            ),
            models.CheckConstraint(
                condition=Q(answers__isnull=True) | Q(source__in=COUNTED),
                name="measurement_answers_only_from_counted_sources",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} on {self.measured_on}: {self.value}"


class CheckAnswer(models.Model):
    """One resident's answer to an indicator's check, for one period (one each per period)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="check_answers")
    period_end = models.DateField()  # the last day of the month, quarter or year it counts for
    rating = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(CHECK_SCALE[0]), MaxValueValidator(CHECK_SCALE[1])]
    )
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    answered_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period_end", "respondent"], name="one_check_answer_per_period"
            ),
            models.CheckConstraint(
                condition=Q(rating__gte=CHECK_SCALE[0], rating__lte=CHECK_SCALE[1]),
                name="check_answer_rating_on_scale",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} – {self.period_end}: {self.rating}"
