"""Residents' weightings of the award criteria → the published weights (decision 0074).

Each resident shares out 100 points across the round's quality and social-value criteria. The
published weight of a criterion is the **median** of the points residents gave it, then the
medians are scaled to add up to 100 and rounded to whole points by largest remainders (ties go to
the criterion listed first). The median, unlike the mean, cannot be moved far by a few people
putting all their points on one criterion; scaling keeps the total at 100.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from fractions import Fraction

POINTS = 100
METHOD = "median of residents' points per criterion, scaled to 100, largest remainders"


def combine(criteria: Sequence[int], weightings: Sequence[Mapping[int, int]]) -> dict[int, int]:
    """Published weights (criterion key → whole points adding up to 100) from weightings (each a
    mapping of criterion key → points; a criterion missing from one counts as 0 points).

    With no weightings, or when every median is 0, the points are shared equally.
    """
    if not criteria:
        return {}
    if weightings:
        medians = [
            Fraction(statistics.median([w.get(key, 0) for w in weightings])).limit_denominator(2)
            for key in criteria
        ]
    else:
        medians = [Fraction(0)] * len(criteria)
    total = sum(medians)
    if total == 0:
        medians, total = [Fraction(1)] * len(criteria), Fraction(len(criteria))
    exact = [median * POINTS / total for median in medians]
    whole = [int(share) for share in exact]  # floor: every share is >= 0
    left = POINTS - sum(whole)
    by_remainder = sorted(range(len(criteria)), key=lambda i: (-(exact[i] - whole[i]), i))
    for i in by_remainder[:left]:
        whole[i] += 1
    return dict(zip(criteria, whole, strict=True))


def award_weights(price_weight: int, weights: Mapping[int, int]) -> dict[int, Fraction]:
    """Each criterion's share of the whole award in per cent: its weight × (100 − price) / 100."""
    share = Fraction(POINTS - price_weight, POINTS)
    return {key: weight * share for key, weight in weights.items()}
