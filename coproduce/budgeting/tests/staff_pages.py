"""What the tests of a budget's staff pages share: a signed-in client, a page's text, the set-up
form's data and a budget in delivery."""

from __future__ import annotations

from typing import Any

from django.test import Client

from coproduce.accounts.models import User
from coproduce.budgeting import actions
from coproduce.budgeting.models import (
    BallotType,
    CountStatus,
    DeliveryStatus,
    Phase,
    Proposal,
    Rule,
)
from coproduce.budgeting.tests.factories import BudgetSetup, close_and_count, make_voting, vote
from coproduce.services.models import Activity, ActivityKind, ActivityState
from coproduce.services.tests.factories import ActivityFactory, staff_of


def signed_in(user: User | None = None) -> Client:
    """A client signed in as ``user`` (None: a visitor)."""
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def page_of(response: Any) -> str:
    """The page a response holds, as text."""
    return str(response.content.decode())


def delivering() -> tuple[BudgetSetup, Proposal]:
    """A budget in delivery whose first project was funded."""
    setup = make_voting(costs=(40_000, 30_000))
    first, second = setup.proposals
    vote(setup, [first])
    vote(setup, [first, second])
    count = close_and_count(setup)
    assert count.status == CountStatus.DONE
    actions.phase_set(budget=setup.budget, by=setup.staff, phase=Phase.RESULTS)
    actions.phase_set(budget=setup.budget, by=setup.staff, phase=Phase.DELIVERY)
    first.refresh_from_db()
    assert first.delivery_status == DeliveryStatus.PLANNED
    return setup, first


def setup_data(**changes: Any) -> dict[str, Any]:
    """The set-up form filled in as a council would, with ``changes``."""
    data = {
        "area_name": "Whole borough",
        "area_amount": "£100,000",
        "more_areas": "",
        "currency": "gbp",
        "ballot_type": BallotType.APPROVAL,
        "min_choices": "1",
        "max_choices": "3",
        "points": "10",
        "rule": Rule.MES,
        "threshold": "",
        "voting_opens_on_day": "",
        "voting_opens_on_month": "",
        "voting_opens_on_year": "",
        "accounts_may_vote": "on",
        "postcode_prefixes": "nf1 NF2",
        "min_age": "11",
    }
    data.update(changes)
    return data


def new_activity() -> tuple[Activity, User]:
    """An open participatory-budget activity without a budget, and a professional who runs it."""
    activity = ActivityFactory(kind=ActivityKind.PARTICIPATORY_BUDGET, state=ActivityState.OPEN)
    return activity, staff_of(activity)
