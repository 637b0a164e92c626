"""Mystery shopping: the shoppers' assignments, their reports, ratings and evidence (decision
0087)."""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import Storage, storages
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from coproduce.assessment.models.assessments import Assessment
from coproduce.assessment.models.framework import SCALE_MAX, Standard


class Channel(models.TextChoices):
    PHONE = "phone", _("By phone")
    ONLINE = "online", _("Online")
    IN_PERSON = "in_person", _("In person")


class Assignment(models.Model):
    """A mystery shopper's task: a scenario to try, by a channel, within a window of dates. Who the
    shopper is, is known to the coordinator only; everyone else sees "Shopper <number>"."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="assignments")
    shopper = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # Numbered from 1 within the assessment, the shopper's only name outside the coordinator's pages.
    number = models.PositiveSmallIntegerField()
    scenario = models.TextField(_("what to try"), max_length=2000)
    channel = models.CharField(_("how"), max_length=10, choices=Channel.choices)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["assessment", "number"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "number"], name="one_shopper_number"),
            models.CheckConstraint(
                condition=Q(channel__in=Channel.values), name="assignment_channel_valid"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="assignment_window_in_order"
            ),
        ]

    def __str__(self) -> str:
        return f"Shopper {self.number} of {self.assessment}"


class ShopReport(models.Model):
    """What the shopper found: when they made contact, what happened, a rating of each standard
    the visit could test, and evidence. A draft until they send it; sent, it is final."""

    assignment = models.OneToOneField(
        Assignment, on_delete=models.CASCADE, primary_key=True, related_name="report"
    )
    contacted_at = models.DateTimeField(_("when you made contact"), null=True, blank=True)
    account = models.TextField(_("what happened"), max_length=6000, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Report of {self.assignment}"


class ShopRating(models.Model):
    report = models.ForeignKey(ShopReport, on_delete=models.CASCADE, related_name="ratings")
    standard = models.ForeignKey(Standard, on_delete=models.PROTECT, related_name="+")
    rating = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(SCALE_MAX)]
    )
    comment = models.TextField(_("comment"), max_length=2000, blank=True)

    class Meta:
        ordering = ["report", "standard__position", "standard_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "standard"], name="one_shop_rating_per_standard"
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=SCALE_MAX),
                name="shop_rating_on_scale",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rating} for {self.standard}"


def private_storage() -> Storage:
    """Evidence files: settings.STORAGES["sealed"], outside the public media; only the evidence
    view reads them, for those who may see the report."""
    return storages["sealed"]


class Evidence(models.Model):
    """A photo or document a shopper attached: its type checked from its bytes, a photo's
    metadata (location included) stripped before it is stored, under a random name."""

    report = models.ForeignKey(ShopReport, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(storage=private_storage, upload_to="assessment/evidence/%Y/%m/")
    description = models.CharField(_("what it shows"), max_length=200, blank=True)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["report", "uploaded_at", "id"]

    def __str__(self) -> str:
        return f"Evidence {self.pk} of {self.report}"
