"""Notifications: news for one person about something on the site, listed and emailed.

This app knows people, services and messages, not what the news is about: the apps above it
(the answer spine first) decide who hears what and give the address of the page it concerns.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from coproduce.services.models import Service

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise


class Event(models.TextChoices):
    """What the news is about; each is a topic a person chooses how often to hear about."""

    RESPONSE = "response", _("An answer was posted")
    STATUS = "status", _("The status changed")
    DECISION = "decision", _("A decision was recorded")
    NEW_ACTIVITY = "new_activity", _("A new activity opened")


class Frequency(models.TextChoices):
    """How often a person is emailed about a topic."""

    AT_ONCE = "at_once", _("At once")
    DAILY = "daily", _("In a daily summary")
    WEEKLY = "weekly", _("In a weekly summary")
    NEVER = "never", _("Never")


# What people who never chose get (docs/decisions/0024): what happened to what they said at once,
# as before; activities opening in the services they follow once a day.
DEFAULT_FREQUENCIES: dict[str, str] = {
    Event.RESPONSE: Frequency.AT_ONCE,
    Event.STATUS: Frequency.AT_ONCE,
    Event.DECISION: Frequency.AT_ONCE,
    Event.NEW_ACTIVITY: Frequency.DAILY,
}
# The names and hints of the topics on the settings page, in digests and on the unsubscribe page.
TOPIC_NAMES: dict[str, StrPromise] = {
    Event.RESPONSE: _("Answers"),
    Event.STATUS: _("Status changes"),
    Event.DECISION: _("Decisions"),
    Event.NEW_ACTIVITY: _("New activities"),
}
TOPIC_HINTS: dict[str, StrPromise] = {
    Event.RESPONSE: _("When an organisation answers something you said, or something you follow."),
    Event.STATUS: _("When an idea you suggested or follow moves on, for example to “adopted”."),
    Event.DECISION: _("When something you said, or something you follow, informs a decision."),
    Event.NEW_ACTIVITY: _("When a service you follow opens a new activity to take part in."),
}
# The frequencies that are digests, sent by `manage.py send_digests --period daily|weekly`.
DIGESTS = (Frequency.DAILY, Frequency.WEEKLY)


MESSAGE_LENGTH = 500  # a notification's message, in characters


class Notification(models.Model):
    """One piece of news for one person: listed on 'Your contributions', emailed once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    service = models.ForeignKey(Service, on_delete=models.CASCADE, null=True, related_name="+")
    url = models.CharField(max_length=500)  # the page it is about, from the site's root
    event = models.CharField(max_length=20, choices=Event.choices)
    message = models.CharField(max_length=MESSAGE_LENGTH)
    # How its email goes: the person's setting for its topic when it was made, moved when they
    # change the setting before it is sent. ``emailed_at`` says whether it went.
    delivery = models.CharField(max_length=10, choices=Frequency.choices, default=Frequency.AT_ONCE)
    created_at = models.DateTimeField(auto_now_add=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="notification_inbox"),
            # What the digests look for: news not emailed yet, by how it goes.
            models.Index(
                fields=["delivery", "user"],
                condition=models.Q(emailed_at__isnull=True),
                name="notification_unsent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} for {self.user}"


class NotificationSettings(models.Model):
    """How often one person is emailed about each topic, and in which language.

    A person without a row has the defaults (DEFAULT_FREQUENCIES, the site's language). The
    fields are named after the topics (``Event``), as in the form and the API.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_settings"
    )
    response = models.CharField(
        max_length=10, choices=Frequency.choices, default=DEFAULT_FREQUENCIES[Event.RESPONSE]
    )
    status = models.CharField(
        max_length=10, choices=Frequency.choices, default=DEFAULT_FREQUENCIES[Event.STATUS]
    )
    decision = models.CharField(
        max_length=10, choices=Frequency.choices, default=DEFAULT_FREQUENCIES[Event.DECISION]
    )
    new_activity = models.CharField(
        max_length=10, choices=Frequency.choices, default=DEFAULT_FREQUENCIES[Event.NEW_ACTIVITY]
    )
    # The language of the emails; blank until the person chooses: the site's language.
    language = models.CharField(max_length=10, choices=settings.LANGUAGES, blank=True, default="")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "notification settings"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    response__in=Frequency.values,
                    status__in=Frequency.values,
                    decision__in=Frequency.values,
                    new_activity__in=Frequency.values,
                ),
                name="notification_settings_frequencies_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"Notification settings of {self.user}"

    def frequency(self, topic: str) -> str:
        """How often the person hears about ``topic`` (an ``Event``)."""
        return str(getattr(self, topic))

    @property
    def frequencies(self) -> dict[str, str]:
        return {topic: self.frequency(topic) for topic in Event.values}
