"""Statuses only the method's own action sets (decision 0127), end to end: the API's status
change refuses one with 422 and the workflow's message; a standards proposal is not "taken in"
from the spine's status page, only by proposal_take_in, which adds the standard.

The API has no status change for standards proposals; the idea's endpoint, which calls the same
spine action, is given a reserved status for the length of a test.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse

from coproduce.accounts.tests.factories import UserFactory, client_for
from coproduce.api.tests.client import Api, fields
from coproduce.api.tests.loop import Loop
from coproduce.assessment import actions_assessments, actions_proposals
from coproduce.assessment.models import Assessment
from coproduce.assessment.tests.factories import make_framework, next_draft
from coproduce.contributions.kinds import get_kind, register_kind, unregister_kind
from coproduce.contributions.models import StatusChange
from coproduce.contributions.tests.world import World
from coproduce.services.models import ActivityKind, ActivityState
from coproduce.services.tests.factories import ActivityFactory, staff_of

pytestmark = pytest.mark.django_db

AsRole = Callable[[str], Api]
ADOPT_ELSEWHERE = "Adopt the idea from its budget: that adds it to the plan."


@pytest.fixture
def adopted_reserved() -> Iterator[None]:
    idea = get_kind("idea")
    assert idea.workflow is not None
    workflow = replace(idea.workflow, reserved={"adopted"}, reserved_message=ADOPT_ELSEWHERE)
    unregister_kind("idea")
    register_kind(replace(idea, workflow=workflow))
    yield
    unregister_kind("idea")
    register_kind(idea)


def test_the_api_refuses_a_reserved_status_with_its_message(
    adopted_reserved: None, world: World, loop: Loop, as_role: AsRole
) -> None:
    refused = as_role("professional").post(
        f"/ideas/{loop.idea.pk}/status", {"to_status": "adopted"}
    )
    assert fields(refused) == {("body", "to_status"): "rule"}
    assert refused.json()["detail"][0]["msg"] == ADOPT_ELSEWHERE
    loop.idea.contribution.refresh_from_db()
    assert loop.idea.contribution.status == "received"


def test_a_proposal_is_taken_in_by_its_own_action_not_the_status_page(
    django_capture_on_commit_callbacks: Any,
) -> None:
    activity = ActivityFactory(kind=ActivityKind.ASSESSMENT, state=ActivityState.OPEN)
    staff = staff_of(activity)
    version = make_framework(activity.service, staff)
    actions_assessments.assessment_set_up(activity=activity, by=staff, version=version)
    assessment = Assessment.objects.get(pk=activity.pk)
    draft = next_draft(assessment.version, staff)
    proposal = actions_proposals.proposal_add(
        assessment=assessment,
        author=UserFactory(),
        text="I can book a journey on the day I need it",
    )
    client = client_for(staff)
    url = reverse("contributions:set_status", args=[proposal.pk])
    page = client.get(url).content.decode()
    assert 'value="not_taken"' in page
    assert 'value="taken_in"' not in page
    assert "Take it into the draft standards" in page
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(url, {"to_status": "taken_in"})
    assert sent.status_code == 200
    assert "adds the standard too" in sent.content.decode()
    proposal.contribution.refresh_from_db()
    assert proposal.contribution.status == "received"
    assert not StatusChange.objects.exists()
    assert mail.outbox == []

    taken = actions_proposals.proposal_take_in(
        proposal=proposal, by=staff, theme="Booking", statement="I can book on the day"
    )
    taken.contribution.refresh_from_db()
    assert taken.contribution.status == "taken_in"
    assert taken.became is not None
    assert taken.became.version == draft
