"""The results of a participatory budget on its public pages, the receipt check and how the
votes are counted."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from coproduce.accounts.tests.factories import UserFactory
from coproduce.budgeting import actions_voting
from coproduce.budgeting.models import BallotType, Rule
from coproduce.budgeting.tests.factories import BudgetSetup, close_and_count, make_voting, vote
from coproduce.budgeting.tests.public_pages import (
    budget_url,
    cast_ballot,
    publish_results,
    send_ballot,
)
from coproduce.budgeting.tests.staff_pages import page_of, signed_in

pytestmark = pytest.mark.django_db


def _counted(**fields: Any) -> tuple[BudgetSetup, str]:
    """A budget whose result shows Equal Shares funding differently from a simple vote."""
    setup = make_voting(costs=(60_000, 40_000, 40_000), **fields)
    big, left1, left2 = setup.proposals
    receipt = ""
    for index in range(6):
        cast = vote(setup, [big])
        receipt = receipt or cast.receipt
        del index
    for _index in range(4):
        vote(setup, [left1, left2])
    publish_results(setup)
    return setup, receipt


def test_results_show_funded_projects_reasons_comparison_and_the_check() -> None:
    setup, _receipt_code = _counted()
    response = signed_in().get(budget_url("results", setup))
    page = page_of(response)
    assert response.status_code == 200
    count = setup.budget.counts.get()
    area = count.result["areas"][0]
    funded = {p["reference"] for p in area["projects"] if p["funded"]}
    for project in area["projects"]:
        assert project["title"] in page
    assert 'class="app-chart"' in page
    assert "<svg" in page
    assert 'id="votes-' in page
    assert "10 people voted." in page
    reasons = {p["reason"] for p in area["projects"] if not p["funded"]}
    from coproduce.budgeting.views.public import REASONS

    for reason in reasons:
        assert str(REASONS[reason]) in page
    if set(area["simple_vote"]) == funded:
        assert "would have funded the same projects" in page
    else:
        assert "would have funded different projects" in page
    assert area["ejr"]["checked"] is True
    assert ("Passed" in page) if area["ejr"]["passed"] else ("Failed" in page)
    assert count.method in page
    assert count.version in page
    assert "transparency" not in page or "/ledger/" in page
    assert budget_url("export_pb", setup) in page
    assert budget_url("ballots_csv", setup) in page


def test_results_words_for_each_reason_and_unchecked_proportionality() -> None:
    setup = make_voting(ballot_type=BallotType.CUMULATIVE, costs=(60_000, 50_000, 55_000))
    p1, p2, _p3 = setup.proposals
    vote(setup, {p1: 6, p2: 4})
    vote(setup, {p2: 10})
    publish_results(setup)
    page = page_of(signed_in().get(budget_url("results", setup)))
    assert "Not checked: the check works on ballots where people choose projects" in page
    assert "Nobody voted for it." in page  # p3
    assert "Points" in page


def test_greedy_results_say_it_cost_more_than_what_was_left() -> None:
    setup = make_voting(rule=Rule.GREEDY, costs=(70_000, 50_000))
    p1, p2 = setup.proposals
    vote(setup, [p1])
    vote(setup, [p1, p2])
    publish_results(setup)
    page = page_of(signed_in().get(budget_url("results", setup)))
    assert "It cost more than what was left." in page


def test_results_are_for_staff_until_published() -> None:
    setup = make_voting()
    vote(setup, [setup.proposals[0]])
    close_and_count(setup)
    assert signed_in(UserFactory()).get(budget_url("results", setup)).status_code == 403
    staff = signed_in(setup.staff).get(budget_url("results", setup))
    assert staff.status_code == 200
    assert "Not published yet" in page_of(staff)


def test_a_receipt_finds_the_anonymised_ballot_once_voting_has_closed() -> None:
    setup = make_voting()
    p1, p2 = setup.proposals[:2]
    resident = UserFactory()
    client = signed_in(resident)
    send_ballot(client, setup, {"projects": [p1.pk]})
    old_receipt = cast_ballot(client, setup)
    send_ballot(client, setup, {"projects": [p1.pk, p2.pk]})
    receipt = cast_ballot(client, setup)
    early = page_of(client.post(budget_url("receipt_check", setup), {"receipt": receipt}))
    assert 'id="receipts-not-open"' in early
    assert 'id="receipt-found"' not in early
    publish_results(setup)
    anyone = signed_in()
    found = page_of(anyone.post(budget_url("receipt_check", setup), {"receipt": receipt.lower()}))
    assert 'id="receipt-found"' in found
    assert p1.title in found
    assert p2.title in found
    assert actions_voting.public_id_for(receipt) in found
    assert resident.email not in found
    gone = page_of(anyone.post(budget_url("receipt_check", setup), {"receipt": old_receipt}))
    assert 'id="receipt-not-found"' in gone
    assert "each change gives a new code" in gone
    empty = page_of(anyone.post(budget_url("receipt_check", setup), {"receipt": ""}))
    assert "Enter your receipt code." in empty


def test_how_the_votes_are_counted_is_a_public_page() -> None:
    response = signed_in().get(reverse("budgeting:how_counting_works"))
    assert response.status_code == 200
    assert "Method of Equal Shares" in page_of(response)
    assert "run out of their share of the budget" in page_of(response)
