"""An assessment of any method, pinned to one agreed version, and a user assessment's
responses and ratings (decision 0082)."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from coproduce.assessment.models.framework import SCALE_MAX, FrameworkVersion, Standard
from coproduce.common.languages import check_english_beside
from coproduce.services.models import Activity, ActivityKind

# The activity kinds that rate the service against its framework (one Assessment row each).
METHODS: tuple[str, ...] = (
    ActivityKind.ASSESSMENT,
    ActivityKind.PEER_REVIEW,
    ActivityKind.SELF_REFLECTION,
    ActivityKind.MYSTERY_SHOP,
)
# Those whose ratings are agreed by a team and published when the team chooses (AgreedRating).
TEAM_METHODS: tuple[str, ...] = (ActivityKind.PEER_REVIEW, ActivityKind.SELF_REFLECTION)


class Assessment(models.Model):
    """An assessment activity's use of the framework (any of METHODS): the agreed version it rates
    against, pinned when it is set up. A peer review or self-reflection also has its team's agreed
    ratings and report, published when the team chooses (``published_at``)."""

    activity = models.OneToOneField(
        Activity, on_delete=models.PROTECT, primary_key=True, related_name="service_assessment"
    )
    version = models.ForeignKey(FrameworkVersion, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # A peer review's visit (or desk review) date, set when it is scheduled.
    visit_on = models.DateField(_("date of the visit"), null=True, blank=True)
    visit_place = models.CharField(_("where"), max_length=200, blank=True)
    # The team's agreed report (peer review, self-reflection): a summary, then public once published.
    summary = models.TextField(_("summary of the report"), max_length=10_000, blank=True)
    summary_cy = models.TextField(
        _("summary of the report, in Welsh"), max_length=10_000, blank=True
    )
    published_at = models.DateTimeField(null=True, blank=True)
    # When a closed user assessment's results were first written as outcome indicator values
    # (``indicators_record``): from then on it does not re-open (decisions 0125, 0136).
    results_recorded_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # A mystery shop's coordinator: the one person who knows who the shoppers are (never the
    # service's own staff, so that they cannot tell who shopped them).
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    translated_fields: ClassVar[tuple[str, ...]] = ("summary",)

    def __str__(self) -> str:
        return self.activity.title

    def get_absolute_url(self) -> str:
        return reverse("assessment:assessment", args=[self.pk])

    def clean(self) -> None:
        check_english_beside(self)

    @property
    def kind(self) -> str:
        return self.activity.kind

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class Response(models.Model):
    """One person's ratings in a user assessment: online (``person``), or a paper form entered
    by staff (``entered_by``, no person). Named only if the person chose to be."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="responses")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, related_name="+"
    )
    named = models.BooleanField(_("show my name with my comments"), default=False)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["assessment", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "person"],
                condition=Q(person__isnull=False),
                name="one_response_per_person",
            ),
            models.CheckConstraint(
                condition=Q(person__isnull=False) | Q(entered_by__isnull=False),
                name="response_online_or_from_paper",
            ),
        ]

    def __str__(self) -> str:
        return f"Response {self.pk} to {self.assessment}"


class Rating(models.Model):
    """A response's rating of one standard (None: does not apply), with an optional comment."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="ratings")
    standard = models.ForeignKey(Standard, on_delete=models.PROTECT, related_name="ratings")
    rating = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(SCALE_MAX)]
    )
    comment = models.TextField(_("comment"), max_length=2000, blank=True)

    class Meta:
        ordering = ["response", "standard__position", "standard_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["response", "standard"], name="one_rating_per_standard"
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=SCALE_MAX),
                name="rating_on_scale",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rating} for {self.standard}"
