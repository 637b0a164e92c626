"""Comparing two groupings of the same participants (adjusted Rand index, label matching)."""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt


def _pairs(counts: npt.NDArray[np.float64]) -> float:
    return float((counts * (counts - 1) / 2.0).sum())


def adjusted_rand_index(first: Sequence[Hashable], second: Sequence[Hashable]) -> float:
    """Adjusted Rand index of two labelings of the same items (1 = identical up to renaming)."""
    if len(first) != len(second):
        raise ValueError("both labelings must cover the same items")
    n = len(first)
    if n < 2:
        return 1.0
    _, a = np.unique(np.asarray(first, dtype=object).astype(str), return_inverse=True)
    _, b = np.unique(np.asarray(second, dtype=object).astype(str), return_inverse=True)
    table = np.zeros((a.max() + 1, b.max() + 1))
    np.add.at(table, (a, b), 1.0)
    index = _pairs(table)
    rows = _pairs(table.sum(axis=1))
    cols = _pairs(table.sum(axis=0))
    total = n * (n - 1) / 2.0
    expected = rows * cols / total
    maximum = (rows + cols) / 2.0
    if maximum == expected:
        return 1.0
    return (index - expected) / (maximum - expected)


def ari_on_common(
    ours: Mapping[Any, Hashable], theirs: Mapping[Any, Hashable]
) -> tuple[float, int]:
    """ARI over the participants both groupings cover, and how many those are."""
    common = [key for key in ours if key in theirs]
    return adjusted_rand_index([ours[k] for k in common], [theirs[k] for k in common]), len(common)


def match_labels(ours: Mapping[Any, int], theirs: Mapping[Any, int]) -> dict[int, int]:
    """Map each of their labels to our label sharing the most members with it (greedy, one-to-one)."""
    overlap: dict[tuple[int, int], int] = {}
    for key, label in theirs.items():
        if key in ours:
            pair = (label, ours[key])
            overlap[pair] = overlap.get(pair, 0) + 1
    mapping: dict[int, int] = {}
    used: set[int] = set()
    for (their_label, our_label), _ in sorted(overlap.items(), key=lambda kv: (-kv[1], kv[0])):
        if their_label not in mapping and our_label not in used:
            mapping[their_label] = our_label
            used.add(our_label)
    return mapping
