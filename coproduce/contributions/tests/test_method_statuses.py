"""Statuses only the method's own action sets (decision 0127): a workflow reserves them, the
spine's status page does not offer them, and contribution_set_status refuses them, with the
workflow's message, unless the method's action says ``by_method=True``.

The spine's tests may not import a method app, so an idea's workflow is given a reserved status
here, for the length of a test; the real one, a standards proposal's "taken in", is checked
through the registry (and end to end in coproduce/api/tests/test_method_statuses.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from coproduce.accounts.tests.factories import client_for
from coproduce.contributions import actions
from coproduce.contributions.kinds import Workflow, get_kind, register_kind, unregister_kind
from coproduce.contributions.models import StatusChange
from coproduce.contributions.tests.test_welsh import ideas, professional, said
from coproduce.services.models import Activity

__all__ = ["ideas", "professional"]  # fixtures
pytestmark = pytest.mark.django_db

ADOPT_ELSEWHERE = "Adopt the idea from its budget: that adds it to the plan."


@pytest.fixture
def adopted_reserved() -> Iterator[Workflow]:
    """The idea kind, with "adopted" set only by its method's own action."""
    idea = get_kind("idea")
    assert idea.workflow is not None
    workflow = replace(idea.workflow, reserved={"adopted"}, reserved_message=ADOPT_ELSEWHERE)
    unregister_kind("idea")
    register_kind(replace(idea, workflow=workflow))
    yield workflow
    unregister_kind("idea")
    register_kind(idea)


def test_a_workflow_reserves_only_statuses_it_declares_and_says_where_they_are_set() -> None:
    steps: dict[str, Any] = {
        "choices": [("new", "New"), ("done", "Done")],
        "initial": "new",
        "transitions": {"new": ["done"]},
    }
    with pytest.raises(ValueError, match="not declared"):
        Workflow(**steps, reserved={"gone"}, reserved_message="Elsewhere.")
    with pytest.raises(ValueError, match="says where"):
        Workflow(**steps, reserved={"done"})
    workflow = Workflow(**steps, reserved={"done"}, reserved_message="Elsewhere.")
    assert workflow.next_statuses("new") == ["done"]  # still a move of the workflow
    assert workflow.offered_next("new") == []
    assert workflow.has_reserved_next("new")
    assert not workflow.has_reserved_next("done")


def test_a_standards_proposal_is_taken_in_only_by_its_own_action() -> None:
    workflow = get_kind("standard_proposal").workflow
    assert workflow is not None
    assert set(workflow.reserved) == {"taken_in"}
    assert "taken_in" not in workflow.offered_next("received")
    assert "Take it into the draft standards" in str(workflow.reserved_message)


def test_the_action_refuses_a_reserved_status_but_to_the_method(
    adopted_reserved: Workflow, ideas: Activity, professional: Any
) -> None:
    idea = said(ideas, "Saturday opening")
    with pytest.raises(ValidationError) as error:
        actions.contribution_set_status(
            contribution=idea, to_status="adopted", changed_by=professional
        )
    assert error.value.message_dict == {"to_status": [ADOPT_ELSEWHERE]}
    idea.refresh_from_db()
    assert idea.status == "received"
    assert not StatusChange.objects.exists()
    actions.contribution_set_status(
        contribution=idea, to_status="adopted", changed_by=professional, by_method=True
    )
    idea.refresh_from_db()
    assert idea.status == "adopted"


def test_the_status_page_does_not_offer_a_reserved_status_and_says_where_it_is_set(
    adopted_reserved: Workflow,
    ideas: Activity,
    professional: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    idea = said(ideas, "Saturday opening")
    client = client_for(professional)
    url = reverse("contributions:set_status", args=[idea.pk])
    page = client.get(url).content.decode()
    assert 'value="under_consideration"' in page
    assert 'value="adopted"' not in page
    assert ADOPT_ELSEWHERE in page
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(url, {"to_status": "adopted"})
    assert sent.status_code == 200
    assert ADOPT_ELSEWHERE in sent.context["form"].errors["to_status"]
    idea.refresh_from_db()
    assert idea.status == "received"
    assert mail.outbox == []


def test_the_status_page_does_not_call_the_last_status_one_only_the_method_leaves(
    ideas: Activity, professional: Any
) -> None:
    idea = get_kind("idea")
    assert idea.workflow is not None
    only_reserved = replace(
        idea.workflow,
        transitions={**idea.workflow.transitions, "received": ["adopted"]},
        reserved={"adopted"},
        reserved_message=ADOPT_ELSEWHERE,
    )
    unregister_kind("idea")
    register_kind(replace(idea, workflow=only_reserved))
    try:
        page = client_for(professional).get(
            reverse("contributions:set_status", args=[said(ideas, "Saturday opening").pk])
        )
    finally:
        unregister_kind("idea")
        register_kind(idea)
    text = page.content.decode()
    assert ADOPT_ELSEWHERE in text
    assert "This is its last status" not in text
    assert "<form" not in text.split('id="reserved-statuses"')[1]
