"""Governance endpoints: boards, their members and meetings, with agendas, published minutes and
the decisions taken (read-only; thin adapters over governance queries and rules)."""

# No `from __future__ import annotations` here: ninja reads the annotations of a @paginate-d
# operation through the wrapper, in another module, so they must be real objects (decision 0407).

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate

from coproduce.api.auth import OPTIONAL
from coproduce.api.common import READ, READ_ERRORS
from coproduce.api.schemas import IdPath, LimitOffset, Shaped, SlugPath
from coproduce.governance import queries
from coproduce.governance.models import Board, Meeting
from coproduce.services.queries import visible_service

router = Router(tags=["governance"])


class MemberOut(Schema):
    name: str
    role: str
    resident: bool
    chosen: str
    term_start: dt.date
    term_end: dt.date | None
    interests: str


class BoardOut(Schema):
    id: int
    service: str
    name: str
    kind: str
    remit: str


class BoardDetailOut(BoardOut):
    members: list[MemberOut]


class MeetingOut(Schema):
    id: int
    board: int
    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    format: str
    place: str
    public: bool
    public_seats: int
    minutes_due_on: dt.date
    minutes_overdue: bool
    minutes_published_at: dt.datetime | None


class AgendaItemOut(Schema):
    position: int
    title: str
    summary: str


class VoteOut(Schema):
    member: str
    vote: str


class MeetingDecisionOut(Schema):
    id: int
    title: str
    description: str
    decided_on: dt.date
    votes: list[VoteOut]


class ActionOut(Schema):
    description: str
    owner: str
    due_on: dt.date
    done: bool


class MeetingDetailOut(MeetingOut):
    agenda: list[AgendaItemOut]
    minutes: str | None
    decisions: list[MeetingDecisionOut]
    actions: list[ActionOut]


def _board_out(board: Board) -> dict[str, Any]:
    return {
        "id": board.pk,
        "service": board.service.slug,
        "name": board.name,
        "kind": board.kind,
        "remit": board.remit,
    }


def _meeting_out(meeting: Meeting) -> dict[str, Any]:
    return {
        "id": meeting.pk,
        "board": meeting.board_id,
        "title": meeting.title,
        "starts_at": meeting.starts_at,
        "ends_at": meeting.ends_at,
        "format": meeting.format,
        "place": meeting.place,
        "public": meeting.is_public,
        "public_seats": meeting.public_seats,
        "minutes_due_on": meeting.minutes_due_on,
        "minutes_overdue": meeting.minutes_overdue,
        "minutes_published_at": meeting.minutes_published_at,
    }


@router.get(
    "/services/{slug}/boards",
    response={200: list[BoardOut], **READ_ERRORS},
    auth=READ,
    openapi_extra=OPTIONAL,
    summary="Boards that govern a service",
)
@paginate(LimitOffset)
def board_list(request: HttpRequest, slug: SlugPath) -> Shaped[dict[str, Any]]:
    service = visible_service(request, slug)
    boards = service.boards.select_related("service").order_by("name", "id")
    return Shaped(boards, lambda rows: [_board_out(board) for board in rows])


@router.get(
    "/boards/{board_id}",
    response={200: BoardDetailOut, **READ_ERRORS},
    auth=READ,
    openapi_extra=OPTIONAL,
    summary="One board, with its members and their declared interests",
)
def board_detail(request: HttpRequest, board_id: IdPath) -> dict[str, Any]:
    board = queries.visible_board(request, board_id)
    members = [
        {
            "name": m.name,
            "role": m.role,
            "resident": m.resident,
            "chosen": m.chosen,
            "term_start": m.term_start,
            "term_end": m.term_end,
            "interests": m.interests,
        }
        for m in board.memberships.all()
    ]
    return {**_board_out(board), "members": members}


@router.get(
    "/boards/{board_id}/meetings",
    response={200: list[MeetingOut], **READ_ERRORS},
    auth=READ,
    openapi_extra=OPTIONAL,
    summary="A board's meetings, newest first (private ones only for its organisation's staff)",
)
@paginate(LimitOffset)
def meeting_list(request: HttpRequest, board_id: IdPath) -> Shaped[dict[str, Any]]:
    board = queries.visible_board(request, board_id)
    meetings = queries.meetings_seen_by(request.user, board).order_by("-starts_at", "-id")
    return Shaped(meetings, lambda rows: [_meeting_out(meeting) for meeting in rows])


@router.get(
    "/meetings/{meeting_id}",
    response={200: MeetingDetailOut, **READ_ERRORS},
    auth=READ,
    openapi_extra=OPTIONAL,
    summary="One meeting: its agenda once published, its minutes once published, the "
    "decisions taken (with votes where recorded) and its actions",
)
def meeting_detail(request: HttpRequest, meeting_id: IdPath) -> dict[str, Any]:
    meeting = queries.visible_meeting(request, meeting_id)
    agenda = meeting.agenda_items.all() if meeting.agenda_published_at else []
    decisions = [
        {
            "id": record.decision.pk,
            "title": record.decision.title,
            "description": record.decision.description,
            "decided_on": record.decision.decided_on,
            "votes": [
                {"member": vote.membership.name, "vote": vote.choice} for vote in record.votes.all()
            ],
        }
        for record in queries.decisions_of(meeting)
    ]
    return {
        **_meeting_out(meeting),
        "agenda": [
            {"position": item.position, "title": item.title, "summary": item.summary}
            for item in agenda
        ],
        "minutes": meeting.minutes if meeting.minutes_published_at else None,
        "decisions": decisions,
        "actions": [
            {"description": a.description, "owner": a.owner, "due_on": a.due_on, "done": a.done}
            for a in meeting.actions.all()
        ],
    }
