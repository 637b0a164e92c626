"""Governance (issue 15): the clerk of the recovery partnership board arranges a meeting and
publishes its agenda; a resident books a seat, with access needs, and asks a question; after the
meeting the clerk answers the question, publishes the minutes and records a decision with votes;
a visitor reads them all on the meeting's page. The same again with JavaScript off. Every page
seen with JavaScript is checked with axe (docs/governance.md).
"""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect
from pytest_playwright.pytest_playwright import CreateContextCallback

from tests.browser.audit import Auditor, DemoSite, fill_date

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser-governance")]

CLERK = "tom.price@northfield.example"  # a professional at the council, with TOTP set up
RESIDENT = "resident@example.org"
BOARD = "Recovery partnership board"


class NoScriptAuditor(Auditor):
    """Records pages in a browser with JavaScript off, where axe cannot run (see the README)."""

    def check(self) -> None:
        self.checked.append(self.page.url)


def _auditor(
    site: DemoSite, new_context: CreateContextCallback, email: str | None, *, script: bool
) -> Auditor:
    context = new_context(java_script_enabled=script)
    if email:
        site.sign_in(context, email)
    page = context.new_page()
    return Auditor(site, page) if script else NoScriptAuditor(site, page)


def journey(site: DemoSite, new_context: CreateContextCallback, *, script: bool) -> None:
    from django.utils import timezone

    from coproduce.governance.models import Meeting

    title = f"Extra meeting ({'with' if script else 'without'} JavaScript)"
    question = f"Is there a crèche at the {'first' if script else 'second'} extra meeting?"
    decision = f"Crèche at board meetings ({'one' if script else 'two'})"

    # The clerk arranges the meeting and publishes its agenda.
    clerk = _auditor(site, new_context, CLERK, script=script)
    clerk.goto(clerk.url("governance:board_list", "drug-and-alcohol-recovery-service"))
    clerk.submit(clerk.page.get_by_role("link", name=BOARD), heading=BOARD)
    clerk.submit(
        clerk.page.get_by_role("link", name="Arrange a meeting"), heading="Arrange a meeting"
    )
    day = dt.date.today() + dt.timedelta(days=3)
    clerk.field("Title").fill(title)
    fill_date(clerk.page, "Date", day)
    clerk.field("Starts at").fill("18:00")
    clerk.field("Ends at").fill("20:00")
    clerk.page.get_by_label("In person", exact=True).check()
    clerk.field("Place (in person)").fill("Northfield town hall")
    clerk.field("Seats for the public").fill("5")
    fill_date(clerk.page, "Minutes published by", day + dt.timedelta(days=14))
    clerk.submit(clerk.button("Save"), heading=title)
    clerk.field("Agenda item").fill("Questions from the public")
    clerk.submit(clerk.button("Add agenda item"), heading=title)
    clerk.submit(clerk.button("Publish the agenda"), heading=title)
    expect(clerk.page.locator("main")).to_contain_text("Published on")
    meeting = Meeting.objects.get(title=title)

    # A resident books a seat, with access needs, and asks a question.
    resident = _auditor(site, new_context, RESIDENT, script=script)
    resident.goto(meeting.get_absolute_url(), heading=title)
    expect(resident.page.locator("main")).to_contain_text("Questions from the public")
    resident.field("Access needs (optional)").fill("Step-free access, please.")
    resident.submit(resident.button("Book a seat"), heading=title)
    expect(resident.page.locator("main")).to_contain_text("You have a seat at this meeting.")
    resident.submit(
        resident.page.get_by_role("link", name="Ask the board a question before the meeting"),
        heading="Ask the board a question",
    )
    resident.field("Your question").fill(question)
    resident.submit(resident.button("Send question"), heading=title)
    expect(resident.page.locator("main")).to_contain_text(question)

    # The meeting takes place.
    now = timezone.now()
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=now - dt.timedelta(minutes=1), ends_at=now + dt.timedelta(hours=1)
    )

    # The clerk sees the access needs, answers the question, publishes minutes and a decision.
    clerk.goto(clerk.url("governance:clerk", meeting.pk), heading=title)
    expect(clerk.page.locator("main")).to_contain_text("Step-free access, please.")
    clerk.submit(
        clerk.page.get_by_role("link", name="Answer", exact=True), heading="Answer a question"
    )
    clerk.field("Answer").fill("Yes: a crèche at every meeting from now on.")
    clerk.submit(clerk.button("Save"), heading=title)
    clerk.submit(
        clerk.page.get_by_role("link", name="Publish the minutes"), heading="Publish the minutes"
    )
    clerk.field("Minutes").fill("The board took one question from the public and agreed a crèche.")
    clerk.submit(clerk.button("Save"), heading=title)
    expect(clerk.page.locator("main")).to_contain_text("recorded on the public ledger")
    clerk.goto(clerk.url("governance:decision_create", meeting.pk), heading="Record a decision")
    clerk.field("What was decided").fill(decision)
    clerk.field("Details and reasons").fill("Asked for by a resident before the meeting.")
    clerk.page.get_by_label("How Carl Dawson voted", exact=True).select_option("for")
    clerk.submit(clerk.button("Save"), heading=title)

    # Anyone reads it all on the meeting's page.
    visitor = _auditor(site, new_context, None, script=script)
    visitor.goto(meeting.get_absolute_url(), heading=title)
    main = visitor.page.locator("main")
    expect(main).to_contain_text("Yes: a crèche at every meeting from now on.")
    expect(main).to_contain_text("agreed a crèche")
    expect(main).to_contain_text(decision)
    expect(visitor.page.get_by_role("table", name="How members voted")).to_contain_text(
        "Carl Dawson"
    )


def test_a_resident_takes_part_in_a_meeting_and_the_clerk_publishes_it(
    demo_site: DemoSite, new_context: CreateContextCallback
) -> None:
    journey(demo_site, new_context, script=True)
    journey(demo_site, new_context, script=False)
