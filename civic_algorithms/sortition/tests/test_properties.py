"""Properties on small random pools, checked against an independent brute force."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from civic_algorithms.sortition import (
    Algorithm,
    InfeasibleQuotasError,
    Person,
    Problem,
    Quota,
    SortitionInputError,
    find_distribution,
    make_problem,
    select_panel,
)
from civic_algorithms.sortition.groups import build_groups
from civic_algorithms.sortition.leximin import leximin_by_column_generation
from civic_algorithms.sortition.lottery import build_lottery
from civic_algorithms.sortition.tests import shared

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def problems(draw: st.DrawFn, households: bool = False) -> Problem:
    """A pool of 3-9 people, 1-3 features, panel of 1-4, quotas loose, tight or impossible."""
    features = draw(st.integers(1, 3))
    values = [draw(st.integers(2, 3)) for _ in range(features)]
    size = draw(st.integers(3, 9))
    rows = [[draw(st.integers(0, v - 1)) for v in values] for _ in range(size)]
    k = draw(st.integers(1, min(size, 4)))
    homes = [draw(st.integers(0, size)) for _ in range(size)] if households else [None] * size
    people = [
        Person(
            id=f"p{i}",
            features={f"f{j}": f"v{row[j]}" for j in range(features)},
            household=None if home is None else f"h{home}",
        )
        for i, (row, home) in enumerate(zip(rows, homes, strict=True))
    ]
    # Quotas around the counts of a random reference panel, sometimes pushed off.
    reference = draw(st.permutations(range(size)))[:k]
    quotas = []
    for j, number in enumerate(values):
        for v in range(number):
            count = sum(rows[i][j] == v for i in reference)
            shift = draw(st.sampled_from([0, 0, 0, 1]))
            low = min(k, max(0, count - draw(st.integers(0, 1)) + shift))
            high = min(k, max(low, count + draw(st.integers(0, 1))))
            quotas.append(Quota(f"f{j}", f"v{v}", low, high))
    return make_problem(quotas, people, k, household_constraint=households)


def _check_leximin(problem: Problem) -> None:
    panels = shared.valid_panels(problem)
    if not panels:
        with pytest.raises(SortitionInputError) as caught:
            find_distribution(problem, "leximin")
        if isinstance(caught.value, InfeasibleQuotasError):
            _check_relaxation(problem, caught.value)
        return
    distribution = find_distribution(problem, "leximin")
    expected = shared.brute_force_leximin(problem)
    assert np.abs(distribution.vector() - expected).max() <= 1e-6
    assert distribution.vector().sum() == pytest.approx(problem.panel_size, abs=1e-8)
    groups = build_groups(problem)
    assert distribution.mixture is not None
    assert all(groups.is_panel(c) for c in distribution.mixture.compositions)
    # The exact column generation (the fallback) gives the same unique answer.
    fallback = leximin_by_column_generation(groups).probabilities(groups)
    assert np.abs(fallback[groups.group_of_person] - expected).max() <= 1e-6


def _check_relaxation(problem: Problem, error: InfeasibleQuotasError) -> None:
    assert error.conflicting
    assert error.relaxations
    changed = {(r.feature, r.value, r.bound): r.suggested for r in error.relaxations}
    quotas = [
        Quota(
            q.feature,
            q.value,
            changed.get((q.feature, q.value, "min"), q.min),
            changed.get((q.feature, q.value, "max"), q.max),
        )
        for q in problem.quotas
    ]
    relaxed = make_problem(
        quotas,
        problem.people,
        problem.panel_size,
        household_constraint=problem.household_constraint,
    )
    assert shared.valid_panels(relaxed), "the suggested relaxation must allow a panel"


@SETTINGS
@given(problems())
def test_leximin_equals_brute_force_or_infeasibility_is_reported(problem: Problem) -> None:
    _check_leximin(problem)


@SETTINGS
@given(problems(households=True))
def test_leximin_with_households_equals_brute_force(problem: Problem) -> None:
    _check_leximin(problem)


@settings(max_examples=25, deadline=None)
@given(
    problems(households=True),
    st.sampled_from(["leximin", "maximin", "legacy"]),
    st.integers(0, 2**40),
)
def test_every_drawn_panel_is_valid_and_the_draw_repeats(
    problem: Problem, algorithm: Algorithm, seed: int
) -> None:
    if not shared.valid_panels(problem):
        return
    kwargs = {"seed": seed, "tickets": 50, "legacy_runs": 200}
    if algorithm == "legacy":
        try:
            first = select_panel(problem, algorithm=algorithm, **kwargs)
        except SortitionInputError:
            return  # LEGACY's greedy choices can get stuck on every try, unlike the others
    else:
        first = select_panel(problem, algorithm=algorithm, **kwargs)
    again = select_panel(problem, algorithm=algorithm, **kwargs)
    assert first.panel == again.panel
    assert shared.satisfies(problem, first.panel)
    assert sum(first.distribution.probabilities.values()) == pytest.approx(problem.panel_size)
    if first.lottery is not None:
        assert len(first.lottery.tickets) == 50
        assert all(shared.satisfies(problem, ticket) for ticket in first.lottery.tickets)
        assert sum(first.lottery.probabilities.values()) == pytest.approx(problem.panel_size)


@SETTINGS
@given(problems(households=True), st.integers(1, 300))
def test_lottery_shares_stay_close_to_the_probabilities(problem: Problem, tickets: int) -> None:
    if not shared.valid_panels(problem):
        return
    distribution = find_distribution(problem, "leximin")
    assert distribution.mixture is not None
    lottery = build_lottery(distribution.groups, distribution.mixture, problem.ids, tickets)
    shares = np.array([lottery.probabilities[pid] for pid in problem.ids])
    assert np.allclose(shares * tickets, np.rint(shares * tickets))
    # The bound of lottery.round_to_tickets: (2 x the largest column weight + 1) tickets.
    groups, mixture = distribution.groups, distribution.mixture
    weight = (mixture.compositions / groups.size).sum(axis=1).max()
    assert lottery.max_deviation <= (2 * weight + 1) / tickets + 1e-9
    assert abs(shares - distribution.vector()).max() == pytest.approx(lottery.max_deviation)
