"""Properties every outcome must have: within budget, proportional, exhaustive, order-blind."""

from __future__ import annotations

import random
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from civic_algorithms.budgeting.axioms import ejr_up_to_one_violations
from civic_algorithms.budgeting.mes import Candidates, run_mes
from civic_algorithms.budgeting.model import Ballot, Election, Project, VoteType
from civic_algorithms.budgeting.profile import compile_ballots, compile_satisfaction
from civic_algorithms.budgeting.rules import count, is_exhaustive
from civic_algorithms.budgeting.tests.strategies import elections

ALL_TYPES: tuple[VoteType, ...] = ("approval", "choose-1", "cumulative", "scoring", "ordinal")
PLAIN = [("greedy", None), ("greedy-no-skip", None), ("greedy-threshold", None)]
MES = [("mes", c) for c in ("none", "greedy", "add1", "add1-greedy")]
OFFICIAL_MES = [
    (r, None)
    for r in (
        "equalshares",
        "equalshares-comparison",
        "equalshares/add1",
        "equalshares/add1-comparison",
    )
]


def _run(election: Election, rule: str, completion: str | None) -> frozenset[str]:
    threshold = Fraction(1) if rule == "greedy-threshold" else None
    outcome = count(election, rule, completion=completion, threshold=threshold)
    assert outcome.cost == sum(p.cost for p in election.projects if p.id in outcome.selected)
    return frozenset(outcome.selected)


@given(elections(vote_types=ALL_TYPES, decimals=True))
@settings(max_examples=80, deadline=None)
def test_no_rule_overspends(election: Election) -> None:
    rules = PLAIN + MES + (OFFICIAL_MES if election.vote_type in ("approval", "choose-1") else [])
    for rule, completion in rules:
        chosen = _run(election, rule, completion)
        assert sum(p.cost for p in election.projects if p.id in chosen) <= election.budget, rule


@given(
    elections(),
    st.sampled_from(["cost", "cardinality"]),
    st.sampled_from(["none", "add1", "add1-greedy"]),
)
@settings(max_examples=120, deadline=None)
def test_equal_shares_is_ejr_up_to_one_project(
    election: Election, sat: str, completion: str
) -> None:
    outcome = count(election, "mes", sat=sat, completion=completion)
    assert ejr_up_to_one_violations(election, outcome.selected, sat) == []


def test_the_ejr_check_catches_a_majority_that_takes_everything() -> None:
    """Greedy gives 6 of 10 voters all three projects and the 4 others nothing."""
    projects = tuple(Project(pid, Fraction(1)) for pid in ("a1", "a2", "a3", "b1", "b2", "b3"))
    ballots = tuple(
        Ballot(f"v{i}", ("a1", "a2", "a3") if i < 6 else ("b1", "b2", "b3")) for i in range(10)
    )
    election = Election({"budget": "3", "vote_type": "approval"}, projects, ballots)
    greedy = count(election, "greedy", sat="cardinality")
    assert sorted(greedy.selected) == ["a1", "a2", "a3"]
    violations = ejr_up_to_one_violations(election, greedy.selected, "cardinality")
    assert violations
    assert violations[0].projects == ("b1",)
    assert ejr_up_to_one_violations(election, ["a1", "a2", "b1"], "cardinality") == []
    equal_shares = count(election, "mes", sat="cardinality")
    assert ejr_up_to_one_violations(election, equal_shares.selected, "cardinality") == []


@given(elections(vote_types=ALL_TYPES), st.integers(-3, 6))
@settings(max_examples=50, deadline=None)
def test_completions_that_promise_exhaustiveness_keep_it(
    election: Election, threshold: int
) -> None:
    ballots = compile_ballots(election)
    index = {pid: i for i, pid in enumerate(ballots.project_ids)}
    everything = range(ballots.n_projects)
    for rule, completion in [("greedy", None), ("mes", "greedy"), ("mes", "add1-greedy")]:
        outcome = count(election, rule, completion=completion, ballots=ballots)
        assert is_exhaustive(ballots, [index[p] for p in outcome.selected], everything), rule
    outcome = count(election, "greedy-threshold", threshold=Fraction(threshold), ballots=ballots)
    scores = ballots.scores()
    eligible = [p for p in everything if scores[p] >= threshold]
    assert is_exhaustive(ballots, [index[p] for p in outcome.selected], eligible)
    assert all(scores[index[p]] >= threshold for p in outcome.selected)


@given(elections(vote_types=("approval", "cumulative")))
@settings(max_examples=80, deadline=None)
def test_add1_stops_only_where_it_must(election: Election) -> None:
    """Add1 ends exhaustive (among projects with support) or one more unit would overspend."""
    ballots = compile_ballots(election)
    outcome = count(election, "mes", completion="add1", ballots=ballots)
    if ballots.n_voters == 0 or ballots.budget == 0:
        return
    candidates = Candidates.build(
        compile_satisfaction(ballots, "cost" if election.vote_type == "approval" else "points")
    )
    index = {pid: i for i, pid in enumerate(ballots.project_ids)}
    chosen = [index[p] for p in outcome.selected]
    if is_exhaustive(ballots, chosen, candidates.projects):
        return
    share = Fraction(str(outcome.details["voter_share"])) * ballots.unit
    ranks = sorted(range(ballots.n_projects), key=lambda p: ballots.project_ids[p])
    rank_of = [0] * ballots.n_projects
    for rank, project in enumerate(ranks):
        rank_of[project] = rank
    following = run_mes(candidates, share + ballots.unit, rank_of, exact=True)
    spent = sum(ballots.costs[p] for p in [*candidates.free, *following.bought])
    assert spent > ballots.budget


def _shuffled(election: Election, seed: int) -> Election:
    ballots = list(election.ballots)
    random.Random(seed).shuffle(ballots)
    renamed = tuple(Ballot(f"w{i}", b.projects, b.points, b.fields) for i, b in enumerate(ballots))
    return Election(
        election.meta, election.projects, renamed, election.project_columns, election.vote_columns
    )


@given(elections(vote_types=ALL_TYPES, max_voters=15), st.integers(0, 10**6))
@settings(max_examples=60, deadline=None)
def test_outcomes_do_not_depend_on_the_order_of_voters(election: Election, seed: int) -> None:
    other = _shuffled(election, seed)
    rules = PLAIN + MES + (OFFICIAL_MES if election.vote_type in ("approval", "choose-1") else [])
    for rule, completion in rules:
        assert _run(election, rule, completion) == _run(other, rule, completion), rule


@pytest.mark.parametrize("name", ["Netherlands_Assen_2024", "Poland_Wieliczka_2023_Green_Budget"])
def test_real_outcomes_do_not_depend_on_the_order_of_voters(pabulib, name: str) -> None:  # type: ignore[no-untyped-def]
    election = pabulib(name)
    other = _shuffled(election, 7)
    for rule, completion in [
        ("mes", "add1"),
        ("equalshares/add1-comparison", None),
        ("greedy", None),
    ]:
        assert _run(election, rule, completion) == _run(other, rule, completion), rule
