"""LEXIMIN and MAXIMIN distributions over panels (Flanigan et al., Nature 2021), with HiGHS.

A distribution is a *mixture*: panels (seats per group) with weights that sum to 1. A person's
selection probability is the expected number of seats of their group divided by its size.

LEXIMIN, fast path (docs/decisions/0301):

1. ``relaxed_leximin`` solves the LEXIMIN stages over the LP relaxation of the quota polytope: a
   few small linear programs, no panels needed. These probabilities bound the true LEXIMIN from
   above, stage by stage.
2. ``peel`` writes that point as a mixture of panels: round the current point to a nearby valid
   panel (every group and every quota count rounded down or up; a tabu search first, the integer
   program when that fails), take as much of that panel as possible while the rest stays between
   the same roundings, repeat. Each step makes at least one more count whole, so it ends after
   at most groups + quotas steps.

If peeling succeeds, the relaxed optimum is achieved by real panels, so it is the LEXIMIN answer
(nothing can beat the relaxation). If it gets stuck (in the cases measured, with at most 3e-6 of
the weight left), the exact column generation of the paper takes over
(``ColumnGeneration``), starting from the panels found so far: first it tries to reach the relaxed
point with more panels; if the pricing program proves that impossible, it runs the LEXIMIN stages
with integer pricing (docs/decisions/0067). MAXIMIN is the first stage of that column generation.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from civic_algorithms.sortition.groups import FloatArray, Groups, IntArray
from civic_algorithms.sortition.search import LocalSearch, rounding
from civic_algorithms.sortition.solver import (
    DUAL_TOLERANCE,
    INF,
    PanelProgram,
    new_highs,
    relaxed_leximin,
    solve,
)

WHOLE = 1e-10  # residual seats within this of a whole number (times the weight left) are whole
DUST = 1e-9  # weight left over that peeling may drop
PRICE_TOLERANCE = 1e-9  # a panel must beat the dual bound by this much to enter
FIX_SLACK = 1e-9  # fixed probabilities are kept up to this slack in later stages


@dataclass(frozen=True, eq=False)
class Mixture:
    """Panels (one row of seats per group each) and their probabilities."""

    compositions: IntArray
    weights: FloatArray
    method: str

    def probabilities(self, groups: Groups) -> FloatArray:
        """Selection probability of one person in each group."""
        seats: FloatArray = self.weights @ self.compositions
        return seats / groups.size

    @property
    def support(self) -> int:
        """Number of panels with positive probability."""
        return int(np.count_nonzero(self.weights > 0))


def leximin(groups: Groups, program: PanelProgram | None = None) -> Mixture:
    """The LEXIMIN distribution: relaxed optimum peeled into panels, else column generation."""
    program = program or PanelProgram(groups)
    target = relaxed_leximin(groups)
    compositions, weights, complete = peel(groups, program, target)
    if complete:
        return _mixture(compositions, weights, "relaxation+peeling")
    # A dead end (no rounding left, usually with little weight left): the column generation
    # finishes from the panels found, which is far cheaper than peeling again with the integer
    # program at every step (docs/decisions/0067).
    engine = ColumnGeneration(groups, program, compositions)
    if engine.reach(target):
        return engine.mixture("relaxation+column-generation")
    return engine.leximin()


def maximin(groups: Groups, program: PanelProgram | None = None) -> Mixture:
    """A MAXIMIN distribution: column generation maximising the smallest probability."""
    engine = _start(groups, program)
    engine.stage(np.ones(groups.count), np.zeros(groups.count))
    return engine.mixture("column-generation")


def leximin_by_column_generation(groups: Groups, program: PanelProgram | None = None) -> Mixture:
    """LEXIMIN by the paper's column generation alone (the fallback; also a cross-check)."""
    return _start(groups, program).leximin()


def _start(groups: Groups, program: PanelProgram | None) -> ColumnGeneration:
    program = program or PanelProgram(groups)
    return ColumnGeneration(groups, program, np.zeros((0, groups.count), dtype=np.int64))


def peel(
    groups: Groups, program: PanelProgram, probabilities: FloatArray, *, quick: bool = True
) -> tuple[IntArray, FloatArray, bool]:
    """Write the expected seats ``probabilities * size`` as a mixture of panels, if it can.

    Works on ``residual`` = (weight not yet given to panels) x (the point still to reach), so
    that rounding errors stay absolute instead of growing as the weight left shrinks. Stops when
    less than ``DUST`` weight is left (its effect on any probability is below 1e-9).

    Each rounding prefers rounding up the larger fractional parts. With ``quick`` (what
    ``leximin`` uses) a tabu search looks for one first and the integer program only when it
    fails; without, the integer program finds the best rounding at every step, which reaches a
    dead end less often but costs about 0.1 s a step (the tests use it as a cross-check).
    """
    rows = groups.rows
    residual = probabilities * groups.size
    left = 1.0
    compositions: list[IntArray] = []
    weights: list[float] = []
    for _ in range(groups.count + rows.shape[0] + 2):
        if left <= DUST:
            break
        low, high = _roundings(residual, left)
        low, high = np.maximum(low, 0), np.minimum(high, groups.cap)
        row_sums = rows @ residual
        sums_low, sums_high = _roundings(row_sums, left)
        sums_low = np.minimum(np.maximum(sums_low, groups.row_lo), groups.row_hi)
        sums_high = np.maximum(np.minimum(sums_high, groups.row_hi), sums_low)
        preference = residual / left - low
        panel = None
        if quick:
            panel = rounding(groups, preference, low, high, sums_low, sums_high)
        if panel is None:
            panel = program.best(
                preference, lower=low, upper=high, row_lo=sums_low, row_hi=sums_high
            )
        if panel is None:
            break
        # Take as much of the panel as keeps the rest between the same roundings.
        open_ = high > low
        down = open_ & (panel == low)
        up = open_ & (panel == high)
        panel_sums = rows @ panel
        open_rows = sums_high > sums_low
        limits = [
            np.array([left]),
            residual[up] - low[up] * left,
            high[down] * left - residual[down],
            (row_sums - sums_low * left)[open_rows & (panel_sums == sums_high)],
            (sums_high * left - row_sums)[open_rows & (panel_sums == sums_low)],
        ]
        take = max(0.0, min(float(limit.min()) for limit in limits if limit.size))
        compositions.append(panel)
        weights.append(take)
        residual = residual - take * panel
        left -= take
    complete = left <= DUST
    matrix = np.array(compositions, dtype=np.int64).reshape(len(compositions), groups.count)
    return matrix, np.array(weights), complete


def _roundings(residual: FloatArray, left: float) -> tuple[FloatArray, FloatArray]:
    """Floor and ceiling of ``residual / left``; a value that is whole up to noise is whole."""
    point = residual / left
    nearest = np.rint(point)
    whole = np.abs(residual - nearest * left) <= WHOLE
    return np.where(whole, nearest, np.floor(point)), np.where(whole, nearest, np.ceil(point))


def _mixture(compositions: IntArray, weights: FloatArray, method: str) -> Mixture:
    keep = weights > 1e-12
    kept = weights[keep]
    return Mixture(compositions[keep], kept / kept.sum(), method)


class ColumnGeneration:
    """The restricted master LP over known panels, with exact pricing by the panel program.

    Stage LP: maximise ``z`` over mixtures ``lam`` with ``a_g . lam - alpha_g z >= beta_g`` for
    every group ``g`` (``a_g`` = probabilities the panels give group g). Its dual prices ``y``
    score panels; a panel scoring above the bound enters; when the integer program proves that
    none does, the stage is solved over all panels.
    """

    def __init__(self, groups: Groups, program: PanelProgram, initial: IntArray) -> None:
        self.groups = groups
        self.program = program
        self.search = LocalSearch(groups)
        count = groups.count
        highs = new_highs()
        highs.setOptionValue("presolve", "off")
        highs.addVar(-INF, INF)  # z
        highs.changeColCost(0, -1.0)
        for _ in range(count):
            highs.addRow(0.0, INF, 1, np.array([0], dtype=np.int32), np.array([-1.0]))
        highs.addRow(1.0, 1.0, 0, np.zeros(0, dtype=np.int32), np.zeros(0))
        self.highs = highs
        self.alpha = np.ones(count)
        self.columns: list[IntArray] = []
        self.known: set[bytes] = set()
        self.lam = np.zeros(0)
        for composition in initial:
            self.add(composition)
        if not self.columns:
            first = program.best(1.0 / groups.size)
            if first is None:  # pragma: no cover - feasibility is checked before
                raise RuntimeError("no valid panel")
            self.add(first)

    def add(self, composition: IntArray) -> bool:
        """Add a panel as a column; False if it is already there."""
        key = composition.tobytes()
        if key in self.known:
            return False
        self.known.add(key)
        self.columns.append(composition.copy())
        share = composition / self.groups.size
        rows = np.flatnonzero(share)
        indices = np.append(rows, self.groups.count).astype(np.int32)
        self.highs.addCol(0.0, 0.0, INF, indices.size, indices, np.append(share[rows], 1.0))
        return True

    def stage(self, alpha: FloatArray, beta: FloatArray) -> tuple[float, FloatArray]:
        """Solve one stage exactly; return its value and the duals of the group rows."""
        count = self.groups.count
        highs = self.highs
        for group in np.flatnonzero(alpha != self.alpha):
            highs.changeCoeff(int(group), 0, -float(alpha[group]))
        self.alpha = alpha.copy()
        highs.changeRowsBounds(
            count, np.arange(count, dtype=np.int32), beta.astype(float), np.full(count, INF)
        )
        while True:
            status = solve(highs)
            if status != "optimal":
                raise RuntimeError(f"HiGHS could not solve the master LP: {status}")
            solution = highs.getSolution()
            duals = np.maximum(np.asarray(solution.row_dual)[:count], 0.0)
            scores = duals / self.groups.size
            matrix = np.array(self.columns)
            values = matrix @ scores
            bound = float(values.max())
            if not self._add_improved(matrix, values, scores, bound):
                panel = self.program.best(scores, cutoff=bound + PRICE_TOLERANCE)
                if panel is None or not self.add(panel):
                    self.lam = np.asarray(solution.col_value)[1:]
                    return float(solution.col_value[0]), duals

    def _add_improved(
        self, matrix: IntArray, values: FloatArray, scores: FloatArray, bound: float
    ) -> bool:
        added = False
        for start in np.argsort(-values, kind="stable")[:3]:
            panel = self.search.improve(matrix[start], scores)
            if float(panel @ scores) > bound + PRICE_TOLERANCE and self.add(panel):
                added = True
        return added

    def reach(self, target: FloatArray) -> bool:
        """Whether some mixture of panels gives every group at least its target probability."""
        value, _ = self.stage(target, np.zeros(self.groups.count))
        return value >= 1.0 - 1e-7

    def leximin(self) -> Mixture:
        """Exact LEXIMIN stages: fix the groups whose constraint binds, raise the rest."""
        count = self.groups.count
        fixed = np.zeros(count)
        free = np.ones(count, dtype=bool)
        while free.any():
            value, duals = self.stage(
                free.astype(float), np.where(free, 0.0, np.maximum(fixed - FIX_SLACK, 0.0))
            )
            binding = free & (duals > DUAL_TOLERANCE)
            if not binding.any():  # pragma: no cover - duals of the free rows sum to 1
                binding = free & (duals >= duals[free].max())
            fixed[binding] = value
            free &= ~binding
        return self.mixture("column-generation")

    def mixture(self, method: str) -> Mixture:
        """The last stage's solution as a mixture."""
        weights = np.maximum(self.lam, 0.0)
        return _mixture(np.array(self.columns), weights, method)
