"""The dates people may enter for something, checked the same way by forms and actions.

See docs/decisions/0019-dates-gov-uk-pattern.md.
"""

from __future__ import annotations

import datetime as dt
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
