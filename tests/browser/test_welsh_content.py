"""Content in English and Welsh (issue 18): staff add the Welsh, visitors read it.

Council staff open "What has no Welsh yet" for the recovery service, follow "Add the Welsh" for
an activity, write its title and summary in Welsh and come back to the list, where the activity
now lacks only the Welsh of "how to take part". A visitor opens the activity, switches to Cymraeg
and reads the Welsh title and summary; "how to take part" is shown in English, marked
``lang="en"``, with one note above the page's content that some of it is only in English. An
activity written in Welsh in full has no note. The same again with JavaScript off, for another
activity. Every page seen with JavaScript is checked with axe. See
docs/decisions/0025-content-in-two-languages.md.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect
from pytest_playwright.pytest_playwright import CreateContextCallback

from tests.browser.audit import Auditor, DemoSite

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser-welsh-content")]

COUNCIL_ADMIN = "amira.khan@northfield.example"
RECOVERY = "drug-and-alcohol-recovery-service"
IN_WELSH_IN_FULL = "Open evening at the recovery hub"  # the demo has all of it in Welsh
NOTE = "#language-note"


class NoScriptAuditor(Auditor):
    """Records pages in a browser with JavaScript off, where axe cannot run (see the README)."""

    def check(self) -> None:
        self.checked.append(self.page.url)


def _auditor(
    site: DemoSite, new_context: CreateContextCallback, *, js: bool, staff: bool
) -> Auditor:
    context = new_context(java_script_enabled=js)
    if staff:
        site.sign_in(context, COUNCIL_ADMIN)
    auditor = Auditor if js else NoScriptAuditor
    return auditor(site, context.new_page())


def activity_row(page: Page, title: str) -> Locator:
    """The activity's row in "What has no Welsh yet" (answers in it name it too)."""
    tag = page.locator(".govuk-tag", has_text=re.compile(r"^Activity$"))
    return page.get_by_role("row").filter(has=tag).filter(has_text=title)


def staff_add_the_welsh(a: Auditor, title: str, welsh_title: str, welsh_summary: str) -> None:
    page = a.page
    a.goto(a.url("services:staff_service", RECOVERY))
    a.submit(
        page.get_by_role("link", name="See what has no Welsh"), heading="What has no Welsh yet"
    )
    row = activity_row(page, title)
    expect(row).to_contain_text("title")
    expect(row).to_contain_text("summary")
    a.submit(row.get_by_role("link", name=re.compile(r"^Add the Welsh")))
    # The Welsh boxes sit under the English they translate.
    expect(a.field("Title")).to_have_value(title)
    a.field("Title in Welsh (optional)").fill(welsh_title)
    a.field("Summary in Welsh (optional)").fill(welsh_summary)
    a.submit(a.button("Save"), heading="What has no Welsh yet")  # back to the list
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Activity saved.")
    row = activity_row(page, title)
    expect(row).to_contain_text("how to take part")
    expect(row).not_to_contain_text("summary")


def visitor_reads_it_in_welsh(a: Auditor, title: str, welsh_title: str, welsh_summary: str) -> None:
    from coproduce.services.models import Activity

    page = a.page
    activity = Activity.objects.get(title=title)
    a.goto(activity.get_absolute_url(), heading=title)
    expect(page.locator(NOTE)).to_have_count(0)  # English pages need no note
    a.submit(a.button("Cymraeg"), heading=welsh_title)
    assert page.locator("html").get_attribute("lang") == "cy"
    expect(page.locator("main")).to_contain_text(welsh_summary)
    # The English standing in for the missing Welsh says it is English, and the page says so once.
    fallback = page.locator("main [data-untranslated]").filter(
        has_text=activity.how_to_take_part.splitlines()[0]
    )
    expect(fallback).to_have_count(1)
    expect(fallback).to_have_attribute("lang", "en")
    expect(page.locator(NOTE)).to_have_count(1)
    expect(page.locator(NOTE)).to_be_visible()
    # What is in Welsh in full shows no note and nothing marked as English.
    full = Activity.objects.get(title=IN_WELSH_IN_FULL)
    a.goto(full.get_absolute_url(), heading=full.title_cy)
    expect(page.locator(NOTE)).to_have_count(0)
    expect(page.locator("main [data-untranslated]")).to_have_count(0)
    a.submit(a.button("English"), heading=IN_WELSH_IN_FULL)


def test_staff_add_welsh_and_a_visitor_reads_it(
    demo_site: DemoSite, new_context: CreateContextCallback
) -> None:
    from coproduce.services.models import Activity

    seen: list[Auditor] = []
    for js, title, welsh_title, welsh_summary in [
        (
            True,
            "Where should evening support happen?",
            "Ble dylai cymorth gyda'r nos ddigwydd?",
            "Dywedwch a ydych chi'n cytuno â datganiadau byr am gymorth gyda'r nos ac ar "
            "benwythnosau.",
        ),
        (
            False,
            "Stories of recovery",
            "Straeon adfer",
            "Dywedodd pobl wrthym sut brofiad oedd cael help mewn gwirionedd.",
        ),
    ]:
        staff = _auditor(demo_site, new_context, js=js, staff=True)
        staff_add_the_welsh(staff, title, welsh_title, welsh_summary)
        saved = Activity.objects.get(title=title)
        assert (saved.title_cy, saved.summary_cy) == (welsh_title, welsh_summary)
        visitor = _auditor(demo_site, new_context, js=js, staff=False)
        visitor_reads_it_in_welsh(visitor, title, welsh_title, welsh_summary)
        if not js:
            expect(visitor.page.locator("body")).not_to_have_class(re.compile(r"\bjs-enabled\b"))
        seen += [staff, visitor]

    problems = [problem for a in seen for problem in a.problems]
    assert not problems, f"{len(problems)} pages with axe violations:\n" + "\n".join(problems)
    errors = [error for a in seen for error in a.script_errors]
    assert not errors, f"JavaScript errors: {errors}"
