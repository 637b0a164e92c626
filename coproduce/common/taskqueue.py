"""Recovery of tasks whose worker died: django-tasks-db leaves them RUNNING for ever.

``manage.py task_worker`` calls ``requeue_stale_tasks`` before it claims a task: a task RUNNING
for longer than ``COPRODUCE_TASK_TIMEOUT`` seconds goes back to READY and the next free worker runs
it again, which every task is written to survive (docs/decisions/0900-task-recovery.md). A task
that has already lost its worker ``MAX_ATTEMPTS`` times is marked FAILED instead, so a task that
kills its worker (out of memory, say) does not take every worker down in turn.
"""

from __future__ import annotations

import datetime
import logging

from django.db import transaction
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
WORKER_LOST = "coproduce.common.taskqueue.WorkerLost"


class WorkerLost(Exception):
    """Recorded on a task whose worker stopped mid-task ``MAX_ATTEMPTS`` times."""


def requeue_stale_tasks(*, backend_name: str, timeout: float) -> int:
    """Put tasks RUNNING for more than ``timeout`` seconds back in the queue; returns how many.

    The rows are locked with ``SKIP LOCKED`` on PostgreSQL, so two workers never both handle one,
    and each update checks the row again: a task claimed afresh in between is left alone.
    """
    cutoff = timezone.now() - datetime.timedelta(seconds=timeout)
    stale_rows = DBTaskResult.objects.filter(
        backend_name=backend_name, status=TaskResultStatus.RUNNING, started_at__lt=cutoff
    )
    requeued = 0
    with transaction.atomic(using=stale_rows.db):
        stale = list(
            stale_rows.select_for_update(skip_locked=True)
            .order_by()
            .values_list("pk", "worker_ids", "task_path")
        )
        for pk, worker_ids, task_path in stale:
            attempts = len(worker_ids or [])
            if attempts >= MAX_ATTEMPTS:
                logger.error(
                    "Task id=%s (%s) lost its worker %d times: marked failed",
                    pk,
                    task_path,
                    attempts,
                )
                stale_rows.filter(pk=pk).update(
                    status=TaskResultStatus.FAILED,
                    finished_at=timezone.now(),
                    exception_class_path=WORKER_LOST,
                    traceback=(
                        f"{WORKER_LOST}: the worker running this task stopped mid-task "
                        f"{attempts} times (killed or crashed); it was not run again.\n"
                    ),
                )
                continue
            logger.warning(
                "Task id=%s (%s) lost its worker (attempt %d): back in the queue",
                pk,
                task_path,
                attempts,
            )
            requeued += stale_rows.filter(pk=pk).update(
                status=TaskResultStatus.READY, started_at=None
            )
    return requeued
