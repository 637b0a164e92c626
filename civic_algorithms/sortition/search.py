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
_TABU = 7  # moves before a group that was swapped may be swapped again


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

    def improve(
        self,
        start: IntArray,
        weights: FloatArray,
        bounds: tuple[FloatArray, FloatArray, FloatArray, FloatArray] | None = None,
    ) -> IntArray:
        """A panel at least as good as ``start`` that no single move improves.

        ``bounds`` = (lowest seats, highest seats, lowest row sums, highest row sums) replace the
        group sizes and the quotas (peeling searches between two roundings of a point).
        """
        groups = self.groups
        fewest: FloatArray | IntArray = np.zeros(groups.count)
        most: FloatArray | IntArray = groups.cap
        lo, hi = self.lo, self.hi
        if bounds is not None:
            fewest, most = bounds[0], bounds[1]
            lo, hi = np.append(bounds[2], -(10**9)), np.append(bounds[3], 10**9)
        limits = (fewest, most, lo, hi)
        seats = start.copy()
        counts = np.rint(self.rows @ seats).astype(np.int64)
        for _ in range(10 * groups.panel_size + 100):
            held = np.flatnonzero(seats > fewest)
            open_ = np.flatnonzero(seats < most)
            if open_.size == 0 or held.size == 0:
                break
            gain = weights[open_][None, :] - weights[held][:, None]
            removable = counts - 1 >= lo
            addable = counts + 1 <= hi
            out_rows = self.member[held]
            in_rows = self.member[open_]
            same = out_rows[:, None, :] == in_rows[None, :, :]
            room = removable[out_rows][:, None, :] & addable[in_rows][None, :, :]
            single = np.where((same | room).all(axis=2), gain, -np.inf)
            best_single = int(np.argmax(single))
            single_gain = float(single.flat[best_single])
            pair_gain, pair = self._best_pair(seats, held, open_, gain, single_gain, limits)
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
        limits: tuple[FloatArray | IntArray, ...],
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
            fewest, most, lo, hi = limits
            sums = self.rows @ trial
            if (
                np.all(trial >= fewest)
                and np.all(trial <= most)
                and np.all(sums >= lo - 1e-9)
                and np.all(sums <= hi + 1e-9)
            ):
                return float(total[candidate]), trial
        return -np.inf, None


def rounding(
    groups: Groups,
    preference: FloatArray,
    low: FloatArray,
    high: FloatArray,
    row_lo: FloatArray,
    row_hi: FloatArray,
    max_moves: int = 300,
) -> IntArray | None:
    """A panel with every group at ``low`` or ``high`` and every row sum within bounds, or None.

    Start from the rounding the preference likes best (round up the largest preferences), then
    swap one rounded-up group for one rounded-down group, the swap that reduces the total
    violation of the row bounds most first; when none reduces it, the least bad one (a tabu list
    keeps the search from undoing it at once). With exact quotas (min = max) a search that only
    accepted improving swaps stopped one or two seats short more than half of the time, and each
    miss cost an integer program (docs/decisions/0067). Once feasible, only swaps that keep it
    feasible and raise the preference. A cheap first try before the integer program in peeling;
    None means "ask the integer program".
    """
    open_ = np.flatnonzero(high > low)
    need = groups.panel_size - round(float(low.sum()))
    if need < 0 or need > open_.size:
        return None
    rows = groups.rows[:, open_]
    base = groups.rows @ low
    lower, upper = row_lo - base, row_hi - base
    liking = preference[open_]
    up = np.zeros(open_.size, dtype=bool)
    up[np.argsort(-liking, kind="stable")[:need]] = True
    sums = rows @ up
    last_moved = np.full(open_.size, -(10**9))
    feasible = False
    for move in range(max_moves):
        violation = _violation(sums, lower, upper)
        if not feasible and float(violation.sum()) == 0:
            feasible = True  # from here on, only swaps that keep it feasible and gain
        raise_ = _violation(sums + 1, lower, upper) - violation
        lower_ = _violation(sums - 1, lower, upper) - violation
        ups, downs = np.flatnonzero(up), np.flatnonzero(~up)
        if ups.size == 0 or downs.size == 0:
            return None
        out_rows, in_rows = rows[:, ups], rows[:, downs]
        # Change in total violation when group ups[i] goes down and downs[j] goes up. einsum
        # rather than @: OpenBLAS would spread these mid-sized products over every core, which
        # on a busy machine made the search ten times slower (docs/decisions/0067).
        both = raise_ + lower_
        change = (
            np.einsum("k,kj->j", raise_, in_rows)[None, :]
            + np.einsum("k,ki->i", lower_, out_rows)[:, None]
            - np.einsum("ik,kj->ij", out_rows.T * both, in_rows)
        )
        gain = liking[downs][None, :] - liking[ups][:, None]
        if feasible:
            allowed = (change <= 0.5) & (gain > 1e-12)
        else:
            recent = move - _TABU
            allowed = (last_moved[ups] < recent)[:, None] & (last_moved[downs] < recent)[None, :]
        score = np.where(allowed, -4.0 * np.rint(change) + gain, -np.inf)
        best = int(np.argmax(score))
        if not np.isfinite(score.flat[best]):
            break
        out_index, in_index = ups[best // downs.size], downs[best % downs.size]
        up[out_index], up[in_index] = False, True
        sums += rows[:, in_index] - rows[:, out_index]
        last_moved[[out_index, in_index]] = move
    if float(_violation(sums, lower, upper).sum()) != 0:
        return None
    panel = low.copy()
    panel[open_[up]] += 1
    seats: IntArray = np.rint(panel).astype(np.int64)
    return seats


def _violation(sums: FloatArray, lower: FloatArray, upper: FloatArray) -> FloatArray:
    violation: FloatArray = np.maximum(sums - upper, 0.0) + np.maximum(lower - sums, 0.0)
    return violation
