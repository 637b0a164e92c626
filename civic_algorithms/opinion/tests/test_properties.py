"""Properties: input order and relabelling do not change the answer (up to group renaming), silent
participants change nothing, degenerate conversations do not crash, and runs are deterministic."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from civic_algorithms.opinion import Conversation, OpinionMap, VoteTable, analyse
from civic_algorithms.opinion.compare import adjusted_rand_index
from civic_algorithms.opinion.pca import centered_matrix
from civic_algorithms.opinion.store import VoteStore

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@dataclass(frozen=True)
class Votes:
    participants: list[int]
    statements: list[int]
    values: list[int]
    times: list[float]
    moderated_out: frozenset[int]

    def table(self, order: npt.NDArray[np.int64] | None = None) -> VoteTable:
        index = np.arange(len(self.values)) if order is None else order
        return VoteTable.from_arrays(
            np.asarray(self.participants)[index],
            np.asarray(self.statements)[index],
            np.asarray(self.values)[index],
            np.asarray(self.times)[index],
        )

    def conversation(self, order: npt.NDArray[np.int64] | None = None) -> Conversation:
        return Conversation(votes=self.table(order), moderated_out=self.moderated_out)


@st.composite
def vote_sets(draw: st.DrawFn, min_people: int = 1) -> Votes:
    """A conversation with one vote per (participant, statement) at most, two loose camps."""
    n = draw(st.integers(min_people, 36))
    m = draw(st.integers(1, 10))
    camp = draw(st.lists(st.booleans(), min_size=n, max_size=n))
    cells = draw(
        st.lists(st.sampled_from((None, 1, 0, -1, "camp")), min_size=n * m, max_size=n * m)
    )
    participants, statements, values = [], [], []
    for i in range(n):
        for j in range(m):
            cell = cells[i * m + j]
            if cell is None:
                continue
            vote = (1 if camp[i] == (j % 2 == 0) else -1) if cell == "camp" else cell
            participants.append(i * 7 + 3)
            statements.append(j * 5 + 1)
            values.append(int(vote))
    # Distinct timestamps: the arrival order is then a property of the data, not of the rows.
    times = [float(t) for t in draw(st.permutations(range(len(values))))]
    moderated = frozenset(draw(st.sets(st.sampled_from([j * 5 + 1 for j in range(m)]), max_size=2)))
    return Votes(participants, statements, values, times, moderated)


def _partition(result: OpinionMap) -> dict[int, int]:
    return {int(p): g for p, g in result.group_of().items()}


def _same_partition(a: dict[int, int], b: dict[int, int]) -> bool:
    if a.keys() != b.keys():
        return False
    keys = sorted(a)
    return adjusted_rand_index([a[k] for k in keys], [b[k] for k in keys]) == 1.0 or len(keys) < 2


def _spectrum_gap_ok(votes: Votes) -> bool:
    """The top-2 PCA subspace is well defined (no tie between the 2nd and 3rd eigenvalue)."""
    store = VoteStore()
    store.add(votes.table())
    view = store.view()
    zeroed = np.isin(view.statement_ids, sorted(votes.moderated_out))
    centered, _ = centered_matrix(view, zeroed)
    values = np.sort(np.linalg.eigvalsh((centered.T @ centered).toarray()))[::-1]
    values = np.concatenate([values, np.zeros(3)])
    scale = max(values[0], 1.0)
    return bool(values[1] - values[2] > 1e-6 * scale and values[0] - values[1] > 1e-6 * scale)


@SETTINGS
@given(votes=vote_sets(), data=st.data())
def test_row_order_does_not_matter(votes: Votes, data: st.DataObject) -> None:
    order = np.asarray(data.draw(st.permutations(range(len(votes.values)))), dtype=np.int64)
    first = analyse(votes.conversation())
    second = analyse(votes.conversation(order))
    assert np.array_equal(first.coordinates, second.coordinates)
    assert np.array_equal(first.group_labels, second.group_labels)
    assert first.representative == second.representative
    assert np.array_equal(first.group_aware_consensus, second.group_aware_consensus)


@SETTINGS
@given(votes=vote_sets(), data=st.data())
def test_participant_relabelling_only_renames(votes: Votes, data: st.DataObject) -> None:
    people = sorted(set(votes.participants))
    shuffled = data.draw(st.permutations(people))
    rename = dict(zip(people, shuffled, strict=True))
    renamed = Votes(
        [rename[p] for p in votes.participants],
        votes.statements,
        votes.values,
        votes.times,
        votes.moderated_out,
    )
    first, second = analyse(votes.conversation()), analyse(renamed.conversation())
    by_new = dict(zip(second.participant_ids.tolist(), second.coordinates.tolist(), strict=True))
    for old, xy in zip(first.participant_ids.tolist(), first.coordinates.tolist(), strict=True):
        assert by_new[rename[old]] == xy
    moved = {rename[p]: g for p, g in _partition(first).items()}
    assert _same_partition(moved, _partition(second))


@SETTINGS
@given(votes=vote_sets(), data=st.data())
def test_statement_relabelling_only_renames(votes: Votes, data: st.DataObject) -> None:
    assume(_spectrum_gap_ok(votes))
    # Every statement, including one moderated out that nobody voted on.
    ids = sorted(set(votes.statements) | votes.moderated_out)
    rename = dict(zip(ids, data.draw(st.permutations(ids)), strict=True))
    renamed = Votes(
        votes.participants,
        [rename[s] for s in votes.statements],
        votes.values,
        votes.times,
        frozenset(rename[s] for s in votes.moderated_out),
    )
    first, second = analyse(votes.conversation()), analyse(renamed.conversation())
    assert _same_partition(_partition(first), _partition(second))
    for axis in range(2):
        a, b = first.coordinates[:, axis], second.coordinates[:, axis]
        assert min(np.abs(a - b).max(), np.abs(a + b).max()) < 1e-6
    consensus_first = dict(
        zip(first.statement_ids.tolist(), first.group_aware_consensus.tolist(), strict=True)
    )
    consensus_second = dict(
        zip(second.statement_ids.tolist(), second.group_aware_consensus.tolist(), strict=True)
    )
    for old, value in consensus_first.items():
        assert abs(consensus_second[rename[old]] - value) < 1e-9


@SETTINGS
@given(votes=vote_sets(min_people=0), silent=st.sets(st.integers(1000, 1100), max_size=5))
def test_participants_without_votes_change_nothing(votes: Votes, silent: set[int]) -> None:
    plain = analyse(votes.conversation())
    with_silent = analyse(
        Conversation(
            votes=votes.table(),
            moderated_out=votes.moderated_out,
            participants_without_votes=tuple(sorted(silent)),
        )
    )
    extra = np.isin(with_silent.participant_ids, sorted(silent))
    assert np.all(with_silent.coordinates[extra] == 0.0)
    assert not with_silent.clustered[extra].any()
    assert np.array_equal(with_silent.coordinates[~extra], plain.coordinates)
    assert np.array_equal(with_silent.group_labels[~extra], plain.group_labels)
    assert with_silent.representative == plain.representative


@SETTINGS
@given(votes=vote_sets(min_people=0), seed=st.integers(0, 2**31 - 1))
def test_results_are_deterministic_and_well_formed(votes: Votes, seed: int) -> None:
    first = analyse(votes.conversation(), seed=seed)
    again = analyse(votes.conversation(), seed=seed)
    other_seed = analyse(votes.conversation(), seed=seed + 1)
    for other in (again, other_seed):
        assert np.array_equal(first.coordinates, other.coordinates)
        assert np.array_equal(first.group_labels, other.group_labels)
        assert first.representative == other.representative
        assert first.consensus_ranking() == other.consensus_ranking()
    assert np.all(np.isfinite(first.coordinates))
    assert np.all(np.isfinite(first.priorities))
    assert np.all((first.group_aware_consensus > 0) & (first.group_aware_consensus <= 1))
    clustered_labels = first.group_labels[first.clustered]
    assert np.all((clustered_labels >= 0) & (clustered_labels < max(first.k, 1)))
    assert np.all(first.group_labels[~first.clustered] == -1)
    assert set(first.representative) == set(range(first.k))
    assert sum(g.size for g in first.groups) == int(first.clustered.sum())
