"""Dates are entered as day, month and year: the GOV.UK date input pattern (issue 18, defect 6).

Staff give an activity its dates and a decision its date in three inputs, with JavaScript and
then without it. A date that cannot be real (31 February) and a year like 9999 get the pattern's
messages, with only the wrong part highlighted; axe checks the pages that show them. "02" and
"12" typed as day and month are 2 December, whatever the browser's language.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from pytest_playwright.pytest_playwright import CreateContextCallback

from tests.browser.audit import Auditor, DemoSite, fill_date

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser-dates")]

COUNCIL_ADMIN = "amira.khan@northfield.example"
RECOVERY = "drug-and-alcohol-recovery-service"
ERROR = re.compile(r"\bgovuk-input--error\b")


def _auditor(site: DemoSite, new_context: CreateContextCallback, *, js: bool) -> Auditor:
    context = new_context(java_script_enabled=js)
    site.sign_in(context, COUNCIL_ADMIN)
    return Auditor(site, context.new_page())


def _open(a: Auditor, url: str, *, js: bool) -> None:
    """Open a page; with JavaScript on, axe checks it (axe cannot run without JavaScript)."""
    if js:
        a.goto(url)
    else:
        a.page.goto(url)
        expect(a.page.locator("body")).not_to_have_class(re.compile(r"\bjs-enabled\b"))


def _submit(a: Auditor, button: str, *, js: bool) -> None:
    """Send the form; with JavaScript on, axe checks the page that comes back."""
    if js:
        a.submit(a.button(button))
    else:
        with a.page.expect_navigation():
            a.button(button).click()


def _highlighted(page: Page, legend: str) -> list[str]:
    """Which of a date's inputs are marked as wrong."""
    group = page.get_by_role("group", name=legend, exact=True)
    return [
        part
        for part in ("Day", "Month", "Year")
        if ERROR.search(group.get_by_label(part, exact=True).get_attribute("class") or "")
    ]


def _shows_error(page: Page, message: str, *, link_to: str) -> None:
    """The message is in the error summary, linking to the input to correct, and by the field."""
    summary = page.locator(".govuk-error-summary")
    link = summary.get_by_role("link", name=message, exact=True)
    expect(link).to_have_attribute("href", f"#{link_to}")
    expect(page.locator(".govuk-error-message", has_text=message)).to_be_visible()


def _activity_dates(site: DemoSite, new_context: CreateContextCallback, *, js: bool) -> None:
    from coproduce.common.dates import long_date, years_after
    from coproduce.services.models import Activity

    title = f"Drop-in sessions ({'with' if js else 'without'} JavaScript)"
    a = _auditor(site, new_context, js=js)
    _open(a, a.url("services:activity_create", RECOVERY), js=js)
    page = a.page
    expect(page.get_by_role("group", name="Opens on")).to_contain_text("For example, 1 3 2027")
    page.get_by_label("Public meeting", exact=True).check()
    a.field("Title").fill(title)
    a.field("Summary").fill("Come and talk to the team.")
    fill_date(page, "Opens on", ("31", "2", "2027"))
    fill_date(page, "Closes on", ("1", "1", "9999"))
    _submit(a, "Add activity", js=js)
    _shows_error(page, "The opening date must be a real date.", link_to="id_opens_on-day")
    latest = long_date(years_after(timezone.localdate(), 10))
    _shows_error(
        page,
        f"The closing date must be between 1 January 2000 and {latest}.",
        link_to="id_closes_on-day",
    )
    assert _highlighted(page, "Opens on") == ["Day"]
    assert _highlighted(page, "Closes on") == ["Day", "Month", "Year"]
    # What was typed is kept, to be corrected.
    expect(page.get_by_role("group", name="Opens on").get_by_label("Month")).to_have_value("2")
    assert not Activity.objects.filter(title=title).exists()

    # A part left out: only it is highlighted.
    fill_date(page, "Opens on", ("2", "", "2027"))
    _submit(a, "Add activity", js=js)
    _shows_error(page, "The opening date must include a month.", link_to="id_opens_on-month")
    assert _highlighted(page, "Opens on") == ["Month"]

    fill_date(page, "Opens on", ("02", "12", "2026"))
    fill_date(page, "Closes on", ("15", "Jan", "2027"))
    _submit(a, "Add activity", js=js)
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Activity added as a draft")
    activity = Activity.objects.get(title=title)
    assert (activity.opens_on, activity.closes_on) == (dt.date(2026, 12, 2), dt.date(2027, 1, 15))
    # Editing shows the stored dates in the three inputs.
    _open(a, a.url("services:activity_edit", activity.pk), js=js)
    group = page.get_by_role("group", name="Opens on")
    for part, value in (("Day", "2"), ("Month", "12"), ("Year", "2026")):
        expect(group.get_by_label(part, exact=True)).to_have_value(value)
    if js:
        assert not a.problems, "\n".join(a.problems)
        assert not a.script_errors, a.script_errors


def _decision_date(site: DemoSite, new_context: CreateContextCallback, *, js: bool) -> None:
    from coproduce.contributions.models import Decision

    title = f"Longer opening hours ({'with' if js else 'without'} JavaScript)"
    a = _auditor(site, new_context, js=js)
    _open(a, a.url("contributions:decision_create", RECOVERY), js=js)
    page = a.page
    group = page.get_by_role("group", name="Date of the decision")
    expect(group).to_contain_text("For example, 27 3 2026")
    expect(group.locator("input")).to_have_count(3)
    expect(page.locator("input[type=date]")).to_have_count(0)
    a.field("What was decided").fill(title)
    a.field("Details and reasons").fill("Evenings suit people who work.")
    a.field("Decided by").fill("Recovery service board")
    fill_date(page, "Date of the decision", ("31", "2", "2026"))
    _submit(a, "Record decision", js=js)
    _shows_error(page, "The date of the decision must be a real date.", link_to="id_decided_on-day")
    assert _highlighted(page, "Date of the decision") == ["Day"]

    fill_date(page, "Date of the decision", ("1", "1", "9999"))
    _submit(a, "Record decision", js=js)
    _shows_error(
        page,
        "The date of the decision must be today or in the past.",
        link_to="id_decided_on-day",
    )
    assert _highlighted(page, "Date of the decision") == ["Day", "Month", "Year"]
    assert not Decision.objects.filter(title=title).exists()

    # What "02/12/2025" meant: 2 December, not 12 February.
    fill_date(page, "Date of the decision", ("02", "12", "2025"))
    _submit(a, "Record decision", js=js)
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    assert Decision.objects.get(title=title).decided_on == dt.date(2025, 12, 2)
    expect(page.get_by_text("2 December 2025")).to_be_visible()
    if js:
        assert not a.problems, "\n".join(a.problems)
        assert not a.script_errors, a.script_errors


def test_activity_dates_with_javascript(
    demo_site: DemoSite, new_context: CreateContextCallback
) -> None:
    _activity_dates(demo_site, new_context, js=True)


def test_activity_dates_without_javascript(
    demo_site: DemoSite, new_context: CreateContextCallback
) -> None:
    _activity_dates(demo_site, new_context, js=False)


def test_a_decisions_date_with_javascript(
    demo_site: DemoSite, new_context: CreateContextCallback
) -> None:
    _decision_date(demo_site, new_context, js=True)


def test_a_decisions_date_without_javascript(
    demo_site: DemoSite, new_context: CreateContextCallback
) -> None:
    _decision_date(demo_site, new_context, js=False)
