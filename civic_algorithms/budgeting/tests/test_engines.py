"""The fast engine and Add1 skipping choose exactly what exact fractions choose."""

from __future__ import annotations

import random
from collections.abc import Callable
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from civic_algorithms.budgeting import add1
from civic_algorithms.budgeting.add1 import _Extension, extend_run, search_add1
from civic_algorithms.budgeting.mes import Candidates, MesRun, run_exact, run_fast
from civic_algorithms.budgeting.model import Ballot, Election, Project
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


@given(
    elections(vote_types=("approval", "cumulative"), max_projects=7, max_voters=12),
    st.fractions(min_value=Fraction(1, 2), max_value=3),
    st.integers(1, 12),
    st.sampled_from(["natural", "cardinality"]),
)
@settings(max_examples=300, deadline=None)
def test_a_certified_stretch_buys_the_same_projects_at_every_share(
    election: Election, factor: Fraction, raises: int, sat_name: str
) -> None:
    ballots = compile_ballots(election)
    sat = default_sat(election.vote_type) if sat_name == "natural" else sat_name
    candidates = Candidates.build(compile_satisfaction(ballots, sat))  # type: ignore[arg-type]
    ranks = LEXICOGRAPHIC.ranks(ballots)
    base_share = Fraction(ballots.budget, ballots.n_voters) * factor
    if base_share == 0:
        return
    base = run_fast(candidates, base_share, ranks)
    top = base_share + raises * ballots.unit
    if extend_run(candidates, base, base_share, top, ranks) is None:
        return
    for step in range(raises + 1):
        share = base_share + step * ballots.unit
        assert set(run_exact(candidates, share, ranks).bought) == set(base.bought), step


def test_toulouse_stretches_are_certified_across_changes_of_order(
    compiled: Callable[[str], Ballots], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The exemption for purchases that commute (decision 0106) is used, and changes nothing."""
    ballots = compiled("France_Toulouse_2022")
    candidates = Candidates.build(compile_satisfaction(ballots, "cost"))
    ranks = LEXICOGRAPHIC.ranks(ballots)
    share = Fraction(ballots.budget, ballots.n_voters) + 1500 * ballots.unit
    used: list[int] = []
    commutes = _Extension._commutes

    def spy(self: _Extension, rival: int, index: int) -> bool:
        found = commutes(self, rival, index)
        if found:
            used.append(rival)
        return found

    monkeypatch.setattr(_Extension, "_commutes", spy)
    step = share + ballots.unit
    skipping = search_add1(candidates, ranks, share, step, stop_when_exhaustive=True)
    stepping = search_add1(candidates, ranks, share, step, stop_when_exhaustive=True, skip=False)
    assert used
    assert skipping.run.bought == stepping.run.bought
    assert skipping.share == stepping.share


@pytest.mark.parametrize("seed", [1, 2])
def test_stretches_certified_across_commuting_purchases_on_random_parts_of_toulouse(
    pabulib: Callable[[str], Election], monkeypatch: pytest.MonkeyPatch, seed: int
) -> None:
    """Random halves of Toulouse's voters on 80 of its projects, dense enough that purchases
    cross and commute: MES buys the certified set at every share of every stretch whose
    certificate needed the exemption for commuting purchases (decision 0106)."""
    full = pabulib("France_Toulouse_2022")
    rng = random.Random(seed)
    kept = set(rng.sample([project.id for project in full.projects], 80))
    projects = tuple(project for project in full.projects if project.id in kept)
    ballots = tuple(
        Ballot(ballot.voter_id, tuple(p for p in ballot.projects if p in kept))
        for ballot in full.ballots
        if rng.random() < 0.5
    )
    budget = sum(project.cost for project in projects) * Fraction(rng.randint(20, 60), 100)
    election = Election({**full.meta, "budget": str(int(budget))}, projects, ballots)
    compiled = compile_ballots(election)
    candidates = Candidates.build(compile_satisfaction(compiled, "cost"))
    ranks = LEXICOGRAPHIC.ranks(compiled)
    used: list[int] = []
    commutes = _Extension._commutes

    def spy(self: _Extension, rival: int, index: int) -> bool:
        found = commutes(self, rival, index)
        if found:
            used.append(rival)
        return found

    stretches: list[tuple[Fraction, Fraction, set[int]]] = []

    def extend(
        candidates: Candidates, base: MesRun, low: Fraction, high: Fraction, ranks: list[int]
    ) -> MesRun | None:
        before = len(used)
        run = extend_run(candidates, base, low, high, ranks)
        if run is not None and len(used) > before:
            stretches.append((low, high, set(base.bought)))
        return run

    monkeypatch.setattr(_Extension, "_commutes", spy)
    monkeypatch.setattr(add1, "extend_run", extend)
    first = Fraction(compiled.budget, compiled.n_voters)
    search_add1(candidates, ranks, first, first + compiled.unit, stop_when_exhaustive=True)
    assert stretches
    for low, high, bought in stretches:
        share = low + compiled.unit
        while share <= high:
            assert set(run_fast(candidates, share, ranks).bought) == bought, (low, share, high)
            share += compiled.unit


@pytest.mark.parametrize(("budget", "commutes"), [("20", True), ("16", False)])
def test_a_later_purchase_commutes_only_when_shared_supporters_can_pay_for_both(
    budget: str, commutes: bool
) -> None:
    """x (cost 4: v1, v2) is bought before r (cost 6.3: v1, v3, v4). With 5 each, v1 can pay
    2 for x and 2.1 for r; with 4 each it cannot, so buying r first would change the prices."""
    election = Election(
        meta={"budget": budget, "vote_type": "approval"},
        projects=(Project("x", Fraction(4)), Project("r", Fraction(63, 10))),
        ballots=(
            Ballot("v1", ("x", "r")),
            Ballot("v2", ("x",)),
            Ballot("v3", ("r",)),
            Ballot("v4", ("r",)),
        ),
    )
    ballots = compile_ballots(election)
    candidates = Candidates.build(compile_satisfaction(ballots, "cardinality"))
    ranks = LEXICOGRAPHIC.ranks(ballots)
    share = Fraction(ballots.budget, ballots.n_voters)
    base = run_fast(candidates, share, ranks)
    assert base.bought == [0, 1]
    extension = _Extension(candidates, base, share, share + ballots.unit, ranks)
    assert extension._commutes(1, 0) is commutes
    assert extension._commutes(0, 0) is False  # not a later purchase
