"""An assessment's findings and the improvement actions that answer its concerns (decision
0084)."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from coproduce.assessment.models.assessments import Assessment
from coproduce.assessment.models.framework import Standard
from coproduce.common.languages import check_english_beside
from coproduce.contributions.models import Contribution


class FindingKind(models.TextChoices):
    STRENGTH = "strength", _("Strength")
    CONCERN = "concern", _("Concern")
    URGENT = "urgent", _("Urgent concern")


# The spine's code for findings (contributions.kinds).
FINDING = "assessment_finding"


class Finding(models.Model):
    """What an assessment found, in its report: a strength, a concern or an urgent concern, linked
    to the standards it is about and the evidence. A contribution of the assessment's activity, so
    concerns are answered through the spine and show in "You said, we did"."""

    contribution = models.OneToOneField(
        Contribution, on_delete=models.CASCADE, primary_key=True, related_name="finding"
    )
    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="findings")
    kind = models.CharField(_("kind of finding"), max_length=10, choices=FindingKind.choices)
    title = models.CharField(_("finding"), max_length=200)
    title_cy = models.CharField(_("finding, in Welsh"), max_length=200, blank=True)
    evidence = models.TextField(_("evidence"), max_length=4000)
    evidence_cy = models.TextField(_("evidence, in Welsh"), max_length=4000, blank=True)
    standards = models.ManyToManyField(Standard, blank=True, related_name="findings")

    translated_fields: ClassVar[tuple[str, ...]] = ("title", "evidence")

    class Meta:
        ordering = ["assessment", "contribution_id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=FindingKind.values), name="finding_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        check_english_beside(self)

    def get_absolute_url(self) -> str:
        return reverse("assessment:finding", args=[self.pk])

    @property
    def display_title(self) -> str:
        return self.title

    @property
    def needs_answer(self) -> bool:
        return self.kind != FindingKind.STRENGTH


class ActionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Not going ahead")


class ImprovementAction(models.Model):
    """What the service will do about a concern: who, by when, where it stands, and the evidence
    that it was done (or why it is not going ahead)."""

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="actions")
    description = models.CharField(_("what will be done"), max_length=300)
    description_cy = models.CharField(_("what will be done, in Welsh"), max_length=300, blank=True)
    owner = models.CharField(
        _("who will do it"),
        max_length=120,
        help_text=_("A role or a team, for example 'Scheme manager'."),
    )
    due_on = models.DateField(_("by when"))
    status = models.CharField(
        _("status"), max_length=12, choices=ActionStatus.choices, default=ActionStatus.PLANNED
    )
    # What shows it is done, or why it is not going ahead (required for those statuses).
    evidence = models.TextField(_("what shows it is done"), max_length=4000, blank=True)
    evidence_cy = models.TextField(
        _("what shows it is done, in Welsh"), max_length=4000, blank=True
    )
    evidence_link = models.URLField(_("link to the evidence"), blank=True)
    closed_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    translated_fields: ClassVar[tuple[str, ...]] = ("description", "evidence")

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ActionStatus.values), name="action_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["planned", "in_progress"], closed_on__isnull=True)
                | (Q(status__in=["done", "dropped"], closed_on__isnull=False) & ~Q(evidence="")),
                name="closed_action_has_date_and_evidence",
            ),
        ]
        indexes = [models.Index(fields=["status", "due_on"], name="improvement_action_due")]

    def __str__(self) -> str:
        return self.description

    def clean(self) -> None:
        check_english_beside(self)

    @property
    def is_open(self) -> bool:
        return self.status in (ActionStatus.PLANNED, ActionStatus.IN_PROGRESS)

    def is_overdue(self, today: dt.date) -> bool:
        return self.is_open and self.due_on < today
