"""The checker itself: axe-core, as the browser suite runs it, does report violations."""

from __future__ import annotations

import html

import pytest
from playwright.sync_api import Page

from tests.browser.audit import Auditor, DemoSite, axe_violations, load_axe

pytestmark = pytest.mark.browser

BROKEN = """<!DOCTYPE html><html lang="en"><head><title>Broken on purpose</title></head><body>
<main>
  <h1>Broken on purpose</h1>
  <img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
  <p style="color: #aaa; background: #fff">Pale grey text on white.</p>
  <input type="text" name="unlabelled">
  <a href="/somewhere"></a>
</main>
</body></html>"""


def test_axe_reports_what_is_wrong(page: Page) -> None:
    page.set_content(BROKEN)
    found = {violation["id"] for violation in axe_violations(page)}
    assert {"image-alt", "color-contrast", "label", "link-name"} <= found


def test_axe_loaded_before_the_page_reports_it_too(page: Page) -> None:
    """The walks load axe into every document before the page's own scripts (``load_axe``)."""
    load_axe(page)
    page.route(
        "http://checker.test/", lambda route: route.fulfill(body=BROKEN, content_type="text/html")
    )
    page.goto("http://checker.test/")
    assert page.evaluate("() => typeof window.axe") == "object"
    found = {violation["id"] for violation in axe_violations(page)}
    assert {"image-alt", "color-contrast", "label", "link-name"} <= found


def test_axe_passes_a_plain_accessible_page(page: Page) -> None:
    page.set_content(
        '<!DOCTYPE html><html lang="en"><head><title>Fine</title></head>'
        "<body><main><h1>Fine</h1><p>Black text on white.</p></main></body></html>"
    )
    assert axe_violations(page) == []


def _titled(page: Page, title: str) -> Auditor:
    """An auditor on a page whose <title> holds ``title`` as written (escaped in the HTML)."""
    body = (
        f'<!DOCTYPE html><html lang="cy"><head><title>{html.escape(title)}</title></head>'
        "<body><main><h1>Llwybrau bysiau</h1></main></body></html>"
    )
    page.route(
        "http://checker.test/",
        lambda route: route.fulfill(body=body, content_type="text/html; charset=utf-8"),
    )
    auditor = Auditor(DemoSite(url="http://checker.test"), page)
    page.goto("http://checker.test/")
    assert page.title() == title
    return auditor


def test_a_title_showing_the_sites_markup_is_a_problem(page: Page) -> None:
    """A field put into <title> with its <span lang> shows the tags in the browser's tab."""
    shown = '<span lang="en" data-untranslated>Bus routes</span> – coproduce'
    auditor = _titled(page, shown)
    auditor.check()
    assert auditor.problems == [f"http://checker.test/: the page's title shows markup: {shown!r}"]


def test_a_title_with_what_someone_wrote_is_not(page: Page) -> None:
    """People may write tags in a title; the page shows them as written."""
    auditor = _titled(page, "Drop-in <script>alert('boo')</script> art room – coproduce")
    auditor.check()
    assert auditor.problems == []
