"""Test data for bids, made through the real actions (actions_bids).

A bid needs a round whose weights are published and whose bids have not closed: ``ready_round``
makes one. ``close_bids`` then moves the round past its deadline (see its docstring for why it
writes the database directly).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal

from django.utils import timezone

from coproduce.accounts.models import User
from coproduce.accounts.tests.factories import UserFactory
from coproduce.commissioning import actions, actions_bids, rules
from coproduce.commissioning.models import Bid, CriterionKind, Round
from coproduce.commissioning.tests.factories import keeper_of, make_criteria, make_round
from coproduce.organisations.models import Organisation, Role, Sector
from coproduce.organisations.tests.factories import MembershipFactory, OrganisationFactory
from coproduce.outcomes.tests.factories import make_indicator, make_outcome

__all__ = ["close_bids", "make_bid", "make_bidder", "ready_round"]


def ready_round(round_: Round | None = None, *, indicators: bool = True) -> Round:
    """A round open for bids: its criteria (two quality, one social value) and, with
    ``indicators``, an outcome indicator its social-value criterion serves; the weights
    published by one of its keepers."""
    if round_ is None:
        round_ = make_round()
    keeper = keeper_of(round_.activity.service)
    criteria = make_criteria(round_, keeper)
    if indicators:
        outcome = make_outcome(round_.activity.service, keeper)
        indicator = make_indicator(
            outcome, keeper, name="Local young people employed", unit="people"
        )
        social = next(c for c in criteria if c.kind == CriterionKind.SOCIAL_VALUE)
        actions.criterion_update(
            criterion=social,
            by=keeper,
            name=social.name,
            description=social.description,
            indicators=[indicator],
        )
    actions.weights_publish(round_=round_, by=keeper)
    return Round.objects.select_related("activity").get(pk=round_.pk)


def make_bidder(
    organisation: Organisation | None = None, role: str = Role.PROFESSIONAL
) -> tuple[User, Organisation]:
    """A member who may bid for an organisation (a new charity unless given), two-factor set up."""
    if organisation is None:
        organisation = OrganisationFactory(sector=Sector.CHARITY)
    user = UserFactory(mfa=True)
    MembershipFactory(user=user, organisation=organisation, role=role)
    return user, organisation


def make_bid(
    round_: Round,
    bidder: User | None = None,
    organisation: Organisation | None = None,
    *,
    price: Decimal | str = "1150000",
    summary: str = "We have run youth services in the borough for ten years.",
    statements: Mapping[int, str] | None = None,
    submit: bool = True,
) -> Bid:
    """A bid started, written and (unless ``submit=False``) submitted through the actions, with a
    method statement for every quality criterion. A new bidder and organisation unless given."""
    if bidder is None:
        bidder, organisation = make_bidder(organisation)
    elif organisation is None:
        organisation = rules.bidding_organisations(bidder).first()
    assert organisation is not None
    bid = actions_bids.bid_start(round_=round_, organisation=organisation, by=bidder)
    if statements is None:
        statements = {
            criterion.pk: f"How {organisation.name} meets “{criterion.name}”: with trained staff."
            for criterion in round_.criteria.filter(kind=CriterionKind.QUALITY)
        }
    bid = actions_bids.bid_save(
        bid=bid, by=bidder, price=Decimal(price), summary=summary, statements=statements
    )
    if submit:
        bid = actions_bids.bid_submit(bid=bid, by=bidder)
    return bid


def close_bids(round_: Round, *, ago: dt.timedelta = dt.timedelta(minutes=1)) -> Round:
    """Move the round past its deadline: bids closed ``ago``.

    Why an ORM update and not ``actions.round_save``: time passing is not an edit anyone makes.
    Bids can only be made while the deadline is ahead (``rules.can_bid``), so a test makes them
    first and then needs the deadline behind it; ``round_save`` would refuse that timetable
    (weighting must close before bids close) and is not how a deadline passes. Moving the clock
    instead (freezing time) would also move every other date the test relies on. Only
    ``bids_close_at`` changes; the timetable constraint in the database does not involve it.
    """
    Round.objects.filter(pk=round_.pk).update(bids_close_at=timezone.now() - ago)
    return Round.objects.select_related("activity").get(pk=round_.pk)
