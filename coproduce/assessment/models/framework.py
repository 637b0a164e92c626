"""A service's framework of standards, kept in numbered versions (decision 0081), and the
rating scale every method uses."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from coproduce.common.languages import check_english_beside
from coproduce.services.models import Service

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# The rating scale of every standard (decision 0081): how often the statement is true for the
# person. None is "does not apply to me" and counts in no distribution.
SCALE_MAX = 5
SCALE: tuple[tuple[int, StrOrPromise], ...] = (
    (5, _("Always")),
    (4, _("Mostly")),
    (3, _("Sometimes")),
    (2, _("Rarely")),
    (1, _("Never")),
)


class Framework(models.Model):
    """A service's assessment framework: its versions of standards."""

    service = models.OneToOneField(
        Service, on_delete=models.CASCADE, primary_key=True, related_name="assessment_framework"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Assessment framework of {self.service}"

    def get_absolute_url(self) -> str:
        return reverse("assessment:framework", args=[self.service.slug])


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    AGREED = "agreed", _("Agreed")


class FrameworkVersion(models.Model):
    """A numbered version of the standards. A draft is written by staff and resident
    co-authors; once agreed it never changes (a new draft starts from it)."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    status = models.CharField(
        max_length=10, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    change_note = models.TextField(_("what changed, and why"), max_length=4000, blank=True)
    change_note_cy = models.TextField(
        _("what changed, and why, in Welsh"), max_length=4000, blank=True
    )
    # The residents who wrote it with staff (named on the framework page).
    co_authors = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    agreed_at = models.DateTimeField(null=True, blank=True)

    translated_fields: ClassVar[tuple[str, ...]] = ("change_note",)

    class Meta:
        ordering = ["framework", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "number"], name="one_version_number"),
            models.UniqueConstraint(
                fields=["framework"],
                condition=Q(status="draft"),
                name="one_draft_version_per_framework",
            ),
            models.CheckConstraint(
                condition=Q(status__in=VersionStatus.values), name="version_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(agreed_at__isnull=False),
                name="agreed_version_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"Version {self.number} of {self.framework.service}"

    def clean(self) -> None:
        check_english_beside(self)


class Standard(models.Model):
    """What people should experience ("I can book a journey without help"), under a theme, with
    an optional prompt for evidence."""

    version = models.ForeignKey(
        FrameworkVersion, on_delete=models.CASCADE, related_name="standards"
    )
    # The same number for the same standard in every version (a reworded standard keeps it).
    lineage = models.PositiveIntegerField()
    theme = models.CharField(_("theme"), max_length=100)
    theme_cy = models.CharField(_("theme in Welsh"), max_length=100, blank=True)
    statement = models.CharField(_("standard"), max_length=300)
    statement_cy = models.CharField(_("standard in Welsh"), max_length=300, blank=True)
    evidence_prompt = models.CharField(_("what shows it"), max_length=500, blank=True)
    evidence_prompt_cy = models.CharField(_("what shows it, in Welsh"), max_length=500, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    translated_fields: ClassVar[tuple[str, ...]] = ("theme", "statement", "evidence_prompt")

    class Meta:
        ordering = ["version", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "lineage"], name="one_standard_per_lineage"),
            models.UniqueConstraint(
                fields=["version", "statement"], name="one_standard_per_statement"
            ),
        ]

    def __str__(self) -> str:
        return self.statement

    def clean(self) -> None:
        check_english_beside(self)
