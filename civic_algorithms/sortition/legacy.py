"""LEGACY: the greedy sequential selection most practitioners used before LEXIMIN (for comparison).

One seat at a time: among the quota values still short of their minimum, take the one with the
largest (people still needed) / (people left with it), then a uniformly random person left with
that value. When a value reaches its maximum, everyone else with it leaves the pool; with the
household constraint, the selected person's household leaves too. A run that gets stuck (a
minimum can no longer be met) or ends below a minimum is thrown away and started again. This is
the algorithm of the Sortition Foundation's stratification app, as described by Flanigan et al.

LEGACY's selection probabilities have no formula, so they are estimated by Monte Carlo: many
runs with a fixed seed, simulated together over groups (docs/decisions/0303).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from civic_algorithms.sortition.groups import BoolArray, FloatArray, Groups, IntArray
from civic_algorithms.sortition.model import SortitionInputError

DEFAULT_RUNS = 10_000
DEFAULT_SEED = 2021  # the Monte Carlo estimate is reproducible; documented in docs/sortition.md
_MAX_ATTEMPTS_PER_RUN = 100


@dataclass(frozen=True, eq=False)
class LegacyEstimate:
    """Monte Carlo estimate of LEGACY: probability per group, the panels seen and their counts."""

    probabilities: FloatArray
    compositions: IntArray
    counts: IntArray
    runs: int
    attempts: int
    seed: int


def estimate(groups: Groups, runs: int = DEFAULT_RUNS, seed: int = DEFAULT_SEED) -> LegacyEstimate:
    """Run LEGACY ``runs`` times (restarting failed runs) and count seats per group."""
    if runs < 1:
        raise SortitionInputError(f"LEGACY needs at least 1 run, not {runs}")
    rng = np.random.default_rng(seed)
    panels: list[IntArray] = []
    done = 0
    attempts = 0
    while done < runs:
        batch = min(max(runs - done, 64), 20_000)
        seats, ok = _simulate(groups, batch, rng)
        attempts += batch
        good = seats[ok][: runs - done]
        panels.append(good)
        done += good.shape[0]
        if done == 0 and attempts >= _MAX_ATTEMPTS_PER_RUN * 64:
            raise SortitionInputError(
                f"LEGACY found no valid panel in {attempts} attempts: its greedy choices keep "
                "getting stuck on these quotas"
            )
        if attempts > _MAX_ATTEMPTS_PER_RUN * runs:
            raise SortitionInputError(
                f"LEGACY found only {done} valid panels in {attempts} attempts"
            )
    matrix = np.vstack(panels)
    unique, counts = np.unique(matrix, axis=0, return_counts=True)
    probabilities = matrix.sum(axis=0) / (runs * groups.size)
    return LegacyEstimate(probabilities, unique, counts, runs, attempts, seed)


def _simulate(groups: Groups, runs: int, rng: np.random.Generator) -> tuple[IntArray, BoolArray]:
    """``runs`` LEGACY attempts at once; returns seats per group and which attempts succeeded.

    Keeps, per attempt, the people left in each group and with each quota value, updated as
    people leave; attempts that get stuck are dropped from the arrays at once.
    """
    quota = groups.rows[: groups.quota_rows]  # values x groups, 0/1
    lo = groups.row_lo[: groups.quota_rows]
    hi = groups.row_hi[: groups.quota_rows]
    units = np.array([len(households) for households in groups.households], dtype=float)
    # Taking someone removes their household: multiplicity people of each group of the class.
    leaving = np.zeros((len(groups.households), groups.count))
    leaving[groups.klass, np.arange(groups.count)] = groups.multiplicity
    simple = bool(np.all(groups.multiplicity == 1)) and len(groups.households) == groups.count
    start = units[groups.klass] * groups.multiplicity * (quota.T @ (hi == 0) == 0)
    left = np.tile(start, (runs, 1))
    left_with = left @ quota.T
    seats = np.zeros((runs, groups.count), dtype=np.int64)
    chosen = np.zeros((runs, quota.shape[0]), dtype=np.int64)
    active = np.arange(runs)
    for _ in range(groups.panel_size):
        usable = (left_with > 0) & (hi > 0)
        ok = (left_with >= lo - chosen).all(axis=1) & usable.any(axis=1)
        # Not clamped at 0: among values past their minimum, the least past comes first.
        ratio = np.where(usable, (lo - chosen) / np.maximum(left_with, 1), -np.inf)
        value = np.argmax(ratio, axis=1)
        cumulative = np.cumsum(left * quota[value], axis=1)
        draw = rng.random(active.size) * cumulative[:, -1]
        group = np.minimum((cumulative <= draw[:, None]).sum(axis=1), groups.count - 1)
        keep = np.flatnonzero(ok)
        active, group = active[keep], group[keep]
        left, left_with, chosen = left[keep], left_with[keep], chosen[keep]
        rows = np.arange(active.size)
        seats[active, group] += 1
        values = quota[:, group].T
        chosen += values.astype(np.int64)
        if simple:
            left[rows, group] -= 1
            left_with -= values
        else:
            before = left
            left = np.maximum(left - leaving[groups.klass[group]], 0.0)
            left_with += (left - before) @ quota.T
        # Values that just reached their maximum: everyone else with them leaves.
        filled = (chosen == hi) & (values > 0)
        hit = np.flatnonzero(filled.any(axis=1))
        if hit.size:
            gone = (filled[hit].astype(float) @ quota) > 0
            left[hit] *= ~gone
            left_with[hit] = left[hit] @ quota.T
    ok = np.zeros(runs, dtype=bool)
    ok[active[(chosen >= lo).all(axis=1) & (chosen <= hi).all(axis=1)]] = True
    return seats, ok


def draw_panel(groups: Groups, ids: tuple[str, ...], seed: int) -> tuple[str, ...]:
    """One LEGACY selection of people, reproducible from the seed (numpy PCG64)."""
    rng = np.random.default_rng(seed)
    quota = groups.rows[: groups.quota_rows]
    lo = groups.row_lo[: groups.quota_rows]
    hi = groups.row_hi[: groups.quota_rows]
    values_of = [np.flatnonzero(quota[:, g]) for g in range(groups.count)]
    household_of = np.zeros(len(ids), dtype=np.int64)
    number = 0
    for households in groups.households:
        for household in households:
            for members in household:
                household_of[list(members)] = number
            number += 1
    for _ in range(_MAX_ATTEMPTS_PER_RUN):
        left = np.ones(len(ids), dtype=bool)
        for value in np.flatnonzero(hi == 0):
            left &= quota[value, groups.group_of_person] == 0
        chosen = np.zeros(quota.shape[0], dtype=np.int64)
        panel: list[int] = []
        for _ in range(groups.panel_size):
            member = quota[:, groups.group_of_person] * left  # values x people
            left_with = member.sum(axis=1)
            needed = np.maximum(lo - chosen, 0)
            usable = (left_with > 0) & (hi > 0)
            if (left_with < needed).any() or not usable.any():
                break
            ratio = np.where(usable, (lo - chosen) / np.maximum(left_with, 1), -np.inf)
            chosen_value = int(np.argmax(ratio))
            candidates = np.flatnonzero(member[chosen_value])
            person = int(candidates[rng.integers(candidates.size)])
            panel.append(person)
            chosen[values_of[groups.group_of_person[person]]] += 1
            left &= household_of != household_of[person]
            for full in np.flatnonzero(chosen >= hi):
                left &= quota[full, groups.group_of_person] == 0
        else:
            if (chosen >= lo).all() and (chosen <= hi).all():
                return tuple(ids[i] for i in sorted(panel))
    raise SortitionInputError(
        f"LEGACY found no valid panel in {_MAX_ATTEMPTS_PER_RUN} attempts with this seed"
    )
