"""The faults benchmarks/scale.py injects mid-run, and when they happened.

inject is the schedule: web1's process group killed with SIGKILL at 25 % of the run and worker1's
at 40 %, each started again as a supervisor would (scripts/scale.sh restart), then PostgreSQL
restarted at 55 % (PG_RESTART); the database window lasts until the proxy's health checks see both
web instances up, after which a task worker that exited is started again. Faults records when each
happened (seconds into the load: the report splits the 5xx by them), the workers started again and
any notes. alive also tells scale.py whether the topology is running.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from dataclasses import dataclass, field

import requests
from scale_people import Load
from scale_setup import SCALE, VAR

PG_RESTART = ["pg_ctlcluster", "--skip-systemctl-redirect", "15", "main", "restart"]


@dataclass
class Faults:
    web_killed_at: float | None = None
    worker_killed_at: float | None = None
    db_down: tuple[float, float] | None = None  # from the restart to both instances in service
    workers_restarted_after_db: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def group_of(name: str) -> int:
    return int((VAR / f"{name}.pid").read_text())


def alive(name: str) -> bool:
    try:
        os.killpg(group_of(name), 0)
    except (OSError, ValueError):
        return False
    return True


def kill_and_restart(name: str, load: Load, pause: float) -> float:
    """SIGKILL a process group, as when a machine dies, then start it again after ``pause``."""
    killed = load.now()
    os.killpg(group_of(name), signal.SIGKILL)
    time.sleep(pause)
    subprocess.run([str(SCALE), "restart", name], check=True, capture_output=True)
    return killed


def proxy_sees_both_up(stats: str) -> bool:
    """Both web instances pass the proxy's health checks (its statistics, which queue nothing)."""
    try:
        table = requests.get(f"{stats}/;csv", timeout=5).text
    except requests.RequestException:
        return False
    rows = [line.split(",") for line in table.splitlines()]
    # Columns: pxname, svname, ... and status in the 18th (HAProxy's CSV statistics).
    up = [row for row in rows if row[:2] in (["web", "web1"], ["web", "web2"]) and row[17] == "UP"]
    return len(up) == 2


def inject(load: Load, faults: Faults, seconds: float, db_restart: bool, stats: str) -> None:
    """The fault schedule: web1 at 25 % of the run, worker1 at 40 %, PostgreSQL at 55 %."""

    def at(share: float) -> None:
        time.sleep(max(0.0, load.started + share * seconds - time.monotonic()))

    at(0.25)
    faults.web_killed_at = kill_and_restart("web1", load, 3.0)
    at(0.40)
    faults.worker_killed_at = kill_and_restart("worker1", load, 2.0)
    if not db_restart:
        return
    at(0.55)
    began = load.now()
    subprocess.run(PG_RESTART, check=True, capture_output=True)
    # pg_ctlcluster returns once PostgreSQL accepts connections. The window ends when the proxy's
    # health checks (every second, two to change state) have seen both instances answer again.
    time.sleep(2.5)
    give_up = time.monotonic() + 120
    while not proxy_sees_both_up(stats):
        if time.monotonic() > give_up:
            faults.notes.append("the proxy did not see both instances up within 120 s")
            break
        time.sleep(0.1)
    faults.db_down = (began, load.now())
    time.sleep(5.0)
    for name in ("worker1", "worker2"):
        if not alive(name):  # a supervisor would start it again
            subprocess.run([str(SCALE), "restart", name], check=True, capture_output=True)
            faults.workers_restarted_after_db.append(name)
