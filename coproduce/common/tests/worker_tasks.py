"""A task for the killed-worker test (test_task_worker.py): it emails, then waits for a go-ahead."""

from __future__ import annotations

import time
from pathlib import Path

from django.core.mail import EmailMessage
from django_tasks import task

from coproduce.common.email_once import send_once

GIVE_UP = 600  # seconds: a worker left behind by a broken test run stops by itself


@task()
def email_then_wait(folder: str) -> str:
    """Note the run, send one email once, then wait until the test creates ``go`` in the folder."""
    where = Path(folder)
    with (where / "runs").open("a", encoding="utf-8") as runs:
        runs.write("run\n")  # deliberately not idempotent: it counts the runs
    send_once(
        "tests.worker:email-then-wait",
        EmailMessage(subject="Sent once", body="Only one of these.", to=["jo@example.org"]),
    )
    (where / "sent").touch()
    waited = 0.0
    while not (where / "go").exists():
        if waited > GIVE_UP:
            raise TimeoutError("The test never said go.")
        time.sleep(0.05)
        waited += 0.05
    return "done"
