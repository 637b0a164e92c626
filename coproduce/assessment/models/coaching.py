"""Coaching sessions, private to the coach and the participants (decision 0088)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from coproduce.services.models import Service


class CoachingSession(models.Model):
    """A session between a coach (a peer, an experienced co-producer) and a team or a resident
    assessor: its goals and the next steps agreed. Private to the coach and the participants."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="coaching_sessions")
    coach = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    participants = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+")
    held_on = models.DateField(_("date of the session"))
    goals = models.TextField(_("goals"), max_length=4000)
    next_steps = models.TextField(_("next steps agreed"), max_length=4000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"Coaching session {self.pk} of {self.service}"
