"""The small things a new user hit (issue 18, defects 2, 8 and 9), each seen in a real browser.

Each check failed on the code before the fix: a button's accessible name with a space before its
colon, Title Case on the sign-in pages, "Partners" broken over two lines, "You said, we did"
repeating headings and linking to itself, form pages without "Error:" in their title, a style the
CSP blocks on every page, jargon without plain words beside it, Django's raw length messages,
organisation pages without the contact details the accessibility statement promises, an author
supporting their own idea, a blank name saved, and 2025 news shown as "New" with today's date.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect
from pytest_playwright.pytest_playwright import CreateContextCallback

from coproduce.codesign.models import Idea
from coproduce.services.models import Service
from tests.browser.audit import Auditor, DemoSite

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser-small-things")]

RESIDENT = "resident@example.org"
COUNCIL_ADMIN = "amira.khan@northfield.example"
POLICING = "neighbourhood-policing-in-northfield"
RECOVERY = "drug-and-alcohol-recovery-service"


def _page(
    site: DemoSite, new_context: CreateContextCallback, user: str | None
) -> tuple[Page, Auditor, list[str]]:
    context = new_context()
    if user:
        site.sign_in(context, user)
    page = context.new_page()
    console: list[str] = []

    def heard(message: ConsoleMessage) -> None:
        if message.type == "error":
            console.append(message.text)

    page.on("console", heard)
    return page, Auditor(site, page), console


def test_what_a_visitor_sees(demo_site: DemoSite, new_context: CreateContextCallback) -> None:
    page, a, console = _page(demo_site, new_context, None)
    a.goto(a.url("services:home"))
    assert not console, console  # nothing the CSP blocks (htmx's indicator style was)
    # Django's own messages in plain words ("Ensure this value has at most 100 characters …").
    a.goto(a.url("services:home", query="q=" + "x" * 101))
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter 100 characters or fewer. You entered 101."
    )

    # The sign-in pages speak in sentence case, like every other page.
    a.goto(a.url("account_login"), heading="Sign in")
    expect(a.button("Sign in")).to_be_visible()
    expect(page.get_by_label("Remember me", exact=True)).to_be_visible()
    expect(page).to_have_title(re.compile("^Sign in"))
    a.goto(a.url("account_signup"), heading="Sign up")
    expect(a.button("Sign up")).to_be_visible()

    # A service's facts in the narrow side column: "Partners" on one line, not "Partner s".
    a.goto(a.url("services:detail", POLICING))
    facts = page.locator(".app-facts dt")
    partners = facts.filter(has_text="Partners")
    expect(partners).to_have_count(1)
    one_line = page.locator(".app-facts").get_by_text("Area", exact=True).bounding_box()
    box = partners.bounding_box()
    assert box is not None
    assert one_line is not None
    assert box["height"] <= one_line["height"] + 1, (box, one_line)
    # Jargon comes with plain words beside it.
    expect(
        page.get_by_role("heading", name=re.compile("How much say the public has had"))
    ).to_be_visible()
    expect(page.locator("body")).to_contain_text(
        re.compile(
            r": (we tell you|we ask you|we work with your ideas|we decide with you|you decide)"
        )
    )

    # "You said, we did": each activity named once per item, no heading repeated, no link to itself.
    a.goto(a.url("contributions:you_said_we_did", POLICING))
    expect(
        page.locator("main").get_by_role("link", name=re.compile("You said, we did"))
    ).to_have_count(0)
    headings = page.locator("main h3").all_inner_texts()
    assert len(headings) == len(set(headings)), headings

    # An organisation's page says how to contact it, as the accessibility statement promises.
    police = Service.objects.get(slug=POLICING).organisation
    a.goto(a.url("organisations:detail", police.slug))
    expect(page.get_by_role("heading", name="Contact")).to_be_visible()
    expect(page.get_by_role("link", name=police.contact_email)).to_be_visible()
    a.check()
    assert not a.problems, "\n".join(a.problems)


def test_what_a_resident_sees(demo_site: DemoSite, new_context: CreateContextCallback) -> None:
    page, a, console = _page(demo_site, new_context, RESIDENT)
    # Someone else's idea: the button's accessible name is the text, a dash and the idea.
    others = (
        Idea.objects.filter(contribution__activity__state="open")
        .exclude(contribution__author__email=RESIDENT)
        .filter(contribution__visibility="published")
        .first()
    )
    assert others is not None
    a.goto(a.url("codesign:idea_detail", others.pk))
    button = page.get_by_role("button", name=re.compile("^(Support this idea|Withdraw my support)"))
    name = button.evaluate("b => b.textContent.replace(/\\s+/g, ' ').trim()")
    assert others.title in name, name
    assert " :" not in name, name  # was "Support this idea : …"
    # Their own idea: no support button, and a word on why.
    own = Idea.objects.filter(contribution__author__email=RESIDENT).first()
    if own is not None:
        a.goto(a.url("codesign:idea_detail", own.pk))
        expect(page.get_by_role("button", name=re.compile("^Support this idea"))).to_have_count(0)

    # A name too long, then blank: plain messages, and nothing saved.
    a.goto(a.url("accounts:profile"))
    # As a script or an old browser would send it: past the field's own limit.
    a.field("Your name").evaluate("field => field.removeAttribute('maxlength')")
    a.field("Your name").fill("x" * 200)
    a.submit(a.button("Save"))
    expect(page).to_have_title(re.compile("^Error:"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("150 characters or fewer")
    a.field("Your name").fill("   ")
    a.submit(a.button("Save"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter your name")

    # News from 2025 is not "New", and shows when it happened, not today.
    a.goto(a.url("contributions:my_contributions"))
    news = page.locator("main h2:has-text('Recent news') + ul li").all_inner_texts()
    assert news, "the demo resident has news"
    dated = [
        (item, dt.datetime.strptime(re.findall(r"\((\d+ \w+ \d{4})\)", item)[-1], "%d %B %Y"))
        for item in news
    ]
    today = dt.datetime.combine(dt.date.today(), dt.time())
    assert any(when < today - dt.timedelta(days=14) for _item, when in dated), news
    for item, when in dated:
        if when < today - dt.timedelta(days=14):
            assert not item.startswith("New"), item  # old news is not "New"
    assert not console, console
    assert not a.problems, "\n".join(a.problems)


def test_what_staff_see(demo_site: DemoSite, new_context: CreateContextCallback) -> None:
    page, a, _console = _page(demo_site, new_context, COUNCIL_ADMIN)
    # A form page with errors says so in its title (for screen readers, first).
    a.goto(a.url("services:activity_create", RECOVERY))
    a.submit(a.button("Add activity"))
    a.errors_shown()
    expect(page).to_have_title(re.compile("^Error:"))
    a.goto(a.url("services:staff_service", RECOVERY))
    expect(page.locator("main")).to_contain_text("one time through all five stages")
    assert not a.problems, "\n".join(a.problems)
