"""The demo's participatory budgets: the young people's budget closed, counted, published and in
delivery, every proposal answered; the safer streets fund open for voting; seeding twice changes
nothing."""

from __future__ import annotations

from datetime import date

import pytest

from coproduce.accounts.models import User
from coproduce.budgeting.models import (
    Ballot,
    BallotSource,
    BallotType,
    Budget,
    CountStatus,
    DeliveryStatus,
    DeliveryUpdate,
    Feasibility,
    PaperEntry,
    Phase,
    Proposal,
)
from coproduce.budgeting.rules import can_vote_online, voting_open
from coproduce.contributions.models import Contribution
from coproduce.demo.budgeting import (
    EARLIER_CHALLENGE,
    MISMATCH,
    OPEN_BUDGET,
    POSTCODES,
    YOUTH_BUDGET,
)
from coproduce.demo.story import seed
from coproduce.services.models import ActivityState
from coproduce.transparency.models import LedgerEntry

pytestmark = [pytest.mark.slow]


def test_the_young_peoples_budget_and_the_open_safer_streets_fund(demo_story: None) -> None:

    # The young people's budget: voting closed, counted, results published, in delivery.
    youth = Budget.objects.select_related("activity").get(activity__title=YOUTH_BUDGET)
    assert youth.activity.service.slug == "youth-mental-health-support"
    assert youth.phase == Phase.DELIVERY
    assert youth.activity.state == ActivityState.REPORTED
    assert youth.total == 250_000
    assert (youth.ballot_type, youth.max_choices, youth.rule) == (BallotType.APPROVAL, 4, "mes")
    closed, published = youth.voting_closes_on, youth.results_on
    assert closed is not None
    assert published is not None
    assert closed < published <= date.today()
    count = youth.counts.get()
    assert count.status == CountStatus.DONE
    assert count.ballot_count == youth.ballots.count() >= 300
    [area] = count.result["areas"]
    assert area["ejr"]["checked"]
    assert area["ejr"]["passed"]
    assert area["cost"] <= area["amount"]
    assert set(area["selected"]) != set(area["simple_vote"])  # the count differs from a plain tally
    assert ("budget_result", str(youth.pk)) in set(LedgerEntry.objects.values_list("type", "key"))

    # Ballots online, by code and on paper typed twice (one typing taken back and retyped).
    sources = set(youth.ballots.values_list("source", flat=True))
    assert sources == {BallotSource.ONLINE, BallotSource.PAPER}
    assert youth.ballots.filter(code__isnull=False).exists()
    paper = youth.ballots.filter(source=BallotSource.PAPER)
    assert PaperEntry.objects.filter(budget=youth).count() == 2 * paper.count()

    # Every proposal is answered; the four ideas brought forward keep their authors.
    proposals = list(Proposal.objects.filter(budget=youth).select_related("contribution"))
    assert 12 <= len(proposals) <= 16
    assert all(p.contribution.first_response_at is not None for p in proposals)
    kinds = {p.feasibility for p in proposals}
    assert kinds == {
        Feasibility.FEASIBLE,
        Feasibility.COST_CHANGED,
        Feasibility.MERGED,
        Feasibility.NOT_FEASIBLE,
    }
    forward = [p for p in proposals if p.from_contribution is not None]
    assert len(forward) == 4
    for proposal in forward:
        idea = proposal.from_contribution
        assert idea is not None
        assert idea.activity.title == EARLIER_CHALLENGE
        assert proposal.contribution.author_id == idea.author_id
        assert idea.responses.exists()
    funded = [p for p in proposals if p.delivery_status]
    assert {p.pk for p in funded} == {
        project["proposal"] for project in area["projects"] if project["funded"]
    }
    on_ballot = [p for p in proposals if p.feasibility in (Feasibility.FEASIBLE, "cost_changed")]
    assert all(p.contribution.responses.count() >= 2 for p in on_ballot)  # review and result
    statuses = {p.delivery_status for p in funded}
    assert statuses == {
        DeliveryStatus.PLANNED,
        DeliveryStatus.IN_PROGRESS,
        DeliveryStatus.DELIVERED,
    }
    assert DeliveryUpdate.objects.filter(proposal__budget=youth).exclude(note="").count() == 3

    # The safer streets fund: open for voting, projects on a map, a paper ballot to sort out.
    fund = Budget.objects.select_related("activity").get(activity__title=OPEN_BUDGET)
    assert fund.phase == Phase.VOTING
    assert voting_open(fund)
    assert fund.ballot_type == BallotType.KNAPSACK
    assert fund.accounts_may_vote
    assert fund.postcode_prefixes == POSTCODES
    options = list(fund.proposals.on_ballot())
    assert 6 <= len(options) <= 8
    assert sum(p.latitude is not None for p in options) >= 4
    assert Ballot.objects.filter(budget=fund).count() >= 20
    typings = PaperEntry.objects.filter(budget=fund, paper_reference=MISMATCH)
    assert typings.count() == 2
    assert not fund.ballots.filter(paper_reference=MISMATCH).exists()
    newcomer = User.objects.create_user(email="new.visitor@example.org")
    assert can_vote_online(newcomer, fund)
    assert not Ballot.objects.filter(voter__email="resident@example.org").exists()

    size = (Ballot.objects.count(), Contribution.objects.count(), Budget.objects.count())
    seed()
    assert (Ballot.objects.count(), Contribution.objects.count(), Budget.objects.count()) == size
