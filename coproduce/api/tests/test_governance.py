"""Governance endpoints: boards with members, meetings with agendas, minutes and decisions;
private meetings only for the organisation's staff."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from coproduce.api.tests.client import Api
from coproduce.contributions.tests.world import World
from coproduce.governance import actions
from coproduce.governance.models import Meeting
from coproduce.governance.tests.factories import make_board, make_meeting, make_member, move_meeting

pytestmark = pytest.mark.django_db

AsRole = Callable[[str], Api]


def _meetings(world: World) -> tuple[Meeting, Meeting]:
    clerk = world.people["professional"]
    board = make_board(world.service, clerk)
    member = make_member(board, clerk, name="Rita Recovery")
    public = make_meeting(board, clerk)
    actions.agenda_item_add(meeting=public, title="Welcome", added_by=clerk)
    actions.agenda_publish(meeting=public, published_by=clerk)
    move_meeting(public, days=-0.01)
    actions.minutes_publish(meeting=public, minutes="We met.", published_by=clerk)
    actions.meeting_decision_record(
        meeting=public,
        title="Open later",
        description="Until 8pm.",
        votes={member.pk: "for"},
        recorded_by=clerk,
    )
    private = make_meeting(board, clerk, title="In camera", is_public=False)
    return public, private


def test_boards_and_members(world: World, anonymous: Api) -> None:
    public, _private = _meetings(world)
    boards = anonymous.get(f"/services/{world.service.slug}/boards").json()
    assert [b["name"] for b in boards["items"]] == [public.board.name]
    board = anonymous.get(f"/boards/{public.board_id}").json()
    assert board["members"][0]["name"] == "Rita Recovery"
    assert board["members"][0]["resident"] is True


def test_a_meeting_with_agenda_minutes_and_decisions(world: World, anonymous: Api) -> None:
    public, _private = _meetings(world)
    meeting = anonymous.get(f"/meetings/{public.pk}").json()
    assert meeting["agenda"] == [{"position": 1, "title": "Welcome", "summary": ""}]
    assert meeting["minutes"] == "We met."
    assert meeting["decisions"][0]["title"] == "Open later"
    assert meeting["decisions"][0]["votes"] == [{"member": "Rita Recovery", "vote": "for"}]


def test_private_meetings_are_for_the_organisations_staff(world: World, as_role: AsRole) -> None:
    public, private = _meetings(world)
    path = f"/boards/{public.board_id}/meetings"
    seen = {role: as_role(role).get(path).json()["count"] for role in ["resident", "facilitator"]}
    assert seen == {"resident": 1, "facilitator": 2}
    assert as_role("resident").get(f"/meetings/{private.pk}").status_code == 404
    assert as_role("other_professional").get(f"/meetings/{private.pk}").status_code == 404
    assert as_role("professional").get(f"/meetings/{private.pk}").status_code == 200


def test_unpublished_minutes_are_not_shown(world: World, anonymous: Api) -> None:
    clerk = world.people["professional"]
    meeting = make_meeting(make_board(world.service, clerk), clerk)
    body: dict[str, Any] = anonymous.get(f"/meetings/{meeting.pk}").json()
    assert body["minutes"] is None
    assert body["agenda"] == []


def test_a_question_to_a_meeting_is_a_contribution_in_the_api(world: World, anonymous: Api) -> None:
    clerk = world.people["professional"]
    meeting = make_meeting(make_board(world.service, clerk), clerk)
    question = actions.question_ask(meeting=meeting, author=world.people["resident"], text="Why?")
    body = anonymous.get(f"/contributions/{question.pk}").json()
    assert body["kind"] == "meeting_question"
    assert body["meeting_question"] == {"meeting": meeting.pk, "text": "Why?"}
