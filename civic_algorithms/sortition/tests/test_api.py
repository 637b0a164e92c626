"""The plain-data API the web app calls: dataclasses in, dataclasses out, clear errors."""

from __future__ import annotations

import hashlib
import pickle
from dataclasses import FrozenInstanceError

import pytest

from civic_algorithms.sortition import (
    InfeasibleQuotasError,
    Person,
    Quota,
    SortitionInputError,
    make_problem,
    select_panel,
    winning_ticket,
)
from civic_algorithms.sortition.feasibility import Conflict

QUOTAS = [Quota("age", "young", 1, 2), Quota("age", "old", 1, 2)]


def people(*ages: str, homes: tuple[str | None, ...] | None = None) -> list[Person]:
    homes = homes or (None,) * len(ages)
    return [
        Person(f"id{i}", {"age": age}, home)
        for i, (age, home) in enumerate(zip(ages, homes, strict=True))
    ]


def test_a_problem_from_plain_data_selects_a_panel() -> None:
    problem = make_problem(QUOTAS, people("young", "old", "old", "young", "old"), 3)
    selection = select_panel(problem, seed=2024, tickets=100, legacy_runs=100)
    assert len(selection.panel) == 3
    assert selection.seed == 2024
    assert selection.winning_ticket == winning_ticket(2024, 100)
    assert selection.lottery is not None
    assert selection.panel == selection.lottery.tickets[selection.winning_ticket - 1]
    assert selection.to_json()["panel"] == list(selection.panel)
    # The web app may hand a problem to a background worker.
    assert pickle.loads(pickle.dumps(problem)) == problem  # noqa: S301 - our own data


def test_winning_ticket_is_sha256_of_the_seed() -> None:
    digest = hashlib.sha256(b"12345").hexdigest()
    assert winning_ticket(12345, 1000) == int(digest, 16) % 1000 + 1
    assert 1 <= winning_ticket(0, 7) <= 7


def test_seed_is_drawn_and_reported_when_missing() -> None:
    problem = make_problem(QUOTAS, people("young", "old", "old"), 2)
    selection = select_panel(problem, legacy_runs=0)
    assert isinstance(selection.seed, int)
    assert select_panel(problem, seed=selection.seed, legacy_runs=0).panel == selection.panel
    assert selection.statistics.legacy_below_leximin_minimum is None


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (
            lambda: make_problem(QUOTAS, people("young", "teen"), 2),
            "person 'id1' has the unknown value 'teen' for 'age'",
        ),
        (
            lambda: make_problem(
                QUOTAS, [Person("a", {"age": "old"}), Person("a", {"age": "young"})], 2
            ),
            "the person id 'a' appears twice",
        ),
        (
            lambda: make_problem(QUOTAS, people("young"), 2),
            "the pool has 1 people, fewer than the panel size 2",
        ),
        (lambda: make_problem(QUOTAS, people("young", "old"), 0), "at least 1"),
        (lambda: make_problem([], people("young", "old"), 1), "there are no quotas"),
        (
            lambda: make_problem(QUOTAS, [Person("a", {"size": "big"}), Person("b", {})], 1),
            "person 'a' has no value for the feature 'age'",
        ),
    ],
)
def test_bad_plain_input_is_refused(build, message: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SortitionInputError, match=message):
        build()


def test_quotas_that_no_panel_meets_are_named_with_the_smallest_fix() -> None:
    quotas = [Quota("age", "young", 3, 3), Quota("age", "old", 1, 3)]
    problem = make_problem(quotas, people("young", "young", "old", "old", "old"), 3)
    with pytest.raises(InfeasibleQuotasError) as caught:
        select_panel(problem, seed=1)
    error = caught.value
    assert "age=young at least 3 (2 in the pool)" in str(error)
    # Two young people in the pool cannot fill three seats: that minimum alone is the conflict.
    assert error.conflicts == (Conflict("age", "young", "age=young", "min", 3, 2),)
    assert [r.describe() for r in error.relaxations] == [
        "lower the minimum of age=young from 3 to 2"
    ]


def test_sum_of_minimums_above_the_panel_size_names_both_quotas() -> None:
    quotas = [Quota("age", "young", 2, 3), Quota("age", "old", 2, 3)]
    problem = make_problem(quotas, people("young", "young", "old", "old", "old"), 3)
    with pytest.raises(InfeasibleQuotasError) as caught:
        select_panel(problem, seed=1)
    assert set(caught.value.conflicting) == {
        "age=young at least 2 (2 in the pool)",
        "age=old at least 2 (3 in the pool)",
    }
    assert set(caught.value.conflicts) == {
        Conflict("age", "young", "age=young", "min", 2, 2),
        Conflict("age", "old", "age=old", "min", 2, 3),
    }
    assert len(caught.value.relaxations) == 1


def test_maximums_below_the_panel_size_are_conflicts_as_data_and_as_words() -> None:
    quotas = [Quota("age", "young", 0, 0), Quota("age", "old", 0, 1)]
    problem = make_problem(quotas, people("young", "young", "young", "old", "old", "old"), 3)
    with pytest.raises(InfeasibleQuotasError) as caught:
        select_panel(problem, seed=1)
    error = caught.value
    assert set(error.conflicts) == {
        Conflict("age", "young", "age=young", "max", 0, 3),
        Conflict("age", "old", "age=old", "max", 1, 3),
    }
    assert error.conflicting == tuple(conflict.describe() for conflict in error.conflicts)
    assert "age=old at most 1 (3 in the pool)" in error.conflicting
    with pytest.raises(FrozenInstanceError):
        error.conflicts[0].limit = 2  # type: ignore[misc]


def test_relaxation_respects_flex_limits() -> None:
    quotas = [Quota("age", "young", 1, 1, max_flex=1), Quota("age", "old", 1, 1, max_flex=2)]
    problem = make_problem(quotas, people("young", "young", "young", "old", "old", "old"), 3)
    with pytest.raises(InfeasibleQuotasError) as caught:
        select_panel(problem, seed=1)
    assert [r.describe() for r in caught.value.relaxations] == [
        "raise the maximum of age=old from 1 to 2"
    ]
    assert "beyond" not in str(caught.value)


def test_relaxation_beyond_flex_limits_says_so() -> None:
    quotas = [Quota("age", "young", 3, 3, min_flex=3), Quota("age", "old", 0, 0, max_flex=1)]
    problem = make_problem(quotas, people("young", "young", "old", "old"), 3)
    with pytest.raises(InfeasibleQuotasError) as caught:
        select_panel(problem, seed=1)
    assert [r.describe() for r in caught.value.relaxations] == [
        "lower the minimum of age=young from 3 to 2",
        "raise the maximum of age=old from 0 to 1",
    ]
    assert "(beyond the min_flex/max_flex limits)" in str(caught.value)


def test_households_the_pool_cannot_fill_are_explained() -> None:
    problem = make_problem(
        QUOTAS,
        people("young", "old", "old", homes=("h1", "h1", "h1")),
        2,
        household_constraint=True,
    )
    with pytest.raises(SortitionInputError, match="only 1 households"):
        select_panel(problem, seed=1)


def test_household_members_are_never_selected_together() -> None:
    problem = make_problem(
        QUOTAS,
        people("young", "old", "young", "old", homes=("h1", "h1", "h2", "h2")),
        2,
        household_constraint=True,
    )
    selection = select_panel(problem, seed=5, tickets=60, legacy_runs=50)
    assert selection.lottery is not None
    for ticket in selection.lottery.tickets:
        homes = {problem.people[int(pid[2:])].household for pid in ticket}
        assert len(homes) == 2
    assert selection.statistics.minimum_probability == pytest.approx(0.5)


def test_unknown_algorithm_is_refused() -> None:
    problem = make_problem(QUOTAS, people("young", "old"), 2)
    with pytest.raises(SortitionInputError, match="unknown algorithm 'random'"):
        select_panel(problem, algorithm="random", seed=1)  # type: ignore[arg-type]
