"""A professional works through the staff inbox (issue 18, defect 7).

Tom Price, a professional of Northfield Borough Council, signs in with his authenticator code and
opens the inbox of the drug and alcohol recovery service from its staff page. He narrows it to
one activity and to what has waited more than a week, answers one idea in place (htmx swaps the
item for his answer), then, in a browser with JavaScript turned off, answers another (the inbox
comes back with a message) after first sending it empty (the answer page shows the error). Back
with JavaScript, he ticks two ideas and records a decision informed by them: the decision form
opens with both ticked, and the decision's page lists them. Then he adds a third to that decision
from the inbox.

Every page he lands on with JavaScript is checked with axe, including the inbox after each change
in place; the pages seen only without JavaScript must be kinds of page checked with it on.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, expect
from pytest_playwright.pytest_playwright import CreateContextCallback

from coproduce.accounts.models import User
from coproduce.contributions.models import Contribution, Decision
from coproduce.services.models import Activity, Service
from tests.browser.audit import Auditor, DemoSite, fill_date
from tests.browser.test_loop_journey import (
    NoScriptAuditor,
    banner,
    card,
    follow,
    heading,
    menu,
    staff_sign_in,
)

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser-inbox")]

PROFESSIONAL = "tom.price@northfield.example"
SERVICE = "Drug and alcohol recovery service"
SLUG = "drug-and-alcohol-recovery-service"
CHALLENGE = "Ideas for evening and weekend support"
STORIES = "When the hub was closed"

# Title, days waiting.
IDEAS = [
    ("Peer mentors on Thursday evenings", 40),
    ("Text reminders the day before", 20),
    ("A late bus from the hub", 10),
    ("Childcare during evening groups", 2),
]
STORY = ("Nobody answered the phone on Sunday", 15)
DECISION = "Peer mentors and text reminders from April"


def seed() -> None:
    """An idea challenge and a story collection of the recovery service, with what residents
    said over the last six weeks; none of it answered yet."""
    from coproduce.codesign.tests.factories import IdeaChallengeFactory, IdeaFactory
    from coproduce.insight.tests.factories import StoryCollectionFactory, StoryFactory, approve

    service = Service.objects.get(slug=SLUG)
    residents = list(User.objects.filter(email__endswith="@example.org").order_by("email"))
    challenge = IdeaChallengeFactory(service=service, title=CHALLENGE)
    for number, (title, days) in enumerate(IDEAS):
        idea = IdeaFactory(
            activity=challenge, author=residents[number % len(residents)], title=title
        )
        _made_days_ago(idea.contribution, days)
    collection = StoryCollectionFactory(service=service, title=STORIES)
    story = StoryFactory(activity=collection, author=residents[0], title=STORY[0])
    approve(story.contribution)
    _made_days_ago(story.contribution, STORY[1])


def _made_days_ago(contribution: Contribution, days: int) -> None:
    moment = timezone.now() - dt.timedelta(days=days, hours=1)
    Contribution.objects.filter(pk=contribution.pk).update(created_at=moment)


def items(a: Auditor) -> Locator:
    return a.page.locator("ul.app-card-list > li.app-card-list__item")


def titles(a: Auditor) -> list[str]:
    return [
        text.strip()
        for text in items(a).locator("p.govuk-body > strong > a.govuk-link").all_inner_texts()
    ]


def opens_the_inbox_and_filters(a: Auditor) -> str:
    """From the staff service page to the inbox, then narrowed to the new idea challenge and to
    what has waited more than a week; returns the address of the challenge's inbox."""
    from coproduce.contributions.queries_inbox import waiting_in

    page = a.page
    waiting = waiting_in(Service.objects.get(slug=SLUG)).count
    staff_sign_in(a, PROFESSIONAL)
    follow(a, menu(page, "Staff"), heading="Your services")
    follow(a, page.get_by_role("link", name=SERVICE, exact=True), heading=SERVICE)
    expect(page.get_by_text(f"{waiting} contributions are waiting for an answer.")).to_be_visible()
    follow(
        a,
        page.get_by_role("button", name=f"Open the inbox ({waiting} waiting)"),
        heading="Waiting for an answer",
    )
    expect(page.get_by_role("heading", name=f"{waiting} waiting")).to_be_visible()
    page.get_by_label("Activity", exact=True).select_option(label=CHALLENGE)
    page.get_by_label("More than 7 days", exact=True).check()
    a.submit(a.button("Apply filters"), heading="Waiting for an answer")
    assert titles(a) == [IDEAS[0][0], IDEAS[1][0], IDEAS[2][0]]  # oldest first
    expect(card(page, IDEAS[0][0])).to_contain_text("Waiting 40 days")
    page.get_by_label("Any time", exact=True).check()
    a.submit(a.button("Apply filters"))
    assert titles(a) == [title for title, _days in IDEAS]
    challenge_inbox = page.url
    page.get_by_label("Activity", exact=True).select_option(label="All activities")
    page.get_by_label("Kind of contribution", exact=True).select_option(label="Story")
    page.get_by_label("More than 14 days", exact=True).check()
    a.submit(a.button("Apply filters"))
    assert STORY[0] in titles(a)
    assert not set(titles(a)) & {title for title, _days in IDEAS}
    follow(a, page.get_by_role("link", name="Clear the filters"))
    expect(page.get_by_role("heading", name=f"{waiting} waiting")).to_be_visible()
    return challenge_inbox


def answers_in_place(a: Auditor) -> None:
    """With JavaScript: an empty answer shows its error in the item; the answer replaces it."""
    page = a.page
    item = card(page, IDEAS[1][0])
    publish = item.get_by_role("button", name=re.compile("^Publish the answer"))
    a.click(publish, then=item.locator(".govuk-error-message"))
    expect(item.locator(".govuk-error-message")).to_contain_text("Write the answer.")
    expect(item.get_by_label("Your answer")).to_be_focused()
    item.get_by_label("Your answer").fill("Yes: from April we will text everyone the day before.")
    a.click(publish, then=item.locator("strong.govuk-tag", has_text="Answered"))
    expect(item).to_contain_text("Your answer is published.")
    expect(item).to_be_focused()
    expect(banner(page)).to_have_count(0)  # nothing reloaded: the item itself said so


def answers_without_javascript(a: Auditor, inbox_url: str) -> None:
    """Without JavaScript the same form posts: an error shows the answer page, then the inbox
    comes back with a message and without the answered idea."""
    page = a.page
    a.goto(inbox_url, heading="Waiting for an answer")
    expect(page.locator("body")).not_to_have_class(re.compile(r"\bjs-enabled\b"))
    item = card(page, IDEAS[2][0])
    a.submit(item.get_by_role("button", name=re.compile("^Publish the answer")))
    expect(heading(page)).to_have_text("Answer this idea")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Write the answer.")
    a.field("Your answer").fill("We are asking the bus company about a 9pm service.")
    a.submit(a.button("Publish the answer"), heading="Waiting for an answer")
    expect(banner(page)).to_contain_text("Your answer is published")
    expect(card(page, IDEAS[2][0])).to_have_count(0)
    assert a.page.url == inbox_url


def ticks_two_and_decides(a: Auditor, inbox_url: str) -> None:
    page = a.page
    a.goto(inbox_url, heading="Waiting for an answer")
    assert titles(a) == [IDEAS[0][0], IDEAS[3][0]]  # both answered ones have left the list
    page.get_by_label(f"Tick for a decision – {IDEAS[0][0]}").check()
    page.get_by_label(f"Tick for a decision – {IDEAS[3][0]}").check()
    a.submit(a.button("Record a decision about the ones ticked"), heading="Record a decision")
    for title in (IDEAS[0][0], IDEAS[3][0]):
        expect(page.get_by_label(f"Idea: {title}", exact=True)).to_be_checked()
    # The newest contributions that need an answer are there to tick as well.
    expect(page.get_by_label(f"Idea: {IDEAS[1][0]}", exact=True)).not_to_be_checked()
    a.field("What was decided").fill(DECISION)
    a.field("Details and reasons").fill(
        "People in recovery asked for support on weekday evenings and for reminders. Peer "
        "mentors start on Thursday evenings, and the hub texts everyone the day before."
    )
    a.field("Decided by").fill("Recovery service board")
    fill_date(page, "Date of the decision", timezone.localdate())
    a.submit(a.button("Record decision"), heading=DECISION)
    for title in (IDEAS[0][0], IDEAS[3][0]):
        expect(page.get_by_role("link", name=title, exact=True)).to_be_visible()
    decision = Decision.objects.get(title=DECISION)
    assert {c.title for c in decision.contributions.all()} == {IDEAS[0][0], IDEAS[3][0]}


def adds_the_story_to_the_decision(a: Auditor) -> None:
    page = a.page
    stories = Activity.objects.get(title=STORIES)
    a.goto(a.url("contributions:service_inbox", SLUG, query=f"activity={stories.pk}"))
    page.get_by_label(f"Tick for a decision – {STORY[0]}").check()
    today = timezone.localdate()
    page.get_by_label("Decision", exact=True).select_option(
        label=f"{DECISION} ({today.day} {today:%B %Y})"
    )
    a.submit(a.button("Add them to this decision"), heading="Waiting for an answer")
    expect(banner(page)).to_contain_text("Contributions linked")
    decision = Decision.objects.get(title=DECISION)
    assert STORY[0] in {c.title for c in decision.contributions.all()}


def sees_the_answer_page_with_an_error(a: Auditor) -> None:
    """The page a person without JavaScript sees when their answer is empty, checked by axe."""
    idea = Contribution.objects.get(idea__title=IDEAS[3][0])
    a.goto(a.url("contributions:respond", idea.pk, query="next=/staff/inbox/"))
    a.submit(a.button("Publish the answer"), heading="Answer this idea")
    a.errors_shown()


def test_a_professional_answers_and_decides_from_the_inbox(
    demo_site: DemoSite, new_context: CreateContextCallback
) -> None:
    seed()
    staff = Auditor(demo_site, new_context().new_page())
    inbox_url = opens_the_inbox_and_filters(staff)
    staff.goto(inbox_url)
    answers_in_place(staff)

    # Without JavaScript: his session in a second browser (an authenticator code cannot be used
    # twice, and this is within its 30 seconds, so this browser is signed in directly).
    context = new_context(java_script_enabled=False)
    demo_site.sign_in(context, PROFESSIONAL)
    later = NoScriptAuditor(demo_site, context.new_page())
    answers_without_javascript(later, inbox_url)
    sees_the_answer_page_with_an_error(staff)

    ticks_two_and_decides(staff, inbox_url)
    adds_the_story_to_the_decision(staff)

    checked_with_axe = {demo_site.url_name(url) for url in staff.checked}
    not_checked = {demo_site.url_name(url) for url in later.checked} - checked_with_axe
    assert not not_checked, f"pages seen only without JavaScript, never checked: {not_checked}"
    assert not staff.problems, f"{len(staff.problems)} pages with axe violations:\n" + "\n".join(
        staff.problems
    )
    assert not staff.script_errors, f"JavaScript errors: {staff.script_errors}"
