"""What the tests of a budget's public pages share: a page's address, voting through the ballot
pages, and publishing the results (a signed-in client and a page's text: staff_pages.py)."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client
from django.urls import reverse

from coproduce.budgeting import actions
from coproduce.budgeting.models import Phase
from coproduce.budgeting.tests.factories import BudgetSetup, close_and_count
from coproduce.budgeting.tests.staff_pages import page_of


def budget_url(name: str, setup: BudgetSetup) -> str:
    """The address of the budget's page ``budgeting:<name>``."""
    return reverse(f"budgeting:{name}", args=[setup.budget.pk])


def publish_results(setup: BudgetSetup) -> None:
    """Close voting, count and publish the results."""
    close_and_count(setup)
    actions.phase_set(budget=setup.budget, by=setup.staff, phase=Phase.RESULTS)


def send_ballot(
    client: Client, setup: BudgetSetup, data: dict[str, Any], *, follow_review: bool = True
) -> Any:
    """Send the ballot page; return the review page (or the ballot page with its errors)."""
    response = client.post(budget_url("ballot", setup), {"area": setup.area.pk, **data})
    if response.status_code == 302 and follow_review:
        assert response["Location"] == budget_url("ballot_review", setup)
        return client.get(response["Location"])
    return response


def cast_ballot(client: Client, setup: BudgetSetup) -> str:
    """Cast the ballot under review; return the receipt code shown once."""
    response = client.post(budget_url("ballot_review", setup))
    assert response.status_code == 302, page_of(response)
    assert response["Location"] == budget_url("ballot_done", setup)
    return _receipt(page_of(client.get(budget_url("ballot_done", setup))))


def _receipt(page: str) -> str:
    found = re.search(r'id="receipt-code">([A-Z0-9-]+)<', page)
    assert found, "no receipt code on the page"
    return found.group(1)
