"""Participatory budgets (issue 10): a resident proposes a project; staff review it feasible, open
voting; the resident votes with each kind of ballot (choosing projects, up to the budget, points,
ranking), makes mistakes the pages explain, changes a vote; staff close voting and count; the
resident reads the result and checks the receipt. The same again with JavaScript off. Every page
seen with JavaScript is checked with axe.

The count is a background task: here the test runs it in-process (``tasks.run_count``) after the
staff button has queued it, as the worker would.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect
from pytest_playwright.pytest_playwright import CreateContextCallback

from tests.browser.audit import Auditor, DemoSite

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser-budgeting")]

RESIDENT = "resident@example.org"


class NoScriptAuditor(Auditor):
    """Records pages in a browser with JavaScript off, where axe cannot run (see the README)."""

    def check(self) -> None:
        self.checked.append(self.page.url)


def _auditor(
    site: DemoSite, new_context: CreateContextCallback, email: str | None, *, script: bool
) -> Auditor:
    context = new_context(java_script_enabled=script)
    if email:
        site.sign_in(context, email)
    page = context.new_page()
    return Auditor(site, page) if script else NoScriptAuditor(site, page)


def _done(auditor: Auditor) -> None:
    assert not auditor.problems, "\n".join(auditor.problems)
    assert not auditor.script_errors, auditor.script_errors


def _receipt(a: Auditor) -> str:
    code = a.page.locator("#receipt-code").inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", code), code
    return code


def _review_and_cast(a: Auditor, *, heading: str = "Your vote is cast") -> str:
    a.submit(a.button("Continue to check your vote"), heading="Check your vote")
    button = "Change my vote" if heading == "Your vote is changed" else "Cast my vote"
    a.submit(a.button(button), heading=heading)
    return _receipt(a)


def _check_receipt(a: Auditor, budget: Any, receipt: str, titles: list[str]) -> None:
    a.goto(a.url("budgeting:receipt_check", budget.pk), heading="Check your vote")
    a.field("Your receipt code").fill(receipt.lower())
    a.submit(a.button("Check"), heading="Check your vote")
    found = a.page.locator("#receipt-found")
    expect(found).to_contain_text("Your vote was found")
    for title in titles:
        expect(a.page.locator("#receipt-choices")).to_contain_text(title)


def journey(site: DemoSite, new_context: CreateContextCallback, *, script: bool) -> None:
    from coproduce.budgeting import actions, tasks
    from coproduce.budgeting.models import BallotType, Count, Phase, Proposal
    from coproduce.budgeting.tests.factories import (
        close_and_count,
        make_budget,
        make_proposal,
        make_voting,
    )

    mark = "with JavaScript" if script else "without JavaScript"
    title = f"Swings for the rec ({mark})"

    # --- Approval ballot, run by staff through their pages ---------------------------------
    setup = make_budget(ballot_type=BallotType.APPROVAL, min_choices=1, max_choices=2)
    budget = setup.budget
    others = [make_proposal(setup, title=f"Benches ({mark})", cost=30_000)]
    others.append(make_proposal(setup, title=f"Bike racks ({mark})", cost=20_000))

    # A resident proposes a project, first with a mistake.
    resident = _auditor(site, new_context, RESIDENT, script=script)
    resident.goto(budget.activity.get_absolute_url())
    resident.submit(
        resident.page.get_by_role(
            "link", name="See the budget, its proposals and how to take part"
        ),
        heading=budget.activity.title,
    )
    resident.submit(
        resident.page.get_by_role("link", name="Propose a project").first,
        heading="Propose a project",
    )
    resident.field("Give your project a short title").fill(title)
    resident.field("Describe the project").fill("New swings where the old ones were.")
    resident.field("Estimated cost, in £").fill("£25k")
    resident.submit(resident.button("Send your proposal"), heading="Propose a project")
    resident.errors_shown()
    expect(resident.page.locator(".govuk-error-summary")).to_contain_text("whole number")
    resident.field("Estimated cost, in £").fill("25000")
    resident.submit(resident.button("Send your proposal"), heading=title)
    expect(resident.page.locator("main")).to_contain_text("Your proposal has been sent")
    proposal = Proposal.objects.get(title=title)

    # Staff review it feasible and open voting.
    staff = _auditor(site, new_context, setup.staff.email, script=script)
    staff.goto(staff.url("budgeting:review_list", budget.pk), heading="Review proposals")
    staff.submit(
        staff.page.get_by_role("link", name=f"Review {proposal.reference}", exact=True),
        heading=title,
    )
    staff.page.get_by_label("Feasible: it goes on the ballot at its estimated cost").check()
    staff.submit(staff.button("Publish the answer"), heading="Review proposals")
    manage = staff.url("budgeting:manage", budget.activity.pk)
    staff.goto(manage)
    staff.submit(staff.button("Move to the next phase: Feasibility review"))
    staff.submit(staff.button("Move to the next phase: Voting"))
    expect(staff.page.locator("main")).to_contain_text("Voting")

    # The resident reads the answer, then votes: too many projects first.
    resident.goto(proposal.get_absolute_url(), heading=title)
    expect(resident.page.locator("main")).to_contain_text("Feasible: this proposal goes on")
    resident.goto(budget.get_absolute_url())
    resident.submit(resident.page.get_by_role("link", name="Vote", exact=True), heading="Vote")
    for name in (title, *(p.title for p in others)):
        resident.page.get_by_label(name).check()
    resident.submit(resident.button("Continue to check your vote"), heading="Check your vote")
    expect(resident.page.locator("#ballot-problems")).to_contain_text(
        "Choose no more than 2 projects: take 1 off."
    )
    resident.submit(resident.page.get_by_role("link", name="Change your choices"), heading="Vote")
    expect(resident.page.get_by_label(others[1].title)).to_be_checked()
    resident.page.get_by_label(others[1].title).uncheck()
    first_receipt = _review_and_cast(resident)

    # ... and changes the vote.
    resident.goto(resident.url("budgeting:ballot", budget.pk), heading="Change your vote")
    expect(resident.page.get_by_label(title)).to_be_checked()
    resident.page.get_by_label(others[0].title).uncheck()
    receipt = _review_and_cast(resident, heading="Your vote is changed")
    assert receipt != first_receipt

    # Staff close voting, count and publish.
    staff.goto(manage)
    staff.submit(staff.button("Move to the next phase: Counting"))
    staff.submit(staff.button("Count the votes"))
    count = Count.objects.filter(budget=budget).latest()
    tasks.run_count(count.pk)
    staff.goto(manage)
    staff.submit(staff.button("Move to the next phase: Results"))

    # The resident reads the result and checks the receipt; the old receipt is gone.
    resident.goto(resident.url("budgeting:results", budget.pk), heading="Results")
    expect(resident.page.locator("main")).to_contain_text(title)
    expect(resident.page.locator("main")).to_contain_text("Is the result proportional?")
    resident.submit(
        resident.page.get_by_role("link", name="How the votes are counted").first,
        heading="How the votes in a participatory budget are counted",
    )
    _check_receipt(resident, budget, receipt, [title])
    resident.field("Your receipt code").fill(first_receipt)
    resident.submit(resident.button("Check"), heading="Check your vote")
    expect(resident.page.locator("#receipt-not-found")).to_be_visible()

    # --- The other kinds of ballot (staff steps through the actions) ------------------------
    receipts: list[tuple[Any, str, list[str]]] = []

    knapsack = make_voting(ballot_type=BallotType.KNAPSACK, costs=(60_000, 50_000, 20_000))
    resident.goto(resident.url("budgeting:ballot", knapsack.budget.pk), heading="Vote")
    resident.page.get_by_label("Project 1").check()
    resident.page.get_by_label("Project 2").check()
    if script:
        expect(resident.page.locator("#running-total")).to_contain_text("more than the budget")
    resident.submit(resident.button("Continue to check your vote"), heading="Check your vote")
    expect(resident.page.locator("#ballot-problems")).to_contain_text("take off projects worth")
    resident.submit(resident.page.get_by_role("link", name="Change your choices"), heading="Vote")
    resident.page.get_by_label("Project 2").uncheck()
    resident.page.get_by_label("Project 3").check()
    if script:
        expect(resident.page.locator("#running-total")).to_contain_text("£20,000 left")
    resident.submit(resident.button("Continue to check your vote"), heading="Check your vote")
    expect(resident.page.locator("#total")).to_contain_text("£80,000")
    resident.submit(resident.button("Cast my vote"), heading="Your vote is cast")
    receipts.append((knapsack, _receipt(resident), ["Project 1", "Project 3"]))

    cumulative = make_voting(ballot_type=BallotType.CUMULATIVE, points=10)
    resident.goto(resident.url("budgeting:ballot", cumulative.budget.pk), heading="Vote")
    resident.field("Project 1").fill("8")
    resident.field("Project 2").fill("5")
    resident.submit(resident.button("Continue to check your vote"), heading="Check your vote")
    expect(resident.page.locator("#ballot-problems")).to_contain_text("take 3 off")
    resident.submit(resident.page.get_by_role("link", name="Change your choices"), heading="Vote")
    expect(resident.field("Project 1")).to_have_value("8")
    resident.field("Project 2").fill("2")
    if script:
        expect(resident.page.locator("#points-left")).to_contain_text("0 left")
    receipts.append((cumulative, _review_and_cast(resident), ["Project 1", "Project 2"]))

    ranking = make_voting(ballot_type=BallotType.RANKING, min_choices=1, max_choices=3)
    resident.goto(resident.url("budgeting:ballot", ranking.budget.pk), heading="Vote")
    resident.field("Project 2").select_option("1")
    resident.field("Project 4").select_option("1")
    resident.submit(resident.button("Continue to check your vote"), heading="Check your vote")
    expect(resident.page.locator("#ballot-problems")).to_contain_text("each number once")
    resident.submit(resident.page.get_by_role("link", name="Change your choices"), heading="Vote")
    resident.field("Project 4").select_option("2")
    receipts.append((ranking, _review_and_cast(resident), ["Project 2", "Project 4"]))

    for other, code, titles in receipts:
        close_and_count(other)
        actions.phase_set(budget=other.budget, by=other.staff, phase=Phase.RESULTS)
        resident.goto(resident.url("budgeting:results", other.budget.pk), heading="Results")
        expect(resident.page.locator("main")).to_contain_text("Funded projects")
        _check_receipt(resident, other.budget, code, titles)

    for auditor in (resident, staff):
        _done(auditor)


def test_a_resident_proposes_votes_with_each_ballot_and_checks_the_receipt(
    demo_site: DemoSite, new_context: CreateContextCallback
) -> None:
    journey(demo_site, new_context, script=True)


def test_the_same_without_javascript(
    demo_site: DemoSite, new_context: CreateContextCallback
) -> None:
    journey(demo_site, new_context, script=False)
