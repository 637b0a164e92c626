"""Quotas that no panel can meet: detect them, name the conflicting ones, suggest the least change.

Detection is one run of the panel integer program (so it never loops). When it finds nothing:

* the conflict is an irreducible set of quota bounds: drop bounds one by one (deletion filter)
  while the rest stays infeasible; what remains cannot all hold, yet any one of them may go;
* the suggestion is the relaxation that changes the fewest seats in total (an integer program
  with slack on every bound, limited by ``min_flex`` / ``max_flex`` where the quotas give them).

The error carries both as data (:class:`Conflict`, :class:`Relaxation`), so that an application
can word them in its own language, and as English text for the command line.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from civic_algorithms.sortition.groups import Groups, IntArray
from civic_algorithms.sortition.model import Problem, SortitionInputError
from civic_algorithms.sortition.solver import INF, PanelProgram, new_highs, solve


@dataclass(frozen=True)
class Conflict:
    """One quota bound of a conflict: at least (``min``) or at most (``max``) ``limit`` members
    with ``feature=value``, when the pool has ``in_pool`` people with it."""

    feature: str
    value: str
    label: str
    bound: Literal["min", "max"]
    limit: int
    in_pool: int

    def describe(self) -> str:
        """Plain words: "age=16-29 at least 5 (3 in the pool)"."""
        limit = f"at least {self.limit}" if self.bound == "min" else f"at most {self.limit}"
        return f"{self.label} {limit} ({self.in_pool} in the pool)"


@dataclass(frozen=True)
class Relaxation:
    """Change one quota bound (``min`` or ``max``) of ``feature=value`` to ``suggested``."""

    feature: str
    value: str
    bound: Literal["min", "max"]
    current: int
    suggested: int

    def describe(self) -> str:
        """Plain words: "lower the minimum of age=65+ from 9 to 5"."""
        verb, word = ("lower", "minimum") if self.bound == "min" else ("raise", "maximum")
        return f"{verb} the {word} of {self.feature}={self.value} from {self.current} to {self.suggested}"


class InfeasibleQuotasError(SortitionInputError):
    """No panel meets every quota; says which quotas conflict and the smallest relaxation.

    ``conflicts`` and ``relaxations`` are the data; ``conflicting`` is the conflicts in English.
    """

    def __init__(
        self,
        message: str,
        *,
        conflicts: tuple[Conflict, ...],
        relaxations: tuple[Relaxation, ...],
        source: str | None = None,
    ) -> None:
        super().__init__(message, source=source)
        self.conflicts = conflicts
        self.conflicting = tuple(conflict.describe() for conflict in conflicts)
        self.relaxations = relaxations


def check_feasible(problem: Problem, groups: Groups, program: PanelProgram) -> IntArray:
    """Some valid panel (seats per group), or raise :class:`InfeasibleQuotasError`."""
    panel = program.best(np.zeros(groups.count))
    if panel is not None:
        return panel
    raise _explain(problem, groups, program)


def _explain(problem: Problem, groups: Groups, program: PanelProgram) -> SortitionInputError:
    k = problem.panel_size
    quotas = problem.quotas
    extra_lo = groups.row_lo[groups.quota_rows :].astype(float)
    extra_hi = groups.row_hi[groups.quota_rows :].astype(float)
    lo = groups.row_lo[: groups.quota_rows].astype(float)
    hi = groups.row_hi[: groups.quota_rows].astype(float)

    def feasible(lower: np.ndarray, upper: np.ndarray) -> bool:
        panel = program.best(
            np.zeros(groups.count),
            row_lo=np.concatenate([lower, extra_lo]),
            row_hi=np.concatenate([upper, extra_hi]),
        )
        return panel is not None

    if not feasible(np.zeros_like(lo), np.full_like(hi, k)):
        households = sum(len(h) for h in groups.households)
        return SortitionInputError(
            f"no panel of {k} is possible even without quotas: the pool has only {households} "
            "households and no two panel members may share one",
            source=problem.source,
        )
    bounds: list[tuple[int, Literal["min", "max"]]] = [
        (row, "min") for row in range(len(quotas)) if lo[row] > 0
    ]
    bounds += [(row, "max") for row in range(len(quotas)) if hi[row] < k]
    lower, upper = lo.copy(), hi.copy()
    kept: list[tuple[int, Literal["min", "max"]]] = []
    for row, kind in bounds:
        if kind == "min":
            lower[row] = 0
        else:
            upper[row] = k
        if feasible(lower, upper):  # this bound is part of the conflict: keep it
            kept.append((row, kind))
            lower[row], upper[row] = lo[row], hi[row]
    in_pool = groups.rows[: groups.quota_rows] @ groups.size
    conflicts = tuple(
        Conflict(
            quotas[row].feature,
            quotas[row].value,
            quotas[row].label,
            bound,
            quotas[row].min if bound == "min" else quotas[row].max,
            int(in_pool[row]),
        )
        for row, bound in kept
    )
    relaxations, within_flex = _smallest_relaxation(problem, groups)
    message = (
        f"no panel of {k} from this pool meets every quota. These quotas conflict: "
        + "; ".join(conflict.describe() for conflict in conflicts)
        + ". "
    )
    if relaxations:
        message += (
            "The smallest change that makes a panel possible: "
            + "; ".join(r.describe() for r in relaxations)
            + ("." if within_flex else " (beyond the min_flex/max_flex limits).")
        )
    return InfeasibleQuotasError(
        message,
        conflicts=conflicts,
        relaxations=relaxations,
        source=problem.source,
    )


def _smallest_relaxation(problem: Problem, groups: Groups) -> tuple[tuple[Relaxation, ...], bool]:
    """Fewest seats of slack on the quota bounds that allow a panel; within flex limits if can."""
    for use_flex in (True, False):
        found = _relax(problem, groups, use_flex)
        if found is not None:
            return found, use_flex
    return (), False


def _relax(problem: Problem, groups: Groups, use_flex: bool) -> tuple[Relaxation, ...] | None:
    import highspy

    k = problem.panel_size
    count = groups.count
    quotas = problem.quotas
    highs = new_highs()
    highs.addVars(count, np.zeros(count), groups.cap.astype(float))
    floors = [q.min_flex if use_flex and q.min_flex is not None else 0 for q in quotas]
    ceilings = [q.max_flex if use_flex and q.max_flex is not None else k for q in quotas]
    down = np.array([max(q.min - f, 0) for q, f in zip(quotas, floors, strict=True)], dtype=float)
    up = np.array([max(c - q.max, 0) for q, c in zip(quotas, ceilings, strict=True)], dtype=float)
    slack = len(quotas)
    highs.addVars(slack, np.zeros(slack), down)
    highs.addVars(slack, np.zeros(slack), up)
    total = count + 2 * slack
    highs.changeColsIntegrality(
        total, np.arange(total, dtype=np.int32), np.full(total, highspy.HighsVarType.kInteger)
    )
    costs = np.concatenate([np.zeros(count), np.ones(2 * slack)])
    highs.changeColsCost(total, np.arange(total, dtype=np.int32), costs)
    for row, quota in enumerate(quotas):
        columns = np.flatnonzero(groups.rows[row])
        indices = np.append(columns, count + row).astype(np.int32)
        highs.addRow(
            float(quota.min), INF, indices.size, indices, np.append(np.ones(columns.size), 1.0)
        )
        indices = np.append(columns, count + slack + row).astype(np.int32)
        highs.addRow(
            -INF, float(quota.max), indices.size, indices, np.append(np.ones(columns.size), -1.0)
        )
    for row in range(groups.quota_rows, groups.rows.shape[0]):
        columns = np.flatnonzero(groups.rows[row]).astype(np.int32)
        highs.addRow(0.0, float(groups.row_hi[row]), columns.size, columns, np.ones(columns.size))
    highs.addRow(float(k), float(k), count, np.arange(count, dtype=np.int32), np.ones(count))
    if solve(highs) != "optimal":
        return None
    values = np.rint(np.asarray(highs.getSolution().col_value)).astype(int)
    relaxations = []
    for row, quota in enumerate(quotas):
        if values[count + row] > 0:
            relaxations.append(
                Relaxation(
                    quota.feature,
                    quota.value,
                    "min",
                    quota.min,
                    quota.min - int(values[count + row]),
                )
            )
        if values[count + slack + row] > 0:
            relaxations.append(
                Relaxation(
                    quota.feature,
                    quota.value,
                    "max",
                    quota.max,
                    quota.max + int(values[count + slack + row]),
                )
            )
    return tuple(relaxations)
