"""The background-task worker: django-tasks-db's ``db_worker`` that also runs again the tasks whose
worker was killed, and waits for the database when it goes away instead of exiting
(docs/decisions/0900-task-recovery.md). Same options, plus ``--timeout``."""

from __future__ import annotations

import contextlib
import os
import random
import time
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError
from django.db import DatabaseError, close_old_connections, connections
from django.db.utils import OperationalError
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from coproduce.common.taskqueue import requeue_stale_tasks

logger = db_worker.logger


class Worker(db_worker.Worker):
    """``db_worker``'s loop, with stale tasks put back in the queue before each claim."""

    def __init__(self, *, timeout: float, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.timeout = timeout
        # Often enough to notice a lost task soon after its timeout; rarely enough to cost nothing.
        self.recover_every = max(min(timeout / 4, 60.0), self.interval)
        self._next_recovery = 0.0
        self.clock = time.monotonic
        self.sleep = time.sleep

    def recover(self) -> None:
        """Requeue tasks that lost their worker, at most every ``recover_every`` seconds."""
        now = self.clock()
        if now < self._next_recovery:
            return
        self._next_recovery = now + self.recover_every
        try:
            requeue_stale_tasks(backend_name=self.backend_name, timeout=self.timeout)
        except OperationalError as error:
            if not is_locked_database_exception(error):
                raise
            self._next_recovery = now  # SQLite was busy: try again next time round

    def database_lost(self, error: DatabaseError, using: str) -> bool:
        """After a database error: True when the connection is gone (PostgreSQL restarting, say),
        once it is closed and a moment has passed; False for any other error, which must raise.

        ``db_worker`` exits when the database goes away; this worker waits for it instead. A task
        that was running stays RUNNING and is run again after the timeout."""
        connection = connections[using]
        with contextlib.suppress(DatabaseError):
            if connection.connection is not None and connection.is_usable():
                return False
        wait = max(self.interval, 1.0)
        logger.warning("The database is unavailable (%s); trying again in %ss", error, wait)
        with contextlib.suppress(DatabaseError):
            connection.close()
        self.sleep(wait)
        return True

    def claim_next(self) -> tuple[DBTaskResult | None, bool]:
        """Requeue lost tasks if due, then claim the next task; (task or None, whether asked)."""
        close_old_connections()
        self.recover()
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            tasks = tasks.filter(queue_name__in=self.queue_names)
        if self.excluded_queue_names:
            tasks = tasks.exclude(queue_name__in=self.excluded_queue_names)
        with exclusive_transaction(tasks.db):
            try:
                task_result = tasks.get_locked()
                if task_result is not None:
                    task_result.claim(self.worker_id)
            except OperationalError as error:
                if not is_locked_database_exception(error):
                    raise
                return None, False
        return task_result, True

    def run(self) -> None:
        logger.info(
            "Starting worker worker_id=%s queues=%s timeout=%ss",
            self.worker_id,
            ",".join(self.queue_names),
            self.timeout,
        )
        if self.startup_delay and self.interval:
            self.sleep(random.random())  # noqa: S311 — spreads workers started together
        using = DBTaskResult.objects.db

        while self.running:
            try:
                task_result, retrieved_task_result = self.claim_next()
                if task_result is not None:
                    self.run_task(task_result)
            except DatabaseError as error:
                if self.database_lost(error, using):
                    continue
                raise

            if self.batch and retrieved_task_result and task_result is None:
                logger.info("No more tasks to run for worker_id=%s - exiting.", self.worker_id)
                return
            if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                logger.info(
                    "Ran %d tasks on worker_id=%s - exiting.", self._run_tasks, self.worker_id
                )
                return

            close_old_connections()
            if self.running and not task_result:
                self.sleep(self.interval)


def valid_timeout(value: str) -> float:
    timeout = float(value)
    if not timeout > 0:
        raise ValueError("The timeout must be a positive number of seconds.")
    return timeout


class Command(db_worker.Command):
    help = (
        "Run a database background worker that also puts back in the queue the tasks whose "
        "worker stopped mid-task (after COPRODUCE_TASK_TIMEOUT seconds)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--timeout",
            type=valid_timeout,
            default=float(settings.COPRODUCE_TASK_TIMEOUT),
            help="Seconds after which a RUNNING task is taken to have lost its worker "
            "(default: COPRODUCE_TASK_TIMEOUT, %(default)s)",
        )

    def handle(  # type: ignore[override]
        self,
        *,
        verbosity: int,
        queue_name: str,
        interval: float,
        batch: bool,
        backend_name: str,
        startup_delay: bool,
        reload: bool,
        max_tasks: int | None,
        worker_id: str,
        exclude_queues: str,
        timeout: float,
        **options: Any,
    ) -> None:
        self.configure_logging(verbosity)
        if reload and batch:
            logger.warning("--reload and --batch cannot be used together: not reloading.")
            reload = False
        queue_names = queue_name.split(",")
        excluded_queue_names = exclude_queues.split(",") if exclude_queues else []
        if excluded_queue_names and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = Worker(
            timeout=timeout,
            queue_names=queue_names,
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=excluded_queue_names,
        )
        if reload:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
