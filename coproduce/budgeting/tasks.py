"""Background jobs: counting a budget's ballots (the staff button and ``pb_count``)."""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from coproduce.budgeting.counting import count_budget as count_ballots
from coproduce.budgeting.models import Count, CountStatus

logger = logging.getLogger(__name__)


def run_count(count_id: int) -> Count | None:
    """Count the ballots now and store the result on the ``Count`` row.

    Safe to run twice: a count that is done is left alone, and a re-run recomputes the whole
    result from the ballots (nothing is added to what a killed run left).
    """
    count = Count.objects.select_related("budget__activity").filter(pk=count_id).first()
    if count is None or count.status == CountStatus.DONE:
        return count
    Count.objects.filter(pk=count.pk).update(
        status=CountStatus.RUNNING, started_at=timezone.now(), progress=0, error=""
    )

    def progress(percent: int) -> None:
        Count.objects.filter(pk=count_id).update(progress=min(percent, 99))

    try:
        result = count_ballots(count.budget, progress)
    except Exception as error:  # the staff page shows what went wrong; nothing is half-stored
        logger.exception("Counting budget %s failed", count.budget_id)
        Count.objects.filter(pk=count.pk).update(
            status=CountStatus.FAILED, finished_at=timezone.now(), error=str(error)[:2000]
        )
        count.refresh_from_db()
        return count
    with transaction.atomic():
        Count.objects.filter(pk=count.pk).update(
            status=CountStatus.DONE,
            progress=100,
            finished_at=timezone.now(),
            method=result.method,
            version=result.version,
            parameters=result.parameters,
            ballot_count=result.ballot_count,
            result=result.as_json(),
        )
    count.refresh_from_db()
    return count


@task()
def count_budget(count_id: int) -> str:
    """Count a budget in the background; returns the count's final status."""
    count = run_count(count_id)
    return "missing" if count is None else count.status
