"""Unit checks of the building blocks against hand-worked values and brute-force definitions."""

from __future__ import annotations

import math

import numpy as np
import pytest

from civic_algorithms.opinion import Conversation, Parameters, VoteTable, analyse, clusters, stats
from civic_algorithms.opinion.compare import adjusted_rand_index, match_labels
from civic_algorithms.opinion.engine import in_conversation
from civic_algorithms.opinion.store import VoteStore


def test_prop_test_matches_the_polis_formula() -> None:
    # 2 sqrt(n+1) ((s+1)/(n+1) - 1/2) with s=6, n=6: 2 * sqrt(7) * (1 - 0.5)
    assert stats.prop_test(6, 6) == pytest.approx(math.sqrt(7))
    assert stats.prop_test(0, 0) == pytest.approx(1.0)


def test_two_prop_test_matches_the_polis_formula() -> None:
    s1, s2, n1, n2 = 5 + 1, 2 + 1, 6 + 1, 10 + 1
    p = (s1 + s2) / (n1 + n2)
    expected = (s1 / n1 - s2 / n2) / math.sqrt(p * (1 - p) * (1 / n1 + 1 / n2))
    assert stats.two_prop_test(5, 2, 6, 10) == pytest.approx(expected)
    # Everyone agrees everywhere: Polis returns 0 rather than dividing by zero.
    assert stats.two_prop_test(3, 4, 3, 4) == pytest.approx(0.0)


def _silhouette_by_definition(points: np.ndarray, labels: np.ndarray) -> float:
    scores = []
    for i in range(len(points)):
        same = [j for j in range(len(points)) if labels[j] == labels[i] and j != i]
        if not same:
            scores.append(0.0)
            continue
        d = np.linalg.norm(points - points[i], axis=1)
        a = d[same].mean()
        b = min(d[labels == other].mean() for other in set(labels.tolist()) if other != labels[i])
        scores.append((b - a) / max(a, b))
    return float(np.mean(scores))


def test_silhouette_matches_its_definition() -> None:
    rng = np.random.default_rng(4)
    points = rng.normal(size=(40, 2))
    labels = rng.integers(0, 4, size=40)
    labels[0] = 9  # a singleton scores 0
    assert clusters.silhouette(points, labels) == pytest.approx(
        _silhouette_by_definition(points, labels)
    )


def test_kmeans_starts_from_the_first_distinct_points_and_drops_empty_clusters() -> None:
    points = np.array([[0.0, 0.0], [0.0, 0.0], [10.0, 0.0], [0.1, 0.0], [10.1, 0.0], [5.0, 9.0]])
    found = clusters.kmeans(points, 3)
    assert found.labels.tolist() == [0, 0, 1, 0, 1, 2]
    assert found.centers[1] == pytest.approx([10.05, 0.0])
    # Asking for more clusters than distinct points: one per distinct point.
    assert len(clusters.kmeans(points, 10).centers) == 5


def test_weighted_kmeans_pulls_centres_toward_heavy_points() -> None:
    points = np.array([[0.0, 0.0], [1.0, 0.0], [10.0, 0.0]])
    found = clusters.kmeans(points, 2, weights=np.array([1.0, 3.0, 1.0]))
    assert found.centers[0] == pytest.approx([0.75, 0.0])


def test_group_count_cap_follows_polis() -> None:
    assert clusters.max_groups_for(11, 5) == 2
    assert clusters.max_groups_for(23, 5) == 3
    assert clusters.max_groups_for(100, 5) == 5


def test_k_smoother_waits_for_four_agreeing_updates() -> None:
    smoother = clusters.KSmoother().update(2, 4)
    assert smoother.smoothed_k == 2
    for _ in range(3):
        smoother = smoother.update(3, 4)
        assert smoother.smoothed_k == 2
    assert smoother.update(3, 4).smoothed_k == 3
    assert smoother.update(4, 4).update(3, 4).smoothed_k == 2


def test_adjusted_rand_index() -> None:
    assert adjusted_rand_index([0, 0, 1, 1], [5, 5, 7, 7]) == 1.0
    assert adjusted_rand_index([0, 0, 1, 1], [0, 1, 0, 1]) == pytest.approx(-0.5)
    # By hand: contingency [[2, 1], [0, 2]]: pairs together in both 2, in rows 3 + 1, in columns
    # 1 + 3, of 10 pairs; expected 4 * 4 / 10 = 1.6, maximum (4 + 4) / 2 = 4.
    assert adjusted_rand_index([0, 0, 0, 1, 1], [0, 0, 1, 1, 1]) == pytest.approx(
        (2 - 1.6) / (4 - 1.6)
    )
    assert match_labels({1: 0, 2: 0, 3: 1}, {1: 7, 2: 7, 3: 8}) == {7: 0, 8: 1}


def _view(rows: list[tuple[int, int, int]], extra: tuple[int, ...] = ()) -> VoteStore:
    store = VoteStore()
    store.add_participants(np.asarray(extra, dtype=np.int64))
    if rows:
        p, s, v = zip(*rows, strict=True)
        store.add(VoteTable.from_arrays(p, s, v, timestamps=np.arange(len(rows), dtype=float)))
    return store


def test_in_conversation_threshold_greedy_top_up_and_keep() -> None:
    # 20 participants; participant i votes on i % 9 of 9 statements.
    rows = [(i, s, 1) for i in range(20) for s in range(i % 9)]
    view = _view(rows).view()
    counts = view.vote_counts()
    none = np.zeros(view.n_participants, dtype=bool)
    members = in_conversation(view, none, Parameters())
    assert members.sum() >= 15  # topped up to 15 with the most active
    assert set(np.flatnonzero(counts >= 7)) <= set(np.flatnonzero(members))
    assert not members[counts == 0].any()
    final_state_only = Parameters(greedy_participants=0, in_conv_history=False)
    strict = in_conversation(view, none, final_state_only)
    assert np.array_equal(strict, counts >= 7)
    keep = none.copy()
    keep[1] = True
    assert in_conversation(view, keep, final_state_only)[1]


def test_threshold_is_the_number_of_statements_when_there_are_fewer_than_seven() -> None:
    rows = [(p, s, 1) for p in range(20) for s in range(3)] + [(99, 0, 1)]
    view = _view(rows).view()
    members = in_conversation(view, np.zeros(view.n_participants, dtype=bool), Parameters())
    assert members.sum() == 20


def test_an_older_vote_does_not_replace_a_newer_one() -> None:
    store = VoteStore()
    store.add(VoteTable.from_arrays([1, 1], [5, 6], [1, 1], timestamps=[200.0, 200.0]))
    store.add(VoteTable.from_arrays([1, 1], [5, 6], [-1, -1], timestamps=[100.0, 300.0]))
    assert store.view().values.tolist() == [1, -1]


def test_votes_without_timestamps_replace_in_input_order() -> None:
    store = VoteStore()
    store.add(VoteTable.from_arrays([1, 1, 2], [5, 5, 5], [1, 0, -1]))
    store.add(VoteTable.from_arrays([2], [5], [1]))
    assert store.view().values.tolist() == [0, 1]


def test_string_ids_work_end_to_end() -> None:
    rng = np.random.default_rng(0)
    people = [f"person-{i}" for i in range(30)]
    rows = [(p, f"s{s}", int(rng.integers(-1, 2))) for p in people for s in range(8)]
    p, s, v = zip(*rows, strict=True)
    result = analyse(Conversation(votes=VoteTable.from_arrays(p, s, v)))
    assert set(result.group_of()) == set(people)
    assert all(isinstance(sid, str) for sid, _ in result.consensus_ranking())


def test_meta_statements_are_zeroed_and_get_the_meta_priority() -> None:
    rng = np.random.default_rng(1)
    rows = [(p, s, int(rng.integers(-1, 2))) for p in range(30) for s in range(8)]
    p, s, v = zip(*rows, strict=True)
    votes = VoteTable.from_arrays(p, s, v)
    result = analyse(Conversation(votes=votes, meta=frozenset({3})))
    column = int(np.searchsorted(result.statement_ids, 3))
    assert np.all(result.pca_components[:, column] == 0.0)
    assert result.priorities[column] == pytest.approx(stats.META_PRIORITY**2)
    assert 3 not in [sid for sid, _ in result.consensus_ranking()]
    assert all(r.statement_id != 3 for items in result.representative.values() for r in items)


@pytest.mark.parametrize("bound", [10**6, 2**62])
def test_stable_order_equals_a_stable_argsort(bound: int) -> None:
    from civic_algorithms.opinion.store import _stable_order

    keys = np.random.default_rng(5).integers(0, 50, size=2000).astype(np.int64)
    assert np.array_equal(_stable_order(keys, bound), np.argsort(keys, kind="stable"))


def test_kd_tree_and_direct_nearest_centre_agree(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(8)
    points, centers = rng.normal(size=(3000, 2)), rng.normal(size=(40, 2))
    direct = clusters.nearest_two(points, centers)
    monkeypatch.setattr(clusters, "_KD_TREE_ABOVE", 0)
    tree = clusters.nearest_two(points, centers)
    assert np.array_equal(direct[0], tree[0])
    assert np.allclose(direct[1], tree[1])
    assert np.all(direct[2] <= tree[2] + 1e-12)  # the direct path returns a lower bound
    brute = np.sqrt(((points[:, None, :] - centers[None, :, :]) ** 2).sum(axis=2))
    assert np.array_equal(direct[0], brute.argmin(axis=1))
