"""How far the assessors of a peer review agree, worked out from plain data (decision 0083).

Data in: one sequence per unit (a standard), holding one value per coder (an assessor): a rating,
or None where that assessor gave none ("does not apply" is missing data, not a rating). Data out:
Krippendorff's alpha, the percentage agreement beside it, and a band for the page to put in words.

**Alpha** compares the disagreement the assessors show with the disagreement to expect if the same
ratings had been dealt out at random: alpha = 1 - observed / expected. 1 is perfect agreement, 0 is
no better than chance, and below 0 the assessors disagree more than chance would (systematically).
It is worked out as in Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability":

1. Only a unit with at least two values can show agreement ("pairable"); the others are left out.
2. Coincidences: in a unit with m values, each ordered pair of values from two different coders
   adds 1/(m - 1) to o[c][k], where c and k are the two values. So every pairable value counts
   once in all: n_c, the sum of o[c][k] over k, is how many pairable values are c; n is all of them.
3. How far apart two values are, squared, by the level of measurement: nominal, 0 when equal and
   1 otherwise; interval, (c - k)^2; ordinal, the number of values between c and k with the two
   ends counted half, (n_c + ... + n_k - (n_c + n_k) / 2)^2, so that only the order of the ratings
   matters, not their size.
4. Observed disagreement D_o = sum of o[c][k] d(c, k) / n; expected D_e = sum of n_c n_k d(c, k) /
   (n (n - 1)); alpha = 1 - D_o / D_e = 1 - (n - 1) sum(o d) / sum(n_c n_k d).

Alpha is undefined, and None here, when there are fewer than two pairable values, or when every
pairable value is the same (D_e = 0: with no variation, agreement cannot be told from chance). A
perfect score over one shared rating would claim more than the data show, so we say nothing.

**Percentage agreement** is the share of ordered pairs of values, from two different coders within
a pairable unit, that are equal, over all such pairs in all units (the pairwise definition). It
ignores chance, which is why alpha is the headline; residents understand it, so it is shown too.

The arithmetic is exact (fractions); floats only in the answer. No Django here.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

Level = Literal["nominal", "ordinal", "interval"]
Band = Literal["strong", "fair", "weak", "unknown"]
LEVELS: tuple[Level, ...] = ("nominal", "ordinal", "interval")
# Krippendorff's thresholds: reliable at 0.8; tentative conclusions only from 0.667.
STRONG = Fraction(4, 5)
FAIR = Fraction(667, 1000)


def _pairable(units: Sequence[Sequence[int | None]]) -> list[list[int]]:
    """Each unit's values without the missing ones, keeping only units with two or more."""
    kept = [[value for value in unit if value is not None] for unit in units]
    return [values for values in kept if len(values) >= 2]


def _distances(totals: Counter[int], level: Level) -> dict[tuple[int, int], Fraction]:
    """The squared difference between every two values that occur, for ``level``."""
    values = sorted(totals)
    before: dict[int, int] = {}  # how many pairable values are lower than each value
    running = 0
    for value in values:
        before[value] = running
        running += totals[value]
    distances: dict[tuple[int, int], Fraction] = {}
    for c in values:
        for k in values:
            low, high = min(c, k), max(c, k)
            if level == "nominal":
                distance = Fraction(int(c != k))
            elif level == "interval":
                distance = Fraction((c - k) ** 2)
            else:  # ordinal: n_low + ... + n_high, less half of each end
                between = before[high] + totals[high] - before[low]
                distance = (between - Fraction(totals[c] + totals[k], 2)) ** 2
            distances[c, k] = distance
    return distances


def _alpha(pairable: list[list[int]], level: Level) -> Fraction | None:
    """Alpha, exactly, for units already reduced to their pairable values; None if undefined."""
    if level not in LEVELS:
        raise ValueError(f"The level must be one of {', '.join(LEVELS)}: {level!r}.")
    coincidences: defaultdict[tuple[int, int], Fraction] = defaultdict(Fraction)
    totals: Counter[int] = Counter()
    for values in pairable:
        weight = Fraction(1, len(values) - 1)
        counts = Counter(values)
        totals.update(counts)
        for c, n_c in counts.items():
            for k, n_k in counts.items():
                pairs = n_c * (n_c - 1) if c == k else n_c * n_k
                coincidences[c, k] += pairs * weight
    n = sum(totals.values())
    if n < 2:
        return None
    distances = _distances(totals, level)
    observed = sum((o * distances[pair] for pair, o in coincidences.items()), Fraction(0))
    expected = sum(
        (totals[c] * totals[k] * distances[c, k] for c in totals for k in totals), Fraction(0)
    )
    if expected == 0:
        return None
    return 1 - (n - 1) * observed / expected


def krippendorff_alpha(
    units: Sequence[Sequence[int | None]], *, level: Level = "ordinal"
) -> float | None:
    """Krippendorff's alpha for ``units`` (one value per coder, None missing); None if undefined."""
    alpha = _alpha(_pairable(units), level)
    return None if alpha is None else float(alpha)


def _percent(pairable: list[list[int]]) -> Fraction | None:
    """The share of equal ordered pairs of values within units; None without a pairable unit."""
    if not pairable:
        return None
    agreeing = sum(n * (n - 1) for values in pairable for n in Counter(values).values())
    pairs = sum(len(values) * (len(values) - 1) for values in pairable)
    return Fraction(agreeing, pairs)


def percent_agreement(units: Sequence[Sequence[int | None]]) -> float | None:
    """The share (0 to 1) of pairs of values within a unit that agree; None if nothing pairs."""
    share = _percent(_pairable(units))
    return None if share is None else float(share)


@dataclass(frozen=True)
class Agreement:
    """How far the assessors agree, with what it was worked out from and a band to put in words."""

    alpha: float | None
    percent: float | None  # 0 to 1
    units: int  # units with at least two values
    values: int  # values in those units
    reading: Band


def _band(alpha: Fraction | None) -> Band:
    """Strong from 0.8, fair from 0.667, weak below; unknown when alpha is undefined."""
    if alpha is None:
        return "unknown"
    if alpha >= STRONG:
        return "strong"
    return "fair" if alpha >= FAIR else "weak"


def agreement(units: Sequence[Sequence[int | None]], *, level: Level = "ordinal") -> Agreement:
    """Alpha at ``level``, the percentage agreement and the band, for one set of units."""
    pairable = _pairable(units)
    alpha = _alpha(pairable, level)
    share = _percent(pairable)
    return Agreement(
        alpha=None if alpha is None else float(alpha),
        percent=None if share is None else float(share),
        units=len(pairable),
        values=sum(len(values) for values in pairable),
        reading=_band(alpha),
    )
