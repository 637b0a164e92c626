"""The sparse vote matrix: latest vote per (participant, statement), updated batch by batch.

Votes live as parallel arrays sorted by (participant, statement) key, so a new batch is merged with
binary searches and one copy of the arrays: the cost of an update is O(b log b + nnz) for a batch of
b votes on a matrix of nnz votes, with no re-reading of files.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from civic_algorithms.opinion.model import (
    FloatArray,
    IdArray,
    IntArray,
    OpinionInputError,
    VoteTable,
    as_id_array,
    readonly,
)


@dataclass(frozen=True)
class MatrixView:
    """A read-only snapshot of the store used by one analysis (CSR layout, rows = participants)."""

    participant_ids: IdArray
    statement_ids: IdArray
    indptr: IntArray
    cols: npt.NDArray[np.int32]
    values: npt.NDArray[np.int8]
    first_seen: FloatArray
    times: FloatArray

    @property
    def n_participants(self) -> int:
        """Number of rows."""
        return len(self.participant_ids)

    @property
    def n_statements(self) -> int:
        """Number of columns."""
        return len(self.statement_ids)

    @property
    def nnz(self) -> int:
        """Number of votes kept (one per participant and statement)."""
        return len(self.values)

    def rows(self) -> npt.NDArray[np.int32]:
        """Row index of every stored vote."""
        counts = np.diff(self.indptr)
        return np.repeat(np.arange(self.n_participants, dtype=np.int32), counts)

    def vote_counts(self) -> IntArray:
        """Votes per participant (agree, disagree and pass all count)."""
        return np.diff(self.indptr).astype(np.int64)


class VoteStore:
    """Latest vote per participant and statement, kept sorted so that batches merge quickly."""

    def __init__(self) -> None:
        self.participant_ids: IdArray = np.zeros(0, dtype=np.int64)
        self.statement_ids: IdArray = np.zeros(0, dtype=np.int64)
        self._rows = np.zeros(0, dtype=np.int32)
        self._cols = np.zeros(0, dtype=np.int32)
        self._values = np.zeros(0, dtype=np.int8)
        self._times = np.zeros(0, dtype=np.float64)
        self._first_seen = np.zeros(0, dtype=np.float64)

    @property
    def nnz(self) -> int:
        """Number of votes kept."""
        return len(self._values)

    def add_participants(self, participant_ids: IdArray) -> None:
        """Register participants who may have no votes yet (they get a row of missing votes)."""
        ids = as_id_array(participant_ids, what="participant ids")
        if len(ids):
            self._grow_participants(np.unique(ids))

    def add(self, batch: VoteTable) -> None:
        """Merge a batch: a vote replaces an earlier one by the same person on the same statement."""
        if len(batch) == 0:
            return
        rows = self._index_participants(batch.participant_ids)
        cols = self._index_statements(batch.statement_ids)
        n_cols = np.int64(max(len(self.statement_ids), 1))
        times = (
            batch.timestamps
            if batch.timestamps is not None
            else np.full(len(batch), np.nan, dtype=np.float64)
        )

        # Latest vote within the batch: sort by key; only if a key repeats, also by time (missing
        # first) and then position (the sort is stable).
        keys = rows.astype(np.int64) * n_cols + cols
        order = _stable_order(keys, int(n_cols) * len(self.participant_ids))
        keys_sorted = keys[order]
        repeated = keys_sorted[1:] == keys_sorted[:-1]
        if repeated.any():
            order = np.lexsort((np.nan_to_num(times, nan=-np.inf), keys))
            keys_sorted = keys[order]
            repeated = keys_sorted[1:] == keys_sorted[:-1]
        self._note_arrivals(rows[order], times[order])
        last = np.ones(len(order), dtype=bool)
        last[:-1] = ~repeated
        pick = order[last]
        new_keys = keys_sorted[last]
        new_values = batch.votes[pick]
        new_times = times[pick]

        if len(self._values) == 0:
            self._rows = (new_keys // n_cols).astype(np.int32)
            self._cols = (new_keys % n_cols).astype(np.int32)
            self._values = new_values.copy()
            self._times = new_times.copy()
            return
        old_keys = self._rows.astype(np.int64) * n_cols + self._cols
        at = np.searchsorted(old_keys, new_keys)
        found = at < len(old_keys)
        found[found] = old_keys[at[found]] == new_keys[found]
        if found.any():
            slots = at[found]
            old_t = self._times[slots]
            new_t = new_times[found]
            newer = np.isnan(old_t) | np.isnan(new_t) | (new_t >= old_t)
            self._values[slots[newer]] = new_values[found][newer]
            self._times[slots[newer]] = new_t[newer]
        fresh = ~found
        if fresh.any():
            insert_at = at[fresh]
            self._rows = np.insert(
                self._rows, insert_at, (new_keys[fresh] // n_cols).astype(np.int32)
            )
            self._cols = np.insert(
                self._cols, insert_at, (new_keys[fresh] % n_cols).astype(np.int32)
            )
            self._values = np.insert(self._values, insert_at, new_values[fresh])
            self._times = np.insert(self._times, insert_at, new_times[fresh])

    def _index_participants(self, ids: IdArray) -> npt.NDArray[np.int32]:
        if len(self.participant_ids) == 0:
            self.participant_ids, inverse = _factorize(ids)
            self._first_seen = np.full(len(self.participant_ids), np.nan)
            return inverse
        self._grow_participants(_factorize(ids)[0])
        return np.searchsorted(self.participant_ids, ids).astype(np.int32)

    def _index_statements(self, ids: IdArray) -> npt.NDArray[np.int32]:
        if len(self.statement_ids) == 0:
            self.statement_ids, inverse = _factorize(ids)
            return inverse
        self._grow_statements(_factorize(ids)[0])
        return np.searchsorted(self.statement_ids, ids).astype(np.int32)

    def view(self) -> MatrixView:
        """A consistent read-only snapshot for one analysis."""
        counts = np.bincount(self._rows, minlength=len(self.participant_ids))
        indptr = np.zeros(len(self.participant_ids) + 1, dtype=np.int64)
        np.cumsum(counts, out=indptr[1:])
        return MatrixView(
            participant_ids=readonly(self.participant_ids.copy()),
            statement_ids=readonly(self.statement_ids.copy()),
            indptr=readonly(indptr),
            cols=readonly(self._cols.copy()),
            values=readonly(self._values.copy()),
            first_seen=readonly(self._first_seen.copy()),
            times=readonly(self._times.copy()),
        )

    def _note_arrivals(self, rows: npt.NDArray[np.int32], times: FloatArray) -> None:
        """Keep each participant's earliest vote time; ``rows`` must be sorted."""
        if len(rows) == 0 or np.isnan(times).all():
            return
        starts = np.flatnonzero(np.concatenate(([True], rows[1:] != rows[:-1])))
        earliest = np.fmin.reduceat(times, starts)
        who = rows[starts]
        self._first_seen[who] = np.fmin(self._first_seen[who], earliest)

    def _grow_participants(self, new_ids: IdArray) -> None:
        merged = _union(self.participant_ids, new_ids, what="participant ids")
        if len(merged) == len(self.participant_ids):
            return
        old_to_new = np.searchsorted(merged, self.participant_ids).astype(np.int32)
        first_seen = np.full(len(merged), np.nan)
        first_seen[old_to_new] = self._first_seen
        self._rows = old_to_new[self._rows]
        self._first_seen = first_seen
        self.participant_ids = merged

    def _grow_statements(self, new_ids: IdArray) -> None:
        merged = _union(self.statement_ids, new_ids, what="statement ids")
        if len(merged) == len(self.statement_ids):
            return
        old_to_new = np.searchsorted(merged, self.statement_ids).astype(np.int32)
        self._cols = old_to_new[self._cols]
        self.statement_ids = merged
        # Keys are row * n_cols + col, so a wider matrix keeps the (row, col) order: no re-sort.


def _stable_order(keys: IntArray, key_bound: int) -> IntArray:
    """Stable argsort of non-negative keys below ``key_bound``.

    When key and position fit together in 63 bits, sorting the values key * 2^b + position is
    several times faster than an argsort and gives the same (stable) order.
    """
    position_bits = max(int(len(keys) - 1).bit_length(), 1)
    if max(key_bound - 1, 1).bit_length() + position_bits <= 62:
        packed = (keys << position_bits) | np.arange(len(keys), dtype=np.int64)
        packed.sort()
        order: IntArray = packed & ((1 << position_bits) - 1)
        return order
    stable: IntArray = np.argsort(keys, kind="stable")
    return stable


def _factorize(ids: IdArray) -> tuple[IdArray, npt.NDArray[np.int32]]:
    """Sorted distinct ids and the position of every id among them."""
    if ids.dtype.kind in "iu" and len(ids):
        low, high = int(ids.min()), int(ids.max())
        if low >= 0 and high <= 4 * len(ids) + (1 << 20):
            # Dense non-negative integers (the usual case): a lookup table, no sorting.
            present = np.zeros(high + 1, dtype=bool)
            present[ids] = True
            distinct = np.flatnonzero(present).astype(ids.dtype)
            position = np.cumsum(present, dtype=np.int64) - 1
            return distinct, position[ids].astype(np.int32)
    distinct, inverse = np.unique(ids, return_inverse=True)
    return distinct, inverse.astype(np.int32).ravel()


def _union(old: IdArray, new: IdArray, *, what: str) -> IdArray:
    if len(old) == 0:
        return new
    if (old.dtype.kind == "U") != (new.dtype.kind == "U"):
        raise OpinionInputError(f"{what} mix integers and strings across batches")
    return np.union1d(old, new)
