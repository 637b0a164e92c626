"""Opinion maps (issue 14): a visitor without an account votes on statements one at a time,
changes a vote, adds a statement (the similarity check asks first); a moderator accepts it,
rejects another (a reason is needed) and marks a third as meta; the visitor sees the map and their
group; staff publish the summary, which shows in "You said, we did"; the visitor signs in and
keeps their votes. The same again with JavaScript off. Every page seen with JavaScript is checked
with axe.

The map is a background task: here the test runs it in-process (``tasks.run_map``), as the worker
would after the votes.
"""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect
from pytest_playwright.pytest_playwright import CreateContextCallback

from coproduce.accounts.tests.factories import DEFAULT_PASSWORD
from tests.browser.audit import Auditor, DemoSite, fill_date
from tests.browser.pages_conversations import make_conversation
from tests.browser.test_budgeting import _auditor, _done

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser-conversations")]

RESIDENT = "resident@example.org"
COUNCIL_ADMIN = "amira.khan@northfield.example"
VOTES = ["Agree", "Disagree", "Pass or unsure"]


def _vote(a: Auditor, button: str, count: int, title: str, *, script: bool) -> None:
    progress = a.page.get_by_text(f"You have voted on {count} of 8 statements")
    if script:  # htmx swaps in the next statement in place
        a.click(a.button(button), then=progress)
    else:
        a.submit(a.button(button), heading=title)
        expect(progress).to_be_visible()


def _by_statement(a: Auditor, action: str, pk: int, heading: str = "Moderate statements") -> None:
    a.submit(
        a.page.get_by_role("button", name=f"{action} statement {pk}", exact=True), heading=heading
    )


def journey(site: DemoSite, new_context: CreateContextCallback, *, script: bool) -> None:
    from coproduce.contributions.models import Decision
    from coproduce.conversations import actions, tasks
    from coproduce.conversations.models import Statement, Vote

    mark = "with JavaScript" if script else "without JavaScript"
    title = f"Evening support ({mark})"
    conversation = make_conversation(title, people=12)

    # A visitor votes on every statement, one at a time.
    visitor = _auditor(site, new_context, None, script=script)
    visitor.goto(conversation.activity.get_absolute_url())
    visitor.submit(visitor.page.get_by_role("link", name="Vote on statements"), heading=title)
    for count in range(1, 9):
        _vote(visitor, VOTES[count % 3], count, title, script=script)
    expect(visitor.page.locator("#all-voted")).to_contain_text("You have voted on every statement")

    # ... changes the first vote ...
    visitor.submit(visitor.page.get_by_role("link", name="Change your votes"), heading="Your votes")
    first = visitor.page.locator("fieldset").first
    first_text = first.locator("legend").inner_text().strip()
    visitor.submit(first.get_by_role("button", name="Pass or unsure"), heading="Your votes")
    cookie = next(
        c["value"] for c in visitor.page.context.cookies() if c["name"] == f"cv-{conversation.pk}"
    )
    key = cookie.strip('"').split(":", 1)[0]  # the signed cookie: key:signature
    changed = Vote.objects.get(participant__key=key, statement__text=first_text)
    assert changed.value == 0, first_text

    # ... and adds a statement: the similarity check asks first.
    visitor.goto(visitor.url("conversations:statement_add", conversation.pk))
    mine = f"The hub should open on Saturday mornings as well ({mark})"
    visitor.field("Your statement").fill(mine)
    visitor.submit(visitor.button("Add my statement"), heading="Is your statement already here?")
    expect(visitor.page.locator("main")).to_contain_text("The hub should open on Saturday")
    visitor.submit(visitor.button("Add mine anyway"))
    expect(visitor.page.locator("main")).to_contain_text("moderator")
    added = Statement.objects.get(text=mine)
    assert added.contribution.visibility == "pending"

    # Two more statements from other people, for the moderator.
    other = actions.participant_get_or_create(conversation=conversation)
    off_topic = actions.statement_add(
        conversation=conversation, participant=other, text=f"Fix the lights on Mill Lane ({mark})"
    )
    about = actions.statement_add(
        conversation=conversation,
        participant=other,
        text=f"This conversation should ask about weekends too ({mark})",
    )

    # A moderator accepts the visitor's, rejects one (a reason is needed) and marks one as meta.
    staff = _auditor(site, new_context, COUNCIL_ADMIN, script=script)
    staff.goto(staff.url("conversations:moderation", conversation.pk), heading="Moderate")
    _by_statement(staff, "Accept", added.pk)
    _by_statement(staff, "Reject", off_topic.pk, heading="Reject a statement")
    staff.errors_shown()
    staff.field("Why is it rejected?").fill("It is not about evening support.")
    staff.submit(staff.button("Reject the statement"), heading="Moderate statements")
    _by_statement(staff, "Mark as meta", about.pk)
    for statement in (added, off_topic, about):
        statement.refresh_from_db()
        statement.contribution.refresh_from_db()
    assert added.contribution.visibility == "published"
    assert off_topic.contribution.visibility == "hidden"
    assert off_topic.rejected_reason == "It is not about evening support."
    assert about.is_meta

    # The map is computed (the worker's job); the visitor sees it and their group.
    tasks.run_map(conversation.pk)
    visitor.goto(visitor.url("conversations:conversation", conversation.pk), heading=title)
    expect(visitor.page.locator("#your-group")).to_contain_text("You are in group")
    visitor.submit(
        visitor.page.get_by_role("link", name="See what your group thinks"), heading="Opinion map"
    )
    expect(visitor.page.locator("main")).to_contain_text("You are in group")
    expect(visitor.page.locator("svg[role=img]")).to_be_visible()
    expect(visitor.page.locator("main")).not_to_contain_text("Fix the lights on Mill Lane")

    # Staff publish the summary; it shows in "You said, we did".
    summary = f"What you told us about evening support ({mark})"
    staff.goto(staff.url("conversations:summary", conversation.pk), heading="Publish the summary")
    staff.field("Title of the summary").fill(summary)
    staff.field("The summary").fill("Two groups: one wants weekends, one evenings in town.")
    staff.field("Who decided").fill("Recovery service team")
    fill_date(staff.page, "Date of the decision", dt.date.today())
    staff.submit(staff.button("Publish the summary"))
    assert Decision.objects.filter(title=summary).exists()
    visitor.goto(visitor.url("contributions:you_said_we_did", conversation.activity.service.slug))
    expect(visitor.page.locator("main")).to_contain_text(summary)
    visitor.goto(visitor.url("conversations:report", conversation.pk), heading="Report")
    expect(visitor.page.locator("main")).to_contain_text(summary)

    # The visitor signs in: their votes come with them.
    visitor.goto(visitor.url("conversations:conversation", conversation.pk))
    visitor.goto(
        visitor.url("account_login", query=f"next=/conversations/{conversation.pk}/"),
        heading="Sign in",
    )
    visitor.field("Email").fill(RESIDENT)
    visitor.field("Password").fill(DEFAULT_PASSWORD)
    visitor.submit(visitor.button("Sign in"), heading=title)
    expect(visitor.page.get_by_text("You have voted on 9 of 9 statements")).to_be_visible()
    kept = Vote.objects.filter(conversation=conversation, participant__user__email=RESIDENT)
    assert kept.count() == 9
    assert kept.get(statement__text=first_text).value == 0

    _done(visitor)
    _done(staff)


def test_an_opinion_map_with_javascript(
    demo_site: DemoSite, new_context: CreateContextCallback
) -> None:
    journey(demo_site, new_context, script=True)


def test_an_opinion_map_without_javascript(
    demo_site: DemoSite, new_context: CreateContextCallback
) -> None:
    journey(demo_site, new_context, script=False)
