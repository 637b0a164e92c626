"""Test data for peer reviews, made through the real actions."""

from __future__ import annotations

from typing import Any

from coproduce.accounts.models import User
from coproduce.accounts.tests.factories import UserFactory
from coproduce.assessment import actions_peer
from coproduce.assessment.actions_assessments import assessment_set_up
from coproduce.assessment.models import Assessment, Assessor, FrameworkVersion
from coproduce.assessment.tests.factories import make_framework
from coproduce.services.models import ActivityKind, ActivityState, Service
from coproduce.services.tests.factories import ActivityFactory, staff_of

__all__ = ["add_assessor", "every", "hand_in", "peer_review"]


def peer_review(
    state: str = ActivityState.OPEN, service: Service | None = None, *, count: int = 4
) -> tuple[Assessment, User]:
    """A peer review of a service with agreed standards (``count`` of them), and a professional
    of the organisation that runs it."""
    extra: dict[str, Any] = {"service": service} if service is not None else {}
    activity = ActivityFactory(kind=ActivityKind.PEER_REVIEW, state=state, **extra)
    staff = staff_of(activity)
    version = FrameworkVersion.objects.filter(
        framework_id=activity.service.pk, status="agreed"
    ).first() or make_framework(activity.service, staff, count=count)
    return assessment_set_up(activity=activity, by=staff, version=version), staff


def add_assessor(
    assessment: Assessment,
    by: User,
    person: User | None = None,
    *,
    lead: bool = False,
    from_group: str = "Eastvale Dial-a-Ride user group",
) -> Assessor:
    """Put a person (a new resident unless given) on the team."""
    person = person or UserFactory()
    return actions_peer.assessor_add(
        assessment=assessment, by=by, email=person.email, from_group=from_group, is_lead=lead
    )


def every(
    assessment: Assessment, rating: int | None, evidence: str = ""
) -> dict[int, tuple[int | None, str]]:
    """The same rating and evidence for every standard of the review."""
    return dict.fromkeys(
        assessment.version.standards.values_list("pk", flat=True), (rating, evidence)
    )


def hand_in(
    assessor: Assessor, ratings: dict[int, tuple[int | None, str]] | int | None
) -> Assessor:
    """Hand in the assessor's ratings: a mapping, or the same rating for every standard."""
    assessment = assessor.assessment
    given = ratings if isinstance(ratings, dict) else every(assessment, ratings)
    return actions_peer.assessor_ratings_save(
        assessment=assessment, person=assessor.person, ratings=given, hand_in=True
    )
