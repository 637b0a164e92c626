"""The weighted totals and ranking of a round's bids, from plain data (decision 0078).

Price: the lowest price ÷ the bid's price × the price weight (a bid at the lowest price gets
the whole price weight). Each quality and social-value criterion: its published weight (of the
100 points the criteria share) × the part of the award the criteria share (100 − price weight)
÷ 100 × the agreed score ÷ the top of the scale. A bid's total is out of 100. Arithmetic is
exact (fractions); totals are rounded to two places only for showing. Bids with equal exact
totals share a rank, and the tie is stated.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction


@dataclass(frozen=True)
class BidScores:
    """What one bid brings to the arithmetic: its price and its agreed score per criterion."""

    key: int
    price: Decimal
    scores: Mapping[int, int]


@dataclass(frozen=True)
class Line:
    """One bid's result: points for price, points per criterion, total, rank and ties."""

    key: int
    price_points: Fraction
    criterion_points: Mapping[int, Fraction]
    total: Fraction
    rank: int
    tied_with: tuple[int, ...]

    @property
    def total_shown(self) -> Decimal:
        return shown(self.total)


def shown(points: Fraction) -> Decimal:
    """Points rounded half-up to two decimal places, for tables and exports."""
    exact = Decimal(points.numerator) / Decimal(points.denominator)
    return exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def price_points(price: Decimal, lowest: Decimal, price_weight: int) -> Fraction:
    if price <= 0:
        return Fraction(price_weight)  # a bid at no cost is the lowest possible
    return Fraction(price_weight) * Fraction(lowest) / Fraction(price)


def totals(
    bids: Sequence[BidScores],
    *,
    price_weight: int,
    weights: Mapping[int, int],
    scale_max: int,
) -> list[Line]:
    """Every bid's points and rank, best first (ties in key order). ``weights`` are the
    criteria's published weights, which share 100 points; a criterion without an agreed score
    for a bid counts as 0 for it (the moderation page shows which are missing)."""
    if price_weight < 0 or price_weight > 100:
        raise ValueError("The price weight must be between 0 and 100.")
    if weights and sum(weights.values()) != 100:
        raise ValueError("The criteria's weights must add up to 100.")
    if scale_max < 1:
        raise ValueError("The scale must have a top above 0.")
    share = Fraction(100 - price_weight, 100)
    lowest = min((bid.price for bid in bids), default=Decimal(0))
    unranked = []
    for bid in bids:
        for_criteria = {
            criterion: Fraction(weight) * share * Fraction(bid.scores.get(criterion, 0), scale_max)
            for criterion, weight in weights.items()
        }
        for_price = price_points(bid.price, lowest, price_weight)
        unranked.append((bid.key, for_price, for_criteria, for_price + sum(for_criteria.values())))
    unranked.sort(key=lambda line: (-line[3], line[0]))
    lines = []
    for key, for_price, for_criteria, total in unranked:
        same = tuple(other[0] for other in unranked if other[3] == total and other[0] != key)
        rank = 1 + sum(1 for other in unranked if other[3] > total)
        lines.append(Line(key, for_price, for_criteria, total, rank, same))
    return lines
