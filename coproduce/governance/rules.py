"""Who may see a board's business and who clerks it.

Boards and public meetings are public while their service is; a private meeting is seen only by
the staff of the organisation that runs the service. Clerking (creating boards and meetings,
agendas, attendance, minutes, decisions) is for the service's administrators and professionals,
the people who may record decisions and answer (decision 0029).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from coproduce.accounts.types import Visitor
from coproduce.governance.models import Board, Meeting, Paper, Question, Registration
from coproduce.services.models import Activity, Service
from coproduce.services.rules import can_manage_service, can_run_activities, can_view_service


def can_view_board(user: Visitor, board: Board) -> bool:
    return can_view_service(user, board.service)


def can_view_boards_of(user: Visitor, service: Service) -> bool:
    return can_view_service(user, service)


def can_clerk(user: Visitor, board: Board) -> bool:
    """Create meetings, write agendas and minutes, record attendance, decisions and actions."""
    return can_manage_service(user, board.service)


def can_clerk_service(user: Visitor, service: Service) -> bool:
    """Create a board for the service."""
    return can_manage_service(user, service)


def can_clerk_meeting(user: Visitor, meeting: Meeting) -> bool:
    return can_clerk(user, meeting.board)


def can_view_meeting(user: Visitor, meeting: Meeting) -> bool:
    """Public meetings with their service; private ones for the organisation's staff only."""
    service = meeting.board.service
    if meeting.is_public:
        return can_view_service(user, service)
    return can_run_activities(user, service)


def open_refused(activity: Activity) -> str | None:
    """Why a meeting's activity may not open (registered with the services app:
    ``register_method(open_refused=…)``): a private meeting's stays a draft, so that its title and
    the question form stay off the public pages (decision 0139)."""
    if Meeting.objects.filter(activity_id=activity.pk, is_public=False).exists():
        return _(
            "This is a private meeting, so its activity stays a draft and is not shown to the "
            "public."
        )
    return None


def can_register(user: Visitor, meeting: Meeting) -> bool:
    """Take a public seat: signed-in people, for a public meeting that has not started."""
    return bool(
        user.is_authenticated
        and meeting.is_public
        and meeting.public_seats > 0
        and not meeting.has_started
        and can_view_meeting(user, meeting)
    )


def can_ask_question(user: Visitor, meeting: Meeting) -> bool:
    """Ask a question in advance: signed-in people, for a public meeting (the action refuses,
    with a reason, once it has started)."""
    return bool(user.is_authenticated and meeting.is_public and can_view_meeting(user, meeting))


def can_view_registration(user: Visitor, registration: Registration) -> bool:
    """A registration and its access needs: the person and the clerk."""
    return bool(
        user.is_authenticated
        and (registration.user_id == user.pk or can_clerk_meeting(user, registration.meeting))
    )


def can_answer_question(user: Visitor, question: Question) -> bool:
    return can_clerk_meeting(user, question.meeting)


def can_view_paper(user: Visitor, paper: Paper) -> bool:
    """A paper: with its meeting, once the agenda is published (the clerk before)."""
    meeting = paper.item.meeting
    return can_view_meeting(user, meeting) and (
        meeting.agenda_published_at is not None or can_clerk_meeting(user, meeting)
    )


def can_add_paper(user: Visitor, item: Any) -> bool:
    return can_clerk_meeting(user, item.meeting)
