"""The task worker runs again a task whose worker was killed, and its email still goes once.

The first test runs real ``manage.py task_worker`` processes on a SQLite file of its own and kills
one with SIGKILL mid-task. Its waits are deadlines that only a hang reaches, never timings.
"""

from __future__ import annotations

import datetime
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import OperationalError, connections
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from coproduce.common.management.commands.task_worker import Worker
from coproduce.common.taskqueue import MAX_ATTEMPTS, WORKER_LOST, requeue_stale_tasks

ROOT = Path(settings.BASE_DIR)
DEADLINE = 180  # seconds; only a hang waits this long

SETUP = """
import django
django.setup()
from django.core.management import call_command
call_command("migrate", "django_tasks_database", verbosity=0)
call_command("migrate", "common", verbosity=0)
from coproduce.common.tests.worker_tasks import email_then_wait
print(email_then_wait.enqueue({folder!r}).id)
"""


def _environment(var_dir: Path) -> dict[str, str]:
    """A development environment of its own: a SQLite file and the demo's email folder in var_dir."""
    environment = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "COPRODUCE_", "DATABASE_", "REDIS_", "EMAIL_"))
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="coproduce.config.settings",
        COPRODUCE_VAR_DIR=str(var_dir),
        COPRODUCE_TASK_TIMEOUT="1",
    )
    return environment


def _wait_for(what: str, ready: Callable[[], bool]) -> None:
    give_up = time.monotonic() + DEADLINE
    while not ready():
        if time.monotonic() > give_up:
            raise AssertionError(f"Waited {DEADLINE} s for {what}.")
        time.sleep(0.1)


def _task_row(database: Path) -> tuple[str, list[str]]:
    with sqlite3.connect(database, timeout=30) as connection:
        status, worker_ids = connection.execute(
            "SELECT status, worker_ids FROM django_tasks_database_dbtaskresult"
        ).fetchone()
    return status, json.loads(worker_ids)


@pytest.fixture
def workers(tmp_path: Path) -> Iterator[Callable[[str], subprocess.Popen[bytes]]]:
    """Start ``task_worker`` processes; any still running at the end are killed by their id."""
    started: list[subprocess.Popen[bytes]] = []

    def start(name: str) -> subprocess.Popen[bytes]:
        log = (tmp_path / f"{name}.log").open("wb")
        process = subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "task_worker",
                "--no-reload",
                "--no-startup-delay",
                "--interval",
                "0.1",
                "--worker-id",
                name,
            ],
            cwd=ROOT,
            env=_environment(tmp_path / "var"),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
            process.wait()


@pytest.mark.slow
def test_a_task_whose_worker_was_killed_runs_again_and_emails_once(
    tmp_path: Path, workers: Callable[[str], subprocess.Popen[bytes]]
) -> None:
    var_dir = tmp_path / "var"
    var_dir.mkdir()
    setup = subprocess.run(
        [sys.executable, "-c", SETUP.format(folder=str(tmp_path))],
        cwd=ROOT,
        env=_environment(var_dir),
        check=False,
        capture_output=True,
        text=True,
    )
    assert setup.returncode == 0, setup.stderr
    database = var_dir / "db.sqlite3"
    emails = var_dir / "demo-emails"

    first = workers("first")
    _wait_for("the first worker to send the email", (tmp_path / "sent").exists)
    first.send_signal(signal.SIGKILL)
    first.wait()
    status, worker_ids = _task_row(database)
    assert (status, worker_ids) == (TaskResultStatus.RUNNING, ["first"])  # lost, as upstream
    assert len(list(emails.glob("*.json"))) == 1

    (tmp_path / "go").touch()
    workers("second")
    _wait_for(
        "the second worker to finish the task",
        lambda: _task_row(database)[0] == TaskResultStatus.SUCCESSFUL,
    )
    assert _task_row(database)[1] == ["first", "second"]
    assert (tmp_path / "runs").read_text().count("run") == 2
    assert len(list(emails.glob("*.json"))) == 1, "the re-run sent the email again"


def _task(
    *, started: datetime.datetime | None, attempts: int = 1, **fields: object
) -> DBTaskResult:
    values: dict[str, object] = {
        "status": TaskResultStatus.RUNNING,
        "started_at": started,
        "args_kwargs": {"args": [], "kwargs": {}},
        "task_path": "coproduce.common.tests.worker_tasks.email_then_wait",
        "backend_name": "default",
        "run_after": timezone.now(),
        "worker_ids": [f"w{n}" for n in range(attempts)],
    }
    values.update(fields)
    return DBTaskResult.objects.create(**values)


def _worker(**options: Any) -> Worker:
    values: dict[str, Any] = {
        "timeout": 600,
        "queue_names": ["default"],
        "interval": 0.1,
        "batch": True,
        "backend_name": "default",
        "startup_delay": False,
        "max_tasks": None,
        "worker_id": "w",
        "excluded_queue_names": [],
    }
    return Worker(**{**values, **options})


@pytest.mark.django_db
def test_only_tasks_running_longer_than_the_timeout_go_back_in_the_queue() -> None:
    now = timezone.now()
    stale = _task(started=now - datetime.timedelta(seconds=601))
    fresh = _task(started=now - datetime.timedelta(seconds=599))
    elsewhere = _task(started=now - datetime.timedelta(hours=1), backend_name="other")
    done = _task(started=now - datetime.timedelta(hours=1), status=TaskResultStatus.SUCCESSFUL)

    assert requeue_stale_tasks(backend_name="default", timeout=600) == 1

    stale.refresh_from_db()
    assert (stale.status, stale.started_at) == (TaskResultStatus.READY, None)
    assert DBTaskResult.objects.ready().filter(pk=stale.pk).exists()  # a worker will claim it
    for task in (fresh, elsewhere):
        task.refresh_from_db()
        assert task.status == TaskResultStatus.RUNNING
    done.refresh_from_db()
    assert done.status == TaskResultStatus.SUCCESSFUL
    assert requeue_stale_tasks(backend_name="default", timeout=600) == 0


@pytest.mark.django_db
def test_a_task_that_lost_its_worker_too_often_fails_instead() -> None:
    old = timezone.now() - datetime.timedelta(hours=1)
    doomed = _task(started=old, attempts=MAX_ATTEMPTS)
    again = _task(started=old, attempts=MAX_ATTEMPTS - 1)

    assert requeue_stale_tasks(backend_name="default", timeout=600) == 1

    doomed.refresh_from_db()
    assert doomed.status == TaskResultStatus.FAILED
    assert doomed.exception_class_path == WORKER_LOST
    again.refresh_from_db()
    assert again.status == TaskResultStatus.READY


@pytest.mark.django_db
def test_the_worker_looks_for_lost_tasks_at_most_every_quarter_of_the_timeout(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    clock = [1000.0]
    calls: list[float] = []

    def requeue(*, backend_name: str, timeout: float) -> int:
        calls.append(timeout)
        return 0

    monkeypatch.setattr(
        "coproduce.common.management.commands.task_worker.requeue_stale_tasks", requeue
    )
    worker = _worker(timeout=200, interval=1, batch=False)
    worker.clock = lambda: clock[0]
    worker.recover()
    clock[0] += 49
    worker.recover()
    assert calls == [200]
    clock[0] += 1
    worker.recover()
    assert calls == [200, 200]


@pytest.mark.django_db
def test_the_worker_waits_for_a_lost_database_instead_of_exiting(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    worker = _worker()
    attempts: list[str] = []
    slept: list[float] = []
    closed: list[str] = []

    def claim_next() -> tuple[None, bool]:
        attempts.append("claim")
        if len(attempts) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return None, True  # the database is back, and the queue is empty: a batch ends

    connection = connections["default"]
    monkeypatch.setattr(worker, "claim_next", claim_next)
    monkeypatch.setattr(worker, "sleep", slept.append)
    monkeypatch.setattr(connection, "is_usable", lambda: False)
    monkeypatch.setattr(connection, "close", lambda: closed.append("closed"))
    monkeypatch.setattr(
        "coproduce.common.management.commands.task_worker.close_old_connections", lambda: None
    )
    worker.run()
    assert attempts == ["claim", "claim"]
    assert slept == [1.0]
    assert closed == ["closed"]


@pytest.mark.django_db
def test_any_other_database_error_still_stops_the_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    worker = _worker()

    def claim_next() -> tuple[None, bool]:
        raise OperationalError("no such table: django_tasks_database_dbtaskresult")

    monkeypatch.setattr(worker, "claim_next", claim_next)
    monkeypatch.setattr(worker, "sleep", lambda seconds: None)
    with pytest.raises(OperationalError, match="no such table"):
        worker.run()
