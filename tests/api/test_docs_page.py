"""The API docs page (Swagger UI) works in a real browser under the site's strict CSP."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from playwright.sync_api import sync_playwright

from coproduce.api.api import api

CHROMIUM = os.environ.get("COPRODUCE_CHROMIUM", "/usr/bin/chromium")
# Listens before any script of the page runs, so nothing the page does escapes it.
RECORD_VIOLATIONS = (
    "window.cspViolations = [];"
    "document.addEventListener('securitypolicyviolation', e => window.cspViolations.push("
    "e.violatedDirective + ' ' + (e.blockedURI || e.sample)));"
)


def test_the_docs_page_keeps_the_strict_policy(client: Client) -> None:
    response = client.get("/api/docs")
    assert response.status_code == 200
    policy = dict(
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")
    )
    assert policy["style-src"] == "'self'"
    # Our own files, and at most inline scripts allowed one by one (by hash or nonce).
    own, *inline = policy["script-src"].split()
    assert own == "'self'"
    assert all(re.fullmatch(r"'(sha256|nonce)-[-A-Za-z0-9+/_=]+'", source) for source in inline)
    assert "unsafe" not in response["Content-Security-Policy"]


@pytest.mark.browser
def test_swagger_ui_renders_and_runs_a_request_without_csp_violations(live_server: Any) -> None:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is missing at {CHROMIUM}: `apt-get install -y chromium`.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        try:
            page = browser.new_page()
            page.add_init_script(RECORD_VIOLATIONS)
            page.goto(f"{live_server.url}/api/docs")
            page.wait_for_selector(".opblock", timeout=60_000)
            # Run one request from the page, as a reader would: GET /api/organisations.
            page.locator(".opblock-summary").first.click()
            page.locator(".btn.try-out__btn").first.click()
            page.locator(".btn.execute").first.click()
            page.wait_for_selector(".live-responses-table", timeout=60_000)
            # Open every other operation, then the dialog where a token is entered.
            for summary in page.locator(".opblock-summary").all()[1:]:
                summary.click()
            page.locator("button.authorize").first.click()
            page.wait_for_selector(".modal-ux", timeout=60_000)
            operations = page.locator(".opblock").count()
            status = page.locator(
                ".live-responses-table tbody .response-col_status"
            ).first.inner_text()
            violations = page.evaluate("window.cspViolations")
        finally:
            browser.close()
    assert operations == len(
        [op for item in api.get_openapi_schema()["paths"].values() for op in item]
    )
    assert status.strip() == "200"
    assert violations == []
