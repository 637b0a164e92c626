"""Governance actions and rules: seats, questions before the meeting, minutes and their deadline,
decisions with votes, and what goes on the public ledger."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from coproduce.accounts.tests.factories import UserFactory
from coproduce.contributions.models import Decision
from coproduce.contributions.tests.world import World, build_world
from coproduce.governance import actions, forms, queries, rules
from coproduce.governance.ledger import MINUTES, VOTES
from coproduce.governance.models import Meeting, MeetingDecision, Registration
from coproduce.governance.tests.factories import (
    make_board,
    make_meeting,
    make_member,
    make_members_outside_the_term,
    move_meeting,
)
from coproduce.services import actions as service_actions
from coproduce.services.models import ActivityKind, ActivityState, ServiceStatus
from coproduce.transparency.models import LedgerEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> World:
    return build_world()


def _clerk(w: World) -> Any:
    return w.people["professional"]


def _meeting(w: World, **extra: Any) -> Meeting:
    return make_meeting(make_board(w.service, _clerk(w)), _clerk(w), **extra)


def _verify() -> str:
    out = StringIO()
    call_command("ledger_verify", stdout=out)
    return out.getvalue()


def test_a_meeting_runs_as_an_open_meeting_activity(world: World) -> None:
    meeting = _meeting(world)
    assert meeting.activity.kind == ActivityKind.MEETING
    assert meeting.activity.state == ActivityState.OPEN
    private = _meeting(world, is_public=False, public_seats=5)
    assert private.activity.state == ActivityState.DRAFT
    assert private.public_seats == 0


def test_clerks_are_the_services_admins_and_professionals(world: World) -> None:
    meeting = _meeting(world)
    board = meeting.board
    people = world.people
    assert rules.can_clerk(people["professional"], board)
    assert rules.can_clerk(people["org_admin"], board)
    assert not rules.can_clerk(people["facilitator"], board)
    assert not rules.can_clerk(people["other_professional"], board)
    assert not rules.can_clerk(people["resident"], board)
    with pytest.raises(PermissionDenied):
        actions.agenda_item_add(
            meeting=meeting, title="Budget", added_by=people["other_professional"]
        )


def test_a_private_meeting_is_seen_only_by_the_organisations_staff(world: World) -> None:
    private = _meeting(world, is_public=False)
    people = world.people
    assert not rules.can_view_meeting(people["resident"], private)
    assert not rules.can_view_meeting(people["other_professional"], private)
    assert rules.can_view_meeting(people["facilitator"], private)
    with pytest.raises(PermissionDenied):
        actions.question_ask(meeting=private, author=people["resident"], text="May I come?")
    assert list(queries.meetings_seen_by(people["resident"], private.board)) == []


def test_a_private_meetings_activity_cannot_be_opened_from_the_services_pages(
    world: World,
) -> None:
    """Decision 0139: opening it would show its title on the public pages, with a question form."""
    private = _meeting(world, is_public=False)
    with pytest.raises(ValidationError) as excinfo:
        service_actions.activity_transition(activity=private.activity, to_state="open")
    assert excinfo.value.message_dict == {
        "to_state": [
            "This is a private meeting, so its activity stays a draft and is not shown to the "
            "public."
        ]
    }
    # Nor by changing its method first, nor back from a draft set up as a meeting.
    with pytest.raises(ValidationError) as excinfo:
        service_actions.activity_update(activity=private.activity, kind="needs_survey")
    assert excinfo.value.message_dict == {
        "kind": ["The method cannot change: this activity has been set up as a public meeting."]
    }
    private.activity.refresh_from_db()
    assert private.activity.state == ActivityState.DRAFT
    assert private.activity.kind == ActivityKind.MEETING
    # Other details still change.
    service_actions.activity_update(activity=private.activity, kind="meeting", title="Renamed")
    # A public meeting arranged while its service was unpublished opens once staff open it.
    world.service.status = ServiceStatus.DRAFT
    world.service.save(update_fields=["status"])
    waiting = _meeting(world)
    assert waiting.activity.state == ActivityState.DRAFT
    opened = service_actions.activity_transition(activity=waiting.activity, to_state="open")
    assert opened.state == ActivityState.OPEN


def test_a_registration_and_its_access_needs_are_for_the_person_and_the_clerk(world: World) -> None:
    meeting = _meeting(world)
    registration = actions.registration_create(
        meeting=meeting, user=world.people["resident"], access_needs="A hearing loop"
    )
    other = UserFactory(email="another@example.org")
    assert rules.can_view_registration(world.people["resident"], registration)
    assert rules.can_view_registration(_clerk(world), registration)
    assert not rules.can_view_registration(other, registration)
    assert not rules.can_view_registration(world.people["other_professional"], registration)


def test_seats_run_out(world: World) -> None:
    meeting = _meeting(world, public_seats=1)
    actions.registration_create(meeting=meeting, user=world.people["resident"])
    with pytest.raises(ValidationError, match="already registered"):
        actions.registration_create(meeting=meeting, user=world.people["resident"])
    with pytest.raises(ValidationError, match="All the public seats are taken"):
        actions.registration_create(meeting=meeting, user=UserFactory(email="late@example.org"))
    actions.registration_cancel(meeting=meeting, user=world.people["resident"])
    actions.registration_create(meeting=meeting, user=UserFactory(email="late@example.org"))
    assert Registration.objects.filter(meeting=meeting).count() == 1


def test_no_seat_once_the_meeting_has_started(world: World) -> None:
    meeting = move_meeting(_meeting(world), days=-0.01)
    with pytest.raises(PermissionDenied):
        actions.registration_create(meeting=meeting, user=world.people["resident"])


def test_a_seat_stays_once_the_meeting_has_taken_place(world: World) -> None:
    meeting = _meeting(world)
    actions.registration_create(meeting=meeting, user=world.people["resident"], access_needs="Ramp")
    meeting = move_meeting(meeting, days=-0.01)
    with pytest.raises(ValidationError, match="your seat can no longer be cancelled"):
        actions.registration_cancel(meeting=meeting, user=world.people["resident"])
    assert Registration.objects.filter(meeting=meeting).count() == 1


def test_a_meeting_whose_activity_closed_takes_no_questions(world: World) -> None:
    meeting = _meeting(world)
    service_actions.activity_transition(activity=meeting.activity, to_state=ActivityState.CLOSED)
    meeting = Meeting.objects.select_related("activity").get(pk=meeting.pk)
    with pytest.raises(ValidationError, match="This meeting no longer takes questions"):
        actions.question_ask(meeting=meeting, author=world.people["resident"], text="Still?")


def test_a_question_after_the_meeting_started_is_refused_with_a_reason(world: World) -> None:
    meeting = move_meeting(_meeting(world), days=-0.01)
    with pytest.raises(ValidationError, match="This meeting has started"):
        actions.question_ask(meeting=meeting, author=world.people["resident"], text="Too late?")


def test_a_question_is_a_contribution_answered_through_the_spine(world: World) -> None:
    meeting = _meeting(world)
    question = actions.question_ask(
        meeting=meeting, author=world.people["resident"], text="Will you open on Saturdays?"
    )
    contribution = question.contribution
    assert contribution.kind == "meeting_question"
    assert contribution.needs_answer
    assert contribution.title == "Will you open on Saturdays?"
    actions.question_answer(question=question, author=_clerk(world), body="From June, yes.")
    contribution.refresh_from_db()
    assert contribution.first_response_at is not None


def test_minutes_overdue_after_their_deadline(world: World) -> None:
    meeting = _meeting(world, days=-20, minutes_due_on=timezone.localdate() - dt.timedelta(days=1))
    service = meeting.board.service
    assert meeting.minutes_overdue
    assert list(queries.overdue_minutes(service)) == [meeting]
    actions.minutes_publish(meeting=meeting, minutes="We met.", published_by=_clerk(world))
    assert list(queries.overdue_minutes(service)) == []


def test_minutes_wait_for_the_meeting(world: World) -> None:
    meeting = _meeting(world)
    with pytest.raises(ValidationError, match="once the meeting has taken place"):
        actions.minutes_publish(meeting=meeting, minutes="Early.", published_by=_clerk(world))


def test_minutes_are_on_the_ledger_and_a_change_is_a_correction(world: World) -> None:
    meeting = move_meeting(_meeting(world), days=-0.01)
    actions.minutes_publish(meeting=meeting, minutes="We met.", published_by=_clerk(world))
    actions.minutes_publish(meeting=meeting, minutes="We met.", published_by=_clerk(world))
    actions.minutes_publish(meeting=meeting, minutes="We met at 6pm.", published_by=_clerk(world))
    entries = list(LedgerEntry.objects.filter(type=MINUTES).order_by("seq"))
    assert len(entries) == 2
    assert entries[1].corrects == entries[0].seq
    assert entries[1].content_value["minutes"] == "We met at 6pm."
    assert "entries match" in _verify()


def test_a_decision_with_votes_is_on_the_ledger(world: World) -> None:
    meeting = _meeting(world)
    clerk = _clerk(world)
    chair = make_member(meeting.board, clerk, name="Ann Chair", role="Chair", resident=False)
    resident = make_member(meeting.board, clerk, name="Bo Resident")
    question = actions.question_ask(meeting=meeting, author=world.people["resident"], text="Why?")
    move_meeting(meeting, days=-0.002)
    decision = actions.meeting_decision_record(
        meeting=meeting,
        title="Open on Saturdays",
        description="From June.",
        votes={chair.pk: "for", resident.pk: "abstain"},
        contributions=[question.contribution],
        recorded_by=clerk,
    )
    assert decision.decided_by == meeting.board.name
    assert list(decision.contributions.all()) == [question.contribution]
    assert MeetingDecision.objects.get(pk=decision.pk).meeting == meeting
    types = list(LedgerEntry.objects.in_order().values_list("type", flat=True))
    assert types[-3:] == ["decision", "decision_link", VOTES]
    votes = LedgerEntry.objects.get(type=VOTES).content_value["votes"]
    assert votes == [
        {"member": "Ann Chair", "role": "Chair", "vote": "for"},
        {"member": "Bo Resident", "role": "Member", "vote": "abstain"},
    ]
    assert "entries match" in _verify()


def test_only_members_on_the_board_that_day_and_not_away_can_have_voted(world: World) -> None:
    meeting = _meeting(world)
    clerk = _clerk(world)
    there = make_member(meeting.board, clerk, name="Ann There")
    away = make_member(meeting.board, clerk, name="Bo Away")
    later, earlier = make_members_outside_the_term(meeting.board, clerk)
    meeting = move_meeting(meeting, days=-30)
    actions.attendance_record(meeting=meeting, statuses={away.pk: "apologies"}, recorded_by=clerk)
    assert there in queries.voters(meeting)
    assert not {away, later, earlier} & set(queries.voters(meeting))
    for who in (away, later, earlier):
        with pytest.raises(ValidationError, match="Only members on the board on the day"):
            actions.meeting_decision_record(
                meeting=meeting,
                title="Open on Saturdays",
                description="From June.",
                votes={there.pk: "for", who.pk: "against"},
                recorded_by=clerk,
            )
    assert not LedgerEntry.objects.filter(type=VOTES).exists()
    form = forms.decision_form(meeting)
    assert f"vote_{there.pk}" in form.fields
    assert not {f"vote_{m.pk}" for m in (away, later, earlier)} & set(form.fields)


def test_a_decision_without_recorded_votes_has_no_votes_entry(world: World) -> None:
    meeting = move_meeting(_meeting(world), days=-0.01)
    actions.meeting_decision_record(
        meeting=meeting, title="Noted", description="The report.", recorded_by=_clerk(world)
    )
    assert not LedgerEntry.objects.filter(type=VOTES).exists()


def test_ledger_verify_catches_minutes_edited_in_the_database(world: World) -> None:
    meeting = move_meeting(_meeting(world), days=-0.01)
    actions.minutes_publish(meeting=meeting, minutes="We met.", published_by=_clerk(world))
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Meeting._meta.db_table} SET minutes = %s WHERE id = %s",  # noqa: S608
            ["We never met.", meeting.pk],
        )
    with pytest.raises(CommandError, match="no longer matches: the record's content"):
        _verify()


def test_a_decision_needs_the_meeting_to_have_happened(world: World) -> None:
    meeting = _meeting(world)
    with pytest.raises(ValidationError):
        actions.meeting_decision_record(
            meeting=meeting, title="Early", description="No.", recorded_by=_clerk(world)
        )
    assert not Decision.objects.filter(title="Early").exists()


def test_agenda_attendance_and_actions(world: World) -> None:
    meeting = _meeting(world)
    clerk = _clerk(world)
    with pytest.raises(ValidationError, match="at least one agenda item"):
        actions.agenda_publish(meeting=meeting, published_by=clerk)
    actions.agenda_item_add(meeting=meeting, title="Welcome", added_by=clerk)
    second = actions.agenda_item_add(meeting=meeting, title="Budget", added_by=clerk)
    assert second.position == 2
    actions.agenda_publish(meeting=meeting, published_by=clerk)
    assert meeting.agenda_published_at is not None
    member = make_member(meeting.board, clerk)
    actions.attendance_record(meeting=meeting, statuses={member.pk: "apologies"}, recorded_by=clerk)
    actions.attendance_record(meeting=meeting, statuses={member.pk: "present"}, recorded_by=clerk)
    assert [a.status for a in meeting.attendance.all()] == ["present"]
    with pytest.raises(ValidationError):
        actions.attendance_record(meeting=meeting, statuses={10**6: "present"}, recorded_by=clerk)
    action = actions.action_add(
        meeting=meeting,
        description="Write to the GP surgeries",
        owner="The service manager",
        due_on=timezone.localdate() + dt.timedelta(days=30),
        added_by=clerk,
    )
    actions.action_mark_done(action=action, done=True, marked_by=clerk)
    assert meeting.actions.get().done
