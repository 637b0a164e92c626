"""The LEXIMIN paths one by one: relaxation, quick and exact peeling, column generation."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from civic_algorithms.sortition import Person, Problem, Quota, find_distribution, make_problem
from civic_algorithms.sortition.groups import build_groups
from civic_algorithms.sortition.leximin import leximin_by_column_generation, peel
from civic_algorithms.sortition.solver import PanelProgram, relaxed_leximin
from civic_algorithms.sortition.tests import shared


def households_problem() -> Problem:
    """Two features, exact quotas, households: the relaxation beats every mixture of panels."""
    quotas = [
        Quota("f0", "v0", 2, 2),
        Quota("f0", "v1", 1, 1),
        Quota("f1", "v0", 2, 2),
        Quota("f1", "v1", 1, 1),
    ]
    spec = [
        ("v1", "v1", "h1"),
        ("v0", "v0", "h1"),
        ("v0", "v0", "h1"),
        ("v0", "v0", "h2"),
        ("v0", "v1", "h0"),
        ("v1", "v0", "h0"),
        ("v0", "v0", "h3"),
    ]
    people = [Person(f"p{i}", {"f0": a, "f1": b}, h) for i, (a, b, h) in enumerate(spec)]
    return make_problem(quotas, people, 3, household_constraint=True)


def test_a_relaxation_gap_falls_back_to_column_generation() -> None:
    problem = households_problem()
    groups = build_groups(problem)
    relaxed = relaxed_leximin(groups)
    distribution = find_distribution(problem, "leximin")
    assert distribution.method == "column-generation"
    expected = shared.brute_force_leximin(problem)
    assert np.abs(distribution.vector() - expected).max() <= 1e-7
    # The relaxed point is not a mixture of panels here: it promises more than any lottery.
    assert relaxed[groups.group_of_person].min() > expected.min() + 1e-3


@pytest.mark.parametrize("quick", [True, False])
def test_peeling_writes_the_relaxed_point_as_panels(shared_data: Path, quick: bool) -> None:
    problem = shared.problem(shared_data / "sortition" / "sf_scotland_22")
    groups = build_groups(problem)
    program = PanelProgram(groups)
    target = relaxed_leximin(groups)
    panels, weights, complete = peel(groups, program, target, quick=quick)
    assert complete
    assert all(groups.is_panel(panel) for panel in panels)
    assert weights.sum() == pytest.approx(1.0, abs=1e-9)
    assert np.abs(weights @ panels / groups.size - target).max() <= 1e-8


def test_column_generation_alone_equals_the_reference(shared_data: Path) -> None:
    folder = shared_data / "sortition" / "sf_scotland_22"
    groups = build_groups(shared.problem(folder))
    mixture = leximin_by_column_generation(groups)
    ours = mixture.probabilities(groups)[groups.group_of_person]
    reference = shared.expected(folder)["leximin"]["probabilities"]
    assert np.abs(ours - [reference[pid] for pid in shared.problem(folder).ids]).max() <= 1e-4
