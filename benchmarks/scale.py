"""Load and faults on the scale-out topology of `make scale`: nothing acknowledged is lost or doubled.

Drives the production shape that scripts/scale.sh starts (HAProxy with TLS, two gunicorn instances,
two task workers, PostgreSQL, Redis, a mail sink) through the proxy, as --people simulated people at
once, each a thread with its own cookies. Every person reads pages (home, an idea challenge, ideas,
a budget, an opinion map, survey results) and, signed in, supports ideas, comments, answers a needs
survey once, casts a budget ballot once and votes on an opinion map, pausing 2-8 s between steps.
One person in ten signs in through the sign-in form (paced under allauth's 30 sign-ins a minute
from one address: here every person shares 127.0.0.1); the others get a session made beforehand,
as if they had signed in yesterday. Each keeps a journal of what the server acknowledged.

Mid-run it kills web1's and worker1's process groups with SIGKILL and starts them again, as a
supervisor would, then restarts PostgreSQL once (pg_ctlcluster). Afterwards it waits for the task
workers to finish and checks, in the database and the mail sink's file:

- every acknowledged write (support, comment, survey answer, ballot, vote) is there exactly once;
- every denormalised counter (ideas' supports and comments, comments' agreements) equals its rows;
- every task enqueued during the run has finished successfully;
- no email was sent twice (same recipients, subject and text);
- no 5xx outside the database restart window (besides requests in flight on the killed instance,
  counted apart).

It prints throughput, p50/p95/p99 per request kind and the verdicts; exits 1 if one fails.

    make scale && .venv/bin/python benchmarks/scale.py --quick   # 60 people, 45 s
    .venv/bin/python benchmarks/scale.py                          # 200 people, 150 s
    .venv/bin/python benchmarks/scale.py --no-faults --json /tmp/scale.json

If the topology is not running it starts it (scripts/scale.sh start) and stops it at the end. It
restarts the machine's PostgreSQL cluster: other users of that server see it go away for a moment
(--no-db-restart leaves it alone). Results: docs/performance.md ("Scale-out under load and faults").

This file holds main and run, which wire together the parts beside it: scale_setup.py (paths,
accounts, Django, seeding the people), scale_forms.py (forms read from the pages), scale_people.py
(the simulated people and what the server acknowledged), scale_faults.py (the kills and the
restart), scale_checks.py (the invariants) and scale_report.py (the figures and the printout).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import asdict
from pathlib import Path

import urllib3

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from scale_checks import check_counters, check_emails, check_writes, wait_for_tasks  # noqa: E402
from scale_faults import Faults, alive, inject  # noqa: E402
from scale_people import Load, Person  # noqa: E402
from scale_report import report, show  # noqa: E402
from scale_setup import SCALE, VAR, django_setup, find_targets, load_env, seed_people  # noqa: E402

# --- Main --------------------------------------------------------------------------------------


def topology_running() -> bool:
    return (VAR / "env").exists() and all(
        alive(name) for name in ("smtp", "web1", "web2", "worker1", "worker2", "proxy")
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="60 people for 45 s: a smoke run")
    parser.add_argument("--people", type=int, default=None)
    parser.add_argument("--seconds", type=float, default=None)
    parser.add_argument("--no-faults", action="store_true", help="load only")
    parser.add_argument("--no-db-restart", action="store_true", help="leave PostgreSQL alone")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    people_n = args.people or (60 if args.quick else 200)
    seconds = args.seconds or (45.0 if args.quick else 150.0)

    started_topology = not topology_running()
    try:
        if started_topology:
            print("Starting the topology (scripts/scale.sh start)...")
            subprocess.run([str(SCALE), "start"], check=True)
        return run(people_n, seconds, args)
    finally:
        if started_topology:
            subprocess.run([str(SCALE), "stop"], check=False)


def reset_anonymous_answer_limit() -> None:
    """Start the run with a fresh hourly limit on anonymous answers from this machine's address,
    so that the runs of the last hour do not leave the email check nothing to count."""
    from django.core.cache import cache

    client = cache._cache.get_client()  # type: ignore[attr-defined]  # Django's Redis cache
    for key in client.scan_iter(match="*:insight_anonymous_answer:*"):
        client.delete(key)


def run(people_n: int, seconds: float, args: argparse.Namespace) -> int:
    env = load_env()
    django_setup(env)
    from django.db import close_old_connections
    from django.utils import timezone

    urllib3.disable_warnings()
    base = f"https://{env['SCALE_PROXY_HOST']}:{env['SCALE_PROXY_PORT']}"
    stats = f"http://{env['SCALE_PROXY_HOST']}:{env['SCALE_PROXY_STATS_PORT']}"
    run_id = uuid.uuid4().hex[:6]
    since_db, since_wall = timezone.now(), time.time()
    print(f"Seeding {people_n} people (run {run_id})...")
    people = seed_people(people_n, run_id)
    reset_anonymous_answer_limit()
    targets = find_targets()
    print(
        f"Targets: {len(targets.ideas)} ideas, {len(targets.surveys)} surveys, "
        f"{len(targets.budgets)} budgets, {len(targets.conversations)} opinion maps; "
        f"load through {base} for {seconds:.0f} s"
    )
    close_old_connections()  # PostgreSQL restarts mid-run: no connection kept across it
    load = Load(base, str(VAR / "proxy.crt"), targets, seconds)
    threads = [
        threading.Thread(target=Person(load, user, email, key, index).run, daemon=True)
        for index, (user, email, key) in enumerate(people)
    ]
    faults = Faults()
    injector = None
    if not args.no_faults:
        injector = threading.Thread(
            target=inject,
            args=(load, faults, seconds, not args.no_db_restart, stats),
            daemon=True,
        )
        injector.start()
    for thread in threads:
        thread.start()
        time.sleep(min(0.02, 2.0 / len(threads)))  # people arrive over a second or two
    for thread in threads:
        thread.join(timeout=seconds + 120)
    if injector is not None:
        injector.join(timeout=120)
    elapsed = load.now()
    print(f"Load done after {elapsed:.0f} s; waiting for the task workers...")
    close_old_connections()
    tasks = wait_for_tasks(since_db, 120.0)
    time.sleep(2.0)  # the mail sink writes each message as it arrives
    writes = check_writes(load.journal)
    counters = check_counters()
    emails = check_emails(since_wall)
    measured = report(load, faults, elapsed)
    unfinished = {status: n for status, n in tasks.items() if status != "SUCCESSFUL"}
    verdicts = {
        "every acknowledged write is there exactly once": {
            "pass": all(not row["missing"] and not row["doubled"] for row in writes.values()),
            "detail": writes,
        },
        "every counter equals its rows": {
            "pass": not any(counters.values()),
            "detail": counters,
        },
        "every task enqueued has finished": {"pass": not unfinished, "detail": tasks},
        "no email sent twice": {"pass": not emails["sent twice or more"], "detail": emails},
        "no 5xx outside the database restart": {
            "pass": measured["failures_elsewhere"] == 0,
            "detail": measured["failures"],
        },
    }
    results = {
        "people": people_n,
        "seconds": elapsed,
        "sign_ins": load.journal.sign_ins,
        "load": measured,
        "faults": asdict(faults),
        "verdicts": verdicts,
        "uptime": subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip(),
    }
    show(results)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0 if all(verdict["pass"] for verdict in verdicts.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
