"""The site search (issue 18): a visitor types "drop-in" into the home page's search box and finds
ideas, decisions and activities about it, with the matches highlighted; shows only ideas, then
pages on; the same again with JavaScript off. Every page seen with JavaScript is checked with axe.
See docs/decisions/0023-search.md.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from pytest_playwright.pytest_playwright import CreateContextCallback

from tests.browser.audit import Auditor, DemoSite

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser-search")]

CHALLENGE = "Your ideas for young people's mental health"
MORE_IDEAS = 22  # with the demo's own, more drop-in ideas than one page holds


class NoScriptAuditor(Auditor):
    """Records pages in a browser with JavaScript off, where axe cannot run (see the README)."""

    def check(self) -> None:
        self.checked.append(self.page.url)


def more_drop_in_ideas() -> None:
    """Ideas enough for a second page of results, posted by residents through the real action."""
    from coproduce.codesign.models import Idea
    from coproduce.codesign.tests.factories import IdeaFactory
    from coproduce.services.models import Activity

    if Idea.objects.filter(title__startswith="Drop-in idea").exists():
        return
    challenge = Activity.objects.get(title=CHALLENGE)
    for n in range(MORE_IDEAS):
        IdeaFactory(
            activity=challenge,
            title=f"Drop-in idea {n + 1}",
            description="A drop-in after school, with <b>someone</b> to talk to.",
        )


def search_filter_and_page_on(a: Auditor) -> None:
    page = a.page
    a.goto(a.url("services:home"), heading="Shape the services you use")
    a.field("Search everything").fill("drop-in")
    a.submit(a.button("Search everything"), heading="Search")
    results = page.locator("#results")
    expect(results).to_contain_text(re.compile(r"^\d+ results for ‘drop-in’"))
    cards = page.locator(".app-card-list__item")
    expect(cards.first.locator("mark").first).to_have_text(re.compile("drop-in", re.IGNORECASE))
    # Ideas first (the word is in their titles), and decisions and activities too.
    expect(cards.first.locator(".govuk-tag")).to_have_text("Idea")
    show_only = page.get_by_role("group", name="Show only")
    for kind in ("Decisions", "Activities"):
        expect(show_only.get_by_label(re.compile(rf"^{kind} \([1-9]\d*\)$"))).to_be_visible()
    # What people wrote is shown as text: the <b> in the ideas is not markup.
    expect(page.get_by_text("<b>someone</b>").first).to_be_visible()

    # Only ideas: the filter says how many there are.
    label = show_only.locator("label").filter(has_text=re.compile(r"^Ideas \(\d+\)$"))
    found = re.search(r"\((\d+)\)", label.inner_text())
    assert found, label.inner_text()
    count = int(found.group(1))
    assert count > 20, count
    show_only.get_by_label(re.compile("^Ideas")).check()
    a.submit(a.button("Apply filters"), heading="Search")
    expect(results).to_contain_text(f"{count} results for ‘drop-in’ that match the filters")
    expect(cards).to_have_count(20)
    assert set(page.locator(".app-card-list__item .govuk-tag").all_inner_texts()) == {"Idea"}

    # The next page keeps the search and the filter.
    a.submit(page.get_by_role("link", name=re.compile("^Next")), heading="Search")
    for kept in ("page=2", "kind=idea", "q=drop-in"):
        assert kept in page.url, page.url
    expect(cards).to_have_count(count - 20)
    expect(show_only.get_by_label(re.compile("^Ideas"))).to_be_checked()

    # Clear the filters: every kind again.
    a.submit(page.get_by_role("link", name="Clear the filters"), heading="Search")
    assert "kind=" not in page.url

    # Nonsense is a message on the field, never an error page.
    a.field("Search").fill('"((*')
    a.submit(a.button("Search"), heading="Search")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter words to search for")
    a.field("Search").fill("submarine repairs")
    a.submit(a.button("Search"), heading="Search")
    expect(page.get_by_text("Nothing public matches these words.")).to_be_visible()


def test_a_visitor_searches_filters_and_pages_on(
    demo_site: DemoSite, new_context: CreateContextCallback
) -> None:
    more_drop_in_ideas()
    a = Auditor(demo_site, new_context().new_page())
    search_filter_and_page_on(a)
    expect(a.page.locator("body")).to_have_class(re.compile(r"\bjs-enabled\b"))

    without_script = new_context(java_script_enabled=False)
    later = NoScriptAuditor(demo_site, without_script.new_page())
    search_filter_and_page_on(later)
    expect(later.page.locator("body")).not_to_have_class(re.compile(r"\bjs-enabled\b"))

    assert not a.problems, f"{len(a.problems)} pages with axe violations:\n" + "\n".join(a.problems)
    assert not a.script_errors, f"JavaScript errors: {a.script_errors}"
