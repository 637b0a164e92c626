"""Test data for the open-data, ledger and promised-vs-delivered tests (no tests here).

The round, its criteria, residents' weighting and the published weights go through the real
actions. Bids, evaluators, declarations, agreed scores and the award are written with the ORM
directly: their actions (actions_bids, actions_evaluation, actions_award) are being written at the
same time. The deadline is moved into the past with an update, as the clock would.

The hand-worked example: price counts for 40 %, the criteria share 60 % with weights 30, 30 and
40 (18 %, 18 % and 24 % of the award). Lowest price £900,000.

| bidder   | price      | price points | scores  | criteria points    | total |
|----------|------------|--------------|---------|--------------------|-------|
| In-house | £1,000,000 | 36           | 4, 4, 5 | 14.4 + 14.4 + 24   | 88.80 |
| Charity  | £1,100,000 | 32.7272…     | 5, 5, 3 | 18 + 18 + 14.4     | 83.13 |
| Private  | £900,000   | 40           | 3, 2, 1 | 10.8 + 7.2 + 4.8   | 62.80 |
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone

from coproduce.accounts.models import User
from coproduce.accounts.tests.factories import UserFactory
from coproduce.commissioning import actions
from coproduce.commissioning.models import (
    AgreedScore,
    Award,
    Bid,
    BidStatus,
    Clarification,
    Commitment,
    Criterion,
    Declaration,
    Evaluator,
    EvaluatorRole,
    Round,
)
from coproduce.commissioning.tests.factories import make_criteria, make_round, make_weighting
from coproduce.organisations.models import Organisation, Sector
from coproduce.organisations.tests.factories import OrganisationFactory
from coproduce.outcomes.models import Indicator
from coproduce.outcomes.tests.factories import keeper_of, make_indicator, make_outcome
from coproduce.services import actions as service_actions
from coproduce.services.models import ActivityKind, ActivityState
from coproduce.services.tests.factories import ActivityFactory, staff_of

PRICES = (Decimal("1000000"), Decimal("1100000"), Decimal("900000"))
SCORES = ((4, 4, 5), (5, 5, 3), (3, 2, 1))
TOTALS = ("88.80", "83.13", "62.80")


@dataclass
class Scenario:
    round: Round
    staff: User
    criteria: list[Criterion]
    indicator: Indicator
    bidders: list[Organisation] = field(default_factory=list)
    bids: list[Bid] = field(default_factory=list)  # the three submitted, in PRICES' order
    others: list[Bid] = field(default_factory=list)  # a draft and a withdrawn bid
    evaluators: list[Evaluator] = field(default_factory=list)
    award: Award | None = None


def published_round(state: str = ActivityState.OPEN, **fields: Any) -> Scenario:
    """A round answering one outcome indicator, its three criteria (the social-value one serves
    the indicator), one resident's weighting (30, 30, 40) and the weights published."""
    activity = ActivityFactory(kind=ActivityKind.COMMISSIONING_ROUND, state=ActivityState.OPEN)
    staff = staff_of(activity)
    round_ = make_round(activity, staff, **fields)
    service = activity.service
    outcome = make_outcome(service, keeper_of(service))
    indicator = make_indicator(
        outcome, staff, name="Local young people employed", unit="people", baseline=Decimal(0)
    )
    round_.indicators.add(indicator)
    criteria = make_criteria(round_, staff)
    criteria[2].indicators.add(indicator)
    make_weighting(round_, {criteria[0].pk: 30, criteria[1].pk: 30, criteria[2].pk: 40})
    actions.weights_publish(round_=round_, by=staff)
    if state != ActivityState.OPEN:
        service_actions.activity_transition(activity=activity, to_state=state, outcome="Done.")
    round_.refresh_from_db()
    return Scenario(round=round_, staff=staff, criteria=criteria, indicator=indicator)


def add_bids(scenario: Scenario) -> Scenario:
    """Three submitted bids (an NHS trust's in-house team, a charity consortium, a private
    provider), a draft and a withdrawn one; the in-house team promises local jobs."""
    now = timezone.now()
    names = [
        ("Northfield NHS Trust in-house team", Sector.NHS),
        ("Young Minds Together consortium", Sector.CHARITY),
        ("CarePlus Services Ltd", Sector.PRIVATE_PROVIDER),
    ]
    for (name, sector), price in zip(names, PRICES, strict=True):
        bidder = OrganisationFactory(name=name, sector=sector)
        scenario.bidders.append(bidder)
        scenario.bids.append(
            Bid.objects.create(
                round=scenario.round,
                organisation=bidder,
                status=BidStatus.SUBMITTED,
                price=price,
                summary=f"{name}'s bid.",
                submitted_at=now,
            )
        )
    scenario.others = [
        Bid.objects.create(
            round=scenario.round,
            organisation=OrganisationFactory(name="Drafty Care CIC"),
            status=BidStatus.DRAFT,
            price=Decimal("123456"),
        ),
        Bid.objects.create(
            round=scenario.round,
            organisation=OrganisationFactory(name="Withdrawn Help Ltd"),
            status=BidStatus.WITHDRAWN,
            price=Decimal("654321"),
            submitted_at=now,
        ),
    ]
    Commitment.objects.create(
        bid=scenario.bids[0],
        criterion=scenario.criteria[2],
        indicator=scenario.indicator,
        quantity=Decimal("12"),
        description="12 local young people employed",
    )
    return scenario


def close_bids(scenario: Scenario) -> Scenario:
    """Move the deadline an hour into the past."""
    Round.objects.filter(pk=scenario.round.pk).update(
        bids_close_at=timezone.now() - dt.timedelta(hours=1)
    )
    scenario.round.refresh_from_db()
    return scenario


def add_evaluators(scenario: Scenario) -> Scenario:
    """A resident evaluator with a conflict with the private provider, a member of staff with
    none, and a resident with no name who has not declared yet."""
    resident = Evaluator.objects.create(
        round=scenario.round,
        person=UserFactory(name="Asha Patel", email="asha@example.org"),
        role=EvaluatorRole.RESIDENT,
    )
    staff = Evaluator.objects.create(
        round=scenario.round, person=UserFactory(name="Sam Reid"), role=EvaluatorRole.STAFF
    )
    unnamed = Evaluator.objects.create(
        round=scenario.round,
        person=UserFactory(name="", email="quiet@example.org"),
        role=EvaluatorRole.RESIDENT,
    )
    for bid in scenario.bids:
        conflict = bid == scenario.bids[2]
        Declaration.objects.create(
            evaluator=resident,
            bid=bid,
            conflict=conflict,
            details="My brother works for them." if conflict else "",
        )
        Declaration.objects.create(evaluator=staff, bid=bid, conflict=False)
    scenario.evaluators = [resident, staff, unnamed]
    return scenario


def agree_scores(scenario: Scenario) -> Scenario:
    for bid, scores in zip(scenario.bids, SCORES, strict=True):
        for criterion, score in zip(scenario.criteria, scores, strict=True):
            AgreedScore.objects.create(
                bid=bid, criterion=criterion, score=score, agreed_by=scenario.staff
            )
    return scenario


def make_award(
    scenario: Scenario,
    *,
    decided_at: dt.datetime | None = None,
    contract_starts_on: dt.date | None = None,
) -> Award:
    """Award the round to the in-house team (the best total), standstill ten days."""
    decided = decided_at or timezone.now()
    scenario.award = Award.objects.create(
        round=scenario.round,
        bid=scenario.bids[0],
        reasons="The best total: quick appointments and local jobs.",
        decided_by=scenario.staff,
        decided_at=decided,
        standstill_ends_on=timezone.localdate(decided) + dt.timedelta(days=10),
        contract_starts_on=contract_starts_on,
    )
    return scenario.award


def awarded_round(**award: Any) -> Scenario:
    """A round through to its award."""
    scenario = agree_scores(add_evaluators(close_bids(add_bids(published_round()))))
    make_award(scenario, **award)
    return scenario


def answered_question(round_: Round, asker: User, staff: User) -> Clarification:
    return Clarification.objects.create(
        round=round_,
        asked_by=asker,
        question="Can a consortium bid?",
        answer="Yes: name a lead organisation.",
        answered_by=staff,
        answered_at=timezone.now(),
    )
