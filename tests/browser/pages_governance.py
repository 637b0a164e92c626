"""Walks through the governance pages: boards, meetings, booking a seat, questions, and the
clerk's pages, for axe and the page coverage test.

Imported at the end of ``pages.py``, so the walks join its PUBLIC and STAFF registries. The walks
use the recovery partnership board of the demo story, with its held and its next meeting.
"""

from __future__ import annotations

import datetime as dt

from playwright.sync_api import expect

from tests.browser.audit import Auditor, fill_date
from tests.browser.pages import COUNCIL_ADMIN, RECOVERY, RESIDENT, public, staff

BOARD = "Recovery partnership board"
NEXT_MEETING = "Summer meeting of the partnership board"
HELD_MEETING = "Autumn meeting of the partnership board"


@public(
    user=None,
    covers={"governance:board_list", "governance:board_detail", "governance:meeting_detail"},
)
def boards_and_meetings(a: Auditor) -> None:
    from coproduce.governance.models import Meeting

    a.goto(a.url("governance:board_list", RECOVERY), heading="Boards and meetings")
    a.submit(a.page.get_by_role("link", name=BOARD), heading=BOARD)
    expect(a.page.get_by_role("table")).to_contain_text("Resident member")
    held = Meeting.objects.get(title=HELD_MEETING)
    a.goto(held.get_absolute_url(), heading=HELD_MEETING)
    expect(a.page.locator("main")).to_contain_text("Answer in the minutes:")
    a.goto(Meeting.objects.get(title=NEXT_MEETING).get_absolute_url(), heading=NEXT_MEETING)


@staff(
    user=RESIDENT,
    covers={
        "governance:meeting_detail",
        "governance:meeting_register",
        "governance:registration_cancel",
        "governance:question_create",
    },
)
def book_a_seat_and_ask_a_question(a: Auditor) -> None:
    from coproduce.governance.models import Meeting

    meeting = Meeting.objects.get(title=NEXT_MEETING)
    a.goto(meeting.get_absolute_url(), heading=NEXT_MEETING)
    a.field("Access needs (optional)").fill("A hearing loop, please.")
    a.submit(a.button("Book a seat"), heading=NEXT_MEETING)
    a.page.get_by_text("You have a seat at this meeting.").first.wait_for()
    a.submit(a.button("Cancel my seat"), heading=NEXT_MEETING)
    a.goto(a.url("governance:meeting_register", meeting.pk), heading="Book a seat")
    a.goto(a.url("governance:question_create", meeting.pk), heading="Ask the board a question")
    a.submit(a.button("Send question"))
    a.errors_shown()


@staff(
    user=COUNCIL_ADMIN,
    covers={
        "governance:board_create",
        "governance:member_add",
        "governance:meeting_create",
        "governance:clerk",
        "governance:agenda_publish",
        "governance:attendance",
        "governance:minutes",
        "governance:decision_create",
        "governance:action_create",
        "governance:question_answer",
        "governance:paper_add",
    },
)
def clerk_a_board(a: Auditor) -> None:
    from coproduce.governance.models import Board, Meeting, Question

    board = Board.objects.get(name=BOARD)
    a.goto(a.url("governance:board_create", RECOVERY), heading="Add a board")
    a.submit(a.button("Save"))
    a.errors_shown()
    a.goto(a.url("governance:member_add", board.pk), heading="Add a member")
    a.submit(a.button("Save"))
    a.errors_shown()
    a.goto(a.url("governance:meeting_create", board.pk), heading="Arrange a meeting")
    a.field("Title").fill("Extra meeting")
    a.field("Starts at").fill("25:00")
    a.submit(a.button("Save"))
    a.errors_shown()
    # A new meeting lands on its clerk's page; an agenda with no items cannot be published.
    day = dt.date.today() + dt.timedelta(days=60)
    a.field("Title").fill("Extra meeting")
    fill_date(a.page, "Date", day)
    a.field("Starts at").fill("18:00")
    a.field("Ends at").fill("19:00")
    a.page.get_by_label("Online", exact=True).check()
    a.field("Link to join (online)").fill("https://meet.northfield.example/extra")
    fill_date(a.page, "Minutes published by", day + dt.timedelta(days=14))
    a.submit(a.button("Save"), heading="Extra meeting")
    a.submit(a.button("Publish the agenda"), heading="Extra meeting")
    a.page.get_by_text("Add at least one agenda item before you publish the agenda.").wait_for()
    # The agenda of a meeting whose minutes are out is fixed (decision 0139); the next one's not.
    held = Meeting.objects.get(title=HELD_MEETING)
    a.goto(a.url("governance:clerk", held.pk), heading=HELD_MEETING)
    a.page.get_by_text("The minutes are published, so the agenda and its papers").wait_for()
    upcoming = Meeting.objects.get(title=NEXT_MEETING)
    a.goto(a.url("governance:clerk", upcoming.pk), heading=NEXT_MEETING)
    a.submit(a.button("Add agenda item"))
    a.errors_shown()
    item = upcoming.agenda_items.first()
    assert item is not None
    a.goto(a.url("governance:paper_add", item.pk), heading="Add a paper")
    a.submit(a.button("Save"))
    a.errors_shown()
    for name, heading in [
        ("governance:attendance", "Record attendance"),
        ("governance:minutes", "Correct the minutes"),
        ("governance:decision_create", "Record a decision"),
        ("governance:action_create", "Add an action"),
    ]:
        a.goto(a.url(name, held.pk), heading=heading)
    a.submit(a.button("Save"))
    a.errors_shown()
    waiting = Question.objects.filter(meeting__title=NEXT_MEETING).first()
    assert waiting is not None
    a.goto(a.url("governance:question_answer", waiting.pk), heading="Answer a question")
    a.submit(a.button("Save"))
    a.errors_shown()
