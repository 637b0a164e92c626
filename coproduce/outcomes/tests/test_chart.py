"""The trend chart's layout: inside its box, dates left to right, gaps where a period has no
value, and round value ticks that cover every value, the baseline and the target."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from coproduce.outcomes.chart import TrendChart, date_ticks, tick_label, trend_chart, value_ticks

BASELINE_ON = dt.date(2026, 1, 15)
TARGET_ON = dt.date(2028, 1, 15)
ROUND_MANTISSAS = {Decimal(1), Decimal(2), Decimal(5)}


def _chart(measurements: list[tuple[dt.date, Decimal | None]]) -> TrendChart:
    return trend_chart(
        measurements=measurements,
        baseline_on=BASELINE_ON,
        baseline=Decimal(40),
        target_on=TARGET_ON,
        target=Decimal(70),
    )


def _inside(chart: TrendChart, x: float, y: float) -> bool:
    return chart.left <= x <= chart.right and chart.top <= y <= chart.bottom


def _assert_round_and_covering(ticks: list[Decimal], values: list[Decimal]) -> None:
    assert 4 <= len(ticks) <= 6
    steps = {b - a for a, b in itertools.pairwise(ticks)}
    assert len(steps) == 1
    step = steps.pop()
    assert step > 0
    assert step.normalize().as_tuple().digits[0] in {1, 2, 5}  # 1, 2 or 5 × 10ⁿ
    assert len(step.normalize().as_tuple().digits) == 1
    assert all((tick % step) == 0 for tick in ticks)  # whole multiples of the step
    assert ticks[0] <= min(values)
    assert ticks[-1] >= max(values)


def test_points_lie_in_the_box_left_to_right_by_date() -> None:
    days = [dt.date(2026, 3, 31), dt.date(2026, 6, 30), dt.date(2026, 9, 30)]
    chart = _chart([(days[2], Decimal(55)), (days[0], Decimal(41)), (days[1], Decimal(48))])
    assert [point.on for point in chart.points] == days
    xs = [point.x for point in chart.points]
    assert xs == sorted(xs)
    assert len(set(xs)) == 3
    for point in (*chart.points, chart.baseline, chart.target):
        assert _inside(chart, point.x, point.y)
    assert chart.baseline.x == chart.left
    assert chart.target.x == chart.right


def test_higher_values_are_drawn_higher_up() -> None:
    chart = _chart([(dt.date(2026, 3, 31), Decimal(41)), (dt.date(2026, 6, 30), Decimal(60))])
    low, high = chart.points
    assert high.y < low.y  # SVG's y grows downwards
    assert chart.target.y < chart.baseline.y


def test_a_period_without_a_value_is_a_gap_not_a_zero() -> None:
    days = [dt.date(2026, month, 28) for month in (2, 3, 4, 5, 6)]
    values = [Decimal(42), Decimal(44), None, Decimal(47), Decimal(49)]
    chart = _chart(list(zip(days, values, strict=True)))
    assert [gap.on for gap in chart.gaps] == [days[2]]
    assert [point.on for point in chart.points] == [
        d for d, v in zip(days, values, strict=False) if v
    ]
    assert all(point.value != 0 for point in chart.points)
    assert len(chart.lines) == 2  # the line stops before the gap and starts again after it
    gap_x = chart.gaps[0].x
    for line in chart.lines:
        xs = [float(pair.split(",")[0]) for pair in line.split()]
        assert not min(xs) < gap_x < max(xs)
    assert 0 not in [tick.value for tick in chart.value_ticks]  # no axis stretched down to 0


def test_a_single_value_between_gaps_is_a_point_without_a_line() -> None:
    chart = _chart([(dt.date(2026, 2, 28), None), (dt.date(2026, 3, 31), Decimal(43))])
    assert len(chart.points) == 1
    assert chart.lines == ()


def test_no_measurements_still_draws_the_line_to_the_target() -> None:
    chart = _chart([])
    assert chart.points == ()
    assert chart.gaps == ()
    assert _inside(chart, chart.baseline.x, chart.baseline.y)
    assert _inside(chart, chart.target.x, chart.target.y)
    _assert_round_and_covering([t.value for t in chart.value_ticks], [Decimal(40), Decimal(70)])


def test_value_ticks_are_round_numbers() -> None:
    assert value_ticks(Decimal(40), Decimal(70)) == [Decimal(n) for n in (40, 50, 60, 70)]
    assert value_ticks(Decimal("2.5"), Decimal(4)) == [Decimal(n) for n in ("2.5", "3", "3.5", "4")]
    assert [tick_label(t) for t in value_ticks(Decimal(0), Decimal(100))] == [
        "0",
        "20",
        "40",
        "60",
        "80",
        "100",
    ]


def test_value_ticks_stay_at_or_above_zero_for_values_that_are() -> None:
    ticks = value_ticks(Decimal(0), Decimal("0.01"))
    assert ticks[0] == 0
    assert len(ticks) >= 4


def test_date_labels_fall_on_month_starts_inside_the_range() -> None:
    days, date_format = date_ticks(BASELINE_ON, TARGET_ON)
    assert 2 <= len(days) <= 5
    assert all(day.day == 1 and BASELINE_ON <= day <= TARGET_ON for day in days)
    assert date_format in {"M Y", "Y"}


def test_a_short_range_labels_its_two_ends() -> None:
    start, end = dt.date(2026, 3, 3), dt.date(2026, 3, 20)
    assert date_ticks(start, end) == ([start, end], "j M Y")


dates = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 12, 31))
amounts = st.decimals(
    min_value=Decimal("-999999999"),
    max_value=Decimal("999999999"),
    places=2,
    allow_nan=False,
    allow_infinity=False,
)


@given(
    measurements=st.lists(st.tuples(dates, st.none() | amounts), max_size=30),
    baseline_on=dates,
    days=st.integers(min_value=1, max_value=5000),
    baseline=amounts,
    target=amounts,
)
def test_any_chart_fits_its_box_with_round_covering_ticks(
    measurements: list[tuple[dt.date, Decimal | None]],
    baseline_on: dt.date,
    days: int,
    baseline: Decimal,
    target: Decimal,
) -> None:
    chart = trend_chart(
        measurements=measurements,
        baseline_on=baseline_on,
        baseline=baseline,
        target_on=baseline_on + dt.timedelta(days=days),
        target=target,
    )
    values = [value for _day, value in measurements if value is not None]
    assert len(chart.points) == len(values)
    assert len(chart.gaps) == len(measurements) - len(values)
    for point in (*chart.points, chart.baseline, chart.target):
        assert _inside(chart, point.x, point.y)
    for gap in chart.gaps:
        assert chart.left <= gap.x <= chart.right
    ordered = [(point.on, point.x) for point in chart.points]
    assert ordered == sorted(ordered)
    assert all(
        earlier.x < later.x
        for earlier, later in zip(chart.points, chart.points[1:], strict=False)
        if earlier.on < later.on
    )
    _assert_round_and_covering(
        [tick.value for tick in chart.value_ticks], [*values, baseline, target]
    )
    for tick in chart.value_ticks:
        assert chart.top - 0.01 <= tick.y <= chart.bottom + 0.01
    for date_tick in chart.date_ticks:
        assert chart.left <= date_tick.x <= chart.right
