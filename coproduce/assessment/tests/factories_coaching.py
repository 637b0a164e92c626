"""Test data for coaching sessions, made through the real actions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.utils import timezone

from coproduce.accounts.models import User
from coproduce.accounts.tests.factories import UserFactory
from coproduce.assessment import actions_coaching
from coproduce.assessment.models import CoachingSession
from coproduce.services.models import Service
from coproduce.services.tests.factories import ActivityFactory, staff_of

__all__ = ["make_session", "service_with_staff"]


def service_with_staff() -> tuple[Service, User]:
    """A published service and a professional of the organisation that runs it."""
    activity = ActivityFactory()
    return activity.service, staff_of(activity)


def make_session(
    service: Service,
    coach: User,
    participants: Sequence[User] = (),
    *,
    held_on: dt.date | None = None,
    goals: str = "Write evidence notes the rest of the team can follow.",
    next_steps: str = "",
) -> CoachingSession:
    """A session the coach records about the service (with one new resident unless told)."""
    people = list(participants) or [UserFactory()]
    return actions_coaching.session_add(
        service=service,
        by=coach,
        role="coach",
        participant_emails=[person.email for person in people],
        held_on=held_on or timezone.localdate(),
        goals=goals,
        next_steps=next_steps,
    )
