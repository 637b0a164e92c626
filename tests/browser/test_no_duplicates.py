"""Back, then submit again, posts nothing twice (issue 18, defect 5).

A resident posts an idea, presses the browser's Back button and sends the same form again. The
second post makes no new idea: it lands on the first idea's page, which says it was already
received, and the challenge lists the idea once. The same again in a browser with JavaScript off
(where no script could stop a second click). Every page seen with JavaScript is checked with axe.
See docs/decisions/0021-one-time-form-tokens.md.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from pytest_playwright.pytest_playwright import CreateContextCallback

from tests.browser.audit import Auditor, DemoSite

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser-no-duplicates")]

RESIDENT = "resident@example.org"  # Jo Bennett in the demo
SERVICE = "Youth mental health support"
CHALLENGE = "Your ideas for young people's mental health"
ALREADY = "We already have this. You sent it before, so nothing new was added."


class NoScriptAuditor(Auditor):
    """Records pages in a browser with JavaScript off, where axe cannot run (see the README)."""

    def check(self) -> None:
        self.checked.append(self.page.url)


def challenge_url(a: Auditor) -> str:
    from coproduce.services.models import Activity

    return a.url("codesign:idea_list", Activity.objects.get(title=CHALLENGE).pk)


def post_back_and_post_again(a: Auditor, idea: str) -> None:
    page = a.page
    a.goto(challenge_url(a), heading="Ideas")
    a.submit(page.get_by_role("button", name="Post an idea"), heading="Post an idea")
    a.field("Give your idea a short title").fill(idea)
    a.field("Describe your idea").fill(
        "Beanbags, low lights and someone to talk to, two evenings a week, for anyone who needs "
        "to get away from the noise for a while."
    )
    page.get_by_role("group", name="How should your name be shown?").get_by_label(
        "My first name only"
    ).check()
    a.submit(a.button("Post your idea"), heading=idea)
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Your idea has been posted")
    first_idea = page.url

    page.go_back()
    expect(page.get_by_role("heading", level=1)).to_have_text("Post an idea")
    expect(a.field("Give your idea a short title")).to_have_value(idea)
    a.check()
    a.submit(a.button("Post your idea"), heading=idea)
    assert page.url == first_idea, f"the second post went to {page.url}, not {first_idea}"
    banner = page.locator(".govuk-notification-banner")
    expect(banner).to_contain_text(ALREADY)
    expect(banner).not_to_contain_text("Your idea has been posted")

    a.goto(challenge_url(a), heading="Ideas")
    expect(page.locator(".app-card-list__item").filter(has_text=idea)).to_have_count(1)


def test_back_and_submit_again_posts_the_idea_once(
    demo_site: DemoSite, new_context: CreateContextCallback
) -> None:
    from coproduce.codesign.models import Idea

    with_script = new_context()
    demo_site.sign_in(with_script, RESIDENT)
    a = Auditor(demo_site, with_script.new_page())
    post_back_and_post_again(a, "A quiet corner at the youth club")

    without_script = new_context(java_script_enabled=False)
    demo_site.sign_in(without_script, RESIDENT)
    later = NoScriptAuditor(demo_site, without_script.new_page())
    post_back_and_post_again(later, "A quiet corner at the library")
    expect(later.page.locator("body")).not_to_have_class(re.compile(r"\bjs-enabled\b"))

    for title in ["A quiet corner at the youth club", "A quiet corner at the library"]:
        assert Idea.objects.filter(title=title).count() == 1, title
    assert not a.problems, f"{len(a.problems)} pages with axe violations:\n" + "\n".join(a.problems)
    assert not a.script_errors, f"JavaScript errors: {a.script_errors}"
