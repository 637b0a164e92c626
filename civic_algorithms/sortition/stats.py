"""Fairness statistics of a vector of selection probabilities (as in Flanigan et al. 2021)."""

from __future__ import annotations

import math

import numpy as np

from civic_algorithms.sortition.groups import FloatArray


def minimum(probabilities: FloatArray) -> float:
    """The smallest selection probability."""
    return float(probabilities.min())


def gini(probabilities: FloatArray) -> float:
    """Gini coefficient: mean absolute difference between two people / (2 x mean); 0 is equal."""
    values = np.sort(probabilities)
    count = values.size
    total = float(values.sum())
    if count == 0 or total <= 0:
        return 0.0
    ranks = np.arange(1, count + 1)
    return float(2.0 * (ranks @ values) / (count * total) - (count + 1) / count)


def geometric_mean(probabilities: FloatArray) -> float:
    """Geometric mean of the probabilities (0 if anyone has probability 0)."""
    if (probabilities <= 0).any():
        return 0.0
    return math.exp(float(np.log(probabilities).mean()))


def below(probabilities: FloatArray, threshold: float, tolerance: float = 1e-9) -> int:
    """How many people have a probability below ``threshold`` (by more than ``tolerance``)."""
    return int(np.count_nonzero(probabilities < threshold - tolerance))
