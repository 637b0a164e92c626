"""Every shared conversation against red-dwarf 0.4.0's answers (expected.reddwarf.json).

red-dwarf clusters participants directly (no base clusters) with its own k-means start, so its
groups are not Polis' and are not expected to equal ours; the ARI of both against the groups the
Polis server showed is reported by benchmarks/opinion.py and docs/performance.md. What must agree
is everything that does not depend on the clustering choices.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from civic_algorithms.opinion import stats
from civic_algorithms.opinion.pca import centered_matrix, principal_components
from civic_algorithms.opinion.store import VoteStore
from civic_algorithms.opinion.tests import shared


def _folder(shared_data: Path, name: str) -> Path:
    return shared_data / "polis" / name


@pytest.mark.parametrize("name", shared.CONVERSATIONS)
def test_everyone_reddwarf_clusters_is_clustered(shared_data: Path, name: str) -> None:
    """red-dwarf clusters everyone with 7 votes; so do we, plus those Polis let in early (replayed
    from the vote times, decision 0203), each with fewer than 7 votes. Where Polis' groups are in
    the export, our set is at least as close to Polis' as red-dwarf's."""
    folder = _folder(shared_data, name)
    ours = shared.result(folder)
    theirs = set(shared.reddwarf(folder)["cluster_labels"])
    mine = {str(p) for p in ours.group_of()}
    assert theirs <= mine
    counts = dict(zip(ours.participant_ids.tolist(), ours.vote_counts.tolist(), strict=True))
    assert all(counts[int(p)] < 7 for p in mine - theirs)
    if shared.conversation(folder).votes.timestamps is None:
        assert mine == theirs  # no vote times: no history to replay
    polis = {str(p) for p in shared.reddwarf(folder)["polis_server_group_ids"]}
    assert len(mine & polis) >= len(theirs & polis)


@pytest.mark.parametrize("name", shared.CONVERSATIONS)
def test_pca_agrees_with_reddwarf_and_is_exact(shared_data: Path, name: str) -> None:
    """red-dwarf's sklearn PCA is randomized on bigger matrices (differences up to 1e-4); ours
    equals a dense eigendecomposition to 1e-9."""
    folder = _folder(shared_data, name)
    ours = shared.result(folder)
    reference = shared.reddwarf(folder)["pca"]
    cols = np.searchsorted(ours.statement_ids, np.asarray(reference["statement_ids"]))
    for mine, theirs in zip(
        ours.pca_components[:, cols], np.asarray(reference["components"]), strict=True
    ):
        assert min(np.abs(mine - theirs).max(), np.abs(mine + theirs).max()) < 1e-4

    store = VoteStore()
    store.add(shared.conversation(folder).votes)
    view = store.view()
    zeroed = np.asarray(ours.moderated_out | ours.meta)
    centered, _ = centered_matrix(view, zeroed)
    dense, _ = principal_components(centered, dense_limit=10**6)
    assert np.abs(dense - ours.pca_components).max() < 1e-9


@pytest.mark.parametrize("name", shared.CONVERSATIONS)
def test_statistics_agree_with_reddwarf_given_its_groups(shared_data: Path, name: str) -> None:
    """Same groups in, same representative and consensus statements out."""
    folder = _folder(shared_data, name)
    reference = shared.reddwarf(folder)
    ours = shared.result(folder)
    store = VoteStore()
    store.add(shared.conversation(folder).votes)
    view = store.view()
    labels = {int(p): g for p, g in reference["cluster_labels"].items()}
    k = max(labels.values()) + 1
    row_group = np.array([labels.get(p, -1) for p in view.participant_ids.tolist()])
    rows = view.rows()
    groups = stats.count_votes(rows, view.cols, view.values, row_group, k, view.n_statements)
    visible = ~(ours.moderated_out | ours.meta)
    chosen = stats.select_representative(stats.repness_table(groups), view.statement_ids, visible)
    for g in range(k):
        assert [r.statement_id for r in chosen[g]] == [
            r["tid"] for r in reference["repness"][str(g)]
        ]
    everyone = stats.count_votes(
        rows,
        view.cols,
        view.values,
        np.zeros(view.n_participants, dtype=np.int64),
        1,
        view.n_statements,
    )
    agree, disagree = stats.select_consensus(everyone, view.statement_ids, visible)
    for mine, theirs in (
        (agree, reference["consensus"]["agree"]),
        (disagree, reference["consensus"]["disagree"]),
    ):
        # Equal statistics; equal statements up to the order of exact ties.
        assert [(c.n_success, c.n_trials) for c in mine] == [
            (c["n-success"], c["n-trials"]) for c in theirs
        ]
        assert [c.p_test for c in mine] == pytest.approx([c["p-test"] for c in theirs], abs=1e-9)
