"""The results arithmetic (results.py): counts that add up, small numbers never shown, the change
shown only when both cycles can be reported, and the bar chart's layout. Pure: no database."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coproduce.assessment.results import (
    Change,
    ChangeKind,
    Summary,
    bar_chart,
    change_since,
    compare,
    percent,
    summarise,
)

answers = st.lists(st.one_of(st.none(), st.integers(min_value=1, max_value=5)), max_size=60)
thresholds = st.integers(min_value=1, max_value=12)
LABELS = {5: "Always", 4: "Mostly", 3: "Sometimes", 2: "Rarely", 1: "Never"}


def _numbers(summary: Summary) -> list[int | None]:
    """Every number a summary could show, except the count of answers."""
    return [
        summary.rated,
        summary.does_not_apply,
        summary.positive,
        summary.positive_share,
        *(cell.count for cell in summary.cells),
        *(cell.share for cell in summary.cells),
    ]


# --- Suppression --------------------------------------------------------------------------------


@given(answers, thresholds)
def test_a_summary_with_too_few_ratings_shows_no_number(
    ratings: list[int | None], least: int
) -> None:
    summary = summarise(ratings, min_responses=least)
    rated = sum(rating is not None for rating in ratings)
    assert summary.reportable == (rated >= least)
    if not summary.reportable:
        assert summary.too_few
        assert summary.cells == ()
        assert all(number is None for number in _numbers(summary))
        assert bar_chart(summary, LABELS) is None


@given(answers, thresholds)
def test_counts_add_up(ratings: list[int | None], least: int) -> None:
    summary = summarise(ratings, min_responses=least)
    assert summary.responses == len(ratings)
    if summary.reportable:
        assert summary.rated is not None
        assert summary.does_not_apply is not None
        assert summary.rated + summary.does_not_apply == summary.responses
        assert sum(cell.count for cell in summary.cells) == summary.rated
        assert [cell.rating for cell in summary.cells] == [5, 4, 3, 2, 1]
        for cell in summary.cells:
            assert cell.count == ratings.count(cell.rating)
            assert 0 <= cell.share <= 100
        assert summary.positive == ratings.count(5) + ratings.count(4)
        # Whole percentages, each rounded: together within rounding of 100.
        assert abs(sum(cell.share for cell in summary.cells) - 100) <= 3


@given(answers, thresholds)
def test_does_not_apply_never_counts_as_a_rating(ratings: list[int | None], least: int) -> None:
    with_more = summarise([*ratings, None, None], min_responses=least)
    summary = summarise(ratings, min_responses=least)
    assert with_more.reportable == summary.reportable
    if summary.reportable:
        assert with_more.cells == summary.cells
        assert with_more.positive_share == summary.positive_share
        assert with_more.does_not_apply == (summary.does_not_apply or 0) + 2


def test_five_ratings_are_reported_and_four_are_not() -> None:
    assert not summarise([5, 5, 4, 1, None, None, None], min_responses=5).reportable
    summary = summarise([5, 5, 4, 1, 3, None], min_responses=5)
    assert summary.reportable
    assert summary.rated == 5
    assert summary.does_not_apply == 1
    assert [(c.rating, c.count, c.share) for c in summary.cells] == [
        (5, 2, 40),
        (4, 1, 20),
        (3, 1, 20),
        (2, 0, 0),
        (1, 1, 20),
    ]
    assert (summary.positive, summary.positive_share) == (3, 60)


def test_nobody_at_all_is_too_few_even_with_no_threshold() -> None:
    assert not summarise([], min_responses=0).reportable
    assert not summarise([None, None], min_responses=0).reportable


def test_a_rating_off_the_scale_is_refused() -> None:
    with pytest.raises(ValueError, match="from 1 to 5"):
        summarise([6], min_responses=1)
    with pytest.raises(ValueError, match="from 1 to 5"):
        summarise([0], min_responses=1)


@given(st.integers(min_value=0, max_value=1000), st.integers(min_value=1, max_value=1000))
def test_percent_rounds_halves_up(part: int, whole: int) -> None:
    part = min(part, whole)
    exact = 100 * part / whole
    assert abs(percent(part, whole) - exact) <= 0.5
    if (200 * part) % (2 * whole) == whole:  # exactly half way
        assert percent(part, whole) == int(exact) + 1


def test_percent_examples() -> None:
    assert percent(1, 8) == 13  # 12.5
    assert percent(1, 3) == 33
    assert percent(2, 3) == 67
    assert percent(0, 0) == 0


# --- The change since the previous cycle --------------------------------------------------------


@given(answers, answers, thresholds)
def test_the_change_is_shown_only_when_both_sides_are_reportable(
    now: list[int | None], before: list[int | None], least: int
) -> None:
    this, last = summarise(now, min_responses=least), summarise(before, min_responses=least)
    change = change_since(this, last, previous_exists=True)
    if this.reportable and last.reportable:
        assert change.kind == ChangeKind.SHOWN
        assert this.positive_share is not None
        assert last.positive_share is not None
        assert change.points == this.positive_share - last.positive_share
        assert change.size == abs(change.points)
    else:
        assert change == Change(ChangeKind.TOO_FEW)
        assert change.points is None
        assert change.size is None


@given(answers, thresholds)
def test_no_previous_assessment_or_a_new_standard_has_no_number(
    now: list[int | None], least: int
) -> None:
    this = summarise(now, min_responses=least)
    assert change_since(this, None, previous_exists=False) == Change(ChangeKind.NO_PREVIOUS)
    assert change_since(this, None, previous_exists=True) == Change(ChangeKind.NEW)


def test_compare_matches_standards_by_their_key() -> None:
    before = {1: [5, 5, 5, 5, 1], 2: [5, 5], 3: [1, 1, 1, 1, 1]}
    now = {1: [5, 5, 5, 4, 4, 1, 1, 1], 2: [5, 5, 5, 5, 5], 4: [4, 4, 4, 4, 4]}
    results = compare(now, before, min_responses=5)
    assert set(results) == {1, 2, 4}
    assert results[1].change == Change(ChangeKind.SHOWN, 63 - 80)
    assert results[2].change == Change(ChangeKind.TOO_FEW)  # two ratings last time
    assert results[4].change == Change(ChangeKind.NEW)
    first = compare(now, None, min_responses=5)
    assert {r.change.kind for r in first.values()} == {ChangeKind.NO_PREVIOUS}


@given(st.dictionaries(st.integers(1, 20), answers, max_size=6), thresholds)
def test_compare_never_shows_a_number_for_a_suppressed_standard(
    now: dict[int, list[int | None]], least: int
) -> None:
    before = {key: list(reversed(value)) for key, value in now.items()}
    for result in compare(now, before, min_responses=least).values():
        if not result.summary.reportable:
            assert all(number is None for number in _numbers(result.summary))
            assert result.change.points is None


# --- The bar chart ------------------------------------------------------------------------------


@given(answers)
def test_each_bar_is_as_long_as_its_share(ratings: list[int | None]) -> None:
    summary = summarise(ratings, min_responses=1)
    chart = bar_chart(summary, LABELS)
    if chart is None:
        assert not summary.reportable
        return
    assert [bar.label for bar in chart.bars] == ["Always", "Mostly", "Sometimes", "Rarely", "Never"]
    for bar, cell in zip(chart.bars, summary.cells, strict=True):
        assert (bar.count, bar.share) == (cell.count, cell.share)
        assert bar.width == pytest.approx(chart.plot_width * cell.share / 100, abs=0.01)
        assert 0 <= bar.width <= chart.plot_width
        assert bar.y >= 0
        assert bar.y + chart.bar_height <= chart.height
    assert chart.label_x < chart.left < chart.value_x <= chart.width
    tops = [bar.y for bar in chart.bars]
    assert tops == sorted(tops)
    assert len(set(tops)) == len(tops)


def test_the_chart_is_plain_data() -> None:
    chart = bar_chart(summarise([5, 4, 3, 2, 1], min_responses=5), LABELS)
    assert chart is not None
    assert dataclasses.is_dataclass(chart)
    assert [bar.share for bar in chart.bars] == [20] * 5
