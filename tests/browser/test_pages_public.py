"""axe-core finds no WCAG 2.2 A/AA violation on any page that residents can see."""

from __future__ import annotations

import pytest
from pytest_playwright.pytest_playwright import CreateContextCallback

from tests.browser.audit import DemoSite, run_scenario
from tests.browser.pages import PUBLIC

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser-public")]


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_no_accessibility_violations(
    name: str, demo_site: DemoSite, new_context: CreateContextCallback
) -> None:
    run_scenario(demo_site, new_context(), PUBLIC[name])
