"""Small-number suppression of count tables, with complementary suppression (docs/disclosure.md).

A table is a list of counts (cells) and a list of published totals, each the sum of some cells:
a 1-D list with its grand total, a 2-D table with its row and column margins, subtotals of
subtotals. Cells from 1 to ``threshold - 1`` are hidden ("primary"); then, while anyone could
still work out a hidden cell from what is published, one more cell is hidden ("complementary"),
or, when nothing is left to hide, the total that gives it away is withheld.

"Work out" means exactly, from the published cells and totals and the fact that counts are never
negative: :func:`recoverable` is exact linear algebra (whole-number arithmetic) over the published
totals, plus a small linear program that finds the hidden cells forced to be zero. Decisions
0095 and 0096 give the rules and why.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from scipy.optimize import linprog

from civic_algorithms.errors import InputError

DEFAULT_THRESHOLD = 10


class DisclosureInputError(InputError):
    """A table, a threshold or a set of hidden cells that suppression cannot use."""


@dataclass(frozen=True)
class Table:
    """True counts (``values``, one per cell, never negative) and the totals that are published.

    Each entry of ``totals`` is the set of indices of the cells whose sum is published. Lists and
    sets are accepted and stored as tuples and frozensets.
    """

    values: tuple[int, ...]
    totals: tuple[frozenset[int], ...]

    def __post_init__(self) -> None:
        values = tuple(self.values)
        totals = tuple(frozenset(total) for total in self.totals)
        for i, value in enumerate(values):
            if isinstance(value, bool) or not isinstance(value, int | np.integer):
                raise DisclosureInputError(f"cell {i}: the count {value!r} is not a whole number")
            if value < 0:
                raise DisclosureInputError(f"cell {i}: the count {value} is negative")
        for t, total in enumerate(totals):
            for i in total:
                if isinstance(i, bool) or not isinstance(i, int | np.integer):
                    raise DisclosureInputError(f"total {t}: {i!r} is not a cell index")
                if not 0 <= i < len(values):
                    raise DisclosureInputError(
                        f"total {t}: there is no cell {i} (the table has {len(values)} cells)"
                    )
        object.__setattr__(self, "values", tuple(int(value) for value in values))
        object.__setattr__(self, "totals", tuple(frozenset(int(i) for i in t) for t in totals))

    @classmethod
    def one_way(cls, values: Sequence[int]) -> Table:
        """A list of counts with its grand total (the only total)."""
        return cls(tuple(values), (frozenset(range(len(values))),))

    @classmethod
    def two_way(cls, rows: Sequence[Sequence[int]], *, grand_total: bool = True) -> Table:
        """A grid with its row totals, then its column totals, then (optionally) the grand total.

        Cell ``(r, c)`` is index ``r * columns + c``.
        """
        width = len(rows[0]) if rows else 0
        if any(len(row) != width for row in rows):
            raise DisclosureInputError("every row of the table must have the same number of cells")
        values = tuple(value for row in rows for value in row)
        totals = [frozenset(range(r * width, (r + 1) * width)) for r in range(len(rows))]
        totals += [frozenset(range(c, len(values), width)) for c in range(width)]
        if grand_total:
            totals.append(frozenset(range(len(values))))
        return cls(values, tuple(totals))

    def total(self, t: int) -> int:
        """The value of total ``t``."""
        return sum(self.values[i] for i in self.totals[t])


@dataclass(frozen=True)
class Suppressed:
    """What to hide: the small cells, the cells hidden to protect them, and totals not to publish.

    ``withheld_totals`` are indices into ``table.totals``; usually empty.
    """

    primary: frozenset[int]
    complementary: frozenset[int]
    withheld_totals: frozenset[int] = field(default_factory=frozenset)

    @property
    def cells(self) -> frozenset[int]:
        """Every hidden cell: primary and complementary."""
        return self.primary | self.complementary


def suppress(table: Table, threshold: int = DEFAULT_THRESHOLD) -> Suppressed:
    """Hide every cell from 1 to ``threshold - 1``, and enough others that none can be worked out.

    While a hidden cell can be worked out (:func:`recoverable`; the lowest index first), one more
    cell is hidden or one total withheld, chosen by :func:`_next_step` among the totals that give
    it away. Each step hides a cell or withholds a total, so it ends; it is deterministic.
    """
    if isinstance(threshold, bool) or not isinstance(threshold, int) or threshold < 1:
        raise DisclosureInputError(
            f"the threshold must be a whole number, 1 or more: {threshold!r}"
        )
    primary = frozenset(i for i, value in enumerate(table.values) if 0 < value < threshold)
    hidden = primary
    withheld: frozenset[int] = frozenset()
    while exposed := recoverable(table, hidden, withheld):
        action, index = _next_step(table, hidden, withheld, min(exposed))
        if action == "hide":
            hidden |= {index}
        else:
            withheld |= {index}
    return Suppressed(primary=primary, complementary=hidden - primary, withheld_totals=withheld)


def _next_step(
    table: Table, hidden: frozenset[int], withheld: frozenset[int], exposed: int
) -> tuple[Literal["hide", "withhold"], int]:
    """The cell to hide or the total to withhold so that ``exposed`` cannot be worked out.

    Among the totals that give it away (:func:`_giving_away`), in this order of preference:

    1. hide the first of their shown cells, smallest non-zero count first (zeros last, ties: the
       lowest index), that stops it being worked out;
    2. withhold the first of them (lowest index) that has no shown cell left and whose withholding
       stops it being worked out;
    3. otherwise take the one with the fewest hidden cells (ties: the lowest index): hide its
       smallest non-zero shown cell (zeros last, ties: the lowest index), or withhold it when it
       has no shown cell left.

    A cell of a published total of 0 is never hidden: everyone knows it is 0.
    """
    values = table.values
    known = {
        i
        for t, total in enumerate(table.totals)
        if t not in withheld and table.total(t) == 0
        for i in total
    }
    culprits = _giving_away(table, hidden, withheld, exposed)
    open_cells = {t: table.totals[t] - hidden - known for t in culprits}

    def order(cell: int) -> tuple[bool, int, int]:
        return (values[cell] == 0, values[cell], cell)

    for cell in sorted(set().union(*open_cells.values()), key=order):
        if exposed not in recoverable(table, hidden | {cell}, withheld):
            return "hide", cell
    for t in culprits:
        if not open_cells[t] and exposed not in recoverable(table, hidden, withheld | {t}):
            return "withhold", t
    t = min(culprits, key=lambda t: (len(table.totals[t] & hidden), t))
    if open_cells[t]:
        return "hide", min(open_cells[t], key=order)
    return "withhold", t


def _giving_away(
    table: Table, hidden: frozenset[int], withheld: frozenset[int], exposed: int
) -> list[int]:
    """A minimal set of published totals from which ``exposed`` can be worked out.

    Starting from every published total, drop each one that is not needed, the largest first
    (most cells; ties: the highest index), so that the narrowest totals (a row, a column) are
    the ones kept. Every total kept is needed: without it, the others do not give the cell away.
    """
    everything = frozenset(range(len(table.totals)))
    kept = {t for t in everything - withheld if table.totals[t] & hidden}
    for t in sorted(kept, key=lambda t: (-len(table.totals[t]), -t)):
        if exposed in recoverable(table, hidden, everything - (kept - {t})):
            kept.discard(t)
    return sorted(kept)


def recoverable(
    table: Table, hidden: frozenset[int], withheld_totals: frozenset[int] = frozenset()
) -> frozenset[int]:
    """The hidden cells whose value is fixed by the published cells and totals.

    Published means: every cell not in ``hidden``, every total not in ``withheld_totals``. A
    hidden cell is fixed when the published totals, as linear equations in the hidden cells,
    determine it (its unit vector is in their row space), once the hidden cells that the totals
    force to be zero (counts are never negative) are added as equations ``cell = 0``; those
    forced to zero are fixed too. Exact for tables whose totals are rows and columns of a grid,
    or nested subtotals; see decision 0096 for other shapes.
    """
    hidden = frozenset(hidden)
    withheld_totals = frozenset(withheld_totals)
    for i in hidden:
        if not 0 <= i < len(table.values):
            raise DisclosureInputError(f"there is no cell {i} to hide")
    for t in withheld_totals:
        if not 0 <= t < len(table.totals):
            raise DisclosureInputError(f"there is no total {t} to withhold")
    cells = sorted(hidden)
    column = {cell: k for k, cell in enumerate(cells)}
    rows = [
        [column[i] for i in total if i in hidden]
        for t, total in enumerate(table.totals)
        if t not in withheld_totals and total & hidden
    ]
    if not rows:
        return frozenset()
    zero = _forced_zero(len(cells), rows, [column[i] for i in cells if table.values[i] == 0])
    equations = [*rows, *([k] for k in zero)]
    return frozenset(cells[k] for k in _determined(equations, len(cells)))


def _determined(rows: Sequence[Collection[int]], width: int) -> list[int]:
    """The columns k whose unit vector is in the row space of 0/1 ``rows`` (each: its 1 columns).

    Gauss-Jordan elimination in whole numbers (each row scaled down by the gcd of its entries),
    so it is exact. In the reduced form, e_k is in the row space exactly when some row has k as
    its only non-zero entry: the coefficient of each row in a combination equals the
    combination's entry at that row's pivot column, which is 0 for every pivot but k.
    """
    pending: list[dict[int, int]] = [dict.fromkeys(row, 1) for row in rows]
    reduced: list[dict[int, int]] = []
    for k in range(width):
        found = next((row for row in pending if row.get(k)), None)
        if found is None:
            continue
        pending = [row for row in pending if row is not found]
        for row in (*pending, *reduced):
            if row.get(k):
                _eliminate(row, found, k)
        reduced.append(found)
    return [next(iter(row)) for row in reduced if len(row) == 1]


def _eliminate(row: dict[int, int], pivot: dict[int, int], k: int) -> None:
    """Make ``row[k]`` zero by adding a multiple of ``pivot``, in place, in whole numbers."""
    a, b = pivot[k], row[k]
    for j in row:
        row[j] *= a
    for j, value in pivot.items():
        row[j] = row.get(j, 0) - b * value
    for j in [j for j, value in row.items() if value == 0]:
        del row[j]
    divisor = math.gcd(*row.values())
    if divisor > 1:
        for j in row:
            row[j] //= divisor


def _forced_zero(width: int, rows: Sequence[Collection[int]], zeros: Sequence[int]) -> list[int]:
    """The hidden zero cells (columns ``zeros``) that no table fitting the totals can make positive.

    A zero cell j can be positive in some fitting table exactly when some change d of the hidden
    cells keeps every published total (sum of d over each row is 0), lowers no hidden zero
    (d >= 0 on ``zeros``) and raises j (d_j > 0): the true table plus a small multiple of d fits.
    Such changes add up, so one linear program finds them all: maximise the sum of t_j with
    0 <= t_j <= 1 and t_j <= d_j. At the optimum t_j is 1 for each cell that can be positive and
    0 for each forced to zero (HiGHS; the answer is read as t_j < 1/2).
    """
    if not zeros:
        return []
    n = width + len(zeros)
    equalities = np.zeros((len(rows), n))
    for r, row in enumerate(rows):
        equalities[r, list(row)] = 1.0
    upper = np.zeros((len(zeros), n))
    for z, k in enumerate(zeros):
        upper[z, width + z] = 1.0
        upper[z, k] = -1.0
    bounds: list[tuple[float | None, float | None]] = [(None, None)] * width
    bounds += [(0.0, 1.0)] * len(zeros)
    for k in zeros:
        bounds[k] = (0.0, None)
    cost = np.concatenate([np.zeros(width), -np.ones(len(zeros))])
    result = linprog(
        cost,
        A_ub=upper,
        b_ub=np.zeros(len(zeros)),
        A_eq=equalities,
        b_eq=np.zeros(len(rows)),
        bounds=bounds,
        method="highs",
    )
    if result.status != 0:  # pragma: no cover - d = 0 is always feasible and t is bounded
        raise RuntimeError(f"the zero-cell linear program failed: {result.message}")
    return [k for z, k in enumerate(zeros) if result.x[width + z] < 0.5]
