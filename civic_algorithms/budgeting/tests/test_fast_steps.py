"""The fast engine's shortcuts (issue 17) compute exactly what the plain steps compute.

Each shortcut must give the same floats, not merely close ones: then every run, certification
and Add1 search takes the same path as the plain steps would, which the pabulib comparisons also
check. The compiled steps (``_steps.c``, decision 0108) are checked against the same steps
written as plain Python loops, which add the same doubles in the same order.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from fractions import Fraction

import numpy as np
import pytest

from civic_algorithms.budgeting import _steps
from civic_algorithms.budgeting.add1 import _Extension
from civic_algorithms.budgeting.mes import (
    EPS,
    UNAFFORDABLE,
    UNSURE,
    Candidates,
    Ceiling,
    FloatState,
    MesRun,
    _dot,
    _Queue,
    _View,
    run_fast,
)
from civic_algorithms.budgeting.profile import Ballots, compile_satisfaction
from civic_algorithms.budgeting.tiebreak import TieBreak

LEXICOGRAPHIC = TieBreak.parse("lexicographic")


def _every_pass(view: _View, budgets: list[float], cost: float, start: float) -> float | None:
    """A project's price the plain way: its supporters' money, then full passes to the end."""
    weights, sats, w_sats = view.weights.tolist(), view.sats.tolist(), view.w_sat.tolist()
    money = 0.0
    for weight, budget in zip(weights, budgets, strict=True):
        money += weight * budget
    if money < cost * (1 - EPS):
        return UNAFFORDABLE
    if money <= cost * (1 + EPS):
        return UNSURE
    rho = max(start, cost / view.total)
    for _ in range(len(budgets) + 1):
        paid = share = 0.0
        for weight, budget, sat, w_sat in zip(weights, budgets, sats, w_sats, strict=True):
            if budget < rho * (view.common or sat):
                paid += weight * budget
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
def test_compiled_price_stops_early_on_the_same_float(common: bool) -> None:
    """Stopping when nobody new is poor at the trial price returns what another pass returns."""
    rng = random.Random(17)
    unaffordable = 0
    for _ in range(3000):
        size = rng.randint(1, 12)
        weights = np.array([float(rng.randint(1, 4)) for _ in range(size)])
        if common:
            sats = np.full(size, float(rng.choice([1, 7, 250])))
        else:
            sats = np.array([float(rng.randint(1, 9)) for _ in range(size)])
        w_sat = weights * sats
        groups = np.array(rng.sample(range(2 * size), size), dtype=np.int64)
        view = _View(groups, weights, sats, w_sat, float(w_sat.sum()), sats[0] * common)
        # budgets on a coarse grid, so that many sit exactly on a trial price's line
        value = np.array([rng.randint(0, 12) / 4 for _ in range(2 * size)])
        budgets = value[groups].tolist()
        money = float(weights.dot(budgets))
        if money == 0:
            continue
        cost = money * rng.choice([0.2, 0.5, 0.9, 0.999, 1.0, 1.1])
        start = rng.choice([0.0, cost / view.total, rng.random() * cost / view.total])
        found = _steps.price(
            value, groups, weights, sats, w_sat, view.total, view.common, cost, start
        )
        assert found == _every_pass(view, budgets, cost, start)
        unaffordable += found == UNAFFORDABLE
    assert unaffordable > 100


@pytest.fixture(params=["cost", "cardinality"])
def toulouse_first(
    request: pytest.FixtureRequest, compiled: Callable[[str], Ballots]
) -> tuple[Candidates, Fraction, MesRun]:
    """Toulouse with the given satisfaction, and MES at the first share."""
    ballots = compiled("France_Toulouse_2022")
    candidates = Candidates.build(compile_satisfaction(ballots, request.param))
    share = Fraction(ballots.budget, ballots.n_voters)
    return candidates, share, run_fast(candidates, share, LEXICOGRAPHIC.ranks(ballots))


def test_prices_on_real_states_are_the_plain_ones(
    toulouse_first: tuple[Candidates, Fraction, MesRun],
) -> None:
    """Every project's price, small or large, along a real run, from two starting points."""
    candidates, share, run = toulouse_first
    state = FloatState(candidates, share)
    found: set[str] = set()
    for step, (bought, price) in enumerate(zip(run.bought, run.prices, strict=True)):
        if step % 5 == 0:
            for project in candidates.projects:
                for start in (0.0, run.prices[max(step - 5, 0)]):
                    rho = state.price(project, start)
                    view = state.views[project]  # as the state may just have narrowed it
                    budgets = state.value[view.groups].tolist()
                    assert rho == _every_pass(view, budgets, state.costs[project], start)
                    if rho == UNAFFORDABLE:
                        found.add("unaffordable")
                    elif rho is not UNSURE:
                        # past 256 groups the compiled loop keeps the budgets on the heap
                        found.add("priced, many groups" if len(budgets) > 256 else "priced")
        state.pay(bought, price)
    assert found == {"unaffordable", "priced", "priced, many groups"}


def test_compiled_steps_refuse_arrays_they_cannot_read() -> None:
    value, groups, floats = np.ones(4), np.array([0, 3]), np.ones(2)
    assert _steps.price(value, groups, floats, floats, floats, 2.0, 1.0, 1.0, 0.0) == 0.5
    with pytest.raises(TypeError):
        _steps.price(value, groups.astype(np.int32), floats, floats, floats, 2.0, 1.0, 1.0, 0.0)
    with pytest.raises(ValueError, match="contiguous"):
        _steps.price(value[::2], groups, floats, floats, floats, 2.0, 1.0, 1.0, 0.0)
    with pytest.raises(IndexError):
        _steps.price(value, groups + 1, floats, floats, floats, 2.0, 1.0, 1.0, 0.0)
    with pytest.raises(ValueError, match="lengths"):
        _steps.price(value, groups, np.ones(3), floats, floats, 2.0, 1.0, 1.0, 0.0)
    fuzzy = np.zeros(4, dtype=bool)
    with pytest.raises(TypeError):
        _steps.pay(value, fuzzy.astype(np.int8), groups, floats, 1.0, 0.5, True)
    assert _steps.pay(value, fuzzy, groups, floats, 1.0, 0.5, True) == bytes([0, 0])
    assert value.tolist() == [0.5, 1.0, 1.0, 0.5]
    assert _steps.pay(value, fuzzy, groups, floats, 1.0, 0.75, True) == bytes([1, 1])
    assert value.tolist() == [0.0, 1.0, 1.0, 0.0]
    assert not fuzzy.any()
    # a charge of exactly what is left: too close to say who paid all, so no split, and fuzzy
    assert _steps.pay(value, fuzzy, groups - np.array([-1, 1]), floats, 1.0, 1.0, True) is None
    assert value.tolist() == [0.0, 0.0, 0.0, 0.0]
    assert fuzzy.tolist() == [False, True, True, False]


def test_queue_passes_read_projects_in_price_order_and_skip_the_re_priced() -> None:
    ranks = [3, 0, 2, 1, 4]
    bound = {0: 1.0, 1: 2.0, 2: 2.0, 3: 5.0, 4: 0.5}
    queue = _Queue(bound, ranks, sorted((price, ranks[p], p) for p, price in bound.items()))
    alive = {0, 1, 2, 3}  # 4 was dropped: its entry goes when met
    seen = []
    ceiling = Ceiling(2.5)
    for project in queue.pop_up_to(alive, ceiling):
        seen.append(project)
        if project == 0:
            queue.update(0, 2.2)  # re-priced: moves behind 1 and 2, not yielded again
    assert seen == [0, 1, 2]  # 1 before 2: same bound, lower tie rank
    assert [entry[2] for entry in queue.entries] == [1, 2, 0, 3]
    assert all(bound[entry[2]] == entry[0] for entry in queue.entries)
    ceiling = Ceiling(math.inf)
    alive.discard(1)
    assert list(queue.pop_up_to(alive, ceiling)) == [2, 0, 3]


def _toulouse(compiled: Callable[[str], Ballots]) -> tuple[Candidates, Fraction, list[int], int]:
    ballots = compiled("France_Toulouse_2022")
    candidates = Candidates.build(compile_satisfaction(ballots, "cost"))
    share = Fraction(ballots.budget, ballots.n_voters) + 1500 * ballots.unit
    return candidates, share, LEXICOGRAPHIC.ranks(ballots), ballots.unit


def _plain_pay(state: FloatState, project: int, rho: float) -> bytes | None:
    """FloatState.pay the plain way, in numpy: who paid all they had, None when any is close."""
    c = state.candidates
    groups = c.supporters[project]
    charges = rho * c.values_f[project]  # the same products as rho x one common satisfaction
    left = state.value[groups] - charges
    close = np.abs(left) <= EPS * charges
    state.value[groups] = np.maximum(left, 0.0)
    state.fuzzy[groups[close]] = True
    return None if close.any() else (left < 0).tobytes()


def test_paying_charges_what_the_plain_steps_charge(compiled: Callable[[str], Ballots]) -> None:
    candidates, share, ranks, _ = _toulouse(compiled)
    run = run_fast(candidates, share, ranks)
    plain, with_split, without = (FloatState(candidates, share) for _ in range(3))
    splits = 0
    for project, price in zip(run.bought, run.prices, strict=True):
        expected = _plain_pay(plain, project, price)
        assert with_split.pay(project, price) == expected
        assert without.pay(project, price, split=False) is None
        splits += expected is not None
        for state in (with_split, without):
            assert np.array_equal(state.value, plain.value)
            assert np.array_equal(state.fuzzy, plain.fuzzy)
    assert splits > 0


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


def test_constant_prices_are_the_general_ones(
    toulouse_first: tuple[Candidates, Fraction, MesRun],
) -> None:
    candidates, share, run = toulouse_first
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
                and high_split == low_split
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
