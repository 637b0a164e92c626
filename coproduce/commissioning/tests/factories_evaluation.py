"""Test data for the evaluation and the award, made through the real actions.

``evaluated_round`` gives a round whose bids have closed: criteria weighted 30, 30 and 40 (of
the 60 % the criteria share; price 40 %), three submitted bids, a keeper, and nothing evaluated
yet. The helpers below then choose evaluators, declare, score, agree and award through
actions_evaluation and actions_award.

The worked example (price 40 %, weights 30/30/40 → up to 18, 18 and 24 points):

| bidder   | price      | price points        | agreed  | criteria points  | total |
|----------|------------|---------------------|---------|------------------|-------|
| Oak      | £1,000,000 | 40 × 0.9   = 36     | 4, 4, 5 | 14.4 + 14.4 + 24 | 88.80 |
| Ash      | £1,100,000 | 40 × 9/11  = 32.73  | 5, 5, 3 | 18 + 18 + 14.4   | 83.13 |
| Elm      | £900,000   | 40                  | 3, 2, 1 | 10.8 + 7.2 + 4.8 | 62.80 |
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from coproduce.accounts.models import User
from coproduce.accounts.tests.factories import UserFactory
from coproduce.commissioning import actions, actions_award
from coproduce.commissioning import actions_evaluation as evaluation
from coproduce.commissioning.models import Award, Bid, Criterion, EvaluatorRole, Round
from coproduce.commissioning.tests.factories import keeper_of, make_criteria, make_round
from coproduce.commissioning.tests.factories import make_weighting as weigh
from coproduce.commissioning.tests.factories_bids import close_bids, make_bid, make_bidder
from coproduce.organisations.models import Sector
from coproduce.organisations.tests.factories import OrganisationFactory

NAMES = ("Oak Trust", "Ash Co-operative", "Elm Care Ltd")
PRICES = (Decimal("1000000"), Decimal("1100000"), Decimal("900000"))
AGREED = ((4, 4, 5), (5, 5, 3), (3, 2, 1))
TOTALS = (Decimal("88.80"), Decimal("83.13"), Decimal("62.80"))


@dataclass
class Evaluated:
    round: Round
    keeper: User
    criteria: list[Criterion]
    bids: list[Bid]  # in NAMES' order
    bidders: list[User]
    evaluators: list[User] = field(default_factory=list)


def evaluated_round(*, closed: bool = True, prices: Sequence[Decimal | str] = PRICES) -> Evaluated:
    """A round with three criteria weighted 30, 30, 40, three submitted bids (at PRICES unless
    given) and, unless ``closed=False``, its bids closed."""
    round_ = make_round()
    keeper = keeper_of(round_.activity.service)
    criteria = make_criteria(round_, keeper)
    weigh(round_, {criteria[0].pk: 30, criteria[1].pk: 30, criteria[2].pk: 40})
    actions.weights_publish(round_=round_, by=keeper)
    bids, bidders = [], []
    for name, price in zip(NAMES, prices, strict=True):
        bidder, organisation = make_bidder(OrganisationFactory(name=name, sector=Sector.CHARITY))
        bids.append(make_bid(round_, bidder, organisation, price=Decimal(price)))
        bidders.append(bidder)
    data = Evaluated(round_, keeper, list(round_.criteria.all()), bids, bidders)
    if closed:
        close(data)
    return data


def close(data: Evaluated) -> None:
    """Move the round past its deadline (factories_bids.close_bids) and read it and its bids
    again, so that nothing holds the old deadline."""
    data.round = close_bids(data.round)
    data.bids = [
        Bid.objects.select_related("round__activity", "organisation").get(pk=b.pk)
        for b in data.bids
    ]


def make_evaluator(
    round_: Round, keeper: User, person: User | None = None, role: str = EvaluatorRole.RESIDENT
) -> User:
    """A resident (a new one unless given) chosen as an evaluator through the action."""
    person = person or UserFactory()
    evaluation.evaluator_add(round_=round_, by=keeper, email=person.email, role=role)
    return person


def declare(round_: Round, person: User, conflicts: Mapping[int, str] | None = None) -> None:
    """Declare no interest in every bidder, except the interests given (bid key → details)."""
    conflicts = conflicts or {}
    answers = {
        bid.pk: evaluation.Interest(conflict=bid.pk in conflicts, details=conflicts.get(bid.pk, ""))
        for bid in round_.bids.filter(status="submitted")
    }
    evaluation.declarations_save(round_=round_, person=person, answers=answers)


def score(bid: Bid, person: User, scores: Sequence[int], comment: str = "Clear and local.") -> None:
    """Score a bid on every criterion, in the round's order."""
    criteria = list(bid.round.criteria.all())
    evaluation.scores_save(
        bid=bid,
        person=person,
        scores={
            c.pk: evaluation.Given(score=s, comment=f"{comment} ({c.name})")
            for c, s in zip(criteria, scores, strict=True)
        },
    )


def agree(
    bid: Bid, keeper: User, scores: Sequence[int], reason: str = "Agreed at the meeting."
) -> None:
    """Record the agreed scores of a bid on every criterion, in the round's order, with a reason."""
    criteria = list(bid.round.criteria.all())
    evaluation.agreed_scores_save(
        bid=bid,
        by=keeper,
        agreed={
            c.pk: evaluation.Given(score=s, comment=f"{reason} ({c.name})")
            for c, s in zip(criteria, scores, strict=True)
        },
    )


def agree_example(data: Evaluated) -> None:
    """The worked example's agreed scores (AGREED) for the three bids."""
    for bid, scores in zip(data.bids, AGREED, strict=True):
        agree(bid, data.keeper, scores)


def award(
    data: Evaluated,
    bid: Bid | None = None,
    *,
    reasons: str = "The highest score: local staff and quick appointments.",
    why_not_top: str = "",
    feedback: Mapping[int, str] | None = None,
    contract_starts_on: dt.date | None = None,
) -> Award:
    """Award the round (to the first bid unless given) with feedback to every bidder."""
    return actions_award.award_make(
        round_=data.round,
        by=data.keeper,
        bid=bid or data.bids[0],
        reasons=reasons,
        why_not_top=why_not_top,
        feedback=feedback
        if feedback is not None
        else {b.pk: f"Feedback for {b.organisation.name}." for b in data.bids},
        contract_starts_on=contract_starts_on,
    )
