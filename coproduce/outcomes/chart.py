"""An indicator's trend drawn on the server, as coordinates for an inline SVG (_chart.html).

Plain data in, plain data out: the measurements (a date, and a value or None for a period with
too few answers), the baseline and the target. The values are a line with a point on each; a
period without a value breaks the line (a gap, never a zero). The straight line from the baseline
to the target is the one the status rule measures against. The value axis runs between round
numbers (4 to 6 ticks that cover every value, the baseline and the target); the date axis is
labelled at the start of a few months or years. The template draws the shapes with presentation
attributes only: the Content Security Policy forbids inline styles (decisions 0604, 0072).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

WIDTH = 640
HEIGHT = 320
# Room around the plot for the value labels (left), the date labels (bottom) and the target's.
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 64, 32, 24, 40

MIN_TICKS, MAX_TICKS = 4, 6
MANTISSAS = (Decimal(1), Decimal(2), Decimal(5))  # round steps: 1, 2 or 5 × 10ⁿ
SMALLEST_POWER = -2  # values have two decimals: no step finer than 0.01
MONTH_STEPS = (1, 2, 3, 6, 12, 24, 60, 120)  # months between date labels
MAX_DATE_LABELS = 5


@dataclass(frozen=True)
class Point:
    """A value on a date, where it is drawn."""

    on: dt.date
    value: Decimal
    x: float
    y: float


@dataclass(frozen=True)
class Gap:
    """A period measured without a value (too few answers), marked on the date axis."""

    on: dt.date
    x: float


@dataclass(frozen=True)
class ValueTick:
    value: Decimal
    label: str
    y: float


@dataclass(frozen=True)
class DateTick:
    on: dt.date
    x: float


@dataclass(frozen=True)
class TrendChart:
    """Everything the template draws, in the coordinates of a ``width`` × ``height`` viewBox."""

    width: int
    height: int
    left: float  # the plot area
    right: float
    top: float
    bottom: float
    points: tuple[Point, ...]
    lines: tuple[str, ...]  # a polyline's "x,y x,y …" for each run of values without a gap
    gaps: tuple[Gap, ...]
    baseline: Point
    target: Point
    value_ticks: tuple[ValueTick, ...]
    date_ticks: tuple[DateTick, ...]
    date_format: str  # how the template writes the date labels (Django's date filter)


def value_ticks(low: Decimal, high: Decimal) -> list[Decimal]:
    """4 to 6 equally spaced round numbers (steps of 1, 2 or 5 × 10ⁿ, at least 0.01) from at or below
    ``low`` to at or above ``high``; never below zero when ``low`` is not."""
    low, high = min(low, high), max(low, high)
    keep_positive = low >= 0
    if low == high:  # one value: a range around it (from zero for zero)
        pad = abs(low) / 10 or Decimal(1)
        low, high = (low if low == 0 else low - pad), high + pad
    exponent = ((high - low) / MAX_TICKS).adjusted()
    start = max(exponent - 1, SMALLEST_POWER)
    for power in range(start, max(exponent, start) + 4):
        for mantissa in MANTISSAS:
            step = mantissa.scaleb(power)
            first = (low / step).to_integral_value(rounding=ROUND_FLOOR) * step
            last = (high / step).to_integral_value(rounding=ROUND_CEILING) * step
            count = int((last - first) / step) + 1
            if count <= MAX_TICKS:
                return _at_least(
                    [first + step * i for i in range(count)], step, keep_positive=keep_positive
                )
    raise AssertionError("a step ten thousand times the range always fits")  # pragma: no cover


def _at_least(ticks: list[Decimal], step: Decimal, *, keep_positive: bool) -> list[Decimal]:
    """Add steps above and below (alternately) until there are MIN_TICKS."""
    while len(ticks) < MIN_TICKS:
        below = ticks[0] - step
        if len(ticks) % 2 and not (keep_positive and below < 0):
            ticks.insert(0, below)
        else:
            ticks.append(ticks[-1] + step)
    return [tick + 0 for tick in ticks]  # + 0 turns -0 into 0


def tick_label(value: Decimal) -> str:
    """A tick's number as written: no exponent, no trailing zeros ("2.5", "100", "-20")."""
    text = format(value.normalize(), "f")
    return "0" if text in {"-0", "0"} else text


def _month_index(day: dt.date) -> int:
    return day.year * 12 + day.month - 1


def date_ticks(start: dt.date, end: dt.date) -> tuple[list[dt.date], str]:
    """A few dates to label between ``start`` and ``end``: the first days of every 1, 2, 3, 6,
    12 … months (at most MAX_DATE_LABELS), or else the two ends; and how to write them."""
    first = _month_index(start) + (0 if start.day == 1 else 1)
    last = _month_index(end)
    for step in MONTH_STEPS:
        months = [index for index in range(first, last + 1) if index % step == 0]
        if len(months) < 2:
            break
        if len(months) <= MAX_DATE_LABELS:
            days = [dt.date(index // 12, index % 12 + 1, 1) for index in months]
            return days, ("Y" if step >= 12 else "M Y")
    return ([start, end] if start != end else [start]), "j M Y"


def trend_chart(
    *,
    measurements: Iterable[tuple[dt.date, Decimal | None]],
    baseline_on: dt.date,
    baseline: Decimal,
    target_on: dt.date,
    target: Decimal,
    width: int = WIDTH,
    height: int = HEIGHT,
) -> TrendChart:
    """Lay out the chart of an indicator's values against the line from baseline to target."""
    ordered = sorted(measurements, key=lambda measurement: measurement[0])
    values = [value for _on, value in ordered if value is not None]
    ticks = value_ticks(min([*values, baseline, target]), max([*values, baseline, target]))
    days = [on for on, _value in ordered]
    start, end = min([*days, baseline_on, target_on]), max([*days, baseline_on, target_on])
    left, right = float(MARGIN_LEFT), float(width - MARGIN_RIGHT)
    top, bottom = float(MARGIN_TOP), float(height - MARGIN_BOTTOM)
    span = max((end - start).days, 1)
    low, high = ticks[0], ticks[-1]

    def x_of(day: dt.date) -> float:
        return round(left + (right - left) * (day - start).days / span, 2)

    def y_of(value: Decimal) -> float:
        return round(bottom - (bottom - top) * float((value - low) / (high - low)), 2)

    def point(day: dt.date, value: Decimal) -> Point:
        return Point(on=day, value=value, x=x_of(day), y=y_of(value))

    points: list[Point] = []
    gaps: list[Gap] = []
    runs: list[list[Point]] = [[]]
    for day, value in ordered:
        if value is None:
            gaps.append(Gap(on=day, x=x_of(day)))
            runs.append([])
        else:
            points.append(point(day, value))
            runs[-1].append(points[-1])
    labelled, date_format = date_ticks(start, end)
    return TrendChart(
        width=width,
        height=height,
        left=left,
        right=right,
        top=top,
        bottom=bottom,
        points=tuple(points),
        lines=tuple(" ".join(f"{p.x},{p.y}" for p in run) for run in runs if len(run) > 1),
        gaps=tuple(gaps),
        baseline=point(baseline_on, baseline),
        target=point(target_on, target),
        value_ticks=tuple(ValueTick(value=t, label=tick_label(t), y=y_of(t)) for t in ticks),
        date_ticks=tuple(DateTick(on=day, x=x_of(day)) for day in labelled),
        date_format=date_format,
    )
