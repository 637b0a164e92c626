"""Walk pages in a real browser, run axe-core on each, and record which URL patterns were reached."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urldefrag, urlsplit

from axe_playwright_python.base import AXE_SCRIPT
from django.conf import settings
from django.urls import Resolver404, resolve, reverse
from playwright.sync_api import BrowserContext, Locator, Page, Request, Response

# Markup the site itself wraps text in (a field marked with its language, a search match), seen
# as text. (Not any tag: people may write "<script>" in a title, and it must show as written.)
OUR_MARKUP = re.compile(r'<span lang="|<mark>')

# The rules the issue asks for: WCAG 2.0, 2.1 and 2.2, levels A and AA.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

# Named URL patterns that do not answer with a page (so crawls do not open them and the
# coverage test expects no walk to), and why.
NOT_PAGES = {
    "common:health": "a JSON answer for load balancers",
    "contributions:export_csv": "an open-data download (CSV)",
    "contributions:export_json": "an open-data download (JSON)",
    "mfa_download_recovery_codes": "a text file of recovery codes (allauth)",
    "transparency:proof": "an inclusion proof of the public ledger (JSON)",
    "transparency:consistency": "a consistency proof of the public ledger (JSON)",
    "transparency:sth": "the public ledger's signed tree head (JSON)",
    "transparency:key": "the public key of the public ledger (JSON)",
    "transparency:catalogue_json": "the open-data catalogue for machines (JSON)",
    "transparency:download": "an open-data download (CSV, JSON, JSON Lines)",
    "governance:meetings_ical": "the iCalendar feed of a service's public meetings",
    "governance:paper_download": "a meeting paper (PDF, DOCX or ODT download)",
    "budgeting:export_pb": "a budget's ballots and projects as open data (Pabulib .pb)",
    "budgeting:ballots_csv": "a budget's ballots as open data (CSV)",
    "budgeting:projects_csv": "a budget's projects as open data (CSV)",
    "conversations:export_zip": "a conversation as open data (the Polis CSV files, zipped)",
    "panels:pool_export": "a panel's anonymised pool, to re-run the draw (CSV files, zipped)",
    "panels:mail_house_csv": "a panel's invitations for a mail house (CSV)",
    "panels:letters_pdf": "a panel's invitation letters (PDF)",
    "privacy:download": "a person's own data as a ZIP download (its expired page is checked in a walk)",
    "assessment:ratings_csv": "a user assessment's anonymised ratings (CSV)",
    "assessment:peer_ratings_csv": "a peer review's anonymised ratings (CSV)",
    "assessment:self_ratings_csv": "a self-reflection's agreed ratings (CSV)",
    "commissioning:ocds": "a commissioning round as open data (OCDS 1.1 release package, JSON)",
    "commissioning:scores_csv": "a commissioning round's award scores as open data (CSV)",
    "commissioning:interests_csv": "a commissioning round's register of interests (CSV)",
    "commissioning:attachment": "a file of a bid (PDF, DOCX or ODT download; checked in a walk)",
    "assessment:evidence_file": "a mystery shopper's photo or file (download; checked in a walk)",
}
# Pages that are not this project's own: Django's admin and the API's Swagger page.
NOT_CRAWLED_PREFIXES = ("admin:", "api-")


@dataclass(frozen=True)
class DemoSite:
    """A live server over a database holding the demo story."""

    url: str

    def sign_in(self, context: BrowserContext, email: str) -> None:
        """Give the browser a signed-in session (the sign-in form itself has its own walks)."""
        from django.test import Client

        from coproduce.accounts.models import User

        client = Client()
        client.force_login(User.objects.get(email=email))
        value = client.cookies[settings.SESSION_COOKIE_NAME].value
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": value, "url": self.url}]
        )

    def url_name(self, url: str) -> str | None:
        """The namespaced URL name an address of this site resolves to, else None."""
        if not url.startswith(self.url):
            return None
        try:
            name = resolve(urlsplit(url).path).view_name
        except Resolver404:
            return None
        return None if name.startswith(NOT_CRAWLED_PREFIXES) else name


def load_axe(page: Page) -> None:
    """Have the browser load axe-core into every document the page opens from now on, before the
    document's own scripts: sending the script with every check took a quarter of a crawl's time
    (measured in decision 0117)."""
    page.add_init_script(script=AXE_SCRIPT)


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """Run axe-core on the page as it is now, with the WCAG 2.2 A and AA rules, and return its
    violations (loading axe first unless ``load_axe`` already has)."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE_SCRIPT)
    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
    violations = page.evaluate(
        "options => axe.run(document, options).then(results => results.violations)", options
    )
    return list(violations)


def describe(violations: list[dict[str, Any]]) -> str:
    """A short, readable account of axe violations."""
    lines = []
    for violation in violations:
        lines.append(f"  {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:5]:
            summary = (node.get("failureSummary") or "").strip().splitlines()
            target = " ".join(map(str, node["target"]))
            lines.append(f"    at {target}: {summary[-1].strip() if summary else ''}")
            lines.append(f"       {node['html'][:240]}")
    return "\n".join(lines)


@dataclass
class Auditor:
    """Drives one page; every page it lands on is checked with axe before the next step."""

    site: DemoSite
    page: Page
    reached: set[str] = field(default_factory=set)
    problems: list[str] = field(default_factory=list)
    script_errors: list[str] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        load_axe(self.page)
        self.page.on("request", self._on_request)
        self.page.on("pageerror", lambda error: self.script_errors.append(str(error)))

    def _on_request(self, request: Request) -> None:
        # Every navigation (form posts and each hop of a redirect too), and htmx requests.
        navigation = request.is_navigation_request() and request.frame == self.page.main_frame
        if navigation or request.resource_type in {"xhr", "fetch"}:
            name = self.site.url_name(request.url)
            if name:
                self.reached.add(name)

    def url(self, name: str, *args: Any, query: str = "") -> str:
        return self.site.url + reverse(name, args=args) + (f"?{query}" if query else "")

    def goto(self, url: str, *, status: int = 200, heading: str | None = None) -> Response:
        """Open an address (a full URL or a path), check the status, then check the page."""
        if url.startswith("/"):
            url = self.site.url + url
        response = self.page.goto(url)
        assert response is not None, url
        return self._landed(response, status, heading, f"GET {url}")

    def submit(self, button: Locator, *, status: int = 200, heading: str | None = None) -> Response:
        """Press a button that submits a form, wait for the next page, then check it."""
        with self.page.expect_navigation() as navigation:
            button.click()
        response = navigation.value
        assert response is not None
        return self._landed(response, status, heading, f"submit to {response.request.url}")

    def _landed(self, response: Response, status: int, heading: str | None, what: str) -> Response:
        assert response.status == status, f"{what}: HTTP {response.status}, expected {status}"
        if heading is not None:
            h1 = self.page.locator("h1").first.inner_text()
            assert heading in h1, f"{what}: the page's heading is {h1!r}, expected {heading!r}"
        self.check()
        return response

    def check(self) -> None:
        """Run axe on the page as it is now, and look for the site's markup in its title (a browser
        shows a title's text as it is); keep what is wrong for the final report."""
        self.checked.append(self.page.url)
        title = self.page.title()
        if OUR_MARKUP.search(title):
            self.problems.append(f"{self.page.url}: the page's title shows markup: {title!r}")
        violations = axe_violations(self.page)
        if violations:
            self.problems.append(f"{self.page.url} ({title}):\n{describe(violations)}")

    def crawl(
        self,
        *starts: str,
        per_pattern: int | None = None,
        every: frozenset[str] = frozenset(),
        variants: int = 2,
    ) -> None:
        """Follow the site's links from the start pages; check every page reached, once.

        ``per_pattern`` caps the pages visited per URL pattern (None: no cap), except for the
        patterns in ``every``; ``variants`` caps the addresses with a query string (filters,
        sorting, pages) per pattern. A link to a page that is missing or fails is a problem too.
        """
        queue = deque(self.site.url + start for start in starts)
        seen: set[str] = set()
        visits: Counter[str] = Counter()
        queries: Counter[str] = Counter()
        while queue:
            url = urldefrag(queue.popleft()).url
            name = self.site.url_name(url)
            if url in seen or name is None or name in NOT_PAGES:
                continue
            seen.add(url)
            if per_pattern is not None and name not in every and visits[name] >= per_pattern:
                continue
            if urlsplit(url).query:
                if queries[name] >= variants:
                    continue
                queries[name] += 1
            visits[name] += 1
            response = self.page.goto(url)
            # 403 pages that explain themselves (a survey that has closed) are fine; a link to
            # nothing, or to an error, is not.
            if response is None or response.status not in {200, 403}:
                status = response.status if response else "no response"
                self.problems.append(f"{url}: HTTP {status} for a link on the site")
                continue
            self.check()
            links = self.page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
            queue.extend(link for link in links if link.startswith(self.site.url))

    def click(self, control: Locator, *, then: Locator) -> None:
        """Press something that changes the page in place (htmx), wait for ``then``, check."""
        control.click()
        then.wait_for()
        self.check()

    def errors_shown(self) -> None:
        """Wait until the page shows a form's errors."""
        self.page.locator(".govuk-error-summary, .govuk-error-message").first.wait_for()

    def button(self, name: str) -> Locator:
        return self.page.get_by_role("button", name=name, exact=True)

    def field(self, label: str) -> Locator:
        return self.page.get_by_label(label, exact=True)


def fill_date(page: Page, legend: str, day: dt.date | tuple[str, str, str]) -> None:
    """Type a date into the day, month and year inputs of the GOV.UK date input ``legend``."""
    group = page.get_by_role("group", name=legend, exact=True)
    parts = (str(day.day), str(day.month), str(day.year)) if isinstance(day, dt.date) else day
    for label, text in zip(("Day", "Month", "Year"), parts, strict=True):
        group.get_by_label(label, exact=True).fill(text)


@dataclass(frozen=True)
class Scenario:
    """A walk through some pages as one person, declaring the URL patterns it must reach."""

    name: str
    walk: Callable[[Auditor], None]
    user: str | None
    covers: frozenset[str]


def scenario_registry() -> tuple[
    dict[str, Scenario],
    Callable[..., Callable[[Callable[[Auditor], None]], Callable[[Auditor], None]]],
]:
    """A dictionary of walks, and the decorator that adds to it."""
    registry: dict[str, Scenario] = {}

    def scenario(
        *, user: str | None, covers: set[str]
    ) -> Callable[[Callable[[Auditor], None]], Callable[[Auditor], None]]:
        def register(walk: Callable[[Auditor], None]) -> Callable[[Auditor], None]:
            assert walk.__name__ not in registry, walk.__name__
            registry[walk.__name__] = Scenario(walk.__name__, walk, user, frozenset(covers))
            return walk

        return register

    return registry, scenario


def run_scenario(site: DemoSite, context: BrowserContext, scenario: Scenario) -> Auditor:
    """Walk the scenario; fail with every axe violation found, or if a declared page was missed."""
    if scenario.user:
        site.sign_in(context, scenario.user)
    auditor = Auditor(site, context.new_page())
    scenario.walk(auditor)
    assert auditor.checked, "the walk checked no page"
    missed = scenario.covers - auditor.reached
    assert not missed, f"the walk never reached {sorted(missed)}"
    assert not auditor.problems, (
        f"{len(auditor.problems)} problems on the {len(auditor.checked)} pages checked:\n"
        + "\n".join(auditor.problems)
    )
    assert not auditor.script_errors, f"JavaScript errors: {auditor.script_errors}"
    return auditor
