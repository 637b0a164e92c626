"""Commissioning rounds for long-term outcomes (issue 11): the specification and what it answers,
the contract, the timetable, and the award criteria — price, quality and social value — whose
quality and social-value weights residents set by sharing out 100 points (decision 0074).

A round runs as a ``services.Activity`` of kind "commissioning_round"; its key is the activity's.
Each resident's weighting is a contribution of the answer spine, so it is answered and shows in
"You said, we did".
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from coproduce.common.languages import check_english_beside
from coproduce.contributions.models import Contribution, Decision
from coproduce.outcomes.models import Indicator
from coproduce.services.models import Activity

WEIGHTING = "criteria_weighting"  # the contribution kind of a resident's weighting
POINTS = 100  # what each resident shares out, and what the published weights add up to


class PriceMethod(models.TextChoices):
    """How a bid's price becomes a score (stated on the round's page)."""

    LOWEST_RATIO = "lowest_ratio", _("Lowest price ÷ this price × the price weight")


class Round(models.Model):
    """A commissioning round: what is bought, for how much and how long, when, and how bids are
    judged. Its timetable is published; the phases follow the dates."""

    activity = models.OneToOneField(
        Activity, on_delete=models.PROTECT, primary_key=True, related_name="commissioning_round"
    )
    specification = models.TextField(_("what the service must do"), max_length=20_000)
    specification_cy = models.TextField(
        _("what the service must do, in Welsh"), max_length=20_000, blank=True
    )
    # What the specification answers: the design decisions and the outcomes framework's indicators.
    decisions = models.ManyToManyField(Decision, blank=True, related_name="commissioning_rounds")
    indicators = models.ManyToManyField(Indicator, blank=True, related_name="commissioning_rounds")
    contract_value = models.DecimalField(
        _("contract value"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )
    currency = models.CharField(_("currency"), max_length=3, default="GBP")
    contract_months = models.PositiveSmallIntegerField(
        _("contract length in months"), validators=[MinValueValidator(1), MaxValueValidator(240)]
    )
    weighting_closes_on = models.DateField(_("residents weigh the criteria until"))
    questions_close_on = models.DateField(_("bidders' questions close on"))
    bids_close_at = models.DateTimeField(_("bids close at"))
    evaluation_on = models.DateField(_("evaluation on"))
    award_on = models.DateField(_("award on"))
    standstill_days = models.PositiveSmallIntegerField(
        _("standstill period in working days"), default=8, validators=[MaxValueValidator(60)]
    )
    price_weight = models.PositiveSmallIntegerField(
        _("weight of price, in per cent of the award"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    price_method = models.CharField(
        max_length=20, choices=PriceMethod.choices, default=PriceMethod.LOWEST_RATIO
    )
    # The published weights of the quality and social-value criteria (Criterion.weight), set
    # when staff publish them; the reason when staff changed what residents' points gave.
    weights_published_at = models.DateTimeField(null=True, blank=True)
    weights_participants = models.PositiveIntegerField(null=True, blank=True)
    weights_method = models.CharField(max_length=200, blank=True)
    weights_reason = models.TextField(_("why the weights differ from residents'"), blank=True)
    weights_reason_cy = models.TextField(blank=True)

    translated_fields: ClassVar[tuple[str, ...]] = ("specification", "weights_reason")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(price_weight__lte=100), name="round_price_weight_at_most_100"
            ),
            models.CheckConstraint(
                condition=Q(price_method__in=PriceMethod.values), name="round_price_method_valid"
            ),
            models.CheckConstraint(
                condition=Q(questions_close_on__lte=F("evaluation_on"))
                & Q(evaluation_on__lte=F("award_on")),
                name="round_timetable_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.activity.title

    def get_absolute_url(self) -> str:
        return reverse("commissioning:round", args=[self.pk])

    def clean(self) -> None:
        check_english_beside(self)

    @property
    def criteria_share(self) -> int:
        """The part of the award that the quality and social-value criteria share (100 − price)."""
        return POINTS - self.price_weight


class CriterionKind(models.TextChoices):
    QUALITY = "quality", _("Quality")
    SOCIAL_VALUE = "social_value", _("Social value")


class Criterion(models.Model):
    """A quality or social-value award criterion. Residents weigh these; price is set apart."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="criteria")
    kind = models.CharField(_("kind"), max_length=12, choices=CriterionKind.choices)
    name = models.CharField(_("criterion"), max_length=200)
    name_cy = models.CharField(_("criterion in Welsh"), max_length=200, blank=True)
    description = models.TextField(_("what bidders must show"), max_length=2000, blank=True)
    description_cy = models.TextField(
        _("what bidders must show, in Welsh"), max_length=2000, blank=True
    )
    # The outcome indicators a social-value criterion serves (commitments are mapped to them).
    indicators = models.ManyToManyField(Indicator, blank=True, related_name="criteria")
    position = models.PositiveSmallIntegerField(default=0)
    # Published weight, in points of POINTS shared by the round's criteria (None until then).
    weight = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(POINTS)]
    )
    residents_weight = models.PositiveSmallIntegerField(null=True, blank=True)  # before changes

    translated_fields: ClassVar[tuple[str, ...]] = ("name", "description")

    class Meta:
        ordering = ["round", "kind", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=CriterionKind.values), name="criterion_kind_valid"
            ),
            models.UniqueConstraint(fields=["round", "name"], name="one_criterion_per_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        check_english_beside(self)


class Weighting(models.Model):
    """One resident's 100 points shared across the round's criteria (one each, changeable until
    the weighting closes). The spine's contribution carries its answer."""

    contribution = models.OneToOneField(
        Contribution, on_delete=models.PROTECT, primary_key=True, related_name="weighting"
    )
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="weightings")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "person"], name="one_weighting_per_person")
        ]

    def __str__(self) -> str:
        return f"Weighting {self.pk} of {self.round}"

    def get_absolute_url(self) -> str:
        """Where a weighting and its answer lead: the round's published weights."""
        return reverse("commissioning:round", args=[self.round_id]) + "#weights"

    @property
    def display_title(self) -> str:
        return str(_("Weighting of the award criteria: %(round)s") % {"round": self.round})

    def summary(self) -> str:
        """The points in words, for exports: "Local staff 40; Waiting times 60"."""
        return "; ".join(f"{p.criterion.name} {p.points}" for p in self.points.all())


class WeightingPoints(models.Model):
    """The points one weighting gives one criterion."""

    weighting = models.ForeignKey(Weighting, on_delete=models.CASCADE, related_name="points")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="points")
    points = models.PositiveSmallIntegerField(validators=[MaxValueValidator(POINTS)])

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["weighting", "criterion"], name="one_points_per_criterion"
            ),
            models.CheckConstraint(condition=Q(points__lte=POINTS), name="points_at_most_100"),
        ]

    def __str__(self) -> str:
        return f"{self.points} for {self.criterion}"
