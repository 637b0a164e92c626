"""A meeting's record (decision 0139): attendance only for the members on the board that day, no
one recorded away whose vote is recorded, an agenda and papers fixed once the minutes are out,
and agenda items added at once each with their own place."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from coproduce.common.tests.concurrency import Behind, in_progress, only_on_postgresql, waits
from coproduce.contributions.tests.world import World, build_world
from coproduce.governance import actions, forms
from coproduce.governance.models import Attendance, Meeting
from coproduce.governance.tests.factories import (
    make_board,
    make_meeting,
    make_member,
    make_members_outside_the_term,
    move_meeting,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def world(settings: Any, tmp_path: Path) -> World:
    settings.MEDIA_ROOT = tmp_path
    return build_world()


def _clerk(w: World) -> Any:
    return w.people["professional"]


def _past_meeting(w: World) -> Meeting:
    meeting = make_meeting(make_board(w.service, _clerk(w)), _clerk(w))
    return move_meeting(meeting, days=-30)


def test_attendance_is_for_the_members_on_the_board_that_day(world: World) -> None:
    meeting = _past_meeting(world)
    clerk = _clerk(world)
    there = make_member(
        meeting.board, clerk, name="Ann There", term_start=timezone.localdate() - dt.timedelta(60)
    )
    later, earlier = make_members_outside_the_term(meeting.board, clerk)
    assert set(forms.attendance_form(meeting).fields) == {f"member_{there.pk}"}
    for who in (later, earlier):
        with pytest.raises(ValidationError, match="Choose present, apologies or absent"):
            actions.attendance_record(
                meeting=meeting, statuses={there.pk: "present", who.pk: "absent"}, recorded_by=clerk
            )
    assert not Attendance.objects.filter(meeting=meeting).exists()  # nothing half-recorded
    actions.attendance_record(meeting=meeting, statuses={there.pk: "present"}, recorded_by=clerk)
    assert [a.membership_id for a in meeting.attendance.all()] == [there.pk]


def test_someone_whose_vote_is_recorded_was_present(world: World) -> None:
    meeting = _past_meeting(world)
    clerk = _clerk(world)
    voter = make_member(
        meeting.board, clerk, name="Ann Voter", term_start=timezone.localdate() - dt.timedelta(60)
    )
    actions.meeting_decision_record(
        meeting=meeting,
        title="Open on Saturdays",
        description="From June.",
        votes={voter.pk: "for"},
        recorded_by=clerk,
    )
    for status in ("apologies", "absent"):
        with pytest.raises(ValidationError) as excinfo:
            actions.attendance_record(
                meeting=meeting, statuses={voter.pk: status}, recorded_by=clerk
            )
        assert excinfo.value.messages == [
            "Ann Voter voted on a decision at this meeting, so they were present. Choose present "
            "for them."
        ]
    actions.attendance_record(meeting=meeting, statuses={voter.pk: "present"}, recorded_by=clerk)
    assert meeting.attendance.get().status == "present"


def test_the_agenda_and_its_papers_are_fixed_once_the_minutes_are_out(world: World) -> None:
    meeting = _past_meeting(world)
    clerk = _clerk(world)
    item = actions.agenda_item_add(meeting=meeting, title="Welcome", added_by=clerk)
    actions.paper_add(
        item=item, title="Report", upload=SimpleUploadedFile("r.pdf", PDF), added_by=clerk
    )
    actions.minutes_publish(meeting=meeting, minutes="We met.", published_by=clerk)
    fixed = "The minutes are published, so the agenda and its papers can no longer change."
    with pytest.raises(ValidationError, match=fixed):
        actions.agenda_item_add(meeting=meeting, title="Late item", added_by=clerk)
    with pytest.raises(ValidationError, match=fixed):
        actions.paper_add(
            item=item, title="Late paper", upload=SimpleUploadedFile("l.pdf", PDF), added_by=clerk
        )
    assert [i.title for i in meeting.agenda_items.all()] == ["Welcome"]
    assert [p.title for p in item.papers.all()] == ["Report"]
    # The clerk's page says so instead of offering the forms; a stale form changes nothing.
    client = Client()
    client.force_login(clerk)
    page = client.get(reverse("governance:clerk", args=[meeting.pk])).content.decode()
    assert "can no longer change" in page
    assert "Add agenda item" not in page
    assert reverse("governance:paper_add", args=[item.pk]) not in page
    stale = client.post(reverse("governance:clerk", args=[meeting.pk]), {"title": "Late item"})
    assert stale.status_code == 200
    assert meeting.agenda_items.count() == 1


@only_on_postgresql
@pytest.mark.django_db(transaction=True)
def test_agenda_items_added_at_once_each_take_their_own_place(world: World) -> None:
    """The second waits for the first's row lock on the meeting before it reads the last place;
    without it, both would take place 1 and the second would end in an IntegrityError."""
    meeting = make_meeting(make_board(world.service, _clerk(world)), _clerk(world))
    clerk = _clerk(world)
    with in_progress(
        lambda: actions.agenda_item_add(meeting=meeting, title="Welcome", added_by=clerk)
    ):
        second = Behind(
            lambda: actions.agenda_item_add(meeting=meeting, title="Budget", added_by=clerk)
        )
    second.result()
    assert [(i.position, i.title) for i in meeting.agenda_items.order_by("position")] == [
        (1, "Welcome"),
        (2, "Budget"),
    ]


@only_on_postgresql
@pytest.mark.django_db(transaction=True)
def test_attendance_waits_for_a_decision_being_recorded(world: World) -> None:
    meeting = _past_meeting(world)
    clerk = _clerk(world)
    voter = make_member(
        meeting.board, clerk, name="Ann Voter", term_start=timezone.localdate() - dt.timedelta(60)
    )
    with in_progress(
        lambda: actions.meeting_decision_record(
            meeting=meeting,
            title="Open on Saturdays",
            description="From June.",
            votes={voter.pk: "for"},
            recorded_by=clerk,
        )
    ):
        waits(
            lambda: actions.attendance_record(
                meeting=meeting, statuses={voter.pk: "absent"}, recorded_by=clerk
            )
        )
    with pytest.raises(ValidationError, match="so they were present"):
        actions.attendance_record(meeting=meeting, statuses={voter.pk: "absent"}, recorded_by=clerk)
