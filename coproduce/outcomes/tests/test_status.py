"""The status rule (STATUS_RULE) and the periods of residents' checks, by example and by property."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from coproduce.outcomes.models import Direction, Frequency, Indicator, Measurement, Source
from coproduce.outcomes.periods import period_end
from coproduce.outcomes.queries import Status, by_cycle, reading, status_of

START = dt.date(2026, 1, 1)
END = dt.date(2027, 1, 1)  # 365 days later


def indicator(
    direction: str = Direction.HIGHER, baseline: str = "40", target: str = "70"
) -> Indicator:
    return Indicator(
        direction=direction,
        baseline=Decimal(baseline),
        baseline_on=START,
        target=Decimal(target),
        target_on=END,
    )


def measured(day: dt.date, value: str | None, cycle: int = 1) -> Measurement:
    return Measurement(
        measured_on=day,
        value=None if value is None else Decimal(value),
        source=Source.STAFF if value is not None else Source.RESIDENTS,
        cycle=cycle,
    )


def test_the_line_runs_from_the_baseline_to_the_target_and_holds_outside() -> None:
    line = indicator()
    assert line.expected_on(START) == Decimal(40)
    assert line.expected_on(END) == Decimal(70)
    halfway = START + dt.timedelta(days=146)  # 146 of 365 days: 40 % of the way
    assert line.expected_on(halfway) == Decimal(52)
    assert line.expected_on(START - dt.timedelta(days=30)) == Decimal(40)
    assert line.expected_on(END + dt.timedelta(days=30)) == Decimal(70)


def test_on_track_at_risk_and_off_track_when_higher_is_better() -> None:
    line = indicator()
    day = START + dt.timedelta(days=146)  # the line stands at 52
    assert status_of(line, measured(day, "52")) == (Status.ON_TRACK, Decimal(52))
    assert status_of(line, measured(day, "60"))[0] == Status.ON_TRACK
    assert status_of(line, measured(day, "51.99"))[0] == Status.AT_RISK
    assert status_of(line, measured(day, "40.01"))[0] == Status.AT_RISK
    assert status_of(line, measured(day, "40"))[0] == Status.OFF_TRACK
    assert status_of(line, measured(day, "12"))[0] == Status.OFF_TRACK


def test_lower_is_better_turns_the_comparisons_round() -> None:
    line = indicator(Direction.LOWER, baseline="10", target="4")  # e.g. kg CO2e per visit
    day = START + dt.timedelta(days=146)  # the line stands at 7.6
    assert status_of(line, measured(day, "7.6"))[0] == Status.ON_TRACK
    assert status_of(line, measured(day, "5"))[0] == Status.ON_TRACK
    assert status_of(line, measured(day, "8"))[0] == Status.AT_RISK
    assert status_of(line, measured(day, "10"))[0] == Status.OFF_TRACK
    assert status_of(line, measured(day, "11"))[0] == Status.OFF_TRACK


def test_no_value_or_too_few_answers_is_not_measured_and_the_latest_value_counts() -> None:
    line = indicator()
    assert status_of(line, None) == (Status.NOT_MEASURED, None)
    assert reading(line, []).status == Status.NOT_MEASURED
    values = [
        measured(START + dt.timedelta(days=300), "45"),  # behind the line: at risk
        measured(START + dt.timedelta(days=100), "80"),  # earlier and ahead
        measured(START + dt.timedelta(days=330), None),  # latest, but too few answers
    ]
    shown = reading(line, values)
    assert shown.latest is values[0]
    assert shown.status == Status.AT_RISK


def test_each_cycle_is_read_on_its_own() -> None:
    line = indicator()
    values = [
        measured(START + dt.timedelta(days=30), "30", cycle=1),
        measured(START + dt.timedelta(days=60), "35", cycle=1),
        measured(START + dt.timedelta(days=300), "70", cycle=2),
    ]
    cycles = by_cycle(line, values)
    assert [(c.cycle, c.count, c.reading.status) for c in cycles] == [
        (1, 2, Status.OFF_TRACK),
        (2, 1, Status.ON_TRACK),
    ]


values = st.decimals(min_value=-1000, max_value=1000, places=2, allow_nan=False)
days = st.integers(min_value=-100, max_value=500)


@given(baseline=values, target=values, value=values, day=days, higher=st.booleans())
def test_the_status_agrees_with_the_rule_in_words(
    baseline: Decimal, target: Decimal, value: Decimal, day: int, higher: bool
) -> None:
    if baseline == target:
        return
    direction = Direction.HIGHER if higher else Direction.LOWER
    if (target > baseline) != higher:  # a target is always better than the baseline
        baseline, target = target, baseline
    line = indicator(direction, str(baseline), str(target))
    on = START + dt.timedelta(days=day)
    status, expected = status_of(line, measured(on, str(value)))
    assert expected is not None
    sign = 1 if higher else -1
    # The line never leaves the segment between the baseline and the target.
    assert min(baseline, target) <= expected <= max(baseline, target)
    if sign * (value - expected) >= 0:
        assert status == Status.ON_TRACK
    elif sign * (value - baseline) > 0:
        assert status == Status.AT_RISK
    else:
        assert status == Status.OFF_TRACK


@given(day=st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_a_date_falls_in_the_period_that_ends_on_or_after_it(day: dt.date) -> None:
    for frequency, months in (
        (Frequency.MONTHLY, 1),
        (Frequency.QUARTERLY, 3),
        (Frequency.YEARLY, 12),
    ):
        end = period_end(day, frequency)
        assert end >= day
        assert (end + dt.timedelta(days=1)).day == 1  # the last day of a month
        assert end.month % months == 0
        # Same period: the months between are fewer than the period's length.
        assert (end.year - day.year) * 12 + end.month - day.month < months
