"""Counting a budget from the database: the engine's answer per area, explained.

Checked against the engine run on ballots written out by hand (an independent path to the same
Election), against the proportionality guarantee of the Method of Equal Shares (EJR up to one
project, on generated profiles), and on small cases whose answer is known.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from civic_algorithms.budgeting import Ballot as EngineBallot
from civic_algorithms.budgeting import Election
from civic_algorithms.budgeting import Project as EngineProject
from civic_algorithms.budgeting import count as engine_count
from coproduce.budgeting import actions, counting
from coproduce.budgeting.models import BallotType, Phase, Rule
from coproduce.budgeting.tests.factories import (
    close_and_count,
    make_budget,
    make_proposal,
    make_voting,
    vote,
)

pytestmark = pytest.mark.django_db


def _area(count: Any, index: int = 0) -> dict[str, Any]:
    return dict(count.result["areas"][index])


def test_equal_shares_gives_the_minority_its_share_where_a_simple_vote_does_not() -> None:
    """60 voters want three projects of 30,000; 40 want a fourth: MES funds the fourth."""
    setup = make_voting(costs=(30_000, 30_000, 30_000, 30_000))
    a, b, c, d = setup.proposals
    for _ in range(6):
        vote(setup, [a, b, c])
    for _ in range(4):
        vote(setup, [d])
    area = _area(close_and_count(setup))
    assert area["selected"] == sorted([a.reference, b.reference, d.reference])
    assert area["simple_vote"] == sorted([a.reference, b.reference, c.reference])
    assert area["cost"] == 90_000
    assert area["left"] == 10_000
    unfunded = {p["reference"]: p for p in area["projects"] if not p["funded"]}
    assert unfunded[c.reference]["reason"] == counting.RAN_OUT
    assert unfunded[c.reference]["votes"] == 6
    assert area["ejr"] == {"checked": True, "passed": True, "why": "", "violations": []}


def test_each_area_spends_only_its_own_money_on_its_own_ballots() -> None:
    setup = make_budget(areas=(("North", 50_000), ("South", 20_000)))
    north = [make_proposal(setup, area=setup.areas[0], cost=c) for c in (30_000, 25_000)]
    south = [make_proposal(setup, area=setup.areas[1], cost=c) for c in (15_000, 10_000)]
    actions.phase_set(budget=setup.budget, by=setup.staff, phase=Phase.REVIEW)
    actions.phase_set(budget=setup.budget, by=setup.staff, phase=Phase.VOTING)
    for _ in range(3):
        vote(setup, north)
    vote(setup, south[1:])
    count = close_and_count(setup)
    by_name = {area["name"]: area for area in count.result["areas"]}
    assert by_name["North"]["ballots"] == 3
    assert by_name["South"]["ballots"] == 1
    assert by_name["North"]["cost"] <= 50_000
    assert by_name["South"]["selected"] == [south[1].reference]
    assert count.ballot_count == 4
    assert count.parameters["areas"] == {"North": 50_000, "South": 20_000}


def _by_hand(setup: Any, kind: str, ballots: list[tuple[str, ...]], points: Any = None) -> Election:
    """The same budget written out independently of counting.election_for."""
    return Election(
        meta={"budget": str(setup.area.amount), "vote_type": kind, "num_votes": str(len(ballots))},
        projects=tuple(
            EngineProject(id=p.reference, cost=Fraction(p.ballot_cost)) for p in setup.proposals
        ),
        ballots=tuple(
            EngineBallot(
                voter_id=str(i),
                projects=refs,
                points=None if points is None else tuple(Fraction(x) for x in points[i]),
            )
            for i, refs in enumerate(ballots)
        ),
    )


def test_cumulative_points_count_as_the_engine_counts_them() -> None:
    setup = make_voting(costs=(50_000, 40_000, 30_000, 20_000), ballot_type=BallotType.CUMULATIVE)
    a, b, c, d = setup.proposals
    written = [({a: 5, d: 5}), ({b: 7, c: 3}), ({c: 10}), ({a: 2, b: 2, d: 6})]
    for ballot in written:
        vote(setup, ballot)
    area = _area(close_and_count(setup))
    election = _by_hand(
        setup,
        "cumulative",
        [tuple(p.reference for p in ballot) for ballot in written],
        [tuple(ballot.values()) for ballot in written],
    )
    expected = engine_count(election, "mes", completion="add1-greedy")
    assert area["selected"] == expected.sorted_ids()
    points = {p["reference"]: p["points"] for p in area["projects"]}
    assert points[d.reference] == 11
    assert area["ejr"]["why"] == "ballot_type"  # the check is for approval ballots


def test_rankings_count_in_rank_order() -> None:
    setup = make_voting(
        costs=(50_000, 40_000, 30_000, 20_000), ballot_type=BallotType.RANKING, max_choices=3
    )
    a, b, c, d = setup.proposals
    written = [{c: 1, a: 2}, {b: 1, c: 2, d: 3}, {d: 1}, {a: 1, b: 2, c: 3}]
    for ballot in written:
        vote(setup, ballot)
    area = _area(close_and_count(setup))
    ranked = [
        tuple(p.reference for p, _r in sorted(b.items(), key=lambda kv: kv[1])) for b in written
    ]
    expected = engine_count(_by_hand(setup, "ordinal", ranked), "mes", completion="add1-greedy")
    assert area["selected"] == expected.sorted_ids()


def test_a_threshold_and_no_skip_give_their_own_reasons() -> None:
    setup = make_voting(costs=(60_000, 50_000, 10_000), rule=Rule.GREEDY_THRESHOLD, threshold=2)
    big, dear, small = setup.proposals
    for _ in range(3):
        vote(setup, [big, dear])
    vote(setup, [small])
    reasons = {p["reference"]: p["reason"] for p in _area(close_and_count(setup))["projects"]}
    assert reasons == {
        big.reference: "",
        dear.reference: counting.TOO_DEAR,
        small.reference: counting.BELOW_THRESHOLD,
    }

    setup = make_voting(costs=(60_000, 50_000, 10_000), rule=Rule.GREEDY_NO_SKIP)
    big, dear, small = setup.proposals
    for _ in range(3):
        vote(setup, [big, dear])
    vote(setup, [small])
    area = _area(close_and_count(setup))
    reasons = {p["reference"]: p["reason"] for p in area["projects"]}
    # Counting stops at the first that does not fit, so the small one is not reached.
    assert reasons == {
        big.reference: "",
        dear.reference: counting.TOO_DEAR,
        small.reference: counting.STOPPED,
    }
    assert area["simple_vote"] == sorted([big.reference, small.reference])


def test_the_count_stores_method_version_and_parameters() -> None:
    setup = make_voting()
    vote(setup, setup.proposals[:1])
    count = close_and_count(setup)
    assert count.method == "mes+add1+greedy"
    assert count.version.startswith("civic_algorithms ")
    assert count.parameters["vote_type"] == "approval"
    assert count.parameters["completion"] == "add1-greedy"
    assert count.progress == 100


profiles = st.lists(
    st.sets(st.integers(min_value=0, max_value=4), min_size=1, max_size=3),
    min_size=1,
    max_size=12,
)


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    costs=st.lists(st.integers(min_value=1, max_value=6), min_size=5, max_size=5),
    ballots=profiles,
)
def test_equal_shares_results_are_proportional(costs: list[int], ballots: list[set[int]]) -> None:
    """Whatever the ballots, the Method of Equal Shares result passes EJR up to one project and
    spends no more than the budget."""
    setup = make_voting(costs=[c * 10_000 for c in costs], max_choices=None)
    for chosen in ballots:
        vote(setup, [setup.proposals[i] for i in sorted(chosen)])
    area = _area(close_and_count(setup))
    assert area["cost"] <= 100_000
    assert area["ejr"]["checked"]
    assert area["ejr"]["passed"], area["ejr"]["violations"]
    funded = {p["reference"] for p in area["projects"] if p["funded"]}
    assert funded == set(area["selected"])


def test_a_project_nobody_voted_for_is_not_funded_even_with_money_left() -> None:
    setup = make_voting(costs=(30_000, 10_000))
    chosen, unchosen = setup.proposals
    vote(setup, [chosen])
    area = _area(close_and_count(setup))
    assert area["selected"] == [chosen.reference]
    assert area["left"] == 70_000
    reasons = {p["reference"]: p["reason"] for p in area["projects"]}
    assert reasons[unchosen.reference] == counting.NO_VOTES
