"""Notifications: news for one person about something on the site, listed and emailed.

This app knows people, services and messages, not what the news is about: the apps above it
(the answer spine first) decide who hears what and give the address of the page it concerns.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from coproduce.services.models import Service


class Event(models.TextChoices):
    RESPONSE = "response", _("An answer was posted")
    STATUS = "status", _("The status changed")
    DECISION = "decision", _("A decision was recorded")


class Notification(models.Model):
    """One piece of news for one person: listed on 'Your contributions', emailed once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    service = models.ForeignKey(Service, on_delete=models.CASCADE, null=True, related_name="+")
    url = models.CharField(max_length=500)  # the page it is about, from the site's root
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
