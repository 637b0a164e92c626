"""Governance: boards, meetings, registrations, questions, papers."""

from __future__ import annotations

from typing import Any

from coproduce.contributions.tests.world import World
from tests.security.permission_matrix.common import (
    DENIED,
    HIDDEN,
    MANAGE_SERVICE,
    OK,
    OWNER_MEMBERS,
    PUBLIC,
    SIGNED_IN,
    STAFF_ONLY_HIDDEN,
    Case,
    draft,
    published,
    row,
)


# --- Governance: boards and public meetings are public; private meetings only for the
# organisation's staff; the clerk is the service's admins and professionals.
def _governance(w: World) -> dict[str, Any]:
    """A board with a member, a public and a private meeting, and a question (made once)."""
    if "_governance" not in w.people:
        from django.core.files.uploadedfile import SimpleUploadedFile

        from coproduce.governance import actions as governance
        from coproduce.governance.tests.factories import make_board, make_meeting, make_member

        clerk = w.people["professional"]
        board = make_board(w.service, clerk)
        make_member(board, clerk)
        meeting = make_meeting(board, clerk)
        private = make_meeting(board, clerk, title="Private meeting", is_public=False)
        question = governance.question_ask(meeting=meeting, author=w.people["resident"], text="?")
        item = governance.agenda_item_add(meeting=meeting, title="Budget", added_by=clerk)
        governance.agenda_publish(meeting=meeting, published_by=clerk)
        paper = governance.paper_add(
            item=item,
            title="Budget report",
            upload=SimpleUploadedFile("budget.pdf", b"%PDF-1.7\n%%EOF\n"),
            added_by=clerk,
        )
        w.people["_governance"] = {
            "board": board,
            "meeting": meeting,
            "private": private,
            "question": question,
            "item": item,
            "paper": paper,
        }
    return dict(w.people["_governance"])


def board_pk(w: World) -> dict[str, Any]:
    return {"pk": _governance(w)["board"].pk}


def meeting_pk(w: World) -> dict[str, Any]:
    return {"pk": _governance(w)["meeting"].pk}


def private_meeting_pk(w: World) -> dict[str, Any]:
    return {"pk": _governance(w)["private"].pk}


def question_pk(w: World) -> dict[str, Any]:
    return {"pk": _governance(w)["question"].pk}


def agenda_item_pk(w: World) -> dict[str, Any]:
    return {"pk": _governance(w)["item"].pk}


def paper_pk(w: World) -> dict[str, Any]:
    return {"pk": _governance(w)["paper"].pk}


CLERK_PRIVATE = row(HIDDEN, HIDDEN, DENIED, OK, HIDDEN, OK, OK)
GOVERNANCE_CASES = [
    Case("governance:board_list", published, PUBLIC),
    Case("governance:board_list", draft, OWNER_MEMBERS, label="draft service"),
    Case("governance:meetings_ical", published, PUBLIC),
    Case("governance:board_detail", board_pk, PUBLIC),
    Case("governance:meeting_detail", meeting_pk, PUBLIC),
    Case("governance:meeting_detail", private_meeting_pk, STAFF_ONLY_HIDDEN, label="private"),
    Case("governance:meeting_register", meeting_pk, SIGNED_IN),
    Case(
        "governance:meeting_register",
        meeting_pk,
        SIGNED_IN,
        method="post",
        data=lambda w: {"access_needs": "A hearing loop"},
        label="post",
    ),
    Case(
        "governance:meeting_register",
        private_meeting_pk,
        row(HIDDEN, HIDDEN, DENIED, DENIED, HIDDEN, DENIED, DENIED),
        label="private",
    ),
    Case("governance:registration_cancel", meeting_pk, SIGNED_IN, method="post"),
    Case("governance:question_create", meeting_pk, SIGNED_IN),
    Case(
        "governance:question_create",
        meeting_pk,
        SIGNED_IN,
        method="post",
        data=lambda w: {"text": "Is there parking?"},
        label="post",
    ),
    Case("governance:board_create", published, MANAGE_SERVICE),
    Case("governance:member_add", board_pk, MANAGE_SERVICE),
    Case("governance:meeting_create", board_pk, MANAGE_SERVICE),
    Case("governance:clerk", meeting_pk, MANAGE_SERVICE),
    Case("governance:clerk", private_meeting_pk, CLERK_PRIVATE, label="private"),
    Case("governance:agenda_publish", meeting_pk, MANAGE_SERVICE, method="post"),
    Case("governance:attendance", meeting_pk, MANAGE_SERVICE),
    Case("governance:minutes", meeting_pk, MANAGE_SERVICE),
    Case("governance:decision_create", meeting_pk, MANAGE_SERVICE),
    Case("governance:action_create", meeting_pk, MANAGE_SERVICE),
    Case("governance:question_answer", question_pk, MANAGE_SERVICE),
    Case("governance:paper_add", agenda_item_pk, MANAGE_SERVICE),
    Case("governance:paper_download", paper_pk, PUBLIC),
]
