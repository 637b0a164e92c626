"""The dates people may enter for something, checked the same way by forms and actions.

See docs/decisions/0019-dates-gov-uk-pattern.md.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

# No date anyone records here is older than the platform's oldest records (the demo's history
# goes back about two years); a year like 0001 or 1026 is a typing mistake.
EARLIEST_DATE = dt.date(2000, 1, 1)


def years_after(day: dt.date, years: int) -> dt.date:
    """The same day ``years`` later (28 February when 29 February does not exist)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def long_date(day: dt.date) -> str:
    """A date as messages write it: 1 January 2000 (in the active language)."""
    return date_format(day, "j F Y")


@dataclass(frozen=True)
class DateRange:
    """From a fixed first day to today, or to some years after today."""

    earliest: dt.date = EARLIEST_DATE
    years_ahead: int = 0

    @property
    def latest(self) -> dt.date:
        return years_after(timezone.localdate(), self.years_ahead)

    def problem(self, value: dt.date, name: str | StrPromise) -> str | None:
        """What is wrong with ``value``, said of ``name`` ("the date of the decision"), or None."""
        latest = self.latest
        if self.earliest <= value <= latest:
            return None
        if value > latest and self.years_ahead == 0:
            return _("%(name)s must be today or in the past.") % {"name": capfirst(name)}
        return _("%(name)s must be between %(earliest)s and %(latest)s.") % {
            "name": capfirst(name),
            "earliest": long_date(self.earliest),
            "latest": long_date(latest),
        }

    def check(self, values: Mapping[str, tuple[dt.date | None, str | StrPromise]]) -> None:
        """Raise a ValidationError on each field whose date is out of range.

        ``values`` maps a field to its date (None: not given, fine) and to how messages name it.
        """
        problems = {
            field: problem
            for field, (value, name) in values.items()
            if value is not None and (problem := self.problem(value, name))
        }
        if problems:
            raise ValidationError(problems)


# --- Working days: Monday to Friday, not the bank holidays of England and Wales ------------------

# Bank holidays that no rule gives: one-off days, and the usual ones moved that year
# (https://www.gov.uk/bank-holidays). A one-off announced later must be added here.
_ONE_OFF_HOLIDAYS = {
    1999: {dt.date(1999, 12, 31)},  # the millennium
    2002: {dt.date(2002, 6, 3)},  # the Golden Jubilee
    2011: {dt.date(2011, 4, 29)},  # a royal wedding
    2012: {dt.date(2012, 6, 5)},  # the Diamond Jubilee
    2022: {dt.date(2022, 6, 3), dt.date(2022, 9, 19)},  # the Platinum Jubilee; a state funeral
    2023: {dt.date(2023, 5, 8)},  # the coronation
}
_MOVED_HOLIDAYS = {
    dt.date(1995, 5, 1): dt.date(1995, 5, 8),  # early May, for VE Day's 50th anniversary
    dt.date(2020, 5, 4): dt.date(2020, 5, 8),  # early May, for VE Day's 75th anniversary
    dt.date(2002, 5, 27): dt.date(2002, 6, 4),  # the spring bank holiday, for jubilees
    dt.date(2012, 5, 28): dt.date(2012, 6, 4),
    dt.date(2022, 5, 30): dt.date(2022, 6, 2),
}


def _easter_sunday(year: int) -> dt.date:
    """Easter Sunday in the Gregorian calendar (the anonymous algorithm of 1876)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    el = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 19 * el) // 433
    month, day = divmod(h + el - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


def _monday_on_or_after(day: dt.date) -> dt.date:
    return day + dt.timedelta(days=-day.weekday() % 7)


@functools.cache
def bank_holidays(year: int) -> frozenset[dt.date]:
    """The bank holidays of England and Wales in a year (from 1978, when early May began).

    New Year's Day, Christmas Day and Boxing Day falling at a weekend give a weekday instead
    (a "substitute day"); a new one-off holiday needs a line in ``_ONE_OFF_HOLIDAYS``.
    """
    easter = _easter_sunday(year)
    days = {
        easter - dt.timedelta(days=2),  # Good Friday
        easter + dt.timedelta(days=1),  # Easter Monday
        _monday_on_or_after(dt.date(year, 5, 1)),  # early May
        _monday_on_or_after(dt.date(year, 5, 25)),  # spring: the last Monday in May
        _monday_on_or_after(dt.date(year, 8, 25)),  # summer: the last Monday in August
    }
    days = {_MOVED_HOLIDAYS.get(day, day) for day in days}
    for fixed in (dt.date(year, 1, 1), dt.date(year, 12, 25), dt.date(year, 12, 26)):
        while fixed.weekday() >= 5 or fixed in days:  # a weekend day's substitute
            fixed += dt.timedelta(days=1)
        days.add(fixed)
    return frozenset(days | _ONE_OFF_HOLIDAYS.get(year, set()))


def is_working_day(day: dt.date) -> bool:
    """Monday to Friday, and not a bank holiday of England and Wales."""
    return day.weekday() < 5 and day not in bank_holidays(day.year)


def add_working_days(day: dt.date, days: int) -> dt.date:
    """The date ``days`` working days after ``day`` (``is_working_day``: weekends and bank
    holidays of England and Wales do not count; decision 0026). From a Friday, one working day
    is the Monday, or the Tuesday after a bank holiday Monday; from a Saturday or a Sunday too."""
    if days < 0:
        raise ValueError("days must be zero or more")
    result = day
    while days:
        result += dt.timedelta(days=1)
        if is_working_day(result):
            days -= 1
    return result
