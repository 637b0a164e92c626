"""Helpers for the sortition tests: cached shared instances and an independent brute force."""

from __future__ import annotations

import itertools
import json
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
from scipy.optimize import linprog

from civic_algorithms.sortition import Problem, read_problem
from civic_algorithms.sortition.engine import Distribution, find_distribution

INSTANCES = ("sf_scotland_22", "example_small_20", "geneva_30", "example_large_200")
WITH_LEXIMIN_REFERENCE = ("sf_scotland_22", "example_small_20", "geneva_30")
WITH_STATISTICS = ("example_small_20", "geneva_30", "example_large_200")


def panel_size(name: str) -> int:
    """The panel size is the number at the end of the folder name."""
    return int(name.rsplit("_", 1)[1])


@cache
def problem(folder: Path) -> Problem:
    """A shared instance, read once per test process."""
    return read_problem(folder, panel_size(folder.name))


@cache
def leximin(folder: Path) -> Distribution:
    """Our LEXIMIN distribution of a shared instance, computed once per test process."""
    return find_distribution(problem(folder), "leximin")


def expected(folder: Path) -> dict[str, Any]:
    """sortition-algorithms 0.12.15's reference results (expected.json)."""
    with (folder / "expected.json").open() as handle:
        results: dict[str, Any] = json.load(handle)["results"]
    return results


def reference_statistics(folder: Path) -> dict[str, str]:
    """The published summary statistics of the original research code, by label."""
    lines = (folder / "reference_statistics.txt").read_text(encoding="utf-8").splitlines()
    return dict(line.split(":\t", 1) for line in lines if ":\t" in line)


def percent(text: str) -> float:
    """'6.5%' -> 0.065."""
    return float(text.strip().rstrip("%")) / 100


def reference_curve(folder: Path, algorithm: str) -> np.ndarray:
    """Sorted per-person probabilities of the research code ('LexiMin' or 'Legacy')."""
    lines = (folder / "reference_prob_allocs_data.csv").read_text().splitlines()[1:]
    values = [float(line.split(",")[2]) for line in lines if line.split(",")[0] == algorithm]
    return np.sort(np.array(values))


def satisfies(problem: Problem, panel: tuple[str, ...] | list[str]) -> bool:
    """Person-level check, independent of the engine: size, quotas, households."""
    people = {person.id: person for person in problem.people}
    if len(set(panel)) != len(panel) or len(panel) != problem.panel_size:
        return False
    if any(member not in people for member in panel):
        return False
    for quota in problem.quotas:
        count = sum(people[m].features[quota.feature] == quota.value for m in panel)
        if not quota.min <= count <= quota.max:
            return False
    if problem.household_constraint:
        homes = [people[m].household for m in panel if people[m].household]
        if len(homes) != len(set(homes)):
            return False
    return True


def valid_panels(problem: Problem) -> list[tuple[int, ...]]:
    """Every valid panel, as tuples of pool positions (tiny pools only)."""
    ids = problem.ids
    return [
        combo
        for combo in itertools.combinations(range(len(ids)), problem.panel_size)
        if satisfies(problem, [ids[i] for i in combo])
    ]


def brute_force_leximin(problem: Problem) -> np.ndarray:
    """LEXIMIN probabilities per person by enumeration and plain LPs (scipy), no groups.

    Stage: maximise z with every unfixed person >= z and every fixed one >= their value; then
    fix each unfixed person who cannot get more than z while the others keep their bounds.
    """
    panels = valid_panels(problem)
    n, m = len(problem.people), len(panels)
    member = np.zeros((n, m))
    for j, panel in enumerate(panels):
        member[list(panel), j] = 1.0
    fixed = np.full(n, np.nan)
    while np.isnan(fixed).any():
        free = np.isnan(fixed)
        value = _stage(member, fixed, free)
        newly = []
        for person in np.flatnonzero(free):
            best = _most_for(member, fixed, free, value, int(person))
            if best <= value + 1e-9:
                newly.append(person)
        fixed[newly if newly else np.flatnonzero(free)] = value
    return fixed


def _stage(member: np.ndarray, fixed: np.ndarray, free: np.ndarray) -> float:
    m = member.shape[1]
    cost = np.zeros(m + 1)
    cost[m] = -1.0
    rows = -np.hstack([member, -free[:, None].astype(float)])
    bounds = -np.where(free, 0.0, fixed)
    result = linprog(
        cost,
        A_ub=rows,
        b_ub=bounds,
        A_eq=np.append(np.ones(m), 0.0)[None, :],
        b_eq=[1.0],
        bounds=[(0, None)] * m + [(None, None)],
        method="highs",
    )
    assert result.status == 0
    return float(-result.fun)


def _most_for(
    member: np.ndarray, fixed: np.ndarray, free: np.ndarray, value: float, person: int
) -> float:
    m = member.shape[1]
    floor = np.where(free, value - 1e-10, fixed - 1e-10)
    result = linprog(
        -member[person],
        A_ub=-member,
        b_ub=-floor,
        A_eq=np.ones((1, m)),
        b_eq=[1.0],
        bounds=[(0, None)] * m,
        method="highs",
    )
    assert result.status == 0
    return float(-result.fun)
