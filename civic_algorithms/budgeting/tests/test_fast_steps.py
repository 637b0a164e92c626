"""The fast engine's shortcuts (issue 17) compute exactly what the plain steps compute.

Each shortcut must give the same floats, not merely close ones: then every run, certification
and Add1 search takes the same path as before, which the pabulib comparisons also check.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from fractions import Fraction

import numpy as np
import pytest

from civic_algorithms.budgeting.mes import (
    EPS,
    SMALL,
    UNAFFORDABLE,
    UNSURE,
    Candidates,
    FloatState,
    _Ceiling,
    _dot,
    _Extension,
    _Queue,
    _small_price,
    _View,
    run_fast,
)
from civic_algorithms.budgeting.profile import Ballots, compile_satisfaction
from civic_algorithms.budgeting.tiebreak import TieBreak

LEXICOGRAPHIC = TieBreak.parse("lexicographic")


def _every_pass(view: _View, budgets: list[float], cost: float, start: float) -> float | None:
    """The small-project price as it was: a list of holdings, then full passes to the end."""
    weights, sats, w_sats = view.lists()
    holdings = [weight * budget for weight, budget in zip(weights, budgets, strict=True)]
    rho = max(start, cost / view.total)
    for _ in range(len(budgets) + 1):
        paid = share = 0.0
        for held, budget, sat, w_sat in zip(holdings, budgets, sats, w_sats, strict=True):
            if budget < rho * (view.common or sat):
                paid += held
                share += w_sat
        share_left = view.total - share
        if share_left <= 0:
            break
        trial = (cost - paid) / share_left
        if trial <= rho:
            return rho
        rho = trial
    return UNSURE


@pytest.mark.parametrize("common", [True, False])
def test_small_price_shortcut_gives_the_same_float(common: bool) -> None:
    """Stopping when nobody new is poor at the trial price returns what another pass returns."""
    rng = random.Random(17)
    for _ in range(3000):
        size = rng.randint(1, 12)
        weights = np.array([float(rng.randint(1, 4)) for _ in range(size)])
        if common:
            sats = np.full(size, float(rng.choice([1, 7, 250])))
        else:
            sats = np.array([float(rng.randint(1, 9)) for _ in range(size)])
        w_sat = weights * sats
        view = _View(np.arange(size), weights, sats, w_sat, float(w_sat.sum()), sats[0] * common)
        # budgets on a coarse grid, so that many sit exactly on a trial price's line
        budgets = [rng.randint(0, 12) / 4 for _ in range(size)]
        money = float(weights.dot(budgets))
        if money == 0:
            continue
        cost = money * rng.choice([0.2, 0.5, 0.9, 0.999, 1.0])
        start = rng.choice([0.0, cost / view.total, rng.random() * cost / view.total])
        assert _small_price(view, budgets, cost, start) == _every_pass(view, budgets, cost, start)


def _large_every_pass(state: FloatState, project: int, start: float) -> float | None:
    """A large project's price as it was: every pass to the end (affordable projects only)."""
    view = state.views[project]
    budget = state.value[view.groups]
    cost = state.costs[project]
    rho = max(start, cost / view.total)
    for _ in range(len(budget) + 1):
        line = rho * view.common if view.common else rho * view.sats
        poor = np.flatnonzero(budget < line)
        share_left = view.total - float(view.w_sat[poor].sum())
        if share_left <= 0:
            break
        trial = (cost - float(np.dot(view.weights[poor], budget[poor]))) / share_left
        if trial <= rho:
            return rho
        rho = trial
    return UNSURE


@pytest.mark.parametrize("sat", ["cost", "cardinality"])
def test_large_prices_stop_early_on_the_same_float(
    compiled: Callable[[str], Ballots], sat: str
) -> None:
    """Stopping when the poor did not grow returns what another pass over them returns."""
    ballots = compiled("France_Toulouse_2022")
    candidates = Candidates.build(compile_satisfaction(ballots, sat))  # type: ignore[arg-type]
    ranks = LEXICOGRAPHIC.ranks(ballots)
    share = Fraction(ballots.budget, ballots.n_voters)
    run = run_fast(candidates, share, ranks)
    state = FloatState(candidates, share)
    compared = 0
    for step, (bought, price) in enumerate(zip(run.bought, run.prices, strict=True)):
        if step % 5 == 0:
            for project in candidates.projects:
                if len(state.views[project].groups) <= SMALL:
                    continue
                for start in (0.0, run.prices[max(step - 5, 0)]):
                    found = state.price(project, start)
                    if found is UNSURE or found == UNAFFORDABLE:
                        continue
                    assert found == _large_every_pass(state, project, start)
                    compared += 1
        state.pay(bought, price)
    assert compared > 100


def test_queue_passes_read_projects_in_price_order_and_skip_the_re_priced() -> None:
    ranks = [3, 0, 2, 1, 4]
    bound = {0: 1.0, 1: 2.0, 2: 2.0, 3: 5.0, 4: 0.5}
    queue = _Queue(bound, ranks, sorted((price, ranks[p], p) for p, price in bound.items()))
    alive = {0, 1, 2, 3}  # 4 was dropped: its entry goes when met
    seen = []
    ceiling = _Ceiling(2.5)
    for project in queue.pop_up_to(alive, ceiling):
        seen.append(project)
        if project == 0:
            queue.update(0, 2.2)  # re-priced: moves behind 1 and 2, not yielded again
    assert seen == [0, 1, 2]  # 1 before 2: same bound, lower tie rank
    assert [entry[2] for entry in queue.entries] == [1, 2, 0, 3]
    assert all(bound[entry[2]] == entry[0] for entry in queue.entries)
    ceiling = _Ceiling(math.inf)
    alive.discard(1)
    assert list(queue.pop_up_to(alive, ceiling)) == [2, 0, 3]


def _toulouse(compiled: Callable[[str], Ballots]) -> tuple[Candidates, Fraction, list[int], int]:
    ballots = compiled("France_Toulouse_2022")
    candidates = Candidates.build(compile_satisfaction(ballots, "cost"))
    share = Fraction(ballots.budget, ballots.n_voters) + 1500 * ballots.unit
    return candidates, share, LEXICOGRAPHIC.ranks(ballots), ballots.unit


def test_paying_without_the_split_charges_the_same(compiled: Callable[[str], Ballots]) -> None:
    candidates, share, ranks, _ = _toulouse(compiled)
    run = run_fast(candidates, share, ranks)
    with_split, without = FloatState(candidates, share), FloatState(candidates, share)
    for project, price in zip(run.bought, run.prices, strict=True):
        with_split.pay(project, price)
        assert without.pay(project, price, split=False) is None
        assert np.array_equal(with_split.value, without.value)
        assert np.array_equal(with_split.fuzzy, without.fuzzy)


def _constant_price_in_general(state: FloatState, project: int) -> Fraction | None:
    """FloatState.constant_price without its shortcut for supporters who all hold money."""
    c = state.candidates
    groups = c.supporters[project]
    if state.fuzzy[groups].any():
        return None
    budget = state.value[groups]
    holding = budget > 0
    total = _dot(c.profile.ballots.weights[groups[holding]], c.values[project][holding])
    if total == 0:
        return None
    price = Fraction(c.profile.ballots.costs[project], total)
    if np.any(budget[holding] < float(price) * (1 + EPS) * c.values_f[project][holding]):
        return None
    return price


@pytest.mark.parametrize("sat", ["cost", "cardinality"])
def test_constant_prices_are_the_general_ones(compiled: Callable[[str], Ballots], sat: str) -> None:
    ballots = compiled("France_Toulouse_2022")
    candidates = Candidates.build(compile_satisfaction(ballots, sat))  # type: ignore[arg-type]
    ranks = LEXICOGRAPHIC.ranks(ballots)
    share = Fraction(ballots.budget, ballots.n_voters)
    run = run_fast(candidates, share, ranks)
    state = FloatState(candidates, share)
    found = set()
    for step, (bought, price) in enumerate(zip(run.bought, run.prices, strict=True)):
        if step % 10 == 0:
            for project in candidates.projects:
                constant = state.constant_price(project)
                assert constant == _constant_price_in_general(state, project)
                found.add(constant is not None)
        state.pay(bought, price)
    assert found == {True, False}


def test_the_base_share_is_charged_only_when_read_and_as_if_at_every_step(
    compiled: Callable[[str], Ballots],
) -> None:
    """``_Extension.low()`` catches up on the purchases certified so far, and finds whether they
    split their supporters the same way at both shares as the step-by-step version did."""
    candidates, share, ranks, unit = _toulouse(compiled)
    base = run_fast(candidates, share, ranks)
    for raises in (1, 4, 40):
        extension = _Extension(candidates, base, share, share + raises * unit, ranks)
        eager_low = FloatState(candidates, share)
        eager_high = FloatState(candidates, share + raises * unit)
        affine = True
        for index, (chosen, before) in enumerate(zip(base.bought, base.prices, strict=True)):
            if not extension.certify(index, chosen, before):
                break
            high_split = eager_high.pay(chosen, extension.run.prices[-1])
            low_split = eager_low.pay(chosen, before)
            affine = (
                affine
                and high_split is not None
                and low_split is not None
                and bool(np.array_equal(high_split, low_split))
            )
            if index % 7 == 0:  # read now and then, as the checks do
                assert np.array_equal(extension.low().value, eager_low.value)
                assert extension.affine is affine
        assert np.array_equal(extension.low().value, eager_low.value)
        assert np.array_equal(extension.low().fuzzy, eager_low.fuzzy)
        assert np.array_equal(extension.high.state.value, eager_high.value)
        assert extension.affine is affine


def test_runs_share_their_first_queue_but_not_its_changes(
    compiled: Callable[[str], Ballots],
) -> None:
    candidates, share, ranks, unit = _toulouse(compiled)
    bound, entries = candidates.start(ranks)
    kept = (dict(bound), list(entries))
    first = run_fast(candidates, share, ranks)
    run_fast(candidates, share + unit, ranks)
    assert candidates.start(ranks) == kept  # the runs changed only their own copies
    assert run_fast(candidates, share, ranks) == first
    assert candidates.start(list(ranks)) == kept  # another tie-break list: made afresh, equal
