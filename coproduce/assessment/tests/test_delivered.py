"""A user assessment or a peer review counts toward its stage's delivered involvement level as
"collaborate" once its results are out, and as "consult" until then (decision 0086)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from coproduce.accounts.tests.factories import UserFactory
from coproduce.assessment import actions_assessments
from coproduce.assessment.models import Assessment
from coproduce.assessment.tests.factories import make_framework
from coproduce.assessment.tests.test_assessments_actions import every
from coproduce.services import actions as services_actions
from coproduce.services.models import ActivityKind, ActivityState, InvolvementLevel
from coproduce.services.queries import lifecycle
from coproduce.services.tests.factories import ActivityFactory, staff_of

pytestmark = pytest.mark.django_db


def _level(assessment_or_activity: object) -> str:
    activity = getattr(assessment_or_activity, "activity", assessment_or_activity)
    service = activity.service  # type: ignore[attr-defined]
    for cycle in lifecycle(service):
        for stage in cycle.stages:
            if any(a.pk == activity.pk for a in stage.activities):  # type: ignore[attr-defined]
                return stage.delivered_level
    raise AssertionError("the activity is in no stage")


def _set_up(kind: str) -> Assessment:
    activity = ActivityFactory(kind=kind, state=ActivityState.OPEN)
    staff = staff_of(activity)
    version = make_framework(activity.service, staff)
    return actions_assessments.assessment_set_up(activity=activity, by=staff, version=version)


def _rate(assessment: Assessment, people: int) -> None:
    for _ in range(people):
        actions_assessments.response_save(
            assessment=assessment, person=UserFactory(), ratings=every(assessment, 4), named=False
        )


@pytest.mark.parametrize(("people", "level"), [(4, "consult"), (5, "collaborate")])
def test_a_user_assessment_delivers_when_it_closes_with_results(people: int, level: str) -> None:
    assessment = _set_up(ActivityKind.ASSESSMENT)
    _rate(assessment, people)
    assert _level(assessment) == InvolvementLevel.CONSULT  # still open
    services_actions.activity_transition(
        activity=assessment.activity, to_state=ActivityState.CLOSED
    )
    assert _level(assessment) == level


def test_a_peer_review_delivers_when_its_report_is_published() -> None:
    assessment = _set_up(ActivityKind.PEER_REVIEW)
    assert _level(assessment) == InvolvementLevel.CONSULT
    Assessment.objects.filter(pk=assessment.pk).update(published_at=timezone.now())
    assert _level(assessment) == InvolvementLevel.COLLABORATE


def test_an_assessment_run_offline_counts_once_opened_as_before() -> None:
    activity = ActivityFactory(kind=ActivityKind.ASSESSMENT, state=ActivityState.REPORTED)
    assert _level(activity) == InvolvementLevel.COLLABORATE
