"""Residents' proposals for the standards, answered through the spine (decision 0089)."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from coproduce.assessment.models.framework import Framework, Standard
from coproduce.contributions.models import Contribution

# The spine's code for proposals (contributions.kinds).
STANDARD_PROPOSAL = "standard_proposal"


class StandardProposal(models.Model):
    """A resident's proposal for the service's standards: a new standard, or a comment on one of
    the agreed version (``standard``). A contribution of the service's open assessment activity, so
    staff answer it through the spine; taken into the draft, it links to the standard it became."""

    contribution = models.OneToOneField(
        Contribution, on_delete=models.CASCADE, primary_key=True, related_name="standard_proposal"
    )
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="proposals")
    standard = models.ForeignKey(
        Standard, on_delete=models.SET_NULL, null=True, blank=True, related_name="proposals"
    )
    text = models.CharField(_("your proposal"), max_length=500)
    why = models.TextField(_("why it matters to you"), max_length=2000, blank=True)
    # The draft standard it became, once staff took it in.
    became = models.ForeignKey(
        Standard, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["framework", "contribution_id"]

    def __str__(self) -> str:
        return self.text

    def get_absolute_url(self) -> str:
        return reverse("assessment:proposal", args=[self.pk])

    @property
    def display_title(self) -> str:
        return self.text
