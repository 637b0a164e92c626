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
        self._grow_participants(np.unique(batch.participant_ids))
        self._grow_statements(np.unique(batch.statement_ids))
        rows = np.searchsorted(self.participant_ids, batch.participant_ids).astype(np.int32)
        cols = np.searchsorted(self.statement_ids, batch.statement_ids).astype(np.int32)
        n_cols = np.int64(max(len(self.statement_ids), 1))
        times = (
            batch.timestamps
            if batch.timestamps is not None
            else np.full(len(batch), np.nan, dtype=np.float64)
        )
        self._note_arrivals(rows, times)

        # Latest vote within the batch: sort by key, then time (missing first), then position.
        keys = rows.astype(np.int64) * n_cols + cols
        order = np.lexsort((np.nan_to_num(times, nan=-np.inf), keys))
        keys_sorted = keys[order]
        last = np.ones(len(order), dtype=bool)
        last[:-1] = keys_sorted[1:] != keys_sorted[:-1]
        pick = order[last]
        new_keys = keys[pick]
        new_values = batch.votes[pick]
        new_times = times[pick]

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
        )

    def _note_arrivals(self, rows: npt.NDArray[np.int32], times: FloatArray) -> None:
        known = ~np.isnan(times)
        if known.any():
            earliest = np.full(len(self.participant_ids), np.nan)
            np.fmin.at(earliest, rows[known], times[known])
            self._first_seen = np.fmin(self._first_seen, earliest)

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


def _union(old: IdArray, new: IdArray, *, what: str) -> IdArray:
    if len(old) == 0:
        return new
    if (old.dtype.kind == "U") != (new.dtype.kind == "U"):
        raise OpinionInputError(f"{what} mix integers and strings across batches")
    return np.union1d(old, new)
