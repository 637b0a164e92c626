"""Quotas from population shares (floor/ceil of share × size) and residual quotas."""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from civic_algorithms.sortition import Quota
from coproduce.panels import actions
from coproduce.panels.quotas import quotas_from_shares, residual_quotas
from coproduce.panels.tests.factories import make_panel


@pytest.mark.parametrize(
    ("shares", "size", "expected"),
    [
        # Shares that fill whole seats give exact quotas.
        ({"a": "0.5", "b": "0.3", "c": "0.2"}, 10, {"a": (5, 5), "b": (3, 3), "c": (2, 2)}),
        # 3.5, 2.1 and 1.4 seats: the floor and the ceiling of each.
        ({"a": "0.5", "b": "0.3", "c": "0.2"}, 7, {"a": (3, 4), "b": (2, 3), "c": (1, 2)}),
        # Census percentages that do not add up to 100 are scaled first: 51/99 × 24 = 12.36…
        ({"f": "51", "m": "48"}, 24, {"f": (12, 13), "m": (11, 12)}),
        # A share of nothing gets no seat.
        ({"x": "0", "y": "1"}, 30, {"x": (0, 0), "y": (30, 30)}),
    ],
)
def test_quotas_from_shares_examples(
    shares: dict[str, str], size: int, expected: dict[str, tuple[int, int]]
) -> None:
    assert quotas_from_shares(shares, size) == expected


@given(
    st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=8).filter(any),
    st.integers(min_value=1, max_value=200),
)
def test_quotas_from_shares_bracket_the_exact_seats(weights: list[int], size: int) -> None:
    shares = {f"v{n}": Decimal(w) / 10_000 for n, w in enumerate(weights)}
    quotas = quotas_from_shares(shares, size)
    total = sum(weights)
    assert (
        sum(low for low, _ in quotas.values()) <= size <= sum(high for _, high in quotas.values())
    )
    for n, weight in enumerate(weights):
        low, high = quotas[f"v{n}"]
        exact = Fraction(weight, total) * size
        assert low == math.floor(exact)
        assert high == math.ceil(exact)


def test_negative_or_empty_shares_are_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        quotas_from_shares({"a": "-0.1", "b": "1"}, 10)
    with pytest.raises(ValueError, match="nothing"):
        quotas_from_shares({"a": "0"}, 10)


@pytest.mark.django_db
def test_population_shares_set_the_quotas_of_a_category() -> None:
    setup = make_panel(size=24)
    category = setup.panel.categories.get(name="Area")
    actions.quotas_from_population(
        category=category,
        by=setup.staff,
        shares={"North": Decimal("0.62"), "South": Decimal("0.38")},
    )
    quotas = {f.value: (f.minimum, f.maximum, f.population_share) for f in category.features.all()}
    # 0.62 × 24 = 14.88 and 0.38 × 24 = 9.12 seats.
    assert quotas == {"North": (14, 15, Decimal("0.62")), "South": (9, 10, Decimal("0.38"))}
    # Census percentages are stored as shares of 1.
    actions.quotas_from_population(
        category=category, by=setup.staff, shares={"North": 62, "South": 38}
    )
    category.refresh_from_db()
    assert [f.population_share for f in category.features.all()] == [
        Decimal("0.62"),
        Decimal("0.38"),
    ]
    with pytest.raises(ValidationError, match="no answer East"):
        actions.quotas_from_population(category=category, by=setup.staff, shares={"East": 1})


def test_residual_quotas_subtract_the_members_who_stay() -> None:
    quotas = (Quota("age", "young", 2, 3), Quota("age", "old", 1, 2), Quota("area", "n", 0, 4))
    kept = [
        {"age": "young", "area": "n"},
        {"age": "young", "area": "n"},
        {"age": "old", "area": "n"},
    ]
    assert residual_quotas(quotas, kept) == (
        Quota("age", "young", 0, 1),
        Quota("age", "old", 0, 1),
        Quota("area", "n", 0, 1),
    )
