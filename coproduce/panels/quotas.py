"""Quotas from population shares, and the residual quotas left for replacements (pure functions)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from decimal import Decimal
from fractions import Fraction

from django.utils.translation import gettext as _

from civic_algorithms.sortition import Quota


def quotas_from_shares(
    shares: Mapping[str, Decimal | float | str], size: int
) -> dict[str, tuple[int, int]]:
    """Each value's (min, max) seats on a panel of ``size`` from its share of the population.

    The shares are first scaled to add up to 1 (census tables rarely add up exactly); then
    ``min = floor(share × size)`` and ``max = ceil(share × size)`` (decision 0045). The minimums
    therefore never add up to more than the panel, nor the maximums to less.
    """
    exact = {value: Fraction(str(share)) for value, share in shares.items()}
    if any(share < 0 for share in exact.values()):
        raise ValueError(_("A share of the population cannot be negative."))
    total = sum(exact.values(), Fraction(0))
    if total <= 0:
        raise ValueError(_("The shares of the population add up to nothing."))
    seats = {value: share / total * size for value, share in exact.items()}
    return {value: (math.floor(x), math.ceil(x)) for value, x in seats.items()}


def residual_quotas(
    quotas: Iterable[Quota], kept: Iterable[Mapping[str, str]]
) -> tuple[Quota, ...]:
    """The quotas the replacements must meet so that the kept members plus them meet ``quotas``."""
    counts: dict[tuple[str, str], int] = {}
    for features in kept:
        for feature, value in features.items():
            counts[(feature, value)] = counts.get((feature, value), 0) + 1
    residual = []
    for quota in quotas:
        have = counts.get((quota.feature, quota.value), 0)
        residual.append(
            Quota(quota.feature, quota.value, max(quota.min - have, 0), max(quota.max - have, 0))
        )
    return tuple(residual)
