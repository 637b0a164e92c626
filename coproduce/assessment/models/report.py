"""A team's agreed ratings: a peer review's report or a self-reflection (decision 0085)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from coproduce.assessment.models.assessments import Assessment
from coproduce.assessment.models.framework import SCALE_MAX, Standard


class AgreedRating(models.Model):
    """A team's agreed rating of one standard (a peer review's report, a team's self-reflection),
    with the reason or evidence. Private to the team until the assessment is published."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="agreed_ratings"
    )
    standard = models.ForeignKey(Standard, on_delete=models.PROTECT, related_name="+")
    rating = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(SCALE_MAX)]
    )
    note = models.TextField(_("why, and what shows it"), max_length=2000, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["assessment", "standard__position", "standard_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "standard"], name="one_agreed_rating_per_standard"
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=SCALE_MAX),
                name="agreed_rating_on_scale",
            ),
        ]

    def __str__(self) -> str:
        return f"Agreed {self.rating} for {self.standard}"
