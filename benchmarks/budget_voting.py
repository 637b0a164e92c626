"""Load benchmark: voters casting and changing ballots at once, on PostgreSQL, over HTTP.

Issue 10 asks that 200 concurrent voters casting and changing ballots behind several web processes
lose no ballot and count none twice, with no server error; that a web process killed with SIGKILL
mid-run loses no acknowledged ballot; and that casting a ballot answers within 150 ms at the 95th
percentile with 16 concurrent voters on this 2-core machine.

It serves the project with gunicorn in the production posture of benchmarks/web.py (the command of
docs/operations.md: 4 sync worker processes; DEBUG off, hashed static files, the database cache),
on the PostgreSQL database of DATABASE_URL, which it migrates and fills with what it needs: a
published service with three open budgets (12 projects each, approval ballots of 1 to 4 projects)
and 216 residents, each with an API token. Each simulated voter is a thread with its own token
(the API's PUT /api/budgets/{id}/ballot, the same action as the website's ballot form) and keeps a
journal of every ballot it sent and what the server answered.

1. **Consistency.** 200 voters at once, each casting a ballot and changing it 4 times. Then, in the
   database: every voter whose cast was acknowledged has exactly one ballot; it is the *last*
   acknowledged one (same projects, and its anonymised id is the hash of the last receipt); no
   ballot exists that nobody cast; a count of the budget (the counting code of the staff button)
   sees one ballot per voter and the votes per project that the journals add up to; no 5xx.
2. **A web process killed.** The same on a second budget, and when about 40 % of the ballots are
   in, one gunicorn worker is killed with SIGKILL (the master starts another). Requests in flight
   on it fail (the client sees a dropped connection: not acknowledged). Every acknowledged ballot
   must still be there; a voter whose last request was not acknowledged may have either that ballot
   or the last acknowledged one, nothing else.
3. **Latency.** 16 voters, each casting or changing a ballot as soon as the last answer arrived,
   for --duration seconds: p50/p95/p99 and ballots/s. In the same run and the same way, two
   baselines: reading your ballot (GET /api/budgets/{id}/ballot, same token check, one query) and
   the bare Django view of benchmarks/web_urls.py. Target: cast p95 <= 150 ms.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h5dev .venv/bin/python benchmarks/budget_voting.py
    ... benchmarks/budget_voting.py --quick           # 60 voters, 8 s of latency, for a smoke run
    ... benchmarks/budget_voting.py --json /tmp/voting.json

Linux only (/proc, to find and kill a worker). The client runs on the same 2 cores as the server
and PostgreSQL, so latencies include its share; compare with the baselines of the same run.
Results and how to read them: docs/performance.md ("Casting ballots under load").
"""

from __future__ import annotations

import argparse
import base64
import http.client
import json
import os
import random
import secrets
import shutil
import signal
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
BENCH = REPO / "benchmarks"
sys.path.insert(0, str(BENCH))

from web import BenchmarkError, Server, _run, gunicorn  # noqa: E402

PYTHON = sys.executable
P95_TARGET_MS = 150.0
PROJECTS = 12
MAX_CHOICES = 4


# --- inside Django: seed and verify (run as a subprocess with the server's environment) ----------


def _django() -> None:
    sys.path.insert(0, str(REPO))
    import django

    django.setup()


def seed(out: Path, voters: int) -> None:
    """Three open budgets in voting, and ``voters`` residents with API tokens; writes JSON."""
    _django()
    import datetime as dt

    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from coproduce.accounts.models import ApiToken, User
    from coproduce.budgeting import actions
    from coproduce.budgeting.models import Feasibility, Phase
    from coproduce.services.models import ActivityKind, ActivityState
    from coproduce.services.tests.factories import ActivityFactory, ServiceFactory, staff_of

    run = secrets.token_hex(4)
    service = ServiceFactory(name=f"Ballot load test {run}")
    budgets = []
    for label in ("consistency", "kill", "latency"):
        activity = ActivityFactory(
            service=service,
            kind=ActivityKind.PARTICIPATORY_BUDGET,
            state=ActivityState.OPEN,
            title=f"Load test budget: {label}",
        )
        staff = staff_of(activity)
        budget = actions.budget_create(
            activity=activity,
            by=staff,
            areas=[("Whole town", 200_000)],
            min_choices=1,
            max_choices=MAX_CHOICES,
        )
        area = budget.areas.get()
        author = User.objects.create_user(email=f"author.{run}.{label}@example.org")
        for number in range(1, PROJECTS + 1):
            proposal = actions.proposal_create(
                budget=budget,
                author=author,
                area=area,
                title=f"Project {number}",
                description=f"What project {number} would do.",
                estimated_cost=5_000 * number,
            )
            actions.proposal_review(proposal=proposal, by=staff, feasibility=Feasibility.FEASIBLE)
        actions.phase_set(budget=budget, by=staff, phase=Phase.REVIEW)
        actions.phase_set(budget=budget, by=staff, phase=Phase.VOTING)
        references = list(budget.proposals.on_ballot().values_list("reference", flat=True))
        budgets.append({"label": label, "id": budget.pk, "area": area.pk, "refs": references})
    password = make_password(None)
    users = User.objects.bulk_create(
        User(email=f"voter{n}.{run}@example.org", password=password) for n in range(voters)
    )
    tokens = []
    expires = timezone.now() + dt.timedelta(days=1)
    rows = []
    for user in users:
        raw, prefix, token_hash = ApiToken.generate()
        rows.append(
            ApiToken(
                user=user, name="load", prefix=prefix, token_hash=token_hash, expires_at=expires
            )
        )
        tokens.append({"user": user.pk, "token": raw})
    ApiToken.objects.bulk_create(rows)
    out.write_text(json.dumps({"budgets": budgets, "voters": tokens}))


def verify(journal_path: Path) -> None:
    """Compare the database with the voters' journals; prints one JSON line of findings."""
    _django()
    from collections import Counter

    from coproduce.budgeting.actions_voting import public_id_for
    from coproduce.budgeting.counting import count_budget
    from coproduce.budgeting.models import Ballot, Budget

    journal = json.loads(journal_path.read_text())
    budget = Budget.objects.get(pk=journal["budget"])
    stored: dict[int, tuple[str, frozenset[str]]] = {}
    per_voter = Counter[int]()
    for ballot in Ballot.objects.filter(budget=budget).prefetch_related("choices__proposal"):
        assert ballot.voter_id is not None
        per_voter[ballot.voter_id] += 1
        refs = frozenset(choice.proposal.reference for choice in ballot.choices.all())
        stored[ballot.voter_id] = (ballot.public_id, refs)
    findings: dict[str, Any] = {
        "ballots": len(stored),
        "twice": sum(n > 1 for n in per_voter.values()),
        "lost": 0,  # an acknowledged ballot missing, or replaced by an older one
        "not_last": 0,  # the stored ballot is not the last acknowledged (and no later attempt)
        "phantom": 0,  # a ballot for a voter who never sent one
        "unacknowledged_applied": 0,  # a request whose answer never came, yet it was saved
        "examples": [],
    }
    expected = Counter[str]()
    for voter in journal["voters"]:
        user = voter["user"]
        attempts = voter["attempts"]
        acked = [a for a in attempts if a["status"] == 200]
        have = stored.get(user)
        if not attempts:
            continue
        if not acked:
            pending = [a for a in attempts if a["status"] is None]
            if have is None:
                continue
            if any(frozenset(a["choices"]) == have[1] for a in pending):
                findings["unacknowledged_applied"] += 1
                expected.update(have[1])
            else:
                findings["phantom"] += 1
            continue
        last = acked[-1]
        later = attempts[attempts.index(last) + 1 :]
        if have is None:
            findings["lost"] += 1
            findings["examples"].append({"user": user, "why": "no ballot", "last": last})
            continue
        matches_last = have[0] == public_id_for(last["receipt"]) and have[1] == frozenset(
            last["choices"]
        )
        if matches_last:
            expected.update(have[1])
            continue
        # Only a later request whose answer never arrived may have replaced it.
        if any(a["status"] is None and frozenset(a["choices"]) == have[1] for a in later):
            findings["unacknowledged_applied"] += 1
            expected.update(have[1])
            continue
        older = any(frozenset(a["choices"]) == have[1] for a in acked[:-1])
        findings["lost" if older else "not_last"] += 1
        findings["examples"].append({"user": user, "stored": sorted(have[1]), "last": last})
    result = count_budget(budget)
    counted = Counter[str]()
    for area in result.as_json()["areas"]:
        for project in area["projects"]:
            counted[project["reference"]] = project["votes"]
    findings["counted_ballots"] = result.ballot_count
    findings["votes_match"] = +counted == +expected
    findings["examples"] = findings["examples"][:5]
    print("VERIFY_JSON " + json.dumps(findings))


# --- the voters (HTTP clients) -------------------------------------------------------------------


@dataclass
class Attempt:
    choices: list[str]
    status: int | None  # None: no answer (the connection dropped)
    receipt: str = ""
    ms: float = 0.0
    detail: str = ""  # the start of an error answer


@dataclass
class Voter:
    user: int
    token: str
    attempts: list[Attempt] = field(default_factory=list)


def _request(
    port: int, method: str, path: str, token: str = "", body: dict[str, Any] | None = None
) -> tuple[int | None, dict[str, Any] | None, float]:
    """One request on a new connection (sync gunicorn workers close each one); status None when the
    connection failed before an answer arrived."""
    headers = {"Host": "127.0.0.1", "Accept": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        connection.request(method, path, body=data, headers=headers)
        response = connection.getresponse()
        raw = response.read()
        status = response.status
    except (OSError, http.client.HTTPException):
        return None, None, (time.perf_counter() - started) * 1000
    finally:
        connection.close()
    elapsed = (time.perf_counter() - started) * 1000
    parsed = None
    if raw[:1] == b"{":
        parsed = json.loads(raw)
    return status, parsed, elapsed


def _ballot(rng: random.Random, refs: list[str]) -> list[str]:
    return sorted(rng.sample(refs, rng.randint(1, MAX_CHOICES)))


def cast(port: int, budget: dict[str, Any], voter: Voter, rng: random.Random) -> Attempt:
    choices = _ballot(rng, budget["refs"])
    body = {
        "area": budget["area"],
        "choices": [{"project": ref} for ref in choices],
        "age_confirmed": True,
    }
    status, answer, ms = _request(
        port, "PUT", f"/api/budgets/{budget['id']}/ballot", voter.token, body
    )
    receipt = str(answer.get("receipt", "")) if status == 200 and answer else ""
    detail = "" if status == 200 else json.dumps(answer)[:300]
    attempt = Attempt(choices=choices, status=status, receipt=receipt, ms=ms, detail=detail)
    voter.attempts.append(attempt)
    return attempt


def storm(
    port: int,
    budget: dict[str, Any],
    voters: list[Voter],
    rounds: int,
    on_progress: Any = None,
) -> float:
    """Every voter casts, then changes their ballot rounds - 1 times, all at once."""
    barrier = threading.Barrier(len(voters))
    done = [0]
    lock = threading.Lock()

    def run(voter: Voter, seed: int) -> None:
        rng = random.Random(seed)
        barrier.wait()
        for _ in range(rounds):
            cast(port, budget, voter, rng)
            with lock:
                done[0] += 1
                count = done[0]
            if on_progress is not None:
                on_progress(count)

    threads = [threading.Thread(target=run, args=(v, i)) for i, v in enumerate(voters)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started


def closed_loop(
    port: int, voters: list[Voter], seconds: float, action: Any, server: Server | None = None
) -> dict[str, float]:
    """Each voter repeats ``action`` as soon as the last answer came, for ``seconds``; with
    ``server``, also the server's CPU time per request (gunicorn and PostgreSQL's backends)."""
    latencies: list[float] = []
    failures = [0]
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def run(voter: Voter, seed: int) -> None:
        rng = random.Random(seed)
        mine: list[float] = []
        bad = 0
        while time.perf_counter() < stop:
            status, ms = action(voter, rng)
            if status == 200:
                mine.append(ms)
            else:
                bad += 1
        with lock:
            latencies.extend(mine)
            failures[0] += bad

    threads = [threading.Thread(target=run, args=(v, 1000 + i)) for i, v in enumerate(voters)]
    cpu_before = server.cpu() if server else {}
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    cpu_after = server.cpu() if server else {}
    used = sum(cpu_after[pid] - cpu_before.get(pid, 0.0) for pid in cpu_after)
    if not latencies:
        raise BenchmarkError("no request succeeded in the latency run")
    cuts = statistics.quantiles(latencies, n=100)
    return {
        "requests": len(latencies),
        "failures": failures[0],
        "rps": len(latencies) / elapsed,
        "p50_ms": statistics.median(latencies),
        "p95_ms": cuts[94],
        "p99_ms": cuts[98],
        "cpu_ms": 1000 * used / (len(latencies) + failures[0]) if server else 0.0,
    }


# --- orchestration -------------------------------------------------------------------------------


def workers_of(master: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            if int(stat.rsplit(")", 1)[1].split()[1]) == master:
                found.append(int(entry.name))
        except (OSError, ValueError, IndexError):
            continue
    return found


def check_run(
    label: str, budget: dict[str, Any], voters: list[Voter], env: dict[str, str], work: Path
) -> dict[str, Any]:
    journal = work / f"journal-{label}.json"
    journal.write_text(
        json.dumps(
            {
                "budget": budget["id"],
                "voters": [
                    {"user": v.user, "attempts": [asdict(a) for a in v.attempts]} for v in voters
                ],
            }
        )
    )
    out = _run([PYTHON, str(Path(__file__)), "--verify", str(journal)], env, "verify")
    line = next(x for x in out.splitlines() if x.startswith("VERIFY_JSON "))
    findings: dict[str, Any] = json.loads(line.removeprefix("VERIFY_JSON "))
    attempts = [a for v in voters for a in v.attempts]
    findings["sent"] = len(attempts)
    findings["acknowledged"] = sum(a.status == 200 for a in attempts)
    findings["no_answer"] = sum(a.status is None for a in attempts)
    findings["server_errors"] = sum(a.status is not None and a.status >= 500 for a in attempts)
    findings["other_statuses"] = dict(
        sorted(
            {
                str(s): sum(a.status == s for a in attempts)
                for s in {a.status for a in attempts}
                if s not in (200, None) and s < 500
            }.items()
        )
    )
    findings["error_examples"] = sorted({a.detail for a in attempts if a.status != 200})[:3]
    acked = [a.ms for a in attempts if a.status == 200]
    findings["p95_ms"] = statistics.quantiles(acked, n=100)[94] if len(acked) > 1 else 0.0
    findings["ok"] = (
        findings["lost"] == 0
        and findings["twice"] == 0
        and findings["not_last"] == 0
        and findings["phantom"] == 0
        and findings["server_errors"] == 0
        and findings["votes_match"]
        and findings["counted_ballots"] == findings["ballots"]
    )
    return findings


def show(label: str, findings: dict[str, Any], seconds: float) -> None:
    print(
        f"  {label}: {findings['sent']} ballots sent in {seconds:.1f} s, "
        f"{findings['acknowledged']} acknowledged, {findings['no_answer']} without an answer, "
        f"{findings['server_errors']} 5xx, other {findings['other_statuses'] or 'none'}; p95 "
        f"{findings['p95_ms']:.0f} ms"
    )
    print(
        f"    database: {findings['ballots']} ballots (count saw {findings['counted_ballots']}), "
        f"lost {findings['lost']}, twice {findings['twice']}, not the last {findings['not_last']}, "
        f"phantom {findings['phantom']}, unanswered but saved "
        f"{findings['unacknowledged_applied']}, votes per project match the journals: "
        f"{findings['votes_match']}  -> {'PASS' if findings['ok'] else 'FAIL'}"
    )
    for example in findings["examples"]:
        print(f"    e.g. {example}")
    for detail in findings["error_examples"]:
        print(f"    an error answer: {detail}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--voters", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=5, help="casts per voter (1 + changes)")
    parser.add_argument("--latency-voters", type=int, default=16)
    parser.add_argument("--duration", type=float, default=20.0, help="seconds per latency run")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--quick", action="store_true", help="60 voters, 8 s latency runs")
    parser.add_argument(
        "--redis",
        default=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/14"),
        help="cache, sessions and rate limits in this Redis, as in production ('' for the "
        "embedded database cache)",
    )
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--seed", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--seed-voters", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--verify", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.seed:
        seed(args.seed, args.seed_voters)
        return 0
    if args.verify:
        verify(args.verify)
        return 0
    if args.quick:
        args.voters, args.duration = 60, 8.0
    database = os.environ.get("DATABASE_URL", "")
    if not database.startswith(("postgres://", "postgresql://")):
        print("Set DATABASE_URL to a PostgreSQL database of your own (it is migrated and filled).")
        return 2
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    work = Path(tempfile.mkdtemp(prefix="coproduce-voting-bench-"))
    env = {
        **os.environ,
        "COPRODUCE_ENV": "production",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        # Production settings need a ledger key (docs/ledger.md); any random one will do here.
        "COPRODUCE_LEDGER_SIGNING_KEY": base64.b64encode(secrets.token_bytes(32)).decode(),
        "COPRODUCE_EQUALITY_KEYS": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_LOG_LEVEL": "WARNING",
        "COPRODUCE_VAR_DIR": str(work),
        "DJANGO_SETTINGS_MODULE": "budget_voting_settings",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(BENCH), os.environ.get("PYTHONPATH")])),
    }
    env.pop("REDIS_URL", None)
    if args.redis:
        import redis

        redis.Redis.from_url(args.redis).flushdb()  # rate-limit counters of an earlier run
        env["REDIS_URL"] = args.redis
    gunicorn_args = argparse.Namespace(workers=args.workers, worker_class="sync", threads=1)
    results: dict[str, Any] = {"settings": vars(args) | {"json": str(args.json)}}
    try:
        print(
            f"coproduce ballot load benchmark: {os.cpu_count()} CPUs, load average "
            f"{os.getloadavg()[0]:.1f} at start, {args.workers} gunicorn sync workers, "
            f"{args.voters} voters x {args.rounds} ballots",
            flush=True,
        )
        _run([PYTHON, "manage.py", "migrate", "--no-input", "-v", "0"], env, "migrate")
        _run([PYTHON, "manage.py", "createcachetable"], env, "createcachetable")
        try:  # the API and the bare view render no template: static files are not essential
            _run(
                [PYTHON, "manage.py", "collectstatic", "--no-input", "-v", "0"],
                env,
                "collectstatic",
            )
        except BenchmarkError as error:
            print(f"  (collectstatic failed, carrying on without it: {str(error)[-300:]})")
        seeded = work / "seed.json"
        total = max(args.voters, args.latency_voters)
        _run(
            [PYTHON, str(Path(__file__)), "--seed", str(seeded), "--seed-voters", str(total)],
            env,
            "seeding",
        )
        data = json.loads(seeded.read_text())
        budgets = {b["label"]: b for b in data["budgets"]}

        def voters(n: int) -> list[Voter]:
            return [Voter(user=v["user"], token=v["token"]) for v in data["voters"][:n]]

        with gunicorn(env, gunicorn_args, work / "gunicorn.log", "") as server:
            port = int(server.base.rsplit(":", 1)[1])
            print(f"  gunicorn {server.master} on {server.base}", flush=True)

            # 1. Consistency.
            crowd = voters(args.voters)
            seconds = storm(port, budgets["consistency"], crowd, args.rounds)
            findings = check_run("consistency", budgets["consistency"], crowd, env, work)
            show(f"{args.voters} voters at once", findings, seconds)
            results["consistency"] = findings

            # 2. A worker killed with SIGKILL while ballots come in.
            crowd = voters(args.voters)
            killed: list[int] = []
            at = int(0.4 * args.voters * args.rounds)

            def kill(done: int) -> None:
                if done >= at and not killed:
                    killed.append(0)
                    pids = workers_of(server.master)
                    if pids:
                        victim = random.choice(pids)
                        os.kill(victim, signal.SIGKILL)
                        killed[0] = victim

            seconds = storm(port, budgets["kill"], crowd, args.rounds, on_progress=kill)
            findings = check_run("kill", budgets["kill"], crowd, env, work)
            findings["killed_worker"] = killed[0] if killed else None
            show(
                f"the same, worker {findings['killed_worker']} killed (SIGKILL)", findings, seconds
            )
            results["kill"] = findings
            time.sleep(2)  # the master has started a new worker

            # 3. Latency at 16 voters, against two baselines measured the same way.
            few = voters(args.latency_voters)
            latency = budgets["latency"]

            def do_cast(voter: Voter, rng: random.Random) -> tuple[int | None, float]:
                attempt = cast(port, latency, voter, rng)
                return attempt.status, attempt.ms

            def do_read(voter: Voter, rng: random.Random) -> tuple[int | None, float]:
                status, _answer, ms = _request(
                    port, "GET", f"/api/budgets/{latency['id']}/ballot", voter.token
                )
                return status, ms

            def do_bare(voter: Voter, rng: random.Random) -> tuple[int | None, float]:
                status, _answer, ms = _request(port, "GET", "/bench/bare/")
                return status, ms

            # PostgreSQL's backends for our database count as the server too.
            measured = Server(server.base, server.master, database.rsplit("/", 1)[-1])
            closed_loop(port, few, 2.0, do_cast)  # warm up: every voter has a ballot to change
            rows = {}
            for name, action in [
                ("bare view", do_bare),
                ("read your ballot", do_read),
                ("cast or change a ballot", do_cast),
            ]:
                rows[name] = closed_loop(port, few, args.duration, action, measured)
            cast_row, read_row, bare_row = (
                rows["cast or change a ballot"],
                rows["read your ballot"],
                rows["bare view"],
            )
            print(
                f"\n  {args.latency_voters} voters, closed loop, {args.duration:g} s each "
                f"(load average {os.getloadavg()[0]:.1f}):"
            )
            print(
                f"  {'':26} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} "
                f"{'CPU ms/req':>10}  failures"
            )
            for name, row in rows.items():
                print(
                    f"  {name:26} {row['rps']:7.1f} {row['p50_ms']:7.1f} {row['p95_ms']:7.1f} "
                    f"{row['p99_ms']:7.1f} {row['cpu_ms']:10.1f}  {row['failures']}"
                )
            ratio = cast_row["p95_ms"] / read_row["p95_ms"]
            verdict = "PASS" if cast_row["p95_ms"] <= P95_TARGET_MS else "FAIL"
            print(
                f"  cast p95 / read p95 = {ratio:.2f}; cast p95 / bare p95 = "
                f"{cast_row['p95_ms'] / bare_row['p95_ms']:.2f}; cast throughput = "
                f"{cast_row['rps'] / bare_row['rps']:.0%} of the bare view's; target p95 <= "
                f"{P95_TARGET_MS:g} ms: {verdict}"
            )
            results["latency"] = rows | {"ratio_p95_cast_to_read": ratio, "verdict": verdict}
            results["load_average_end"] = os.getloadavg()[0]
            log = (work / "gunicorn.log").read_text()
            results["gunicorn_log_tail"] = log[-2000:]
    except BenchmarkError as error:
        print(f"\nThe benchmark stopped: {error}", file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    ok = results["consistency"]["ok"] and results["kill"]["ok"]
    print(f"\nballots: {'no ballot lost or counted twice' if ok else 'FAILED (see above)'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
