"""Test data for agreed reports: self-reflections and peer reviews set up through the real actions,
peer teams made through the peer review's actions, and user assessments to compare."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from coproduce.accounts.models import User
from coproduce.accounts.tests.factories import UserFactory
from coproduce.assessment import actions_assessments
from coproduce.assessment.models import (
    Assessment,
    Assessor,
    FrameworkVersion,
    Standard,
    VersionStatus,
)
from coproduce.assessment.tests import factories_peer
from coproduce.assessment.tests.factories import make_framework
from coproduce.services import actions as services_actions
from coproduce.services.models import ActivityKind, ActivityState, Service
from coproduce.services.tests.factories import ActivityFactory, staff_of


def _version(service: Service, staff: User) -> FrameworkVersion:
    """The service's latest agreed version, or a new framework's version 1."""
    latest = (
        FrameworkVersion.objects.filter(framework_id=service.pk, status=VersionStatus.AGREED)
        .order_by("-number")
        .first()
    )
    return latest or make_framework(service, staff)


def make_team_assessment(
    kind: str,
    *,
    service: Service | None = None,
    version: FrameworkVersion | None = None,
    state: str = ActivityState.OPEN,
) -> tuple[Assessment, User]:
    """A peer review or self-reflection of the service (a new one unless given), pinned to the
    version given or the latest agreed one; with a professional of its organisation."""
    extra: dict[str, Any] = {"service": service} if service is not None else {}
    activity = ActivityFactory(kind=kind, state=state, **extra)
    staff = staff_of(activity)
    version = version or _version(activity.service, staff)
    assessment = actions_assessments.assessment_set_up(activity=activity, by=staff, version=version)
    return assessment, staff


def make_self_reflection(**kwargs: Any) -> tuple[Assessment, User]:
    return make_team_assessment(ActivityKind.SELF_REFLECTION, **kwargs)


def make_peer_review(**kwargs: Any) -> tuple[Assessment, User]:
    return make_team_assessment(ActivityKind.PEER_REVIEW, **kwargs)


def standards(assessment: Assessment) -> list[Standard]:
    return list(
        Standard.objects.filter(version_id=assessment.version_id).order_by("position", "id")
    )


def add_assessor(
    assessment: Assessment,
    *,
    lead: bool = False,
    from_group: str = "Eastvale Dial-a-Ride user group",
    ratings: Sequence[int | None] | None = None,
    person: User | None = None,
) -> Assessor:
    """A member of the peer team, put on it by a new member of the service's staff. With
    ``ratings`` (one per standard, in order) they have rated every standard and handed in."""
    by = staff_of(assessment.activity)
    assessor = factories_peer.add_assessor(assessment, by, person, lead=lead, from_group=from_group)
    if ratings is not None:
        hand_in(assessor, ratings)
    return assessor


def hand_in(assessor: Assessor, ratings: Sequence[int | None]) -> Assessor:
    """The assessor's own rating of each standard (in order), handed in."""
    given = {
        standard.pk: (rating, "")
        for standard, rating in zip(standards(assessor.assessment), ratings, strict=True)
    }
    return factories_peer.hand_in(assessor, given)


def every(assessment: Assessment, rating: int | None, note: str = "") -> dict[int, Any]:
    """The same agreed answer for every standard of the assessment's version."""
    return {standard.pk: (rating, note) for standard in standards(assessment)}


def user_assessment(
    service: Service,
    ratings: Mapping[int, Sequence[int | None]],
    *,
    version: FrameworkVersion | None = None,
    close: bool = True,
) -> Assessment:
    """A user assessment of the service: ``ratings`` maps a standard's lineage to the ratings of
    successive people (person i answers the i-th of each list; "does not apply" where a list is
    shorter). Closed unless ``close`` is False."""
    activity = ActivityFactory(
        kind=ActivityKind.ASSESSMENT, state=ActivityState.OPEN, service=service
    )
    staff = staff_of(activity)
    version = version or _version(service, staff)
    assessment = actions_assessments.assessment_set_up(activity=activity, by=staff, version=version)
    version_standards = list(Standard.objects.filter(version=version))
    people = max((len(given) for given in ratings.values()), default=0)
    for index in range(people):
        answers = {}
        for standard in version_standards:
            given = ratings.get(standard.lineage, ())
            answers[standard.pk] = (given[index] if index < len(given) else None, "")
        actions_assessments.response_save(
            assessment=assessment, person=UserFactory(), ratings=answers, named=False
        )
    if close:
        services_actions.activity_transition(activity=activity, to_state=ActivityState.CLOSED)
    return assessment
