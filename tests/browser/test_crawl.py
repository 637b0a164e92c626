"""Follow every link of the demo as a visitor, a resident and staff: axe checks each page."""

from __future__ import annotations

import pytest
from pytest_playwright.pytest_playwright import CreateContextCallback

from tests.browser.audit import DemoSite, run_scenario
from tests.browser.pages import CRAWLS

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser-crawl")]


@pytest.mark.parametrize("name", sorted(CRAWLS))
def test_no_accessibility_violations(
    name: str, demo_site: DemoSite, new_context: CreateContextCallback
) -> None:
    run_scenario(demo_site, new_context(), CRAWLS[name])
