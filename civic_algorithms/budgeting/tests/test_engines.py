"""The fast engine and Add1 skipping choose exactly what exact fractions choose."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from civic_algorithms.budgeting.mes import Candidates, run_exact, run_fast, search_add1
from civic_algorithms.budgeting.model import Election
from civic_algorithms.budgeting.profile import (
    Ballots,
    Sat,
    compile_ballots,
    compile_satisfaction,
    default_sat,
)
from civic_algorithms.budgeting.tests.conftest import FILES
from civic_algorithms.budgeting.tests.strategies import elections
from civic_algorithms.budgeting.tiebreak import TieBreak

LEXICOGRAPHIC = TieBreak.parse("lexicographic")
CHEAP_FIRST = TieBreak.parse("min-cost,max-votes")


@pytest.mark.parametrize("name", FILES)
def test_fast_engine_buys_what_the_exact_engine_buys(
    compiled: Callable[[str], Ballots], name: str
) -> None:
    ballots = compiled(name)
    share = Fraction(ballots.budget, ballots.n_voters)
    natural = default_sat(ballots.vote_type)
    cases: list[tuple[Sat, TieBreak, int]] = [(natural, LEXICOGRAPHIC, 1)]
    if ballots.vote_type in ("approval", "choose-1"):
        cases.append(("cardinality", LEXICOGRAPHIC, 1))
    if len(ballots.weights) < 5000:  # the exact engine takes seconds on the big files
        cases += [(natural, LEXICOGRAPHIC, 2), (natural, CHEAP_FIRST, 1)]
    for sat, tie_break, factor in cases:
        candidates = Candidates.build(compile_satisfaction(ballots, sat))
        ranks = tie_break.ranks(ballots)
        exact = run_exact(candidates, share * factor, ranks)
        fast = run_fast(candidates, share * factor, ranks)
        assert fast.bought == exact.bought, (sat, str(tie_break), factor)
        assert fast.ties == exact.ties, (sat, str(tie_break), factor)


# Add1 needs about 1,600, 350 and 180 raises on these; both searches start this many raises up.
HEAD_START = {
    "France_Toulouse_2022": 1570,
    "Poland_Warszawa_2023_Mokotow": 300,
    "Poland_Warszawa_2026": 140,
}


@pytest.mark.parametrize("name", FILES)
def test_add1_skipping_changes_nothing(compiled: Callable[[str], Ballots], name: str) -> None:
    ballots = compiled(name)
    share = Fraction(ballots.budget, ballots.n_voters) + HEAD_START.get(name, 0) * ballots.unit
    candidates = Candidates.build(compile_satisfaction(ballots, default_sat(ballots.vote_type)))
    ranks = LEXICOGRAPHIC.ranks(ballots)
    step = share + ballots.unit
    skipping = search_add1(candidates, ranks, share, step, stop_when_exhaustive=True)
    stepping = search_add1(candidates, ranks, share, step, stop_when_exhaustive=True, skip=False)
    assert skipping.run.bought == stepping.run.bought
    assert skipping.share == stepping.share


@pytest.mark.parametrize("name", ["Netherlands_Assen_2024", "Poland_Katowice_2023"])
def test_add1_with_exact_arithmetic_at_every_step(
    compiled: Callable[[str], Ballots], name: str
) -> None:
    ballots = compiled(name)
    share = Fraction(ballots.budget, ballots.n_voters)
    candidates = Candidates.build(compile_satisfaction(ballots, default_sat(ballots.vote_type)))
    ranks = LEXICOGRAPHIC.ranks(ballots)
    step = share + ballots.unit
    fast = search_add1(candidates, ranks, share, step, stop_when_exhaustive=True)
    exact = search_add1(candidates, ranks, share, step, stop_when_exhaustive=True, exact=True)
    assert fast.run.bought == exact.run.bought
    assert fast.share == exact.share


@given(
    elections(
        vote_types=("approval", "cumulative", "ordinal", "scoring"), max_projects=5, max_voters=10
    ),
    st.fractions(min_value=Fraction(1, 4), max_value=4),
    st.sampled_from(["natural", "cardinality", "cost"]),
    st.booleans(),
)
@settings(max_examples=150, deadline=None)
def test_fast_equals_exact_on_small_elections(
    election: Election, factor: Fraction, sat_name: str, cheap_first: bool
) -> None:
    ballots = compile_ballots(election)
    sat = default_sat(election.vote_type) if sat_name == "natural" else sat_name
    candidates = Candidates.build(compile_satisfaction(ballots, sat))  # type: ignore[arg-type]
    ranks = (CHEAP_FIRST if cheap_first else LEXICOGRAPHIC).ranks(ballots)
    share = Fraction(ballots.budget, ballots.n_voters) * factor
    exact = run_exact(candidates, share, ranks)
    fast = run_fast(candidates, share, ranks)
    assert fast.bought == exact.bought
    assert fast.ties == exact.ties


@given(
    elections(vote_types=("approval", "cumulative"), max_projects=5, max_voters=10), st.booleans()
)
@settings(max_examples=100, deadline=None)
def test_add1_fast_equals_exact_on_small_elections(election: Election, stop: bool) -> None:
    ballots = compile_ballots(election)
    candidates = Candidates.build(compile_satisfaction(ballots, default_sat(election.vote_type)))
    ranks = LEXICOGRAPHIC.ranks(ballots)
    share = Fraction(ballots.budget, ballots.n_voters)
    if share == 0:
        return
    step = share + ballots.unit
    fast = search_add1(candidates, ranks, share, step, stop_when_exhaustive=stop)
    exact = search_add1(candidates, ranks, share, step, stop_when_exhaustive=stop, exact=True)
    assert fast.run.bought == exact.run.bought
    assert fast.share == exact.share
