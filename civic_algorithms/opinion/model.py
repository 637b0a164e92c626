"""Plain inputs and outputs of the opinion-mapping engine: frozen dataclasses over numpy arrays."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

import numpy as np
import numpy.typing as npt

from civic_algorithms.errors import InputError

AGREE = 1
PASS = 0
DISAGREE = -1

Id = int | str
IdArray = npt.NDArray[Any]
FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


class OpinionInputError(InputError):
    """Votes, statements or export files that the opinion engine cannot use."""


_A = TypeVar("_A", bound=npt.NDArray[Any])


def readonly(array: _A) -> _A:
    """Mark an array read-only (results are shared, never edited) and return it."""
    array.setflags(write=False)
    return array


def as_id_array(ids: Sequence[Id] | npt.ArrayLike, *, what: str) -> IdArray:
    """Turn participant or statement ids into a 1-d array of integers or of strings."""
    array = np.asarray(ids)
    if array.ndim != 1:
        raise OpinionInputError(f"{what} must be a flat list of ids")
    if array.dtype.kind in "iu":
        return array.astype(np.int64, copy=False)
    if array.dtype.kind in "UO" or array.size == 0:
        if array.size == 0:
            return np.zeros(0, dtype=np.int64)
        values = array.tolist()
        if all(isinstance(v, int | np.integer) and not isinstance(v, bool) for v in values):
            return np.asarray(values, dtype=np.int64)
        if all(isinstance(v, str) for v in values):
            return np.asarray(values, dtype=str)
        raise OpinionInputError(f"{what} must all be integers or all be strings")
    if array.dtype.kind == "f" and np.all(np.isfinite(array)) and np.all(array == np.round(array)):
        return array.astype(np.int64)
    raise OpinionInputError(f"{what} must all be integers or all be strings, not {array.dtype}")


@dataclass(frozen=True)
class VoteTable:
    """One batch of votes: row i says participant_ids[i] voted votes[i] on statement_ids[i].

    Votes are 1 (agree), -1 (disagree) or 0 (pass). ``timestamps`` (any increasing number, e.g.
    milliseconds) decide which of several votes by the same person on the same statement counts
    (the latest) and the order in which participants arrived; without them the later row wins and
    participants are ordered by id.
    """

    participant_ids: IdArray
    statement_ids: IdArray
    votes: npt.NDArray[np.int8]
    timestamps: FloatArray | None = None

    @classmethod
    def from_arrays(
        cls,
        participant_ids: Sequence[Id] | npt.ArrayLike,
        statement_ids: Sequence[Id] | npt.ArrayLike,
        votes: Sequence[int] | npt.ArrayLike,
        timestamps: Sequence[float] | npt.ArrayLike | None = None,
    ) -> VoteTable:
        """Check and freeze plain arrays (the entry point for callers outside this package)."""
        pids = as_id_array(participant_ids, what="participant ids")
        sids = as_id_array(statement_ids, what="statement ids")
        raw = np.asarray(votes)
        if raw.ndim != 1:
            raise OpinionInputError("votes must be a flat list")
        if not (len(pids) == len(sids) == len(raw)):
            raise OpinionInputError(
                f"participant ids ({len(pids)}), statement ids ({len(sids)}) and votes "
                f"({len(raw)}) must have the same length"
            )
        if raw.size and raw.dtype.kind not in "iuf":
            raise OpinionInputError("votes must be numbers: 1 agree, -1 disagree, 0 pass")
        if raw.size and not np.all(np.isin(raw, (-1, 0, 1))):
            bad = raw[~np.isin(raw, (-1, 0, 1))][0].item()
            raise OpinionInputError(f"vote {bad!r} is not 1 (agree), -1 (disagree) or 0 (pass)")
        times: FloatArray | None = None
        if timestamps is not None:
            times = np.asarray(timestamps, dtype=np.float64)
            if times.shape != raw.shape:
                raise OpinionInputError("timestamps must have one value per vote")
            if not np.all(np.isfinite(times)):
                raise OpinionInputError("timestamps must be finite numbers")
            readonly(times)
        return cls(
            participant_ids=readonly(pids),
            statement_ids=readonly(sids),
            votes=readonly(raw.astype(np.int8)),
            timestamps=times,
        )

    @classmethod
    def empty(cls) -> VoteTable:
        """A batch with no votes."""
        return cls.from_arrays([], [], [])

    def __len__(self) -> int:
        return len(self.votes)


@dataclass(frozen=True)
class Conversation:
    """Everything the engine needs: the votes and the moderation state of the statements."""

    votes: VoteTable
    moderated_out: frozenset[Id] = frozenset()
    meta: frozenset[Id] = frozenset()
    participants_without_votes: tuple[Id, ...] = ()
    statement_text: Mapping[Id, str] = field(default_factory=dict)
    source: str = ""


@dataclass(frozen=True)
class Parameters:
    """The knobs of the Polis method; the defaults are the values the original Polis math uses."""

    min_votes: int = 7
    greedy_participants: int = 15
    n_components: int = 2
    base_k: int = 100
    base_iterations: int = 100
    max_groups: int = 5
    group_iterations: int = 20
    group_k_buffer: int = 4
    convergence_threshold: float = 0.01
    representative_max: int = 5
    consensus_max: int = 5
    significance_z: float = 1.2816
    dense_pca_limit: int = 32
    # Not Polis constants, but how this engine recovers from an export what Polis' history decided
    # (decision 0203): who was let in as the votes arrived, and how many groups to show.
    in_conv_history: bool = True
    group_k_margin: float = 0.01
    silhouette_sample: int = 2000

    def __post_init__(self) -> None:
        if self.min_votes < 1 or self.greedy_participants < 0 or self.base_k < 2:
            raise OpinionInputError("min_votes >= 1, greedy_participants >= 0, base_k >= 2")
        if self.max_groups < 2 or self.n_components != 2 or self.group_k_buffer < 1:
            raise OpinionInputError("max_groups >= 2, n_components == 2, group_k_buffer >= 1")
        if not 0.0 <= self.group_k_margin < 1.0 or self.silhouette_sample < 2:
            raise OpinionInputError("0 <= group_k_margin < 1, silhouette_sample >= 2")


@dataclass(frozen=True)
class RepresentativeStatement:
    """A statement that sets a group apart, with the Polis statistics behind the choice."""

    statement_id: Id
    repful_for: Literal["agree", "disagree"]
    n_success: int
    n_trials: int
    p_success: float
    p_test: float
    repness: float
    repness_test: float
    best_agree: bool = False
    n_agree: int | None = None


@dataclass(frozen=True)
class ConsensusStatement:
    """A statement most participants agree (or disagree) with, whatever their group."""

    statement_id: Id
    n_success: int
    n_trials: int
    p_success: float
    p_test: float


@dataclass(frozen=True)
class Group:
    """An opinion group: its label, centre on the map and members."""

    label: int
    center: tuple[float, float]
    participant_ids: tuple[Id, ...]

    @property
    def size(self) -> int:
        """Number of participants in the group."""
        return len(self.participant_ids)


@dataclass(frozen=True)
class OpinionMap:
    """The result of one analysis. Arrays are read-only and indexed like the id tuples."""

    participant_ids: IdArray
    statement_ids: IdArray
    coordinates: FloatArray
    vote_counts: IntArray
    clustered: npt.NDArray[np.bool_]
    group_labels: IntArray
    base_cluster_labels: IntArray
    base_centers: FloatArray
    groups: tuple[Group, ...]
    silhouettes: Mapping[int, float]
    pca_center: FloatArray
    pca_components: FloatArray
    pca_eigenvalues: FloatArray
    moderated_out: npt.NDArray[np.bool_]
    meta: npt.NDArray[np.bool_]
    representative: Mapping[int, tuple[RepresentativeStatement, ...]]
    consensus_agree: tuple[ConsensusStatement, ...]
    consensus_disagree: tuple[ConsensusStatement, ...]
    group_aware_consensus: FloatArray
    extremity: FloatArray
    priorities: FloatArray
    n_votes: int
    parameters: Parameters
    seed: int

    @property
    def k(self) -> int:
        """Number of opinion groups."""
        return len(self.groups)

    def group_of(self) -> dict[Id, int]:
        """Participant id -> group label, for every clustered participant."""
        ids = self.participant_ids[self.clustered].tolist()
        labels = self.group_labels[self.clustered].tolist()
        return dict(zip(ids, labels, strict=True))

    def visible_statements(self) -> npt.NDArray[np.bool_]:
        """Statements that may be shown: not moderated out and not meta."""
        mask: npt.NDArray[np.bool_] = ~(self.moderated_out | self.meta)
        return mask

    def consensus_ranking(self) -> list[tuple[Id, float]]:
        """Visible statements ranked by group-aware consensus, highest first (ties by id)."""
        return _ranked(self.statement_ids, self.group_aware_consensus, self.visible_statements())

    def priority_ranking(self) -> list[tuple[Id, float]]:
        """Statements that are not moderated out, by Polis priority (which to show next)."""
        return _ranked(self.statement_ids, self.priorities, ~self.moderated_out)


def _ranked(
    ids: IdArray, scores: FloatArray, mask: npt.NDArray[np.bool_]
) -> list[tuple[Id, float]]:
    chosen = np.flatnonzero(mask)
    # Round before sorting so that values equal up to floating-point noise tie, then break ties
    # by statement id: the ranking must not depend on the order of a sum.
    rounded = np.round(scores[chosen], 12)
    order = np.lexsort((np.arange(len(chosen)), -rounded))
    return [(ids[chosen[i]].item(), float(scores[chosen[i]])) for i in order]
