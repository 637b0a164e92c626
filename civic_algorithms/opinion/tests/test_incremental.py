"""Incremental updates: new batches merge into the in-memory matrix without re-reading files."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from civic_algorithms.opinion import OpinionEngine, OpinionMap, Parameters, VoteTable, analyse
from civic_algorithms.opinion.tests import shared


def _batches(votes: VoteTable, n: int) -> list[VoteTable]:
    assert votes.timestamps is not None
    order = np.argsort(votes.timestamps, kind="stable")
    return [
        VoteTable.from_arrays(
            votes.participant_ids[part],
            votes.statement_ids[part],
            votes.votes[part],
            votes.timestamps[part],
        )
        for part in np.array_split(order, n)
    ]


def _assert_same(a: OpinionMap, b: OpinionMap) -> None:
    assert np.array_equal(a.participant_ids, b.participant_ids)
    assert np.allclose(a.coordinates, b.coordinates, atol=1e-9)
    assert np.array_equal(a.group_labels, b.group_labels)
    assert a.representative == b.representative
    assert a.consensus_ranking() == b.consensus_ranking()


def test_batches_merged_then_analysed_equal_one_analysis(shared_data: Path) -> None:
    folder = shared_data / "polis" / "vtaiwan.uberx"
    conversation = shared.conversation(folder)
    engine = OpinionEngine(moderated_out=conversation.moderated_out)
    for batch in _batches(conversation.votes, 5):
        engine.add_votes(batch)
    assert engine.n_votes == shared.result(folder).n_votes
    _assert_same(engine.analyse(), shared.result(folder))


def test_analysing_after_every_batch_keeps_polis_update_semantics(shared_data: Path) -> None:
    """Participants once in stay in; with k-smoothing off the last update equals a fresh analysis
    that keeps the same participants."""
    folder = shared_data / "polis" / "brexit-consensus"
    conversation = shared.conversation(folder)
    parameters = Parameters(group_k_buffer=1)
    engine = OpinionEngine(moderated_out=conversation.moderated_out, parameters=parameters)
    previous: set[int | str] = set()
    result = None
    for batch in _batches(conversation.votes, 4):
        before = set(previous)
        engine.add_votes(batch)
        result = engine.analyse()
        previous = set(result.participant_ids[result.clustered].tolist())
        assert before <= previous
    assert result is not None
    fresh = analyse(conversation, parameters=parameters, keep_participant_ids=before)
    _assert_same(result, fresh)


def test_a_changed_vote_replaces_the_old_one() -> None:
    engine = OpinionEngine()
    people = np.repeat(np.arange(20), 8)
    statements = np.tile(np.arange(8), 20)
    rng = np.random.default_rng(3)
    votes = rng.integers(-1, 2, size=len(people))
    engine.add_votes(VoteTable.from_arrays(people, statements, votes, np.zeros(len(people))))
    engine.add_votes(VoteTable.from_arrays([0], [0], [1], [10.0]))
    engine.add_votes(VoteTable.from_arrays([0], [0], [-1], [5.0]))  # older: ignored
    result = engine.analyse()
    assert result.n_votes == len(people)
    changed = votes.copy()
    changed[0] = 1
    fresh = analyse_plain(people, statements, changed)
    _assert_same(result, fresh)


def analyse_plain(people: np.ndarray, statements: np.ndarray, votes: np.ndarray) -> OpinionMap:
    from civic_algorithms.opinion import Conversation

    return analyse(
        Conversation(votes=VoteTable.from_arrays(people, statements, votes, np.zeros(len(people))))
    )


def test_k_smoothing_holds_the_number_of_groups_between_updates(shared_data: Path) -> None:
    """A new best k (3 on all of the below-100 fixture, as Polis showed) replaces the earlier one
    (2 on its first fifth of votes) only after being the best four updates in a row, as in Polis."""
    folder = shared_data / "polis" / "reddwarf-fixture.below-100-ptpts"
    conversation = shared.conversation(folder)
    votes = conversation.votes
    assert votes.timestamps is not None
    order = np.argsort(votes.timestamps, kind="stable")
    early, late = order[: len(order) // 5], order[len(order) // 5 :]
    engine = OpinionEngine(moderated_out=conversation.moderated_out, meta=conversation.meta)
    for part in (early, late):
        engine.add_votes(
            VoteTable.from_arrays(
                votes.participant_ids[part],
                votes.statement_ids[part],
                votes.votes[part],
                votes.timestamps[part],
            )
        )
        if part is early:
            assert engine.analyse().k == 2
    assert shared.result(folder).k == 3
    assert [engine.analyse().k for _ in range(4)] == [2, 2, 2, 3]


def test_moderating_a_statement_between_updates(shared_data: Path) -> None:
    folder = shared_data / "polis" / "brexit-consensus"
    conversation = shared.conversation(folder)
    engine = OpinionEngine(moderated_out=conversation.moderated_out)
    engine.add_votes(conversation.votes)
    top = engine.analyse().consensus_ranking()[0][0]
    engine.set_moderation(moderated_out={top})
    after = engine.analyse()
    assert top not in [sid for sid, _ in after.consensus_ranking()]
    column = int(np.searchsorted(after.statement_ids, top))
    assert after.moderated_out[column]
    assert np.all(after.pca_components[:, column] == 0.0)
