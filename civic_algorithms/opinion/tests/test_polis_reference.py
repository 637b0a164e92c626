"""Correctness against the original Clojure Polis math (math-pca2.json in the red-dwarf fixtures).

Each stage is checked on its own (given the previous stage's Polis answer) and then end to end.
Tolerances (docs/opinion.md): PCA components equal up to sign within 1e-9; statistics within 1e-9.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from civic_algorithms.opinion import clusters, stats
from civic_algorithms.opinion.compare import adjusted_rand_index, ari_on_common, match_labels
from civic_algorithms.opinion.store import MatrixView, VoteStore
from civic_algorithms.opinion.tests import shared

TOLERANCE = 1e-9


def _folder(shared_data: Path, name: str) -> Path:
    return shared_data / "polis" / name


def _view(folder: Path) -> MatrixView:
    store = VoteStore()
    store.add(shared.conversation(folder).votes)
    return store.view()


def _columns(view: MatrixView, statement_ids: tuple[int, ...]) -> npt.NDArray[np.int64]:
    return np.searchsorted(view.statement_ids, np.asarray(statement_ids))


@pytest.mark.parametrize("name", shared.FIXTURES)
def test_pca_matches_polis_up_to_sign(shared_data: Path, name: str) -> None:
    folder = _folder(shared_data, name)
    math, ours = shared.polis_math(folder), shared.result(folder)
    cols = np.searchsorted(ours.statement_ids, np.asarray(math.statement_ids))
    assert np.array_equal(ours.statement_ids[cols], np.asarray(math.statement_ids))
    for ours_row, polis_row in zip(ours.pca_components[:, cols], math.pca_components, strict=True):
        sign = np.sign(ours_row @ polis_row)
        assert np.max(np.abs(sign * ours_row - polis_row)) < TOLERANCE
    # Polis stores agree as -1 internally, so its column means are ours negated.
    assert np.max(np.abs(-ours.pca_center[cols] - math.pca_center)) < TOLERANCE
    assert np.max(np.abs(ours.extremity[cols] - math.comment_extremity)) < TOLERANCE


@pytest.mark.parametrize("name", shared.FIXTURES)
def test_projection_matches_polis_base_cluster_centres(shared_data: Path, name: str) -> None:
    """Mean of our coordinates over each Polis base cluster = that cluster's centre in Polis."""
    folder = _folder(shared_data, name)
    math, ours = shared.polis_math(folder), shared.result(folder)
    row_of = {pid: i for i, pid in enumerate(ours.participant_ids.tolist())}
    centres = np.array(
        [
            ours.coordinates[[row_of[p] for p in members]].mean(axis=0)
            for members in math.base_clusters
        ]
    )
    signs = np.sign((centres * math.base_centers).sum(axis=0))
    assert np.max(np.abs(centres * signs - math.base_centers)) < 1e-8


def _stats_for_polis_groups(
    folder: Path,
) -> tuple[MatrixView, list[int], stats.Counts, stats.Counts, npt.NDArray[np.bool_]]:
    math = shared.polis_math(folder)
    view = _view(folder)
    labels_seen = sorted(set(math.group_of.values()))
    index = {g: i for i, g in enumerate(labels_seen)}
    row_group = np.array(
        [index.get(math.group_of.get(p, -1), -1) for p in view.participant_ids.tolist()]
    )
    rows = view.rows()
    groups = stats.count_votes(
        rows, view.cols, view.values, row_group, len(labels_seen), view.n_statements
    )
    everyone = stats.count_votes(
        rows,
        view.cols,
        view.values,
        np.zeros(view.n_participants, dtype=np.int64),
        1,
        view.n_statements,
    )
    zeroed = np.isin(view.statement_ids, sorted(math.moderated_out | math.meta))
    return view, labels_seen, groups, everyone, zeroed


@pytest.mark.parametrize("name", shared.FIXTURES)
def test_representative_statements_match_polis_given_its_groups(
    shared_data: Path, name: str
) -> None:
    folder = _folder(shared_data, name)
    math = shared.polis_math(folder)
    view, labels, groups, _, zeroed = _stats_for_polis_groups(folder)
    chosen = stats.select_representative(stats.repness_table(groups), view.statement_ids, ~zeroed)
    for position, label in enumerate(labels):
        polis = math.repness[label]
        ours = chosen[position]
        assert [r.statement_id for r in ours] == [p["tid"] for p in polis]
        for r, p in zip(ours, polis, strict=True):
            assert r.repful_for == p["repful-for"]
            assert (r.n_success, r.n_trials) == (p["n-success"], p["n-trials"])
            assert r.p_success == pytest.approx(p["p-success"], abs=TOLERANCE)
            assert r.p_test == pytest.approx(p["p-test"], abs=TOLERANCE)
            assert r.repness == pytest.approx(p["repness"], abs=TOLERANCE)
            assert r.repness_test == pytest.approx(
                p["repness-test"], rel=1e-6
            )  # a 32-bit float in Polis
            assert r.best_agree == p.get("best-agree", False)


@pytest.mark.parametrize("name", shared.FIXTURES)
def test_consensus_and_group_aware_consensus_match_polis(shared_data: Path, name: str) -> None:
    folder = _folder(shared_data, name)
    math = shared.polis_math(folder)
    view, _, groups, everyone, zeroed = _stats_for_polis_groups(folder)
    agree, disagree = stats.select_consensus(everyone, view.statement_ids, ~zeroed)
    for ours, polis in ((agree, math.consensus_agree), (disagree, math.consensus_disagree)):
        assert [(c.statement_id, c.n_success, c.n_trials) for c in ours] == [
            (p["tid"], p["n-success"], p["n-trials"]) for p in polis
        ]
        assert [c.p_test for c in ours] == pytest.approx(
            [p["p-test"] for p in polis], abs=TOLERANCE
        )
    consensus = stats.group_aware_consensus(groups)
    cols = _columns(view, tuple(math.group_aware_consensus))
    assert consensus[cols] == pytest.approx(
        list(math.group_aware_consensus.values()), abs=TOLERANCE
    )


@pytest.mark.parametrize("name", shared.FIXTURES)
def test_priorities_match_polis_given_its_groups(shared_data: Path, name: str) -> None:
    folder = _folder(shared_data, name)
    math, ours = shared.polis_math(folder), shared.result(folder)
    view, _, groups, _, _ = _stats_for_polis_groups(folder)
    meta = np.isin(view.statement_ids, sorted(math.meta))
    priorities = stats.priorities(groups, ours.extremity, meta)
    cols = _columns(view, tuple(math.comment_priorities))
    assert priorities[cols] == pytest.approx(list(math.comment_priorities.values()), rel=1e-9)


@pytest.mark.parametrize("name", shared.FIXTURES)
def test_group_clustering_reproduces_polis_from_its_base_clusters(
    shared_data: Path, name: str
) -> None:
    math = shared.polis_math(_folder(shared_data, name))
    sizes = np.array([len(m) for m in math.base_clusters], dtype=np.float64)
    found = clusters.group_clusterings(
        math.base_centers, sizes, max_groups=5, max_iterations=20, threshold=0.01
    )
    labels = found.by_k[found.best_k()].labels
    polis = [math.group_of[members[0]] for members in math.base_clusters]
    assert adjusted_rand_index(labels.tolist(), polis) == 1.0


@pytest.mark.parametrize("name", shared.FIXTURES)
def test_groups_match_polis_end_to_end(shared_data: Path, name: str) -> None:
    """With the participants Polis had let in (its persisted in-conv set), ARI >= 0.9."""
    folder = _folder(shared_data, name)
    math, ours = shared.polis_math(folder), shared.result(folder, keep_polis_in_conv=True)
    ari, common = ari_on_common(ours.group_of(), math.group_of)
    assert common == len(math.in_conv)
    assert ari >= 0.9


@pytest.mark.parametrize("name", shared.FIXTURES)
def test_groups_from_scratch_stay_close_to_polis(shared_data: Path, name: str) -> None:
    """From the votes alone (no Polis history) the groups still agree closely (ARI >= 0.85)."""
    folder = _folder(shared_data, name)
    math, ours = shared.polis_math(folder), shared.result(folder)
    ari, _ = ari_on_common(ours.group_of(), math.group_of)
    assert ari >= 0.85


@pytest.mark.parametrize("name", shared.FIXTURES)
def test_top_representative_statements_match_polis(shared_data: Path, name: str) -> None:
    """Per matched group: Polis' first statement is among ours and >= 80% of its list is shared."""
    folder = _folder(shared_data, name)
    math, ours = shared.polis_math(folder), shared.result(folder, keep_polis_in_conv=True)
    mapping = match_labels(ours.group_of(), math.group_of)
    assert sorted(mapping) == sorted(math.repness)
    for polis_label, our_label in mapping.items():
        polis = [p["tid"] for p in math.repness[polis_label]]
        mine = [r.statement_id for r in ours.representative[our_label]]
        assert polis[0] in mine
        assert len(set(polis) & set(mine)) >= 0.8 * len(polis)


@pytest.mark.parametrize("name", shared.FIXTURES)
def test_group_aware_consensus_top_five_matches_polis(shared_data: Path, name: str) -> None:
    folder = _folder(shared_data, name)
    math, ours = shared.polis_math(folder), shared.result(folder, keep_polis_in_conv=True)
    hidden = math.moderated_out | math.meta
    polis = sorted(
        ((t, v) for t, v in math.group_aware_consensus.items() if t not in hidden),
        key=lambda tv: (-round(tv[1], 12), tv[0]),
    )
    assert [t for t, _ in ours.consensus_ranking()[:5]] == [t for t, _ in polis[:5]]


def test_below_100_representative_statements_are_identical(shared_data: Path) -> None:
    folder = _folder(shared_data, "reddwarf-fixture.below-100-ptpts")
    math, ours = shared.polis_math(folder), shared.result(folder)
    mapping = match_labels(ours.group_of(), math.group_of)
    for polis_label, our_label in mapping.items():
        assert [r.statement_id for r in ours.representative[our_label]] == [
            p["tid"] for p in math.repness[polis_label]
        ]
