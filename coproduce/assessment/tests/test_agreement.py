"""The agreement arithmetic (agreement.py): Krippendorff's published examples come out, and alpha
and the percentage agreement behave as their definitions say. Pure: no database."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from coproduce.assessment.agreement import (
    LEVELS,
    Agreement,
    Level,
    _band,
    agreement,
    krippendorff_alpha,
    percent_agreement,
)

Units = list[list[int | None]]
NA = None  # a missing value, short so that the tables below line up

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: four observers,
# twelve units, values 1 to 5, missing data. Published: nominal 0.743, ordinal 0.815, interval
# 0.849 (section D's "other metrics" on the same data).
PAPER: dict[str, list[int | None]] = {
    "A": [1, 2, 3, 3, 2, 1, 4, 1, 2, NA, NA, NA],
    "B": [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, NA, 3],
    "C": [NA, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, NA],
    "D": [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, NA],
}
# The same paper, section A: binary data, two observers, no missing data. Published: 0.095.
BINARY: dict[str, list[int | None]] = {
    "A": [0, 1, 0, 0, 0, 0, 0, 0, 1, 0],
    "B": [1, 1, 1, 0, 0, 1, 0, 0, 0, 0],
}
# Wikipedia, "Krippendorff's alpha", section "A computational example": three coders, fifteen
# units, nominal. Published: 0.691.
WIKIPEDIA: dict[str, list[int | None]] = {
    "A": [NA, NA, NA, NA, NA, 3, 4, 1, 2, 1, 1, 3, 3, NA, 3],
    "B": [1, NA, 2, 1, 3, 3, 4, 3, NA, NA, NA, NA, NA, NA, NA],
    "C": [NA, NA, 2, 1, 3, 4, 4, NA, 2, 1, 1, 3, 3, NA, 4],
}


def _units(by_coder: dict[str, list[int | None]]) -> Units:
    """A table written one row per coder, turned into one list per unit."""
    return [list(unit) for unit in zip(*by_coder.values(), strict=True)]


# --- Known examples -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("level", "published"), [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849)]
)
def test_the_papers_example_with_four_observers_and_missing_data(
    level: Level, published: float
) -> None:
    alpha = krippendorff_alpha(_units(PAPER), level=level)
    assert alpha is not None
    assert round(alpha, 3) == published


def test_the_papers_example_exactly() -> None:
    # Nominal, by hand: unit 12 has one value and is left out, leaving 40 values: n1 = 9, n2 = 13,
    # n3 = 10, n4 = 5, n5 = 3. Disagreeing coincidences: 6/3 in unit 2, 12/3 in unit 6 and 6/3 in
    # unit 8, 8 in all. alpha = 1 - 39 * 8 / (40 * 40 - (81 + 169 + 100 + 25 + 9)) = 113/152.
    assert krippendorff_alpha(_units(PAPER), level="nominal") == pytest.approx(113 / 152)
    result = agreement(_units(PAPER))
    assert (result.units, result.values) == (11, 40)
    assert result.reading == "strong"  # ordinal 0.815
    assert agreement(_units(PAPER), level="nominal").reading == "fair"  # 0.743
    # Ordered pairs within units: 6 in each three-value unit, 12 in each four-value one, 2 in
    # unit 11: 110. Equal ones: all of them in units 1, 3, 4, 5, 7, 9, 10 and 11 (6 + 5 * 12 + 6
    # + 2), 6 in units 2 and 8, none in unit 6: 86.
    assert result.percent == pytest.approx(86 / 110)


def test_the_papers_binary_example_with_two_observers() -> None:
    # o(0,0) = 10, o(1,1) = 2, o(0,1) = o(1,0) = 4; n0 = 14, n1 = 6, n = 20:
    # alpha = 1 - 19 * 4 / (14 * 6) = 2/21.
    units = _units(BINARY)
    alpha = krippendorff_alpha(units, level="nominal")
    assert alpha == pytest.approx(2 / 21)
    assert alpha is not None
    assert round(alpha, 3) == 0.095
    # With two values 0 and 1, all three levels measure the same distance.
    assert krippendorff_alpha(units, level="ordinal") == pytest.approx(2 / 21)
    assert krippendorff_alpha(units, level="interval") == pytest.approx(2 / 21)
    assert percent_agreement(units) == pytest.approx(6 / 10)
    assert agreement(units, level="nominal").reading == "weak"


def test_the_wikipedia_example_with_three_coders() -> None:
    alpha = krippendorff_alpha(_units(WIKIPEDIA), level="nominal")
    assert alpha is not None
    assert round(alpha, 3) == 0.691


def test_systematic_disagreement_makes_alpha_negative() -> None:
    # Two assessors who always swap: o(1,2) = o(2,1) = 2, n1 = n2 = 2, n = 4:
    # alpha = 1 - 3 * 4 / (2 * 2 * 2) = -1/2 at every level.
    units: Units = [[1, 2], [2, 1]]
    for level in LEVELS:
        assert krippendorff_alpha(units, level=level) == -0.5
    assert percent_agreement(units) == 0.0
    assert agreement(units).reading == "weak"


def test_the_ordinal_distance_counts_the_values_between() -> None:
    # Ordinal alpha weighs how many ratings lie between two values, not how far apart they are:
    # with no 3 or 4 given, 5 is as close to 2 as a 3 would be. Interval alpha sees the gap.
    units: Units = [[1, 2], [2, 5], [1, 1], [5, 5]]
    ordinal = krippendorff_alpha(units, level="ordinal")
    relabelled = krippendorff_alpha([[1, 2], [2, 3], [1, 1], [3, 3]], level="ordinal")
    assert ordinal == relabelled
    assert krippendorff_alpha(units, level="interval") != krippendorff_alpha(
        [[1, 2], [2, 3], [1, 1], [3, 3]], level="interval"
    )


def test_percentage_agreement_pools_the_pairs_of_all_units() -> None:
    assert percent_agreement([[1, 1, 2]]) == pytest.approx(1 / 3)  # 2 of 6 ordered pairs
    assert percent_agreement([[1, 1], [1, 2]]) == 0.5
    # 6 of 6 pairs and 0 of 2: 6 of 8, not the mean of the units' shares (1/2).
    assert percent_agreement([[1, 1, 1], [1, 2]]) == 0.75


def test_the_bands_start_at_krippendorffs_thresholds() -> None:
    assert _band(None) == "unknown"
    assert _band(Fraction(1)) == "strong"
    assert _band(Fraction(4, 5)) == "strong"
    assert _band(Fraction(4, 5) - Fraction(1, 10**9)) == "fair"
    assert _band(Fraction(667, 1000)) == "fair"
    assert _band(Fraction(667, 1000) - Fraction(1, 10**9)) == "weak"
    assert _band(Fraction(-1)) == "weak"


def test_an_unknown_level_is_refused() -> None:
    with pytest.raises(ValueError, match="nominal, ordinal, interval"):
        krippendorff_alpha([[1, 2]], level="ratio")  # type: ignore[arg-type]


# --- Undefined ----------------------------------------------------------------------------------


def test_nothing_to_compare_is_undefined() -> None:
    nothing = Agreement(alpha=None, percent=None, units=0, values=0, reading="unknown")
    assert agreement([]) == nothing
    assert agreement([[None, None], [None, None, None]]) == nothing
    assert agreement([[1], [2, None], [None, 5]]) == nothing  # every unit has one value at most


def test_one_shared_rating_and_no_other_is_undefined() -> None:
    # Perfect agreement, but with no variation it cannot be told from chance.
    result = agreement([[3, 3], [3, 3, 3], [4]])
    assert result.alpha is None
    assert result.reading == "unknown"
    assert result.percent == 1.0
    assert (result.units, result.values) == (2, 5)


# --- Properties ---------------------------------------------------------------------------------

ratings = st.one_of(st.none(), st.integers(min_value=1, max_value=5))
levels = st.sampled_from(LEVELS)


@st.composite
def tables(draw: st.DrawFn, min_coders: int = 1, max_coders: int = 5) -> Units:
    """Units all rated by the same number of coders, some values missing."""
    coders = draw(st.integers(min_value=min_coders, max_value=max_coders))
    unit = st.lists(ratings, min_size=coders, max_size=coders)
    return draw(st.lists(unit, max_size=12))


def _pairable_values(units: Units) -> list[int]:
    kept = [[value for value in unit if value is not None] for unit in units]
    return [value for values in kept if len(values) >= 2 for value in values]


@st.composite
def unanimous(draw: st.DrawFn) -> Units:
    """Units on which every coder who rated agrees, with at least two different ratings."""
    values = draw(st.lists(st.integers(min_value=1, max_value=5), min_size=2, max_size=10))
    assume(len(set(values)) >= 2)
    units: Units = []
    for value in values:
        rated = draw(st.integers(min_value=2, max_value=5))
        missing = draw(st.integers(min_value=0, max_value=2))
        units.append([value] * rated + [None] * missing)
    return units


@given(unanimous(), levels)
def test_perfect_agreement_with_some_variation_is_one(units: Units, level: Level) -> None:
    result = agreement(units, level=level)
    assert result.alpha == 1.0
    assert result.percent == 1.0
    assert result.reading == "strong"


@given(tables(), levels)
def test_alpha_is_at_most_one_and_undefined_only_without_variation(
    units: Units, level: Level
) -> None:
    alpha = krippendorff_alpha(units, level=level)
    values = _pairable_values(units)
    assert (alpha is None) == (len(set(values)) < 2)
    if alpha is not None:
        assert alpha <= 1.0
    share = percent_agreement(units)
    assert (share is None) == (not values)
    if share is not None:
        assert 0.0 <= share <= 1.0


@given(tables(), levels, st.data())
def test_the_order_of_units_and_of_coders_changes_nothing(
    units: Units, level: Level, data: st.DataObject
) -> None:
    result = agreement(units, level=level)
    shuffled = data.draw(st.permutations(units))
    assert agreement(shuffled, level=level) == result
    if units:
        order = data.draw(st.permutations(range(len(units[0]))))
        swapped = [[unit[coder] for coder in order] for unit in units]
        assert agreement(swapped, level=level) == result


@given(tables(), levels, st.integers(min_value=1, max_value=5), st.integers(0, 4))
def test_a_unit_with_a_single_value_changes_nothing(
    units: Units, level: Level, value: int, missing: int
) -> None:
    lonely = [*units, [*([None] * missing), value]]
    assert agreement(lonely, level=level) == agreement(units, level=level)


@given(tables(max_coders=1), levels)
def test_a_single_coder_is_undefined(units: Units, level: Level) -> None:
    result = agreement(units, level=level)
    assert (result.alpha, result.percent, result.units, result.reading) == (
        None,
        None,
        0,
        "unknown",
    )


@given(
    tables(min_coders=2), st.lists(st.integers(-1000, 1000), min_size=5, max_size=5, unique=True)
)
def test_nominal_alpha_does_not_depend_on_the_labels(units: Units, labels: list[int]) -> None:
    relabelled: Units = [[None if v is None else labels[v - 1] for v in unit] for unit in units]
    assert krippendorff_alpha(relabelled, level="nominal") == krippendorff_alpha(
        units, level="nominal"
    )
    assert percent_agreement(relabelled) == percent_agreement(units)


@given(tables(min_coders=2), st.lists(st.integers(1, 100), min_size=5, max_size=5))
def test_ordinal_alpha_depends_only_on_the_order(units: Units, steps: list[int]) -> None:
    # Any increasing relabelling: each rating becomes the running sum of positive steps.
    labels = [sum(steps[: i + 1]) for i in range(5)]
    relabelled: Units = [[None if v is None else labels[v - 1] for v in unit] for unit in units]
    assert krippendorff_alpha(relabelled) == krippendorff_alpha(units)


@given(tables(min_coders=2), st.integers(-1000, 1000))
def test_interval_alpha_does_not_depend_on_where_the_scale_starts(units: Units, shift: int) -> None:
    shifted: Units = [[None if v is None else v + shift for v in unit] for unit in units]
    assert krippendorff_alpha(shifted, level="interval") == krippendorff_alpha(
        units, level="interval"
    )
