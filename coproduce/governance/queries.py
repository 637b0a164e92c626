"""Reads of governance, and the loaders that find the thing a page is about or 404."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone

from coproduce.accounts.types import Visitor
from coproduce.governance import rules
from coproduce.governance.models import (
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Board,
    Meeting,
    MeetingDecision,
    Membership,
    Paper,
    Question,
    Registration,
    Vote,
)
from coproduce.services.models import Service
from coproduce.services.rules import can_run_activities

MEETING_PATH = "board__service__organisation"


def visible_board(request: HttpRequest, pk: int) -> Board:
    board = get_object_or_404(Board.objects.select_related("service__organisation"), pk=pk)
    if not rules.can_view_board(request.user, board):
        raise Http404
    return board


def visible_meeting(request: HttpRequest, pk: int) -> Meeting:
    meeting = get_object_or_404(
        Meeting.objects.select_related(MEETING_PATH, "activity__service_stage"), pk=pk
    )
    if not rules.can_view_meeting(request.user, meeting):
        raise Http404
    return meeting


def visible_question(request: HttpRequest, pk: int) -> Question:
    question = get_object_or_404(
        Question.objects.select_related("contribution", "meeting__" + MEETING_PATH), pk=pk
    )
    if not rules.can_view_meeting(request.user, question.meeting):
        raise Http404
    return question


def visible_agenda_item(request: HttpRequest, pk: int) -> AgendaItem:
    item = get_object_or_404(AgendaItem.objects.select_related("meeting__" + MEETING_PATH), pk=pk)
    if not rules.can_view_meeting(request.user, item.meeting):
        raise Http404
    return item


def visible_paper(request: HttpRequest, pk: int) -> Paper:
    paper = get_object_or_404(Paper.objects.select_related("item__meeting__" + MEETING_PATH), pk=pk)
    if not rules.can_view_meeting(request.user, paper.item.meeting):
        raise Http404
    return paper


def meetings_seen_by(user: Visitor, board: Board) -> QuerySet[Meeting]:
    """The board's meetings this person may see: private ones only for the organisation's staff."""
    meetings = board.meetings.select_related(MEETING_PATH)
    return meetings if can_run_activities(user, board.service) else meetings.public()


def public_meetings_of(service: Service) -> QuerySet[Meeting]:
    return Meeting.objects.filter(board__service=service).public().select_related("board")


def overdue_minutes(service: Service) -> QuerySet[Meeting]:
    """Meetings whose minutes are past their deadline and not published (public ones)."""
    return (
        Meeting.objects.filter(board__service=service)
        .public()
        .minutes_overdue()
        .select_related("board")
        .order_by("minutes_due_on", "id")
    )


def overdue_minutes_all(service: Service) -> QuerySet[Meeting]:
    """The same, private meetings too: for the staff page."""
    return (
        Meeting.objects.filter(board__service=service)
        .minutes_overdue()
        .select_related("board")
        .order_by("minutes_due_on", "id")
    )


def questions_of(meeting: Meeting) -> QuerySet[Question]:
    """The published questions, with their answers."""
    return (
        Question.objects.filter(meeting=meeting, contribution__visibility="published")
        .select_related("contribution__author")
        .prefetch_related("contribution__responses")
        .order_by("contribution__created_at", "contribution_id")
    )


def decisions_of(meeting: Meeting) -> QuerySet[MeetingDecision]:
    return (
        MeetingDecision.objects.filter(meeting=meeting)
        .select_related("decision")
        .prefetch_related(Prefetch("votes", Vote.objects.select_related("membership")))
    )


def registration_of(user: Visitor, meeting: Meeting) -> Registration | None:
    if not user.is_authenticated:
        return None
    return Registration.objects.filter(meeting=meeting, user_id=user.pk).first()


def meeting_context(user: Visitor, meeting: Meeting) -> dict[str, Any]:
    """What the meeting page shows."""
    registrations = meeting.registrations.count()
    return {
        "meeting": meeting,
        "board": meeting.board,
        "service": meeting.board.service,
        "agenda": meeting.agenda_items.prefetch_related("papers"),
        "questions": questions_of(meeting),
        "attendance": meeting.attendance.select_related("membership"),
        "decisions": decisions_of(meeting),
        "actions": meeting.actions.all(),
        "registration": registration_of(user, meeting),
        "seats_left": max(meeting.public_seats - registrations, 0),
        "can_clerk": rules.can_clerk_meeting(user, meeting),
        "can_register": rules.can_register(user, meeting),
        "can_ask": rules.can_ask_question(user, meeting) and not meeting.has_started,
    }


def members_on_the_day(meeting: Meeting) -> QuerySet[Membership]:
    """The board's members on the day of the meeting (their term covers it): those whose
    attendance is recorded."""
    return meeting.board.memberships.on(timezone.localdate(meeting.starts_at)).order_by(
        "name", "id"
    )


def voters(meeting: Meeting) -> QuerySet[Membership]:
    """The members who may have voted at the meeting: on the board that day, and not recorded
    absent or as having sent apologies."""
    away = Attendance.objects.filter(meeting=meeting).exclude(status=AttendanceStatus.PRESENT)
    return members_on_the_day(meeting).exclude(pk__in=away.values("membership_id"))
