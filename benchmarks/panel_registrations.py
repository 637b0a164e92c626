"""Load benchmark: 500 people registering for a citizen panel at once, on PostgreSQL, over HTTP.

Issue 13 asks that 500 registrations arriving at once lose none, duplicate none per code, and
cause no server error.

It serves the project with gunicorn in the production posture of benchmarks/web.py (4 sync
workers, DEBUG off, hashed static files, Redis for the cache, sessions and rate limits) on the
PostgreSQL database of DATABASE_URL, which it migrates and fills with one citizen panel at its
registration phase, made with the panels app's own actions as the demo's transport panel is
(coproduce/demo/panels.py, with panels_content.py): four quota questions, an address list, and
letters drawn with a seed, each with its registration code (a tenth more letters than
registrations: codes nobody uses).

Each simulated resident is a browser without an account holding its own letter's code. It goes the
way a person does, through the website's forms, keeping its cookies and sending the CSRF token of
each page: it opens the letter's link (GET /panels/{id}/register/?code=…, the QR code's address),
sends the code (POST, step "code": a 302 back to the form), opens the registration form (GET) and
sends it (POST: name, email, an answer to each quota question, consent; a 302 to the thank-you page
is the acknowledgement). Each of the three steps is a wave: every resident waits at a barrier and
all are released at once. --doubles of them send their code twice at the same moment, in turn in
three ways: a double click (the same form page sent twice), two tabs (the form opened twice in the
same browser, both sent) and two devices (two browsers, each typing the code).

Every answer is journalled; afterwards the database must hold exactly one registrant per code that
was acknowledged, none for a code that was not (unless a request for it got no answer), no two
registrants for one code and none without a code, each registrant's registration data (with the
name and email its resident sent) and one email task per registrant; and there must be no 5xx and
no resident with a valid code refused. Latency (p50/p95/p99) and throughput are printed for each
wave beside two baselines of the same run measured the same way (all at once): the bare Django
view of benchmarks/web_urls.py, and the registration form page (the GET wave).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h5bench_reg .venv/bin/python benchmarks/panel_registrations.py
    ... benchmarks/panel_registrations.py --quick            # 100 registrations, 10 of them twice
    ... benchmarks/panel_registrations.py --json /tmp/panel-registrations.json

No rate limit needs raising: only wrong codes count against an address, and every code here is
right. The client runs on the same 2 cores as the server, PostgreSQL and Redis, so latencies
include its share; read them against the baselines. Results: docs/performance.md ("Registering
for a citizen panel at once").
"""

from __future__ import annotations

import argparse
import base64
import http.client
import json
import os
import random
import re
import secrets
import shutil
import signal
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
BENCH = REPO / "benchmarks"
sys.path.insert(0, str(BENCH))

from conversation_votes import TOKEN, _django  # noqa: E402
from web import BenchmarkError, Server, _run, gunicorn  # noqa: E402

PYTHON = sys.executable
ONE_TIME = re.compile(rb'name="one_time_token" value="([^"]+)"')
ERRORS = re.compile(rb'<div class="govuk-error-summary.*?</ul>', re.DOTALL)
TAGS = re.compile(r"<[^>]+>|\s+")
MODES = ("double click", "two tabs", "two devices")
# The rows printed for the waves: (row, step of the requests, wave).
ROWS = (
    ("open the letter's link", "open", "open and send the code"),
    ("send the code", "code", "open and send the code"),
    ("form page", "form", "form page"),
    ("register", "register", "register"),
)
WAVE_OF = {step: wave for _row, step, wave in ROWS}


# --- inside Django: seed and verify (run as subprocesses with the server's environment) ----------


def seed(out: Path, registrations: int, seed_number: int) -> None:
    """A citizen panel at registration with letters (and codes) for more than ``registrations``
    addresses, set up as the demo's transport panel is; writes JSON for the clients."""
    _django()
    import datetime as dt

    from django.utils import timezone

    from coproduce.demo.panels import _advance, _invite, _set_up
    from coproduce.demo.panels_content import TRANSPORT_AREAS, TRANSPORT_QUESTIONS
    from coproduce.panels.forms_public import category_field_name
    from coproduce.panels.models import PREFER_NOT_TO_SAY, Phase
    from coproduce.services.models import ActivityKind, ActivityState
    from coproduce.services.tests.factories import ActivityFactory, ServiceFactory, staff_of

    run = secrets.token_hex(4)
    service = ServiceFactory(name=f"Panel registration load test {run}")
    activity = ActivityFactory(
        service=service,
        kind=ActivityKind.CITIZEN_PANEL,
        state=ActivityState.OPEN,
        title="Load test citizen panel",
    )
    coordinator = staff_of(activity)
    today = timezone.localdate()
    panel = _set_up(
        activity,
        coordinator,
        "How should community transport change so that nobody in the villages is cut off?",
        16,
        TRANSPORT_QUESTIONS,
        invitations_sent_on=today,
        registration_closes_on=today + dt.timedelta(days=14),
    )
    panel = _advance(panel, coordinator, Phase.INVITATIONS)
    letters = registrations + max(10, registrations // 10)
    drawn = _invite(
        panel,
        coordinator,
        random.Random(seed_number),
        TRANSPORT_QUESTIONS,
        TRANSPORT_AREAS,
        addresses=4 * letters,
        letters=letters,
        seed=seed_number,
    )
    panel = _advance(panel, coordinator, Phase.REGISTRATION)
    categories = [
        {
            "field": category_field_name(category),
            "values": [feature.value for feature in category.features.all()]
            + ([PREFER_NOT_TO_SAY] if category.allow_prefer_not_to_say else []),
        }
        for category in panel.categories.prefetch_related("features")
    ]
    codes = [letter.registration_code for letter in drawn]
    out.write_text(json.dumps({"panel": panel.pk, "codes": codes, "categories": categories}))


def verify(journal_path: Path) -> None:
    """Compare the panel's registrants with the residents' journals; prints one JSON line."""
    _django()
    from django_tasks_db.models import DBTaskResult

    from coproduce.panels.models import Registrant, RegistrationData

    journal = json.loads(journal_path.read_text())
    rows = list(
        Registrant.objects.filter(panel_id=journal["panel"]).values_list("pk", "registration_code")
    )
    per_code = Counter(code for _pk, code in rows if code)
    data = {
        registrant: (name, email)
        for registrant, name, email in RegistrationData.objects.filter(
            registrant__panel_id=journal["panel"]
        ).values_list("registrant_id", "name", "email")
    }
    registrant_of = {code: pk for pk, code in rows if code}
    emails = Counter[int]()
    for task in DBTaskResult.objects.filter(
        task_path__endswith=".send_registration_email"
    ).values_list("args_kwargs", flat=True):
        emails.update(task.get("args", [])[:1])
    pks = {pk for pk, _code in rows}
    findings: dict[str, Any] = {
        "registrants": len(rows),
        "without_code": sum(code is None for _pk, code in rows),
        "duplicated_codes": sum(n > 1 for n in per_code.values()),
        "without_data": sum(pk not in data for pk in pks),
        "emails_queued": sum(emails[pk] for pk in pks),
        "registrants_without_one_email": sum(emails[pk] != 1 for pk in pks),
        "lost": 0,  # an acknowledged code with no registrant
        "phantom": 0,  # a registrant for a code nobody was told had registered
        "unanswered_saved": 0,  # a code whose request got no answer, yet it was saved
        "wrong_data": 0,  # the registration data are not what the code's resident sent
        "examples": [],
    }
    known = set()
    for person in journal["residents"]:
        code = person["code"]
        known.add(code)
        posts = [r for r in person["requests"] if r["step"] == "register"]
        acknowledged = any(r["ok"] for r in posts)
        unanswered = any(r["status"] is None for r in posts)
        stored = registrant_of.get(code)
        if acknowledged and stored is None:
            findings["lost"] += 1
            findings["examples"].append({"code": code, "why": "acknowledged, not stored"})
        elif stored is not None and not acknowledged:
            findings["unanswered_saved" if unanswered else "phantom"] += 1
            if not unanswered:
                findings["examples"].append({"code": code, "why": "stored, never acknowledged"})
        if stored is not None and data.get(stored) != (person["name"], person["email"]):
            findings["wrong_data"] += 1
            findings["examples"].append({"code": code, "why": "data", "got": data.get(stored)})
    strangers = [code for code in per_code if code not in known]  # letters nobody used
    findings["phantom"] += len(strangers)
    findings["examples"] += [{"code": code, "why": "nobody sent it"} for code in strangers]
    findings["examples"] = findings["examples"][:5]
    print("VERIFY_JSON " + json.dumps(findings))


# --- the residents (HTTP clients) ----------------------------------------------------------------


@dataclass
class Browser:
    """One browser's cookies (a resident with two devices has two)."""

    cookies: dict[str, str] = field(default_factory=dict)


@dataclass
class Request:
    step: str  # "open" (the letter's link), "code", "form" (the form page), "register"
    status: int | None  # None: no answer (the connection dropped)
    ms: float
    location: str = ""
    # The step did what it should: the page with its token(s), the code answered with a 302 to
    # the form, the form with a 302 to the thank-you page (the acknowledgement).
    ok: bool = False
    detail: str = ""  # the error summary of a form shown again


@dataclass
class Resident:
    number: int
    code: str
    name: str
    email: str
    answers: dict[str, str]
    mode: str = "once"  # or one of MODES
    browsers: list[Browser] = field(default_factory=list)
    requests: list[Request] = field(default_factory=list)


@dataclass
class Sender:
    """One registration form on its way: its browser, the page's CSRF and one-time tokens."""

    resident: Resident
    browser: Browser
    csrf: str = ""
    one_time: str = ""


def _send(
    port: int, method: str, path: str, browser: Browser, body: dict[str, str] | None = None
) -> tuple[int | None, bytes, float, str]:
    """One request on a new connection (sync gunicorn workers close each one), keeping cookies;
    returns the status (None: no answer), the body, milliseconds and the Location header."""
    headers = {"Host": "127.0.0.1"}
    if browser.cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in browser.cookies.items())
    data = None
    if body is not None:
        data = urllib.parse.urlencode(body).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    try:
        connection.request(method, path, body=data, headers=headers)
        response = connection.getresponse()
        raw = response.read()
        status = response.status
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, content = value.split(";", 1)[0].partition("=")
                browser.cookies[key.strip()] = content.strip()
        location = response.getheader("Location") or ""
    except (OSError, http.client.HTTPException):
        return None, b"", (time.perf_counter() - started) * 1000, ""
    finally:
        connection.close()
    return status, raw, (time.perf_counter() - started) * 1000, location


def _token(pattern: re.Pattern[bytes], raw: bytes) -> str:
    found = pattern.search(raw)
    return found.group(1).decode() if found else ""


def _errors(raw: bytes) -> str:
    found = ERRORS.search(raw)
    return TAGS.sub(" ", found.group(0).decode(errors="replace")).strip()[:300] if found else ""


def _page_shown(raw: bytes) -> str:
    """Which page a form sent was answered with, when it was not the thank-you page."""
    if b'name="step" value="code"' in raw:
        return "the page asking for the code"
    title = re.search(rb"<title>(.*?)</title>", raw, re.DOTALL)
    return TAGS.sub(" ", title.group(1).decode(errors="replace")).strip() if title else ""


def at_once(jobs: list[Callable[[], None]]) -> float:
    """Run every job in its own thread, all released together by a barrier; seconds taken."""
    barrier = threading.Barrier(len(jobs) + 1)

    def run(job: Callable[[], None]) -> None:
        barrier.wait()
        job()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started


def residents(
    seeded: dict[str, Any], count: int, doubles: int, rng: random.Random
) -> list[Resident]:
    """``count`` residents, each with a letter's code and answers; ``doubles`` of them (spread
    through the crowd) send their code twice, in turn by each of MODES."""
    people = []
    for number, code in enumerate(seeded["codes"][:count]):
        answers = {c["field"]: rng.choice(c["values"]) for c in seeded["categories"]}
        people.append(
            Resident(
                number=number,
                code=code,
                name=f"Resident {number} of the load test",
                email=f"resident{number}.{code.lower()}@example.org",
                answers=answers,
            )
        )
    for n, number in enumerate(sorted(rng.sample(range(count), min(doubles, count)))):
        people[number].mode = MODES[n % len(MODES)]
    for person in people:
        person.browsers = [Browser() for _ in range(2 if person.mode == "two devices" else 1)]
    return people


def register_crowd(
    server: Server, port: int, panel: int, people: list[Resident]
) -> dict[str, tuple[float, float]]:
    """The three waves, each all at once; returns each wave's seconds and server CPU seconds
    (the requests and their answers are in the residents' journals)."""
    page = f"/panels/{panel}/register/"
    thanks = f"/panels/{panel}/registered/"
    lock = threading.Lock()

    def log(person: Resident, request: Request) -> None:
        with lock:
            person.requests.append(request)

    # Wave 1: every browser opens its letter's link and sends the code.
    def open_and_send_code(person: Resident, browser: Browser) -> Callable[[], None]:
        def job() -> None:
            link = f"{page}?{urllib.parse.urlencode({'code': person.code})}"
            status, raw, ms, _where = _send(port, "GET", link, browser)
            csrf = _token(TOKEN, raw)
            log(person, Request("open", status, ms, ok=status == 200 and bool(csrf)))
            body = {"csrfmiddlewaretoken": csrf, "step": "code", "code": person.code}
            status, raw, ms, where = _send(port, "POST", page, browser, body)
            ok = status == 302 and urllib.parse.urlsplit(where).path == page
            log(person, Request("code", status, ms, where, ok, _errors(raw)))

        return job

    # Wave 2: each form to be sent is opened.
    pages: list[Sender] = []
    for person in people:
        for browser in person.browsers:
            pages.append(Sender(person, browser))
            if person.mode == "two tabs":
                pages.append(Sender(person, browser))
    # A double click sends the same page twice.
    senders = pages + [s for s in pages if s.resident.mode == "double click"]

    def open_form(sender: Sender) -> Callable[[], None]:
        def job() -> None:
            status, raw, ms, _where = _send(port, "GET", page, sender.browser)
            sender.csrf, sender.one_time = _token(TOKEN, raw), _token(ONE_TIME, raw)
            ok = status == 200 and bool(sender.csrf and sender.one_time)
            log(sender.resident, Request("form", status, ms, ok=ok))

        return job

    # Wave 3: every form is sent.
    def send_form(sender: Sender) -> Callable[[], None]:
        def job() -> None:
            person = sender.resident
            body = {
                "csrfmiddlewaretoken": sender.csrf,
                "one_time_token": sender.one_time,
                "name": person.name,
                "email": person.email,
                "phone": "",
                **person.answers,
                "availability": "Saturdays are best.",
                "access_notes": "",
                "consent": "on",
            }
            status, raw, ms, where = _send(port, "POST", page, sender.browser, body)
            acknowledged = status == 302 and urllib.parse.urlsplit(where).path == thanks
            detail = "" if acknowledged else _errors(raw) or _page_shown(raw)
            log(person, Request("register", status, ms, where, acknowledged, detail))

        return job

    def wave(jobs: list[Callable[[], None]]) -> tuple[float, float]:
        before = server.cpu()
        seconds = at_once(jobs)
        after = server.cpu()
        return seconds, sum(after[pid] - before.get(pid, 0.0) for pid in after)

    return {
        "open and send the code": wave(
            [open_and_send_code(p, b) for p in people for b in p.browsers]
        ),
        "form page": wave([open_form(s) for s in pages]),
        "register": wave([send_form(s) for s in senders]),
    }


def summary(latencies: list[float], failures: int, seconds: float, cpu: float) -> dict[str, Any]:
    cuts = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
    return {
        "requests": len(latencies) + failures,
        "ok": len(latencies),
        "failures": failures,
        "seconds": seconds,
        "per_second": len(latencies) / seconds if seconds else 0.0,
        "p50_ms": statistics.median(latencies) if latencies else 0.0,
        "p95_ms": cuts[94],
        "p99_ms": cuts[98],
        "cpu_ms": 1000 * cpu / max(1, len(latencies) + failures),
    }


def bare_wave(port: int, count: int) -> tuple[list[float], int, float]:
    """``count`` requests to the bare view, all at once."""
    latencies: list[float] = []
    failures = [0]
    lock = threading.Lock()

    def job() -> None:
        status, _raw, ms, _where = _send(port, "GET", "/bench/bare/", Browser())
        with lock:
            if status == 200:
                latencies.append(ms)
            else:
                failures[0] += 1

    seconds = at_once([job] * count)
    return latencies, failures[0], seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--registrations", type=int, default=500)
    parser.add_argument("--doubles", type=int, default=50, help="residents who send twice")
    parser.add_argument("--quick", action="store_true", help="100 registrations, 10 doubles")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument(
        "--redis",
        default=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/13"),
        help="cache, sessions and rate limits in this Redis ('' for the database cache); "
        "the benchmark empties it first",
    )
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--seed-file", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--verify", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.quick:
        args.registrations, args.doubles = 100, 10
    if args.seed_file:
        seed(args.seed_file, args.registrations, args.seed)
        return 0
    if args.verify:
        verify(args.verify)
        return 0
    database = os.environ.get("DATABASE_URL", "")
    if not database.startswith(("postgres://", "postgresql://")):
        print("Set DATABASE_URL to a PostgreSQL database of your own (it is migrated and filled).")
        return 2
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    work = Path(tempfile.mkdtemp(prefix="coproduce-panel-registration-bench-"))
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
        "DJANGO_SETTINGS_MODULE": "web_settings",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(BENCH), os.environ.get("PYTHONPATH")])),
    }
    env.pop("REDIS_URL", None)
    if args.redis:
        import redis

        redis.Redis.from_url(args.redis).flushdb()  # sessions and counters of an earlier run
        env["REDIS_URL"] = args.redis
    gunicorn_args = argparse.Namespace(workers=args.workers, worker_class="sync", threads=1)
    results: dict[str, Any] = {"settings": {k: str(v) for k, v in vars(args).items()}}
    try:
        results["load_average_start"] = os.getloadavg()[0]
        print(
            f"coproduce panel registration benchmark: {os.cpu_count()} CPUs, load average "
            f"{results['load_average_start']:.1f} at start, {args.workers} gunicorn sync "
            f"workers, {args.registrations} residents at once, {args.doubles} of them sending "
            "their code twice",
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
                "--registrations",
                str(args.registrations),
                "--seed",
                str(args.seed),
            ],
            env,
            "seeding",
        )
        seeded = json.loads(seeded_path.read_text())
        panel = seeded["panel"]
        people = residents(seeded, args.registrations, args.doubles, random.Random(args.seed))
        with gunicorn(env, gunicorn_args, work / "gunicorn.log", "") as server:
            port = int(server.base.rsplit(":", 1)[1])
            # PostgreSQL's backends for our database count as the server too.
            measured = Server(server.base, server.master, database.rsplit("/", 1)[-1])
            print(f"  gunicorn {server.master} on {server.base}, panel {panel}", flush=True)
            for _warm_up in range(4 * args.workers):  # every worker has loaded what it needs
                _send(port, "GET", "/bench/bare/", Browser())
                _send(port, "GET", f"/panels/{panel}/register/", Browser())
            before = measured.cpu()
            bare = bare_wave(port, args.registrations)
            after = measured.cpu()
            waves: dict[str, Any] = {
                "bare view": summary(*bare, sum(after[p] - before.get(p, 0.0) for p in after))
            }
            seconds = register_crowd(measured, port, panel, people)
            load_during = os.getloadavg()[0]
            requests = [r for p in people for r in p.requests]
            for row, step, wave in ROWS:
                mine = [r for r in requests if r.step == step]
                good = [r.ms for r in mine if r.status is not None and r.status < 500]
                # The first wave's two steps share its CPU time, per request.
                in_wave = sum(WAVE_OF[r.step] == wave for r in requests)
                elapsed, cpu = seconds[wave]
                waves[row] = summary(
                    good, len(mine) - len(good), elapsed, cpu * len(mine) / in_wave
                )
            journal = work / "journal.json"
            journal.write_text(
                json.dumps(
                    {
                        "panel": panel,
                        "residents": [
                            {
                                "code": p.code,
                                "name": p.name,
                                "email": p.email,
                                "mode": p.mode,
                                "requests": [asdict(r) for r in p.requests],
                            }
                            for p in people
                        ],
                    }
                )
            )
            log = (work / "gunicorn.log").read_text()
        out = _run([PYTHON, str(Path(__file__)), "--verify", str(journal)], env, "verify")
        line = next(x for x in out.splitlines() if x.startswith("VERIFY_JSON "))
        findings: dict[str, Any] = json.loads(line.removeprefix("VERIFY_JSON "))
        findings |= outcomes(people)
        findings["server_errors"] = sum(r.status is not None and r.status >= 500 for r in requests)
        findings["no_answer"] = sum(r.status is None for r in requests)
        findings["acknowledged_codes"] = sum(
            any(r.ok for r in p.requests if r.step == "register") for p in people
        )
        findings["ok"] = (
            findings["lost"] == 0
            and findings["phantom"] == 0
            and findings["duplicated_codes"] == 0
            and findings["without_code"] == 0
            and findings["without_data"] == 0
            and findings["wrong_data"] == 0
            and findings["registrants_without_one_email"] == 0
            and findings["server_errors"] == 0
            and findings["refused_once"] == 0
            and findings["steps_failed"] == 0
            and findings["registrants"] == findings["acknowledged_codes"]
        )
        results |= {
            "waves": waves,
            "wave_seconds": {k: v[0] for k, v in seconds.items()},
            "findings": findings,
            "load_average_during": load_during,
            "load_average_end": os.getloadavg()[0],
            "gunicorn_log_tail": log[-2000:],
        }
        show(waves, findings, args)
    except BenchmarkError as error:
        print(f"\nThe benchmark stopped: {error}", file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return 0 if results["findings"]["ok"] else 1


def outcomes(people: list[Resident]) -> dict[str, Any]:
    """What each kind of resident was answered, from the journals."""
    found: dict[str, Any] = {"refused_once": 0, "steps_failed": 0, "doubles": {}, "refusals": []}
    for person in people:
        early = [r for r in person.requests if r.step != "register"]
        if not all(r.ok for r in early):
            found["steps_failed"] += 1
        posts = [r for r in person.requests if r.step == "register"]
        if person.mode == "once":
            if not any(r.ok for r in posts):
                found["refused_once"] += 1
                found["refusals"].append(posts[0].detail if posts else "not sent")
            continue
        answers = "+".join(
            sorted(
                "thanks" if r.ok else f"{r.status or 'none'} {_short(r.detail)}".strip()
                for r in posts
            )
        )
        kind = found["doubles"].setdefault(person.mode, {})
        kind[answers] = kind.get(answers, 0) + 1
    found["refusals"] = found["refusals"][:3]
    return found


def _short(detail: str) -> str:
    if "already registered" in detail:
        return "already registered"
    return detail[:60]


def show(waves: dict[str, Any], findings: dict[str, Any], args: argparse.Namespace) -> None:
    print(f"\n  each wave all at once; {args.workers} sync workers:")
    print(
        f"  {'':24} {'requests':>8} {'failed':>6} {'s':>6} {'ok/s':>7} {'p50 ms':>7} "
        f"{'p95 ms':>7} {'p99 ms':>7} {'CPU ms/req':>10}"
    )
    for name, row in waves.items():
        print(
            f"  {name:24} {row['requests']:8d} {row['failures']:6d} {row['seconds']:6.1f} "
            f"{row['per_second']:7.1f} {row['p50_ms']:7.0f} {row['p95_ms']:7.0f} "
            f"{row['p99_ms']:7.0f} {row['cpu_ms']:10.1f}"
        )
    register, form, bare = waves["register"], waves["form page"], waves["bare view"]
    print(
        f"  register / form page: p95 {register['p95_ms'] / max(form['p95_ms'], 1e-9):.2f}x, "
        f"throughput {register['per_second'] / max(form['per_second'], 1e-9):.2f}x; "
        f"register / bare view: p95 {register['p95_ms'] / max(bare['p95_ms'], 1e-9):.1f}x; "
        f"{findings['registrants'] / max(register['seconds'], 1e-9):.1f} registrations/s"
    )
    print(
        f"\n  {findings['acknowledged_codes']} codes acknowledged, {findings['no_answer']} "
        f"requests without an answer, {findings['server_errors']} 5xx, "
        f"{findings['refused_once']} residents refused, {findings['steps_failed']} with a "
        f"step that failed before the form was sent"
    )
    for mode, answers in findings["doubles"].items():
        print(f"  {mode}: " + "; ".join(f"{n} x {a}" for a, n in sorted(answers.items())))
    print(
        f"  database: {findings['registrants']} registrants, lost {findings['lost']}, phantom "
        f"{findings['phantom']}, duplicated codes {findings['duplicated_codes']}, without a code "
        f"{findings['without_code']}, without registration data {findings['without_data']}, "
        f"wrong data {findings['wrong_data']}, unanswered but saved "
        f"{findings['unanswered_saved']}; {findings['emails_queued']} emails queued "
        f"({findings['registrants_without_one_email']} registrants without exactly one)"
    )
    for example in findings["examples"]:
        print(f"    e.g. {example}")
    for refusal in findings["refusals"]:
        print(f"    a refusal: {refusal}")
    print(f"  -> {'PASS' if findings['ok'] else 'FAIL'}", flush=True)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchmarkError as error:
        print(f"benchmark failed: {error}", file=sys.stderr)
        sys.exit(1)
