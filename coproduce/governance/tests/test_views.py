"""The governance pages: boards, meetings, booking a seat, asking a question, the clerk's pages,
the overdue flag on the service page and the iCalendar feed."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from coproduce.contributions import actions as spine_actions
from coproduce.contributions.models import Decision
from coproduce.contributions.tests.world import World, build_world
from coproduce.governance import actions
from coproduce.governance.models import Meeting, Question, Registration
from coproduce.governance.tests.factories import make_board, make_meeting, make_member, move_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> World:
    return build_world()


def _client(user: Any = None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _meeting(w: World, **extra: Any) -> Meeting:
    clerk = w.people["professional"]
    board = make_board(w.service, clerk)
    make_member(board, clerk, name="Rita Recovery", interests="Volunteers at the recovery cafe.")
    return make_meeting(board, clerk, **extra)


def test_the_board_page_shows_members_and_the_register_of_interests(world: World) -> None:
    meeting = _meeting(world)
    page = _client().get(meeting.board.get_absolute_url()).content.decode()
    assert "Rita Recovery" in page
    assert "Resident member" in page
    assert "Volunteers at the recovery cafe." in page
    assert meeting.title in page
    listing = _client().get(reverse("governance:board_list", args=[world.service.slug]))
    assert meeting.board.name in listing.content.decode()


def test_a_resident_books_a_seat_with_access_needs_and_asks_a_question(world: World) -> None:
    meeting = _meeting(world)
    resident = _client(world.people["resident"])
    response = resident.post(
        reverse("governance:meeting_register", args=[meeting.pk]), {"access_needs": "Step-free"}
    )
    assert response.status_code == 302
    assert Registration.objects.get(meeting=meeting).access_needs == "Step-free"
    page = resident.get(meeting.get_absolute_url()).content.decode()
    assert "You have a seat at this meeting." in page
    assert "Step-free" not in page  # the clerk's page shows it
    response = resident.post(
        reverse("governance:question_create", args=[meeting.pk]), {"text": "Is there parking?"}
    )
    assert response.status_code == 302
    assert "Is there parking?" in _client().get(meeting.get_absolute_url()).content.decode()
    clerk_page = _client(world.people["professional"]).get(
        reverse("governance:clerk", args=[meeting.pk])
    )
    assert "Step-free" in clerk_page.content.decode()
    resident.post(reverse("governance:registration_cancel", args=[meeting.pk]))
    assert not Registration.objects.filter(meeting=meeting).exists()


def test_a_late_question_page_says_why(world: World) -> None:
    meeting = move_meeting(_meeting(world), days=-0.01)
    page = _client(world.people["resident"]).get(
        reverse("governance:question_create", args=[meeting.pk])
    )
    assert "This meeting has started, so it no longer takes questions." in page.content.decode()


def test_the_clerk_publishes_agenda_minutes_answer_and_decision(world: World) -> None:
    meeting = _meeting(world)
    clerk = _client(world.people["professional"])
    question = actions.question_ask(meeting=meeting, author=world.people["resident"], text="Why?")
    clerk.post(reverse("governance:clerk", args=[meeting.pk]), {"title": "Welcome"})
    clerk.post(reverse("governance:agenda_publish", args=[meeting.pk]))
    move_meeting(meeting, days=-0.002)
    member = meeting.board.memberships.get()
    clerk.post(
        reverse("governance:attendance", args=[meeting.pk]), {f"member_{member.pk}": "present"}
    )
    clerk.post(
        reverse("governance:question_answer", args=[question.pk]), {"body": "Because we can."}
    )
    clerk.post(reverse("governance:minutes", args=[meeting.pk]), {"minutes": "We met."})
    clerk.post(
        reverse("governance:decision_create", args=[meeting.pk]),
        {"title": "Open later", "description": "Until 8pm.", f"vote_{member.pk}": "for"},
    )
    due = timezone.localdate() + dt.timedelta(days=10)
    clerk.post(
        reverse("governance:action_create", args=[meeting.pk]),
        {
            "description": "Tell the GPs",
            "owner": "Manager",
            "due_on_day": due.day,
            "due_on_month": due.month,
            "due_on_year": due.year,
        },
    )
    page = _client().get(meeting.get_absolute_url()).content.decode()
    for text in ["Welcome", "We met.", "Because we can.", "Open later", "Tell the GPs", "Present"]:
        assert text in page, text
    assert Question.objects.get().contribution.responses.count() == 1


def test_a_hidden_question_does_not_stop_a_decision_and_is_not_linked(world: World) -> None:
    meeting = _meeting(world)
    asked = [
        actions.question_ask(meeting=meeting, author=world.people["resident"], text=text)
        for text in ("Why?", "Rude words")
    ]
    spine_actions.moderation_hide(
        contribution=asked[1].contribution, moderator=world.people["professional"]
    )
    move_meeting(meeting, days=-0.002)
    clerk = _client(world.people["professional"])
    response = clerk.post(
        reverse("governance:decision_create", args=[meeting.pk]),
        {"title": "Open later", "description": "Until 8pm."},
    )
    assert response.status_code == 302
    decision = Decision.objects.get(title="Open later")
    assert list(decision.contributions.all()) == [asked[0].contribution]


def test_the_clerk_creates_a_board_member_and_meeting(world: World) -> None:
    clerk = _client(world.people["org_admin"])
    response = clerk.post(
        reverse("governance:board_create", args=[world.service.slug]),
        {"name": "Users' committee", "kind": "users_committee", "remit": ""},
    )
    board = world.service.boards.get()
    assert response["Location"] == board.get_absolute_url()
    start = timezone.localdate() - dt.timedelta(days=3)
    clerk.post(
        reverse("governance:member_add", args=[board.pk]),
        {
            "name": "Pat",
            "role": "Chair",
            "resident": "on",
            "chosen": "panel",
            "term_start_day": start.day,
            "term_start_month": start.month,
            "term_start_year": start.year,
        },
    )
    assert board.memberships.get().resident
    day = timezone.localdate() + dt.timedelta(days=5)
    due = day + dt.timedelta(days=10)
    response = clerk.post(
        reverse("governance:meeting_create", args=[board.pk]),
        {
            "title": "June meeting",
            "day_day": day.day,
            "day_month": day.month,
            "day_year": day.year,
            "starts": "18:00",
            "ends": "19:30",
            "format": "online",
            "link": "https://meet.example.org/x",
            "is_public": "on",
            "public_seats": "0",
            "minutes_due_on_day": due.day,
            "minutes_due_on_month": due.month,
            "minutes_due_on_year": due.year,
        },
    )
    meeting = board.meetings.get()
    assert response["Location"] == reverse("governance:clerk", args=[meeting.pk])
    assert meeting.ends_at - meeting.starts_at == dt.timedelta(minutes=90)


def test_overdue_minutes_are_flagged_on_the_service_page(world: World) -> None:
    meeting = _meeting(world, days=-20, minutes_due_on=timezone.localdate() - dt.timedelta(days=2))
    page = _client().get(world.service.get_absolute_url()).content.decode()
    assert "The minutes of 1 meeting are overdue." in page
    assert meeting.title in page
    staff = _client(world.people["professional"]).get(
        reverse("services:staff_service", args=[world.service.slug])
    )
    assert "The minutes of 1 meeting are overdue." in staff.content.decode()


def test_the_activity_page_of_a_meeting_links_to_it(world: World) -> None:
    meeting = _meeting(world)
    page = _client().get(meeting.activity.get_absolute_url()).content.decode()
    assert meeting.get_absolute_url() in page
    assert 'id="offline"' not in page


def test_the_ical_feed_lists_public_meetings_only(world: World, settings: Any) -> None:
    settings.SITE_URL = "https://coproduce.example.gov.uk"  # not the address the feed is read at
    public = _meeting(world)
    make_meeting(public.board, world.people["professional"], title="In camera", is_public=False)
    response = _client().get(reverse("governance:meetings_ical", args=[world.service.slug]))
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = list(calendar.walk("VEVENT"))
    assert [str(e["summary"]) for e in events] == [f"{public.board.name}: {public.title}"]
    assert events[0].decoded("dtstart") == public.starts_at.replace(microsecond=0)
    assert str(events[0]["url"]) == f"https://coproduce.example.gov.uk{public.get_absolute_url()}"
    assert str(events[0]["uid"]) == f"meeting-{public.pk}@coproduce.example.gov.uk"


def test_the_meeting_page_and_its_api_read_the_votes_with_their_members(world: World) -> None:
    """Each recorded vote names its member: read with the decisions, not a query per vote (the
    page), nor per decision (the API)."""
    clerk = world.people["professional"]
    meeting = _meeting(world)
    make_member(meeting.board, clerk, name="Ade Bello")
    meeting = move_meeting(meeting, days=-0.002)
    members = list(meeting.board.memberships.all())

    def record(title: str) -> None:
        actions.meeting_decision_record(
            meeting=meeting,
            title=title,
            description="Agreed.",
            recorded_by=clerk,
            votes={member.pk: "for" for member in members},
        )

    def queries() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as page:
            assert _client().get(meeting.get_absolute_url()).status_code == 200
        with CaptureQueriesContext(connection) as api:
            assert _client().get(f"/api/meetings/{meeting.pk}").status_code == 200
        return len(page), len(api)

    record("Open later")
    few = queries()
    record("Open on Sundays")
    record("Hire a second worker")
    assert queries() == few
    page = _client().get(meeting.get_absolute_url()).content.decode()
    assert page.count("Ade Bello") == 3  # in each decision's votes
