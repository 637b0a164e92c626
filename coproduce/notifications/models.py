"""Follows and notifications: people hear what became of what they said or follow."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from coproduce.codesign.models import Contribution
from coproduce.services.models import Activity, Service


class Follow(models.Model):
    """A person following exactly one service, activity or contribution."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows"
    )
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    contribution = models.ForeignKey(
        Contribution, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(service__isnull=False, activity__isnull=True, contribution__isnull=True)
                    | Q(service__isnull=True, activity__isnull=False, contribution__isnull=True)
                    | Q(service__isnull=True, activity__isnull=True, contribution__isnull=False)
                ),
                name="follow_exactly_one_target",
            ),
            models.UniqueConstraint(fields=["user", "service"], name="follow_service_once"),
            models.UniqueConstraint(fields=["user", "activity"], name="follow_activity_once"),
            models.UniqueConstraint(
                fields=["user", "contribution"], name="follow_contribution_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} follows {self.service or self.activity or self.contribution}"


class Event(models.TextChoices):
    RESPONSE = "response", _("An answer was posted")
    STATUS = "status", _("The status changed")
    DECISION = "decision", _("A decision was recorded")


class Notification(models.Model):
    """One thing that happened to a contribution, for one person: listed on 'My contributions'."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    contribution = models.ForeignKey(Contribution, on_delete=models.CASCADE, related_name="+")
    event = models.CharField(max_length=10, choices=Event.choices)
    message = models.CharField(max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"], name="notification_inbox")]

    def __str__(self) -> str:
        return f"{self.event} for {self.user}"
