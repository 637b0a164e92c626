"""The API docs page (Swagger UI) works in a real browser under the site's strict CSP.

It lives in the browser suite so that it shares the suite's one Playwright session: a second
``sync_playwright()`` in a worker that already runs one fails ("Sync API inside the asyncio loop").
"""

from __future__ import annotations

import pytest
from pytest_playwright.pytest_playwright import CreateContextCallback

from coproduce.api.api import api
from tests.browser.audit import DemoSite

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser-api-docs")]

# Listens before any script of the page runs, so nothing the page does escapes it.
RECORD_VIOLATIONS = (
    "window.cspViolations = [];"
    "document.addEventListener('securitypolicyviolation', e => window.cspViolations.push("
    "e.violatedDirective + ' ' + (e.blockedURI || e.sample)));"
)


def test_swagger_ui_renders_and_runs_a_request_without_csp_violations(
    demo_site: DemoSite, new_context: CreateContextCallback
) -> None:
    page = new_context().new_page()
    page.add_init_script(RECORD_VIOLATIONS)
    page.goto(f"{demo_site.url}/api/docs")
    page.wait_for_selector(".opblock", timeout=60_000)
    # Run one request from the page, as a reader would: GET /api/organisations.
    page.locator(".opblock-summary").first.click()
    page.locator(".btn.try-out__btn").first.click()
    page.locator(".btn.execute").first.click()
    page.wait_for_selector(".live-responses-table", timeout=60_000)
    # Open the first operation of every other tag (the same widgets render for each: opening all
    # of them took minutes), then the dialog where a token is entered.
    for section in page.locator(".opblock-tag-section").all()[1:]:
        section.locator(".opblock-summary").first.click()
    page.locator("button.authorize").first.click()
    page.wait_for_selector(".modal-ux", timeout=60_000)
    operations = page.locator(".opblock").count()
    status = page.locator(".live-responses-table tbody .response-col_status").first.inner_text()
    violations = page.evaluate("window.cspViolations")

    assert operations == len(
        [op for item in api.get_openapi_schema()["paths"].values() for op in item]
    )
    assert status.strip() == "200"
    assert violations == []
