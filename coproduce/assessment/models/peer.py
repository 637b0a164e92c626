"""A peer review's team and each assessor's own ratings (decision 0083)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from coproduce.assessment.models.assessments import Assessment
from coproduce.assessment.models.framework import SCALE_MAX, Standard


class Assessor(models.Model):
    """A member of a peer review's team: a trained peer (someone who uses another service, or
    from a partner organisation) who rates the service on their own before the team agrees."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="assessors")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Where they come from, as shown on the report ("Eastvale Dial-a-Ride user group").
    from_group = models.CharField(_("from"), max_length=200)
    is_lead = models.BooleanField(_("leads the team"), default=False)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)
    # When they handed in their own ratings (then the others' become visible to them).
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["assessment", "-is_lead", "added_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "person"], name="one_assessor_per_person"
            ),
        ]

    def __str__(self) -> str:
        return f"Assessor {self.pk} of {self.assessment}"


class AssessorRating(models.Model):
    """One assessor's own rating of one standard, with their evidence notes."""

    assessor = models.ForeignKey(Assessor, on_delete=models.CASCADE, related_name="ratings")
    standard = models.ForeignKey(Standard, on_delete=models.PROTECT, related_name="+")
    rating = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(SCALE_MAX)]
    )
    evidence = models.TextField(_("what you saw or heard"), max_length=2000, blank=True)

    class Meta:
        ordering = ["assessor", "standard__position", "standard_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessor", "standard"], name="one_assessor_rating_per_standard"
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=SCALE_MAX),
                name="assessor_rating_on_scale",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rating} for {self.standard}"
