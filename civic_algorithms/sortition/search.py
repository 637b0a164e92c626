"""Local search for a high-scoring panel: a cheap first try before the exact integer program.

Column generation asks again and again for a panel with a large weighted sum of seats. Most of
the time a panel found by improving a known one is good enough (any panel above the current
dual bound helps); the exact program is only needed to prove that none is left.

Moves keep every quota satisfied: swap one seat between two groups when both quota counts have
room, or swap two seats at once when the four feature vectors balance out (needed when quotas are
exact, min = max, where no single swap is possible).
"""

from __future__ import annotations

import numpy as np

from civic_algorithms.sortition.groups import FloatArray, Groups, IntArray

GAIN_TOLERANCE = 1e-12
_PAIR_CANDIDATES = 10


class LocalSearch:
    """Best-improvement search over one- and two-seat swaps, for one :class:`Groups`."""

    def __init__(self, groups: Groups) -> None:
        self.groups = groups
        rows = groups.rows.shape[0]
        member = [groups.value_of_group]
        if rows > groups.quota_rows:
            # The household-class row of each group, or a dummy row without limits.
            klass_row = np.full(groups.count, rows, dtype=np.int64)
            for row in range(groups.quota_rows, rows):
                klass_row[groups.rows[row] > 0] = row
            member.append(klass_row[:, None])
        self.member = np.hstack(member)
        self.lo = np.append(groups.row_lo, -(10**9))
        self.hi = np.append(groups.row_hi, 10**9)
        self.rows = np.vstack([groups.rows, np.zeros((1, groups.count))])
        # Random 40-bit codes: two-seat swaps balance when the codes of the feature values do.
        codes = np.random.default_rng(20210804).integers(0, 2**40, size=groups.quota_rows)
        self.code = codes[groups.value_of_group].sum(axis=1)

    def improve(self, start: IntArray, weights: FloatArray) -> IntArray:
        """A panel at least as good as ``start`` that no single move improves."""
        groups = self.groups
        seats = start.copy()
        counts = np.rint(self.rows @ seats).astype(np.int64)
        for _ in range(10 * groups.panel_size + 100):
            held = np.flatnonzero(seats)
            open_ = np.flatnonzero(seats < groups.cap)
            if open_.size == 0:
                break
            gain = weights[open_][None, :] - weights[held][:, None]
            removable = counts - 1 >= self.lo
            addable = counts + 1 <= self.hi
            out_rows = self.member[held]
            in_rows = self.member[open_]
            same = out_rows[:, None, :] == in_rows[None, :, :]
            room = removable[out_rows][:, None, :] & addable[in_rows][None, :, :]
            single = np.where((same | room).all(axis=2), gain, -np.inf)
            best_single = int(np.argmax(single))
            single_gain = float(single.flat[best_single])
            pair_gain, pair = self._best_pair(seats, held, open_, gain, single_gain)
            if max(single_gain, pair_gain) <= GAIN_TOLERANCE:
                break
            if single_gain >= pair_gain:
                out_group = held[best_single // open_.size]
                in_group = open_[best_single % open_.size]
                seats[out_group] -= 1
                seats[in_group] += 1
            else:
                assert pair is not None
                seats = pair
            counts = np.rint(self.rows @ seats).astype(np.int64)
        return seats

    def _best_pair(
        self,
        seats: IntArray,
        held: IntArray,
        open_: IntArray,
        gain: FloatArray,
        floor: float,
    ) -> tuple[float, IntArray | None]:
        """The best valid two-seat swap whose quota changes cancel, if it beats ``floor``."""
        key = (self.code[open_][None, :] - self.code[held][:, None]).ravel()
        flat_gain = gain.ravel()
        order = np.lexsort((-flat_gain, key))
        keys = key[order]
        first = np.ones(keys.size, dtype=bool)
        np.not_equal(keys[1:], keys[:-1], out=first[1:])
        unique_keys = keys[first]
        best_index = order[first]
        best_gain = flat_gain[best_index]
        partner = np.minimum(np.searchsorted(unique_keys, -unique_keys), unique_keys.size - 1)
        matched = unique_keys[partner] == -unique_keys
        if not matched.any():
            return -np.inf, None
        total = np.where(matched, best_gain + best_gain[partner], -np.inf)
        width = open_.size
        for candidate in np.argsort(-total, kind="stable")[:_PAIR_CANDIDATES]:
            if total[candidate] <= max(floor, GAIN_TOLERANCE):
                break
            first_move = best_index[candidate]
            second_move = best_index[partner[candidate]]
            trial = seats.copy()
            for move in (first_move, second_move):
                trial[held[move // width]] -= 1
                trial[open_[move % width]] += 1
            if self.groups.is_panel(trial):
                return float(total[candidate]), trial
        return -np.inf, None
