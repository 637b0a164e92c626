"""Background jobs: a resident check's value for a period, recomputed after each answer."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from coproduce.outcomes.models import Indicator


@task()
def aggregate_check(indicator_id: int, period_end: str) -> bool:
    """Recompute the period's value from all its answers (safe to run twice); False when the
    indicator is gone."""
    from coproduce.outcomes.actions import check_aggregate

    indicator = Indicator.objects.select_related("outcome__service").filter(pk=indicator_id).first()
    if indicator is None:
        return False
    check_aggregate(indicator=indicator, period_end=dt.date.fromisoformat(period_end))
    return True
