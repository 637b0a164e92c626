"""HiGHS models over groups: the panel integer program and the relaxed LEXIMIN linear programs."""

from __future__ import annotations

import os
import sys
import threading
from typing import Any

import numpy as np

from civic_algorithms.sortition.groups import FloatArray, Groups, IntArray

INF = float("inf")
# Duals below this are solver noise, not a binding constraint (duals sum to 1 over the unfixed).
DUAL_TOLERANCE = 1e-9

_banner_lock = threading.Lock()
_banner_done = False


def new_highs() -> Any:
    """A silent single-threaded HiGHS instance (deterministic: same input, same answer).

    HiGHS prints a banner on stdout when the first instance of a process is made; the command
    line must print nothing but its JSON, so that one construction writes to /dev/null.
    """
    global _banner_done
    import highspy

    make: Any = highspy.Highs  # highspy ships without type hints
    with _banner_lock:
        if _banner_done:
            highs = make()
        else:
            sys.stdout.flush()
            saved = os.dup(1)
            sink = os.open(os.devnull, os.O_WRONLY)
            try:
                os.dup2(sink, 1)
                highs = make()
            finally:
                os.dup2(saved, 1)
                os.close(saved)
                os.close(sink)
            _banner_done = True
    highs.silent()
    highs.setOptionValue("threads", 1)
    highs.setOptionValue("random_seed", 0)
    return highs


def solve(highs: Any) -> str:
    """Run HiGHS; if a warm start ends in an unclear state, solve again from scratch."""
    highs.run()
    status = _status(highs)
    if status not in ("optimal", "infeasible"):
        highs.clearSolver()
        highs.run()
        status = _status(highs)
    return status


def _status(highs: Any) -> str:
    import highspy

    status = highs.getModelStatus()
    if status == highspy.HighsModelStatus.kOptimal:
        return "optimal"
    if status in (
        highspy.HighsModelStatus.kInfeasible,
        highspy.HighsModelStatus.kObjectiveBound,
    ):
        return "infeasible"
    return str(highs.modelStatusToString(status))


class PanelProgram:
    """The integer program whose solutions are exactly the valid panels (as seats per group).

    ``best`` maximises a linear objective, optionally only over panels scoring above a cutoff
    (then "nothing" is a proof that no panel scores more, which is what column generation needs).
    """

    def __init__(self, groups: Groups) -> None:
        import highspy

        self.groups = groups
        count = groups.count
        self.index = np.arange(count, dtype=np.int32)
        highs = new_highs()
        highs.setOptionValue("mip_rel_gap", 0.0)
        highs.setOptionValue("mip_abs_gap", 1e-10)
        # Restarts cost more than they save on these small programs (measured on geneva_30).
        highs.setOptionValue("mip_allow_restart", False)
        highs.addVars(count, np.zeros(count), groups.cap.astype(float))
        highs.changeColsIntegrality(
            count, self.index, np.full(count, highspy.HighsVarType.kInteger)
        )
        for row, lo, hi in zip(groups.rows, groups.row_lo, groups.row_hi, strict=True):
            columns = np.flatnonzero(row).astype(np.int32)
            highs.addRow(float(lo), float(hi), len(columns), columns, row[columns])
        size = float(groups.panel_size)
        highs.addRow(size, size, count, self.index, np.ones(count))
        self.highs = highs
        self.solves = 0

    def best(
        self,
        objective: FloatArray,
        *,
        cutoff: float | None = None,
        lower: FloatArray | None = None,
        upper: FloatArray | None = None,
        row_lo: FloatArray | None = None,
        row_hi: FloatArray | None = None,
    ) -> IntArray | None:
        """The panel maximising ``objective @ c`` (above ``cutoff``), or None if there is none."""
        highs = self.highs
        count = self.groups.count
        highs.changeColsCost(count, self.index, -np.asarray(objective, dtype=float))
        highs.changeColsBounds(
            count,
            self.index,
            np.zeros(count) if lower is None else lower,
            self.groups.cap.astype(float) if upper is None else upper,
        )
        rows = self.groups.rows.shape[0]
        highs.changeRowsBounds(
            rows,
            np.arange(rows, dtype=np.int32),
            self.groups.row_lo.astype(float) if row_lo is None else row_lo,
            self.groups.row_hi.astype(float) if row_hi is None else row_hi,
        )
        # HiGHS minimises -objective here, so "score above cutoff" is "bound below -cutoff".
        highs.setOptionValue("objective_bound", INF if cutoff is None else -cutoff)
        status = solve(highs)
        self.solves += 1
        if status == "infeasible":
            return None
        if status != "optimal":
            raise RuntimeError(f"HiGHS could not solve the panel program: {status}")
        values = np.asarray(highs.getSolution().col_value, dtype=float)
        composition: IntArray = np.rint(values).astype(np.int64)
        if not self.groups.is_panel(composition, row_lo, row_hi):  # pragma: no cover
            raise RuntimeError("HiGHS returned a panel that breaks the quotas")
        return composition


def relaxed_leximin(groups: Groups) -> FloatArray:
    """LEXIMIN selection probabilities per group over the LP relaxation of the panel polytope.

    Stage by stage: maximise the smallest probability among the groups not yet fixed, then fix the
    groups whose constraint binds (positive dual) at that value. Every distribution over panels
    has its expected seat vector in the relaxation, so these values bound the true LEXIMIN from
    above; when the point is a mixture of panels (the peeling in ``leximin.py`` finds one), it is
    the LEXIMIN answer.
    """
    count = groups.count
    size = groups.size.astype(float)
    highs = new_highs()
    z = int(count)
    highs.addVars(count, np.zeros(count), groups.cap.astype(float))
    highs.addVar(-INF, INF)
    highs.changeColCost(z, -1.0)
    for group in range(count):
        highs.addRow(
            0.0, INF, 2, np.array([group, z], dtype=np.int32), np.array([1.0 / size[group], -1.0])
        )
    for row, lo, hi in zip(groups.rows, groups.row_lo, groups.row_hi, strict=True):
        columns = np.flatnonzero(row).astype(np.int32)
        highs.addRow(float(lo), float(hi), len(columns), columns, row[columns])
    panel = float(groups.panel_size)
    highs.addRow(panel, panel, count, np.arange(count, dtype=np.int32), np.ones(count))

    fixed = np.full(count, np.nan)
    free = np.ones(count, dtype=bool)
    while free.any():
        status = solve(highs)
        if status != "optimal":
            raise RuntimeError(f"HiGHS could not solve a LEXIMIN stage: {status}")
        value = -float(highs.getInfo().objective_function_value)
        duals = np.abs(np.asarray(highs.getSolution().row_dual)[:count])
        binding = free & (duals > DUAL_TOLERANCE)
        if not binding.any():  # pragma: no cover - duals of the free rows sum to 1
            binding = free & (duals >= duals[free].max())
        fixed[binding] = value
        free &= ~binding
        for row in np.flatnonzero(binding).tolist():
            highs.changeCoeff(row, z, 0.0)
            highs.changeRowBounds(row, value * (1 - 1e-12) - 1e-12, INF)
    clipped: FloatArray = np.clip(fixed, 0.0, 1.0)
    return clipped
