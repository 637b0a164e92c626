"""Open data (issue 15): a visitor follows "Open data" in the footer to the catalogue, reads each
dataset's licence and formats, and downloads the whole ledger, which the stand-alone verifier
accepts with the key the site publishes; the services file is Open Referral UK. The catalogue is
checked with axe (docs/open-data.md).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect
from pytest_playwright.pytest_playwright import CreateContextCallback

from tests.browser.audit import Auditor, DemoSite

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser-open-data")]


def test_a_visitor_downloads_the_ledger_and_checks_it(
    demo_site: DemoSite, new_context: CreateContextCallback, tmp_path: Path
) -> None:
    from coproduce.transparency import verify

    a = Auditor(demo_site, new_context(accept_downloads=True).new_page())
    page = a.page
    a.goto(a.url("services:home"))
    a.submit(page.get_by_role("link", name="Open data", exact=True), heading="Open data")
    table = page.get_by_role("table")
    for title in ("Services", "Decisions", "You said, we did", "Public ledger"):
        expect(table).to_contain_text(title)
    expect(table.get_by_role("link", name="Open Government Licence v3.0").first).to_be_visible()

    # The ledger file, downloaded as a person would, checks out with the published key.
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile(r"^JSON Lines")).click()
    saved = tmp_path / "ledger.jsonl"
    download.value.save_as(saved)
    key = page.request.get(a.url("transparency:key")).json()["public_key"]
    with saved.open(encoding="utf-8") as lines:
        assert "unchanged" in verify.check_export(lines, key)

    services = page.request.get(a.url("transparency:download", "services", "json")).json()
    assert services["total_items"] >= 1
    assert all(s["status"] == "active" for s in services["contents"])
    catalogue = page.request.get(a.url("transparency:catalogue_json")).json()
    assert {d["identifier"] for d in catalogue["datasets"]} >= {"ledger", "services"}
    json.dumps(catalogue)

    assert not a.problems, f"{len(a.problems)} pages with axe violations:\n" + "\n".join(a.problems)
    assert not a.script_errors, f"JavaScript errors: {a.script_errors}"
