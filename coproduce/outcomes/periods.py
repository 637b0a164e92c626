"""Which period a date falls in, for indicators measured monthly, quarterly or yearly."""

from __future__ import annotations

import calendar
import datetime as dt

from coproduce.outcomes.models import Frequency


def period_end(day: dt.date, frequency: str) -> dt.date:
    """The last day of the month, quarter or year that ``day`` is in."""
    if frequency == Frequency.YEARLY:
        return dt.date(day.year, 12, 31)
    month = day.month if frequency == Frequency.MONTHLY else ((day.month - 1) // 3 + 1) * 3
    return dt.date(day.year, month, calendar.monthrange(day.year, month)[1])
