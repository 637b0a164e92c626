"""The public ledger (issue 15): a visitor opens a demo decision, follows it to its entry in the
ledger, reads what was recorded and its hashes, and opens its proof, which the stand-alone
verifier accepts with the key the site publishes; then the list of entries. The same again with
JavaScript off. Every page seen with JavaScript is checked with axe (docs/ledger.md).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from pytest_playwright.pytest_playwright import CreateContextCallback

from tests.browser.audit import Auditor, DemoSite

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser-ledger")]

DECISION = "Evening drop-ins at two youth clubs from January"


class NoScriptAuditor(Auditor):
    """Records pages in a browser with JavaScript off, where axe cannot run (see the README)."""

    def check(self) -> None:
        self.checked.append(self.page.url)


def follow_a_decision_to_its_proof(a: Auditor, decision_url: str) -> None:
    from coproduce.transparency import verify

    page = a.page
    a.goto(decision_url, heading=DECISION)
    a.submit(
        page.get_by_role("link", name=re.compile(r"^Check this decision in the public ledger")),
        heading="Entry",
    )
    # What was recorded: the decision's words, and its hashes in full.
    expect(page.get_by_role("heading", name="What was recorded")).to_be_visible()
    expect(page.locator("main")).to_contain_text(DECISION)
    expect(page.get_by_role("link", name=re.compile(r"^Decision \d+$"))).to_have_attribute(
        "href", re.compile(r"/decisions/\d+/$")
    )
    # The Welsh was written after the decision was recorded: this entry corrects the first.
    expect(page.locator("main")).to_contain_text("Corrects")
    own_hash = page.locator("dt", has_text="Hash of this entry").locator("xpath=..").locator("code")
    expect(own_hash).to_have_text(re.compile(r"^[0-9a-f]{64}$"))
    shown_hash = own_hash.inner_text()

    # The proof is JSON: the verifier accepts it with the key from /ledger/key.
    proof_link = page.get_by_role("link", name=re.compile(r"^Proof for entry \d+"))
    with page.expect_navigation() as navigation:
        proof_link.click()
    response = navigation.value
    assert response is not None
    assert response.status == 200
    proof = response.json()
    assert proof["entry"]["hash"] == shown_hash
    key = page.request.get(a.url("transparency:key")).json()["public_key"]
    assert "is in the ledger" in verify.check_proof(proof, key)
    page.go_back()

    # Back to the ledger: the entry is listed with the start of its hash.
    a.submit(page.get_by_role("link", name="Back to the public ledger"), heading="Public ledger")
    expect(page.get_by_role("table")).to_contain_text(proof["entry"]["hash"][:12])
    expect(page.locator("main")).to_contain_text("Development key: not for real use")


def test_a_visitor_follows_a_decision_to_its_ledger_entry_and_proof(
    demo_site: DemoSite, new_context: CreateContextCallback
) -> None:
    from coproduce.contributions.models import Decision

    decision_url = Decision.objects.get(title=DECISION).get_absolute_url()
    a = Auditor(demo_site, new_context().new_page())
    follow_a_decision_to_its_proof(a, decision_url)
    expect(a.page.locator("body")).to_have_class(re.compile(r"\bjs-enabled\b"))

    later = NoScriptAuditor(demo_site, new_context(java_script_enabled=False).new_page())
    follow_a_decision_to_its_proof(later, decision_url)
    expect(later.page.locator("body")).not_to_have_class(re.compile(r"\bjs-enabled\b"))

    assert not a.problems, f"{len(a.problems)} pages with axe violations:\n" + "\n".join(a.problems)
    assert not a.script_errors, f"JavaScript errors: {a.script_errors}"
