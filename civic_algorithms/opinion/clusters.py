"""Polis clustering: k-means base clusters of participants, then weighted k-means of the base clusters
into 2..5 opinion groups, the number chosen by silhouette.

The k-means is Polis' own: the first k distinct points (in participant arrival order) start the
centres, Lloyd steps drop empty clusters, and iteration stops when no centre moves by more than a
threshold or after a fixed number of steps. No randomness is involved.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from civic_algorithms.opinion.model import FloatArray, IntArray

_CHUNK = 8192
_KD_TREE_ABOVE = 2_000_000


@dataclass(frozen=True)
class Clustering:
    """Cluster label per point (0..k-1, in order of the initial centres) and the cluster centres."""

    labels: IntArray
    centers: FloatArray


def first_distinct(points: FloatArray, k: int) -> IntArray:
    """Indices of the first k distinct rows of ``points``, in order."""
    if len(points) == 0:
        return np.zeros(0, dtype=np.int64)
    _, first = np.unique(points, axis=0, return_index=True)
    chosen: IntArray = np.sort(first)[:k].astype(np.int64)
    return chosen


def nearest_two(points: FloatArray, centers: FloatArray) -> tuple[IntArray, FloatArray, FloatArray]:
    """Closest centre of every point (lowest index on a tie), its distance, and a lower bound on
    the distance to any other centre."""
    n = len(points)
    labels = np.empty(n, dtype=np.int64)
    second = np.full(n, np.inf)
    if len(centers) == 1:
        labels[:] = 0
        return labels, np.sqrt(((points - centers[0]) ** 2).sum(axis=1)), second
    if n * len(centers) > _KD_TREE_ABOVE:
        # Big problems: a k-d tree over the centres. Imported here because scipy.spatial takes
        # longer to import than small conversations take to analyse.
        from scipy.spatial import cKDTree

        distances, indices = cKDTree(centers).query(points, k=2)
        return indices[:, 0].astype(np.int64), distances[:, 0], distances[:, 1]
    center_sq = (centers**2).sum(axis=1)
    for start in range(0, n, _CHUNK):
        block = points[start : start + _CHUNK]
        rows = np.arange(len(block))
        # |x - c|^2 - |x|^2 = |c|^2 - 2 x.c: enough to rank the centres for each point.
        partial = center_sq[None, :] - 2.0 * (block @ centers.T)
        best = np.argmin(partial, axis=1)
        labels[start : start + _CHUNK] = best
        partial[rows, best] = np.inf
        runner_up = partial.min(axis=1) + (block**2).sum(axis=1)
        # The expansion loses a little precision: shade the bound so that it stays a lower bound.
        second[start : start + _CHUNK] = np.sqrt(np.maximum(runner_up, 0.0)) * (1 - 1e-9) - 1e-9
    first = np.sqrt(((points - centers[labels]) ** 2).sum(axis=1))
    return labels, first, second


def kmeans(
    points: FloatArray,
    k: int,
    *,
    weights: FloatArray | None = None,
    max_iterations: int = 100,
    threshold: float = 0.01,
) -> Clustering:
    """Polis k-means: first-k-distinct start, Lloyd steps, empty clusters dropped.

    The assignment step skips points that provably keep their centre (Hamerly's bounds: the
    distance to the own centre only grows, and to any other only shrinks, by how far the centres
    moved), which gives Lloyd's result with a fraction of the distance computations. A point
    exactly as close to another centre as to its own keeps its own.
    """
    n = len(points)
    if n == 0:
        return Clustering(labels=np.zeros(0, dtype=np.int64), centers=np.zeros((0, 2)))
    w = np.ones(n) if weights is None else weights
    weighted = [w * points[:, 0], w * points[:, 1]]
    centers = points[first_distinct(points, k)].copy()
    labels, upper, lower = nearest_two(points, centers)
    for step in range(max_iterations + 1):
        mass = np.bincount(labels, weights=w, minlength=len(centers))
        sums = np.column_stack(
            [np.bincount(labels, weights=c, minlength=len(centers)) for c in weighted]
        )
        keep = mass > 0
        new_centers = sums[keep] / mass[keep, None]
        if not keep.all():
            labels = (np.cumsum(keep) - 1)[labels]
            centers = new_centers
            if step < max_iterations:
                labels, upper, lower = nearest_two(points, centers)
            continue
        shift = np.sqrt(((new_centers - centers) ** 2).sum(axis=1))
        centers = new_centers
        if float(shift.max()) < threshold or step == max_iterations:
            break
        upper += shift[labels]
        lower -= float(shift.max())
        suspect = np.flatnonzero(upper > lower)
        if suspect.size:
            upper[suspect] = np.sqrt(
                ((points[suspect] - centers[labels[suspect]]) ** 2).sum(axis=1)
            )
            still = suspect[upper[suspect] > lower[suspect]]
            if still.size:
                labels[still], upper[still], lower[still] = nearest_two(points[still], centers)
    return Clustering(labels=labels, centers=centers)


def silhouette(points: FloatArray, labels: IntArray) -> float:
    """Mean silhouette over points (Polis: base-cluster centres, unweighted; singletons score 0)."""
    n = len(points)
    present = np.unique(labels)
    if n < 2 or len(present) < 2:
        return 0.0
    dist = np.sqrt(((points[:, None, :] - points[None, :, :]) ** 2).sum(axis=2))
    onehot = (labels[:, None] == present[None, :]).astype(np.float64)
    sizes = onehot.sum(axis=0)
    sum_to = dist @ onehot
    own = np.searchsorted(present, labels)
    own_size = sizes[own]
    a = np.divide(sum_to[np.arange(n), own], own_size - 1, out=np.zeros(n), where=own_size > 1)
    mean_to = sum_to / sizes[None, :]
    mean_to[np.arange(n), own] = np.inf
    b = mean_to.min(axis=1)
    denominator = np.maximum(a, b)
    scores = np.divide(b - a, denominator, out=np.zeros(n), where=denominator > 0)
    scores[own_size <= 1] = 0.0
    return float(scores.mean())


def silhouettes(points: FloatArray, labelings: dict[int, IntArray]) -> dict[int, float]:
    """Mean silhouette of several labelings of the same points (the distances computed once per
    block of rows, so memory stays O(block x points)); singletons score 0, as in Polis."""
    n = len(points)
    totals = dict.fromkeys(labelings, 0.0)
    if n < 2:
        return totals
    prepared = {}
    for k, labels in labelings.items():
        present, own = np.unique(labels, return_inverse=True)
        onehot = np.zeros((n, len(present)))
        onehot[np.arange(n), own] = 1.0
        prepared[k] = (own, onehot, onehot.sum(axis=0))
    for start in range(0, n, 1024):
        block = points[start : start + 1024]
        rows = np.arange(len(block))
        # In place, coordinate by coordinate: several times faster than broadcasting (x - y)**2.
        dist = np.subtract.outer(block[:, 0], points[:, 0])
        dist *= dist
        other = np.subtract.outer(block[:, 1], points[:, 1])
        other *= other
        dist += other
        np.sqrt(dist, out=dist)
        for k, (own_all, onehot, sizes) in prepared.items():
            if len(sizes) < 2:
                continue
            own = own_all[start : start + len(block)]
            sum_to = dist @ onehot
            own_size = sizes[own]
            a = np.divide(
                sum_to[rows, own], own_size - 1, out=np.zeros(len(block)), where=own_size > 1
            )
            mean_to = sum_to / sizes[None, :]
            mean_to[rows, own] = np.inf
            b = mean_to.min(axis=1)
            denominator = np.maximum(a, b)
            scores = np.divide(b - a, denominator, out=np.zeros(len(block)), where=denominator > 0)
            scores[own_size <= 1] = 0.0
            totals[k] += float(scores.sum())
    return {k: total / n for k, total in totals.items()}


def fewest_groups_within(scores: dict[int, float], margin: float) -> int:
    """The smallest k whose silhouette is within ``margin`` of the best one (rounded to 1e-10 so
    that floating-point noise cannot decide). 1 when there is nothing to choose from.

    Polis adopts a new number of groups only after it has been the best four updates in a row,
    starting from 2 (a young conversation allows no more), so a near-tie between a small and a
    larger k stays with the small one; a one-shot analysis of an export has no history and needs
    the margin to do the same (decision 0203)."""
    if not scores:
        return 1
    best = max(round(v, 10) for v in scores.values())
    return min(k for k, v in scores.items() if round(v, 10) >= round(best - margin, 10))


def max_groups_for(n_base: int, max_groups: int) -> int:
    """Polis caps the number of groups at 2 + (number of base clusters) / 12."""
    return min(max_groups, 2 + n_base // 12)


@dataclass(frozen=True)
class GroupClusterings:
    """Weighted k-means of the base clusters for every candidate k, with silhouettes."""

    by_k: dict[int, Clustering]
    silhouettes: dict[int, float]

    def best_k(self) -> int:
        """The k with the highest silhouette (rounded, so that noise cannot decide; smaller k on
        a tie). 1 when there are fewer than two base clusters."""
        if not self.silhouettes:
            return 1
        return max(sorted(self.silhouettes), key=lambda k: round(self.silhouettes[k], 10))


def group_clusterings(
    base_centers: FloatArray,
    base_sizes: FloatArray,
    *,
    max_groups: int,
    max_iterations: int,
    threshold: float,
) -> GroupClusterings:
    """Cluster base clusters (weighted by size) for k = 2 .. min(max, 2 + n_base / 12)."""
    n_base = len(base_centers)
    if n_base < 2:
        single = Clustering(labels=np.zeros(n_base, dtype=np.int64), centers=base_centers.copy())
        return GroupClusterings(by_k={1: single}, silhouettes={})
    by_k: dict[int, Clustering] = {}
    scores: dict[int, float] = {}
    for k in range(2, max_groups_for(n_base, max_groups) + 1):
        clustering = kmeans(
            base_centers, k, weights=base_sizes, max_iterations=max_iterations, threshold=threshold
        )
        by_k[k] = clustering
        scores[k] = silhouette(base_centers, clustering.labels)
    return GroupClusterings(by_k=by_k, silhouettes=scores)


@dataclass(frozen=True)
class KSmoother:
    """Polis' damping of the number of groups between updates: a new best k is adopted only after
    it has been the best ``buffer`` times in a row."""

    last_k: int | None = None
    last_k_count: int = 0
    smoothed_k: int | None = None

    def update(self, this_k: int, buffer: int) -> KSmoother:
        """The smoother after one more analysis whose best k was ``this_k``."""
        count = self.last_k_count + 1 if self.last_k == this_k else 1
        smoothed = this_k if count >= buffer or self.smoothed_k is None else self.smoothed_k
        return KSmoother(last_k=this_k, last_k_count=count, smoothed_k=smoothed)


def points_order(first_seen: FloatArray, n: int) -> IntArray:
    """Arrival order: by first-vote time (unknown times last), then by id position."""
    unknown = np.isnan(first_seen)
    times = np.where(unknown, 0.0, first_seen)
    order: IntArray = np.lexsort((np.arange(n), times, unknown)).astype(np.int64)
    return order
