"""Standards that feed the service's outcome indicators (decision 0090)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from coproduce.assessment.models.framework import Framework
from coproduce.outcomes.models import Indicator


class IndicatorLink(models.Model):
    """A standard of the framework (by lineage, so every version's wording counts) that feeds an
    indicator of the service's outcomes: each closed user assessment records, as the indicator's
    value on the day it closed, the share of people who said "Always" or "Mostly"."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="links")
    lineage = models.PositiveIntegerField()
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["framework", "lineage", "indicator"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "lineage", "indicator"], name="one_link_per_indicator"
            ),
        ]

    def __str__(self) -> str:
        return f"Standard {self.lineage} of {self.framework} feeds {self.indicator}"
