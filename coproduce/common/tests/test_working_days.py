"""Working days for promised answers: weekends and the bank holidays of England and Wales do not
count (decision 0026)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coproduce.common.dates import add_working_days, bank_holidays, is_working_day

MONDAY = dt.date(2026, 3, 2)
FRIDAY, SATURDAY, SUNDAY = dt.date(2026, 3, 6), dt.date(2026, 3, 7), dt.date(2026, 3, 8)


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        (MONDAY, 1, dt.date(2026, 3, 3)),
        (MONDAY, 4, FRIDAY),
        (MONDAY, 5, dt.date(2026, 3, 9)),  # the next Monday
        (FRIDAY, 1, dt.date(2026, 3, 9)),  # over the weekend
        (SATURDAY, 1, dt.date(2026, 3, 9)),  # from a weekend day: as from the Friday
        (SUNDAY, 1, dt.date(2026, 3, 9)),
        (SATURDAY, 5, dt.date(2026, 3, 13)),
        (dt.date(2026, 3, 4), 20, dt.date(2026, 4, 1)),  # four weeks
        # Good Friday (3 April) and Easter Monday (6 April) 2026 are bank holidays.
        (FRIDAY, 20, dt.date(2026, 4, 7)),
        (dt.date(2026, 4, 2), 1, dt.date(2026, 4, 7)),
        (dt.date(2026, 4, 3), 1, dt.date(2026, 4, 7)),  # from a bank holiday: the next working day
        # Christmas 2026: Boxing Day is a Saturday, so Monday 28 December is a holiday too.
        (dt.date(2026, 12, 24), 1, dt.date(2026, 12, 29)),
        (dt.date(2026, 12, 24), 3, dt.date(2026, 12, 31)),
        (dt.date(2026, 12, 31), 1, dt.date(2027, 1, 4)),  # New Year's Day, then a weekend
        (MONDAY, 0, MONDAY),
        (SATURDAY, 0, SATURDAY),
    ],
)
def test_weekends_and_bank_holidays_are_skipped(start: dt.date, days: int, due: dt.date) -> None:
    assert add_working_days(start, days) == due


# As published on https://www.gov.uk/bank-holidays (England and Wales).
GOV_UK = {
    2020: "01-01 04-10 04-13 05-08 05-25 08-31 12-25 12-28",  # early May moved to VE Day
    2021: "01-01 04-02 04-05 05-03 05-31 08-30 12-27 12-28",
    2022: "01-03 04-15 04-18 05-02 06-02 06-03 08-29 09-19 12-26 12-27",  # jubilee, funeral
    2023: "01-02 04-07 04-10 05-01 05-08 05-29 08-28 12-25 12-26",  # coronation
    2024: "01-01 03-29 04-01 05-06 05-27 08-26 12-25 12-26",
    2025: "01-01 04-18 04-21 05-05 05-26 08-25 12-25 12-26",
    2026: "01-01 04-03 04-06 05-04 05-25 08-31 12-25 12-28",
    2027: "01-01 03-26 03-29 05-03 05-31 08-30 12-27 12-28",
}


@pytest.mark.parametrize("year", sorted(GOV_UK))
def test_the_bank_holidays_are_those_gov_uk_lists(year: int) -> None:
    expected = {dt.date.fromisoformat(f"{year}-{day}") for day in GOV_UK[year].split()}
    assert bank_holidays(year) == expected


@given(st.dates(dt.date(1980, 1, 1), dt.date(2099, 12, 31)), st.integers(1, 120))
def test_the_due_date_is_a_working_day_that_many_working_days_later(
    start: dt.date, days: int
) -> None:
    due = add_working_days(start, days)
    assert is_working_day(due)
    between = [start + dt.timedelta(n) for n in range(1, (due - start).days + 1)]
    assert sum(is_working_day(day) for day in between) == days


@given(st.integers(1980, 2099))
def test_every_year_has_eight_bank_holidays_on_weekdays_at_least(year: int) -> None:
    days = bank_holidays(year)
    assert len(days) >= 8
    assert all(day.weekday() < 5 and day.year == year for day in days)


def test_no_negative_days() -> None:
    with pytest.raises(ValueError, match="zero or more"):
        add_working_days(MONDAY, -1)
