"""Test data for governance, made through the real actions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from coproduce.accounts.models import User
from coproduce.contributions.models import Contribution
from coproduce.governance import actions
from coproduce.governance.models import Board, BoardKind, HowChosen, Meeting, MeetingFormat
from coproduce.services.models import Service


def make_board(service: Service, clerk: User, **extra: Any) -> Board:
    fields: dict[str, Any] = {
        "name": "Recovery partnership board",
        "kind": BoardKind.PARTNERSHIP,
        "remit": "Oversees the recovery service.",
        **extra,
    }
    return actions.board_create(service=service, created_by=clerk, **fields)


def make_member(board: Board, clerk: User, name: str = "Sam Jones", **extra: Any) -> Any:
    fields: dict[str, Any] = {
        "role": "Member",
        "chosen": HowChosen.ELECTION,
        "term_start": timezone.localdate() - dt.timedelta(days=100),
        "resident": True,
        "interests": "None",
        **extra,
    }
    return actions.membership_add(board=board, name=name, added_by=clerk, **fields)


def make_members_outside_the_term(board: Board, clerk: User) -> tuple[Any, Any]:
    """Two members not on the board a month ago: one who joins today, one who left long before."""
    today = timezone.localdate()
    later = make_member(board, clerk, name="Cy Later", term_start=today)
    earlier = make_member(
        board,
        clerk,
        name="Di Earlier",
        term_start=today - dt.timedelta(days=300),
        term_end=today - dt.timedelta(days=200),
    )
    return later, earlier


def make_meeting(
    board: Board, clerk: User, *, days: float = 7, hours: float = 2, **extra: Any
) -> Meeting:
    """A meeting that starts ``days`` from now (negative: in the past)."""
    starts_at = timezone.now() + dt.timedelta(days=days)
    fields: dict[str, Any] = {
        "title": "Spring meeting",
        "format": MeetingFormat.HYBRID,
        "place": "Northfield town hall",
        "link": "https://meet.example.org/board",
        "public_seats": 2,
        "minutes_due_on": timezone.localdate(starts_at) + dt.timedelta(days=14),
        **extra,
    }
    return actions.meeting_create(
        board=board,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=hours),
        created_by=clerk,
        **fields,
    )


def move_meeting(meeting: Meeting, *, days: float) -> Meeting:
    """Move a meeting in time (tests of questions after it started, overdue minutes).

    Questions already asked move with it to just before it starts, as they would have been
    asked; otherwise a meeting moved a few minutes back just after midnight would be on the
    day before its own questions.
    """
    length = meeting.ends_at - meeting.starts_at
    meeting.starts_at = timezone.now() + dt.timedelta(days=days)
    meeting.ends_at = meeting.starts_at + length
    meeting.save(update_fields=["starts_at", "ends_at"])
    Contribution.objects.filter(
        meeting_question__meeting=meeting, created_at__gte=meeting.starts_at
    ).update(created_at=meeting.starts_at - dt.timedelta(minutes=1))
    return meeting
