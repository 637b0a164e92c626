"""Load benchmark: many people voting on an opinion map at once, on PostgreSQL, over HTTP.

Issue 14 asks that 2,000 participants voting at once (a mix of new and changed votes) get a vote
answered within 100 ms at the 95th percentile on this machine, with no vote lost and no server
error, and that the map is recomputed within 30 s of the last vote.

It serves the project with gunicorn in the production posture of benchmarks/web.py (4 sync
workers, DEBUG off, hashed static files, Redis for the cache and rate limits) and runs the task
worker (manage.py task_worker) beside it, as docs/operations.md does, on the PostgreSQL database of
DATABASE_URL, which it migrates and fills with one open conversation of --statements statements.

Each simulated participant is a visitor without an account, as most people in an opinion map are:
they open the conversation page (which gives them the form's CSRF token), then vote through the
website's no-JavaScript form (POST /conversations/{id}/vote/), keeping the signed cookie that
identifies them. They arrive spread over --ramp seconds; each casts --votes votes, waiting a
random think time (exponential, mean --think seconds) between two, and a share (--changes) of the
votes change an earlier vote. A pool of client threads sends what is due. Every answer is
journalled; afterwards the database must hold, for every participant and statement, the last
value the server acknowledged (none lost, none extra), and the map (read from the public API) must
have been computed after the last vote, within 30 s.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python benchmarks/conversation_votes.py
    ... benchmarks/conversation_votes.py --participants 300 --votes 10   # a smoke run
    ... benchmarks/conversation_votes.py --json /tmp/conversation-votes.json

The offered load is about participants / think votes per second once everyone has arrived: the
defaults (2,000 participants, 20 s between votes: a person reading a statement and deciding) offer
about 100 votes per second. The client runs on the same 2 cores as the server, PostgreSQL, Redis
and the task worker, so latencies include its share. Results: docs/performance.md ("Voting on an
opinion map under load").
"""

from __future__ import annotations

import argparse
import base64
import heapq
import http.client
import json
import os
import random
import re
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
BENCH = REPO / "benchmarks"
sys.path.insert(0, str(BENCH))

from web import BenchmarkError, _run, gunicorn  # noqa: E402

PYTHON = sys.executable
P95_TARGET_MS = 100.0
MAP_TARGET_SECONDS = 30.0
VALUES = ("agree", "disagree", "pass")
TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


# --- inside Django: seed and verify (run as subprocesses with the server's environment) ----------


def _django() -> None:
    sys.path.insert(0, str(REPO))
    import django

    django.setup()


def seed(out: Path, statements: int) -> None:
    """One open conversation anyone may vote in, with ``statements`` seed statements."""
    _django()
    from coproduce.conversations import actions
    from coproduce.services.models import ActivityKind, ActivityState
    from coproduce.services.tests.factories import ActivityFactory, ServiceFactory, staff_of

    run = secrets.token_hex(4)
    service = ServiceFactory(name=f"Opinion map load test {run}")
    activity = ActivityFactory(
        service=service,
        kind=ActivityKind.OPINION_MAP,
        state=ActivityState.OPEN,
        title="Load test conversation",
    )
    staff = staff_of(activity)
    conversation = actions.conversation_create(activity=activity, by=staff, audience="anyone")
    pks = [
        actions.statement_add(
            conversation=conversation, by=staff, text=f"Statement {number} of the load test"
        ).pk
        for number in range(1, statements + 1)
    ]
    out.write_text(json.dumps({"conversation": conversation.pk, "statements": pks}))


def verify(journal_path: Path) -> None:
    """Compare the database's votes with the participants' journals; prints one JSON line."""
    _django()
    from coproduce.conversations.models import Participant, Vote

    journal = json.loads(journal_path.read_text())
    conversation = journal["conversation"]
    names = {1: "agree", -1: "disagree", 0: "pass"}
    stored: dict[tuple[str, int], str] = {}
    keys = {p.pk: p.key for p in Participant.objects.filter(conversation_id=conversation)}
    for participant, statement, value in Vote.objects.filter(
        conversation_id=conversation
    ).values_list("participant_id", "statement_id", "value"):
        stored[(keys[participant], statement)] = names[value]
    expected: dict[tuple[str, int], str] = {}
    uncertain: set[tuple[str, int]] = set()
    for person in journal["participants"]:
        for attempt in person["attempts"]:
            pair = (person["key"], attempt["statement"])
            if attempt["status"] in (200, 303):
                expected[pair] = attempt["value"]
                uncertain.discard(pair)
            elif attempt["status"] is None:
                uncertain.add(pair)  # no answer: it may or may not have been saved
    lost = [
        pair
        for pair, value in expected.items()
        if pair not in uncertain and stored.get(pair) != value
    ]
    extra = [pair for pair in stored if pair not in expected and pair not in uncertain]
    findings = {
        "votes_stored": len(stored),
        "votes_expected": len(expected),
        "lost_or_wrong": len(lost),
        "extra": len(extra),
        "examples": [list(pair) for pair in (lost + extra)[:5]],
    }
    print("VERIFY_JSON " + json.dumps(findings))


# --- the participants (HTTP clients) -------------------------------------------------------------


@dataclass
class Attempt:
    statement: int
    value: str
    status: int | None  # None: no answer (the connection dropped)
    ms: float
    at: float  # time.time() when the answer came


@dataclass
class Person:
    number: int
    cookies: dict[str, str] = field(default_factory=dict)
    token: str = ""  # the form's CSRF token, from the conversation page
    opened: bool = False
    votes_left: int = 0
    voted: dict[int, str] = field(default_factory=dict)
    attempts: list[Attempt] = field(default_factory=list)
    page_status: int | None = None


def _send(
    port: int, method: str, path: str, person: Person, body: dict[str, str] | None = None
) -> tuple[int | None, bytes, float]:
    """One request on a new connection (sync gunicorn workers close each one), keeping cookies."""
    headers = {"Host": "127.0.0.1"}
    if person.cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in person.cookies.items())
    data = None
    if body is not None:
        data = urllib.parse.urlencode(body).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        connection.request(method, path, body=data, headers=headers)
        response = connection.getresponse()
        raw = response.read()
        status = response.status
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                cookie = value.split(";", 1)[0]
                key, _, content = cookie.partition("=")
                person.cookies[key.strip()] = content.strip()
    except (OSError, http.client.HTTPException):
        return None, b"", (time.perf_counter() - started) * 1000
    finally:
        connection.close()
    return status, raw, (time.perf_counter() - started) * 1000


def _next_vote(
    person: Person, statements: list[int], rng: random.Random, changes: float
) -> tuple[int, str]:
    unvoted = [pk for pk in statements if pk not in person.voted]
    if person.voted and (not unvoted or rng.random() < changes):
        statement = rng.choice(sorted(person.voted))
        value = rng.choice([v for v in VALUES if v != person.voted[statement]])
    else:
        statement = rng.choice(unvoted)
        value = rng.choices(VALUES, weights=(5, 4, 2))[0]
    return statement, value


def crowd(
    port: int, seeded: dict[str, Any], args: argparse.Namespace
) -> tuple[list[Person], float]:
    """Run every participant to the end; returns them with their journals and the seconds taken."""
    conversation = seeded["conversation"]
    statements = seeded["statements"]
    page = f"/conversations/{conversation}/"
    vote = f"/conversations/{conversation}/vote/"
    rng = random.Random(args.seed)
    people = [Person(number=n, votes_left=args.votes) for n in range(args.participants)]
    due: list[tuple[float, int]] = []
    start = time.perf_counter() + 1.0
    for person in people:
        heapq.heappush(due, (start + rng.uniform(0, args.ramp), person.number))
    lock = threading.Condition()
    active = [0]

    def work(thread: int) -> None:
        mine = random.Random(args.seed * 1000 + thread)
        while True:
            with lock:
                while True:
                    if not due:
                        if active[0] == 0:
                            lock.notify_all()
                            return
                        lock.wait(0.05)
                        continue
                    when, number = due[0]
                    wait = when - time.perf_counter()
                    if wait <= 0:
                        heapq.heappop(due)
                        active[0] += 1
                        break
                    lock.wait(min(wait, 0.05))
            person = people[number]
            if not person.opened:
                status, raw, _ms = _send(port, "GET", page, person)
                person.opened, person.page_status = True, status
                found = TOKEN.search(raw)
                person.token = found.group(1).decode() if found else ""
            else:
                statement, value = _next_vote(person, statements, mine, args.changes)
                body = {"csrfmiddlewaretoken": person.token, "statement": str(statement)}
                body["value"] = value
                status, _raw, ms = _send(port, "POST", vote, person, body)
                person.attempts.append(Attempt(statement, value, status, ms, time.time()))
                if status in (200, 303):
                    person.voted[statement] = value
                person.votes_left -= 1
            with lock:
                active[0] -= 1
                if person.votes_left > 0 and person.token:
                    think = mine.expovariate(1 / args.think)
                    heapq.heappush(due, (time.perf_counter() + think, number))
                lock.notify_all()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(args.threads)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return people, time.perf_counter() - began


def map_after(port: int, conversation: int, last_vote: float) -> float | None:
    """Seconds from the last vote until the public map was computed after it (None: not within
    three times the target)."""
    person = Person(number=-1)
    deadline = last_vote + 3 * MAP_TARGET_SECONDS
    while time.time() < deadline:
        status, raw, _ms = _send(port, "GET", f"/api/conversations/{conversation}/map", person)
        if status == 200:
            shown = json.loads(raw).get("map")
            if shown:
                computed = shown["computed_at"].replace("Z", "+00:00")
                import datetime as dt

                at = dt.datetime.fromisoformat(computed).timestamp()
                if at >= last_vote:
                    return at - last_vote
        time.sleep(0.5)
    return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--participants", type=int, default=2000)
    parser.add_argument("--statements", type=int, default=40)
    parser.add_argument("--votes", type=int, default=12, help="votes per participant")
    parser.add_argument("--changes", type=float, default=0.2, help="share of changed votes")
    parser.add_argument("--think", type=float, default=20.0, help="mean seconds between votes")
    parser.add_argument("--ramp", type=float, default=60.0, help="seconds over which they arrive")
    parser.add_argument("--threads", type=int, default=64, help="client threads")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument(
        "--redis",
        default=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/14"),
        help="cache, sessions and rate limits in this Redis ('' for the database cache)",
    )
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--seed-file", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--verify", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.seed_file:
        seed(args.seed_file, args.statements)
        return 0
    if args.verify:
        verify(args.verify)
        return 0
    database = os.environ.get("DATABASE_URL", "")
    if not database.startswith(("postgres://", "postgresql://")):
        print("Set DATABASE_URL to a PostgreSQL database of your own (it is migrated and filled).")
        return 2
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    work = Path(tempfile.mkdtemp(prefix="coproduce-conversation-bench-"))
    env = {
        **os.environ,
        "COPRODUCE_ENV": "production",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "COPRODUCE_LEDGER_SIGNING_KEY": base64.b64encode(secrets.token_bytes(32)).decode(),
        "COPRODUCE_EQUALITY_KEYS": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_LOG_LEVEL": "WARNING",
        "COPRODUCE_VAR_DIR": str(work),
        "DJANGO_SETTINGS_MODULE": "conversation_votes_settings",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(BENCH), os.environ.get("PYTHONPATH")])),
    }
    env.pop("REDIS_URL", None)
    if args.redis:
        import redis

        redis.Redis.from_url(args.redis).flushdb()  # rate-limit counters of an earlier run
        env["REDIS_URL"] = args.redis
    gunicorn_args = argparse.Namespace(workers=args.workers, worker_class="sync", threads=1)
    print(
        f"coproduce opinion-map vote benchmark: {os.cpu_count()} CPUs, load average "
        f"{os.getloadavg()[0]:.1f} at start, {args.workers} gunicorn sync workers, "
        f"{args.participants} participants x {args.votes} votes, think {args.think:g} s, "
        f"ramp {args.ramp:g} s (offered about {args.participants / args.think:.0f} votes/s)",
        flush=True,
    )
    _run([PYTHON, "manage.py", "migrate", "--no-input", "-v", "0"], env, "migrate")
    _run([PYTHON, "manage.py", "createcachetable"], env, "createcachetable")
    _run([PYTHON, "manage.py", "collectstatic", "--no-input", "-v", "0"], env, "collectstatic")
    seeded_path = work / "seed.json"
    _run(
        [
            PYTHON,
            str(Path(__file__)),
            "--seed-file",
            str(seeded_path),
            "--statements",
            str(args.statements),
        ],
        env,
        "seeding",
    )
    seeded = json.loads(seeded_path.read_text())
    worker = subprocess.Popen(
        [PYTHON, "manage.py", "task_worker"],
        env=env,
        cwd=REPO,
        stdout=(work / "worker.log").open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    results: dict[str, Any] = {"settings": {k: str(v) for k, v in vars(args).items()}}
    try:
        with gunicorn(env, gunicorn_args, work / "gunicorn.log", "") as server:
            port = int(server.base.rsplit(":", 1)[1])
            cpu_before = server.cpu()
            people, seconds = crowd(port, seeded, args)
            cpu_after = server.cpu()
            attempts = [a for p in people for a in p.attempts]
            answered = [a for a in attempts if a.status in (200, 303)]
            last_vote = max((a.at for a in answered), default=time.time())
            map_seconds = map_after(port, seeded["conversation"], last_vote)
            journal = work / "journal.json"
            journal.write_text(
                json.dumps(
                    {
                        "conversation": seeded["conversation"],
                        "participants": [
                            {
                                "key": _key(p.cookies.get(f"cv-{seeded['conversation']}", "")),
                                "attempts": [asdict(a) for a in p.attempts],
                            }
                            for p in people
                        ],
                    }
                )
            )
        out = _run([PYTHON, str(Path(__file__)), "--verify", str(journal)], env, "verify")
        line = next(x for x in out.splitlines() if x.startswith("VERIFY_JSON "))
        findings: dict[str, Any] = json.loads(line.removeprefix("VERIFY_JSON "))
        used = sum(cpu_after[pid] - cpu_before.get(pid, 0.0) for pid in cpu_after)
        latencies = [a.ms for a in answered]
        cuts = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
        findings |= {
            "seconds": seconds,
            "sent": len(attempts),
            "answered": len(answered),
            "changed": sum(
                1
                for p in people
                for a in p.attempts[1:]
                if a.statement in {b.statement for b in p.attempts[: p.attempts.index(a)]}
            ),
            "no_answer": sum(a.status is None for a in attempts),
            "server_errors": sum(a.status is not None and a.status >= 500 for a in attempts),
            "other_statuses": sorted(
                {a.status for a in attempts if a.status not in (200, 303)}, key=str
            ),
            "pages_failed": sum(p.page_status != 200 for p in people),
            "votes_per_second": len(answered) / seconds,
            "p50_ms": statistics.median(latencies) if latencies else 0.0,
            "p95_ms": cuts[94],
            "p99_ms": cuts[98],
            "server_cpu_ms_per_request": 1000 * used / max(1, len(attempts) + len(people)),
            "map_seconds_after_last_vote": map_seconds,
        }
        findings["ok"] = (
            findings["lost_or_wrong"] == 0
            and findings["extra"] == 0
            and findings["server_errors"] == 0
            and findings["pages_failed"] == 0
            and findings["p95_ms"] <= P95_TARGET_MS
            and map_seconds is not None
            and map_seconds <= MAP_TARGET_SECONDS
        )
        results["run"] = findings
        print(
            f"  {findings['sent']} votes sent in {seconds:.0f} s ({findings['changed']} changes), "
            f"{findings['answered']} answered, {findings['no_answer']} without an answer, "
            f"{findings['server_errors']} 5xx, other statuses {findings['other_statuses']}\n"
            f"  vote latency p50 {findings['p50_ms']:.0f} ms, p95 {findings['p95_ms']:.0f} ms "
            f"(target {P95_TARGET_MS:.0f}), p99 {findings['p99_ms']:.0f} ms; "
            f"{findings['votes_per_second']:.0f} votes/s; server CPU "
            f"{findings['server_cpu_ms_per_request']:.1f} ms per request\n"
            f"  database: {findings['votes_stored']} votes stored, {findings['votes_expected']} "
            f"expected, lost or wrong {findings['lost_or_wrong']}, extra {findings['extra']}\n"
            f"  map computed {_seconds(map_seconds)} after the last vote "
            f"(target {MAP_TARGET_SECONDS:.0f} s)\n"
            f"  -> {'PASS' if findings['ok'] else 'FAIL'}",
            flush=True,
        )
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGTERM)
            worker.wait(timeout=30)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return 0 if results.get("run", {}).get("ok") else 1


def _key(cookie: str) -> str:
    """The participant key inside the signed cookie (value:signature)."""
    return urllib.parse.unquote(cookie).strip('"').split(":", 1)[0]


def _seconds(value: float | None) -> str:
    return "not" if value is None else f"{value:.1f} s"


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchmarkError as error:
        print(f"benchmark failed: {error}", file=sys.stderr)
        sys.exit(1)
