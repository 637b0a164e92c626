"""One real journey: staff set up a service and open an activity; residents find it and take part.

The staff member signs in with a password and a real TOTP code. The resident's part runs twice:
with JavaScript, then in a browser with JavaScript turned off, because every page must work
without it.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import BrowserContext, Page, expect
from pytest_playwright.pytest_playwright import CreateContextCallback

from coproduce.accounts.tests.factories import DEFAULT_PASSWORD, totp_code
from tests.browser.audit import Auditor, DemoSite, fill_date

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser-journey")]

STAFF = "tom.price@northfield.example"  # a professional at the council, with TOTP set up
RESIDENT = "resident@example.org"
SERVICE = "Warm spaces this winter"
ACTIVITY = "Where should the warm spaces be?"
COLLABORATE_PROMISE = (
    "We will work with you to find solutions and put your advice into the decisions as far as "
    "we can."
)


def sign_in(page: Page, email: str) -> None:
    """Sign in through the header link and the sign-in form, as a person would."""
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Sign in").click()
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Password", exact=True).fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def enter_authenticator_code(page: Page) -> None:
    """Type the code an authenticator app shows now; again if the 30-second window just closed."""
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text("Two-factor authentication")
    for _attempt in range(2):
        page.get_by_label("Code", exact=True).fill(totp_code())
        page.get_by_role("button", name="Sign in").click()
        # Either the account page, or the same form with an error: wait for one of them.
        done = page.get_by_role("heading", level=1, name="Your account")
        expect(done.or_(page.locator(".govuk-error-summary"))).to_be_visible()
        if done.is_visible():
            return
    expect(done).to_be_visible()


def staff_set_up_the_service(site: DemoSite, page: Page, auditor: Auditor) -> None:
    page.goto(site.url)
    sign_in(page, STAFF)
    enter_authenticator_code(page)

    page.get_by_role("link", name="Staff", exact=True).click()
    page.get_by_role("button", name="Create a service").click()
    page.get_by_label("Organisation that runs the service").select_option(
        label="Northfield Borough Council"
    )
    page.get_by_label("Service name", exact=True).fill(SERVICE)
    page.get_by_label("Summary", exact=True).fill(
        "Warm, free places to spend the day when heating your home costs too much."
    )
    page.get_by_label("Description", exact=True).fill(
        "Libraries, community centres and faith groups open their doors on weekday afternoons."
    )
    page.get_by_label("Housing", exact=True).check()
    page.get_by_label("Area served").fill("Northfield borough")
    page.get_by_label("Northfield Community Action").check()
    page.get_by_role("button", name="Create service").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Service created as a draft")
    auditor.check()

    page.get_by_role("button", name="Set involvement levels").click()
    levels = {
        "Commissioning": "Collaborate",
        "Design": "Empower",
        "Delivery": "Involve",
        "Implementation and governance": "Consult",
        "Assessment and improvement": "Collaborate",
    }
    for stage, level in levels.items():
        group = page.get_by_role("group", name=stage, exact=True)
        group.get_by_label(re.compile(f"^{level} –")).check()
    page.get_by_role("button", name="Save involvement plan").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Involvement plan saved")
    auditor.check()

    page.get_by_role("button", name="Publish").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("The service is now public")

    page.get_by_role("button", name="Add an activity").click()
    page.get_by_label("Needs and assets survey").check()
    page.get_by_label("Title", exact=True).fill(ACTIVITY)
    page.get_by_label("Summary", exact=True).fill(
        "Tell us which places you could get to, and when."
    )
    page.get_by_label("How to take part", exact=True).fill(
        "Answer online, or pick up a paper form at any Northfield library."
    )
    today = dt.date.today()
    fill_date(page, "Opens on", today)
    fill_date(page, "Closes on", today + dt.timedelta(days=30))
    page.get_by_role("button", name="Add activity").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Activity added as a draft")

    page.get_by_label("Open", exact=True).check()
    page.get_by_role("button", name="Change state").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("The activity is now open")
    auditor.check()
    page.get_by_role("link", name="View the public page").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(ACTIVITY)
    expect(page.locator("strong.govuk-tag")).to_have_text("Open")


def resident_finds_the_service(site: DemoSite, page: Page) -> None:
    """From the home page, search, open the service and the activity, and see the promise."""
    page.goto(site.url)
    page.get_by_label("Service name or keyword").fill("warm spaces")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.get_by_role("heading", name="1 service found")).to_be_visible()
    page.get_by_role("link", name=SERVICE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(SERVICE)
    # The promise for the current stage (commissioning: collaborate), in plain English.
    current = page.locator(".app-timeline__stage[aria-current='step']")
    expect(current).to_contain_text("Commissioning")
    expect(current).to_contain_text(f"Our promise (collaborate): {COLLABORATE_PROMISE}")
    take_part = page.locator(".app-card-list")
    expect(take_part.get_by_role("link", name=ACTIVITY)).to_be_visible()
    expect(take_part).to_contain_text("open until")
    take_part.get_by_role("link", name=ACTIVITY).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(ACTIVITY)
    expect(page.locator("strong.govuk-tag")).to_have_text("Open")
    expect(page.get_by_text("pick up a paper form at any Northfield library")).to_be_visible()


def resident_journey(site: DemoSite, context: BrowserContext, auditor: Auditor | None) -> None:
    """Find the service as a visitor, then again signed in; check pages with axe if given one."""
    page = context.new_page()
    resident_finds_the_service(site, page)
    # GOV.UK Frontend marks the body when its JavaScript runs: proof of which browser this is.
    js_marker = re.compile(r"\bjs-enabled\b")
    if auditor is None:
        expect(page.locator("body")).not_to_have_class(js_marker)
    else:
        expect(page.locator("body")).to_have_class(js_marker)
    if auditor is not None:
        auditor.page = page
        auditor.check()
    sign_in(page, RESIDENT)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")
    expect(page.get_by_role("link", name="Sign out")).to_be_visible()
    # Signed in, search by area and policy area this time.
    page.get_by_role("link", name="Find a service").click()
    page.get_by_label("Area", exact=True).fill("Northfield")
    page.get_by_label("Policy area").select_option(label="Housing")
    page.get_by_role("button", name="Search", exact=True).click()
    page.get_by_role("link", name=SERVICE).click()
    expect(page.get_by_text(COLLABORATE_PROMISE).first).to_be_visible()
    page.get_by_role("link", name=ACTIVITY).first.click()
    expect(page.locator("strong.govuk-tag")).to_have_text("Open")
    if auditor is not None:
        auditor.check()


def test_staff_open_an_activity_and_residents_find_it(
    demo_site: DemoSite, new_context: CreateContextCallback
) -> None:
    staff_page = new_context().new_page()
    auditor = Auditor(demo_site, staff_page)
    staff_set_up_the_service(demo_site, staff_page, auditor)

    resident_journey(demo_site, new_context(), auditor)
    resident_journey(demo_site, new_context(java_script_enabled=False), None)

    assert not auditor.problems, "\n".join(auditor.problems)
    assert not auditor.script_errors, auditor.script_errors
