"""Web benchmark: the idea list and idea pages under 16 concurrent clients, against a bare view.

Seeds one idea challenge with 10,000 ideas, 100,000 supports and 50,000 comments (plus answers,
statuses and decisions; see web_seed.py), serves it with gunicorn in the production posture
(DEBUG off, hashed static files, secure cookies; only the HTTPS redirect is off because there is no
TLS here) with the production command of docs/operations.md (4 sync workers), and drives it with
wrk: 16 connections, each sending its next request as soon as the last one is answered. Visitors
are anonymous, the most common readers of a public idea challenge.

In the same run, the same server answers two baselines (web_urls.py): a bare Django view (the same
middleware, no query, no template), the ceiling of this stack on this machine; and the site's empty
shell (base.html, no content), what any page pays before showing anything. Anonymous visitors get
the idea pages from the page cache (decision 0801), as they would in production: each page is
fetched once before it is measured. Three more rows, without a verdict, show the same pages for a
signed-in resident (a session made by web_seed.py): rendered on every request, with the parts
every resident sees alike taken from the fragment cache (decision 0806).

For each database it prints requests/s, median (p50) and 95th-percentile latency, throughput as a
share of the bare view's, and PASS/FAIL against the targets of issue 6: p95 <= 150 ms and at least
40 % of the bare view's throughput. Each figure is the median of --runs runs; every run measures the
bare view at its start and its end, and ratios use that run's own baseline. It also prints the
server's CPU time per request (gunicorn's processes and, on PostgreSQL, the database's backends, read
from /proc): unlike latency, it hardly depends on what else the machine is doing.

    .venv/bin/python benchmarks/web.py                   # SQLite and PostgreSQL, full size (~40 min)
    .venv/bin/python benchmarks/web.py --db sqlite --quick
    .venv/bin/python benchmarks/web.py --db postgres --runs 5 --json /tmp/web.json
    .venv/bin/python benchmarks/web.py --db sqlite --serve   # seed and serve, for py-spy

Needs wrk (`apt-get install wrk`), Linux (/proc) and, for PostgreSQL, a server where the --pg-url
role may create databases; the benchmark creates its own database and drops it at the end, even
after an error. Results are in docs/performance.md and the method in
docs/decisions/0800-web-benchmark-method.md. Timings on a shared machine are noisy: compare the
ratios within one run, not runs with each other.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
BENCH = REPO / "benchmarks"
PYTHON = sys.executable
GUNICORN = Path(sys.executable).with_name("gunicorn")

P95_TARGET_MS = 150.0
THROUGHPUT_TARGET = 0.40  # share of the bare view's requests/s

SIZES = {
    "full": {"ideas": 10_000, "supports": 100_000, "comments": 50_000, "users": 600},
    "quick": {"ideas": 1_000, "supports": 10_000, "comments": 5_000, "users": 200},
}

WRK_SCRIPT = r"""
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "WRK_JSON {\"requests\": %d, \"duration_us\": %d, \"bytes\": %d, \"status_errors\": %d, " ..
    "\"socket_errors\": %d, \"timeouts\": %d, \"p50_us\": %d, \"p95_us\": %d, " ..
    "\"p99_us\": %d, \"max_us\": %d}\n",
    summary.requests, summary.duration, summary.bytes, e.status,
    e.connect + e.read + e.write, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
"""


class BenchmarkError(RuntimeError):
    """Something the benchmark needs is missing or misbehaves: reported without a traceback."""


@dataclass
class Endpoint:
    name: str
    path: str
    check: str = ""  # text every response must contain …
    at_least: int = 0  # … at least this many times
    reference: str = ""  # why a row is shown without a verdict (a baseline)
    cookie: str = ""  # a signed-in visitor's session cookie


@dataclass
class Measurement:
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    bytes_per_response: float
    cpu_ms: float  # CPU time of the server (gunicorn, and PostgreSQL's backends) per request
    load: float  # 1-minute load average when the measurement ended


@dataclass
class Result:
    endpoint: Endpoint
    runs: list[Measurement] = field(default_factory=list)
    ratios: list[float] = field(default_factory=list)

    def median(self, name: str) -> float:
        return statistics.median(getattr(m, name) for m in self.runs)

    @property
    def ratio(self) -> float:
        return statistics.median(self.ratios)


# --- processes ------------------------------------------------------------------------------

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass
class Server:
    """The gunicorn under test; PostgreSQL's backends for its database count as the server too."""

    base: str
    master: int
    database: str  # the PostgreSQL database name, or "" for SQLite

    def _processes(self) -> list[int]:
        found = [self.master]
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
                if int(stat.rsplit(")", 1)[1].split()[1]) == self.master:
                    found.append(int(entry.name))
                elif self.database and self.database.encode() in (entry / "cmdline").read_bytes():
                    found.append(int(entry.name))  # "postgres: user database host(port) idle"
            except (OSError, ValueError, IndexError):
                continue  # a process that ended while we looked
        return found

    def settle(self, timeout: float = 300) -> None:
        """Wait until the server has finished what the last clients asked (its CPU goes quiet):
        a slow page leaves up to one request per connection still queued when wrk stops."""
        deadline = time.monotonic() + timeout
        previous = sum(self.cpu().values())
        while time.monotonic() < deadline:
            time.sleep(0.5)
            now = sum(self.cpu().values())
            if now - previous < 0.02:
                return
            previous = now
        raise BenchmarkError(f"the server was still busy {timeout:g} s after the clients stopped")

    def cpu(self) -> dict[int, float]:
        """CPU seconds (user + system) used so far by each server process."""
        used = {}
        for pid in self._processes():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            used[pid] = (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
        return used


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _run(command: list[str], env: dict[str, str], what: str) -> str:
    done = subprocess.run(command, env=env, cwd=REPO, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BenchmarkError(f"{what} failed:\n{done.stderr[-3000:]}")
    return done.stdout


@contextmanager
def postgres_database(base_url: str) -> Iterator[str]:
    """A database of our own on the PostgreSQL server at base_url, dropped afterwards."""
    import psycopg

    name = f"coproduce_bench_{os.getpid()}"
    maintenance = f"{base_url.rstrip('/')}/postgres"
    try:
        with psycopg.connect(maintenance, autocommit=True) as connection:
            connection.execute(f"CREATE DATABASE {name}")
    except psycopg.Error as error:
        raise BenchmarkError(
            f"Cannot create a PostgreSQL database at {base_url}: {error}"
        ) from None
    try:
        yield f"{base_url.rstrip('/')}/{name}"
    finally:
        with psycopg.connect(maintenance, autocommit=True) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        print(f"  dropped PostgreSQL database {name}")


@contextmanager
def gunicorn(
    env: dict[str, str], args: argparse.Namespace, log: Path, database: str
) -> Iterator[Server]:
    """Serve the project with the benchmark's URLconf; stop every process afterwards."""
    port = _free_port()
    command = [
        str(GUNICORN),
        "coproduce.config.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(args.workers),
        "--worker-class",
        args.worker_class,
        "--threads",
        str(args.threads),
        "--backlog",
        "1024",
        "--timeout",
        "120",
        "--log-level",
        "warning",
        "--error-logfile",
        str(log),
        "--pythonpath",
        str(BENCH),
        "--chdir",
        str(REPO),
    ]
    server = subprocess.Popen(command, env=env, cwd=REPO, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            if server.poll() is not None:
                raise BenchmarkError(f"gunicorn exited early:\n{log.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(f"{base}/bench/bare/", timeout=5) as response:  # noqa: S310
                    if response.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                raise BenchmarkError("gunicorn did not answer within two minutes")
            time.sleep(0.5)
        yield Server(base=base, master=server.pid, database=database)
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)  # the master and its workers: our own group
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()


# --- measuring ------------------------------------------------------------------------------


def check_page(base: str, endpoint: Endpoint) -> int:
    """Fetch once: the page must answer 200 with what it should show (not an error page)."""
    request = urllib.request.Request(base + endpoint.path)  # noqa: S310
    if endpoint.cookie:
        request.add_header("Cookie", endpoint.cookie)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            body = response.read().decode()
            status = response.status
    except urllib.error.HTTPError as error:
        raise BenchmarkError(f"{endpoint.name}: {endpoint.path} answered {error.code}") from None
    if status != 200:
        raise BenchmarkError(f"{endpoint.name}: {endpoint.path} answered {status}")
    found = body.count(endpoint.check) if endpoint.check else 0
    if found < endpoint.at_least:
        raise BenchmarkError(
            f"{endpoint.name}: expected {endpoint.at_least}× {endpoint.check!r}, found {found}"
        )
    return len(body)


def wrk(
    server: Server,
    path: str,
    *,
    connections: int,
    seconds: float,
    script: Path,
    warmup: bool = False,
    cookie: str = "",
) -> Measurement:
    url = server.base + path
    command = [
        "wrk",
        f"-t{min(2, connections)}",
        f"-c{connections}",
        f"-d{seconds:g}s",
        "--timeout",
        "30s",
        "-s",
        str(script),
        *(["-H", f"Cookie: {cookie}"] if cookie else []),
        url,
    ]
    server.settle()
    cpu_before = server.cpu()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    server.settle()
    cpu_after = server.cpu()
    line = next((x for x in done.stdout.splitlines() if x.startswith("WRK_JSON ")), None)
    if done.returncode != 0 or line is None:
        raise BenchmarkError(f"wrk failed on {url}:\n{done.stdout}\n{done.stderr}")
    data = json.loads(line.removeprefix("WRK_JSON "))
    if not (data["requests"] or warmup):
        raise BenchmarkError(f"{url}: no answer within {seconds:g} s; try a longer --duration")
    failed = data["status_errors"] + data["timeouts"]
    if failed:
        raise BenchmarkError(
            f"{url}: {data['status_errors']} error responses and {data['timeouts']} timeouts "
            f"in {data['requests']} requests"
        )
    if not data["requests"]:  # a warm-up too short for a slow page
        return Measurement(0, 0, 0, 0, 0, 0, os.getloadavg()[0])
    return Measurement(
        rps=data["requests"] / (data["duration_us"] / 1e6),
        p50_ms=data["p50_us"] / 1000,
        p95_ms=data["p95_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        bytes_per_response=data["bytes"] / data["requests"],
        # Each connection still had one request in the server when wrk stopped: the server
        # finished those (settle) and its CPU time covers them too.
        cpu_ms=1000
        * sum(used - cpu_before.get(pid, 0.0) for pid, used in cpu_after.items())
        / (data["requests"] + connections),
        load=os.getloadavg()[0],
    )


def endpoints(seed: dict[str, Any]) -> list[Endpoint]:
    """The pages measured after the bare view: the site's empty shell, then the targets."""
    urls = seed["urls"]
    size = seed["page_size"]
    card = 'class="app-card-list__item"'
    found = [
        Endpoint(
            "site shell (base.html, no content)",
            "/bench/shell/",
            'id="main-content"',
            1,
            reference="reference",
        )
    ]
    for sort in ("newest", "supported", "answered"):
        last = seed["last_page"][sort]
        found.append(
            Endpoint(f"idea list, {sort}, page 1", f"{urls['list']}?sort={sort}", card, size)
        )
        found.append(
            Endpoint(
                f"idea list, {sort}, page {last}",
                f"{urls['list']}?sort={sort}&page={last}",
                card,
                1,
            )
        )
    # The idea page shows its comments 50 threads at a time (decision 0802): the busiest idea's
    # first page must show at least one comment per thread.
    busiest = Endpoint(
        f"idea page, {seed['busiest_comments']} comments (first page)",
        urls["busiest"],
        'id="comment-',
        min(50, seed["busiest_published_comments"]),
    )
    typical = Endpoint(
        f"idea page, {seed['typical_comments']} comments",
        urls["typical"],
        'id="comment-',
        min(1, seed["typical_comments"]),
    )
    found += [busiest, typical]
    # Signed-in people get every page rendered for them (support buttons, their own held ideas):
    # shown for reference, without a verdict (the targets are about anonymous visitors).
    signed_in = seed["session_cookie"]
    for page in [found[1], busiest, typical]:
        found.append(
            Endpoint(
                f"signed in: {page.name}",
                page.path,
                "Sign out",
                1,
                reference="signed in",
                cookie=signed_in,
            )
        )
    return found


def measure(
    server: Server, pages: list[Endpoint], args: argparse.Namespace, script: Path
) -> list[Result]:
    bare = Endpoint("bare Django view", "/bench/bare/", "ok", 1, reference="baseline")
    load = {"connections": args.connections, "script": script}
    for endpoint in [bare, *pages]:
        size = check_page(server.base, endpoint)
        # Warm every worker's caches (templates, translations, connections) before measuring.
        wrk(server, endpoint.path, seconds=args.warmup, warmup=True, cookie=endpoint.cookie, **load)
        print(f"  {endpoint.name:<50} {size / 1024:7.1f} KiB  {server.base}{endpoint.path}")
    results = {endpoint.name: Result(endpoint) for endpoint in [bare, *pages]}
    for run in range(1, args.runs + 1):
        before = wrk(server, bare.path, seconds=args.duration, **load)
        measured = {
            e.name: wrk(server, e.path, seconds=args.duration, cookie=e.cookie, **load)
            for e in pages
        }
        after = wrk(server, bare.path, seconds=args.duration, **load)
        baseline = Measurement(
            *(
                (getattr(before, f) + getattr(after, f)) / 2
                for f in Measurement.__dataclass_fields__
            )
        )
        results[bare.name].runs.append(baseline)
        results[bare.name].ratios.append(1.0)
        for name, measurement in measured.items():
            results[name].runs.append(measurement)
            results[name].ratios.append(measurement.rps / baseline.rps)
        print(
            f"  run {run}/{args.runs}: bare view {before.rps:.0f} → {after.rps:.0f} req/s, "
            f"load average {os.getloadavg()[0]:.1f}",
            flush=True,
        )
    return list(results.values())


def serve(server: Server, pages: list[Endpoint], env: dict[str, str]) -> None:
    """Keep the seeded server up for profiling (py-spy, pyinstrument) until Ctrl-C."""
    print(f"\n  gunicorn {server.master} serving {server.base}, DATABASE_URL={env['DATABASE_URL']}")
    for endpoint in pages:
        print(f"  {endpoint.name:<50} {server.base}{endpoint.path}")
    print("  Ctrl-C stops the server and cleans up.", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        print()


def verdict(result: Result) -> str:
    if result.endpoint.reference:
        return result.endpoint.reference
    failures = []
    if result.median("p95_ms") > P95_TARGET_MS:
        failures.append("p95")
    if result.ratio < THROUGHPUT_TARGET:
        failures.append("throughput")
    return "PASS" if not failures else f"FAIL ({', '.join(failures)})"


def table(results: list[Result]) -> str:
    """Markdown: the medians over the runs, and the verdict against the targets."""
    bare_cpu = results[0].median("cpu_ms")
    lines = [
        "| endpoint | req/s | p50 ms | p95 ms | vs bare | server CPU ms/req | CPU vs bare | KiB "
        "| result |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for result in results:
        cpu = result.median("cpu_ms")
        lines.append(
            f"| {result.endpoint.name} | {result.median('rps'):.0f} "
            f"| {result.median('p50_ms'):.1f} | {result.median('p95_ms'):.1f} "
            f"| {100 * result.ratio:.0f} % | {cpu:.1f} | {100 * bare_cpu / cpu:.0f} % "
            f"| {result.median('bytes_per_response') / 1024:.1f} | {verdict(result)} |"
        )
    return "\n".join(lines)


# --- one database ---------------------------------------------------------------------------


def bench_database(
    label: str, database_url: str, env: dict[str, str], args: argparse.Namespace, work: Path
) -> dict[str, Any]:
    env = {**env, "DATABASE_URL": database_url}
    size = SIZES["quick" if args.quick else "full"]
    print(f"\n== {label}: migrating and seeding {size['ideas']:,} ideas …", flush=True)
    _run([PYTHON, "manage.py", "migrate", "--no-input", "-v", "0"], env, "migrate")
    _run([PYTHON, "manage.py", "createcachetable"], env, "createcachetable")
    started = time.perf_counter()
    seed_command = [PYTHON, str(BENCH / "web_seed.py"), *(f"--{k}={v}" for k, v in size.items())]
    seed = json.loads(_run(seed_command, env, "seeding").strip().splitlines()[-1])
    counts = seed["counts"]
    print(
        f"  seeded in {time.perf_counter() - started:.0f} s: {counts['ideas']:,} ideas "
        f"({counts['published_ideas']:,} published, {counts['answered_ideas']:,} answered), "
        f"{counts['supports']:,} supports, {counts['comments']:,} comments, "
        f"{counts['responses']:,} answers, {counts['users']:,} people",
        flush=True,
    )
    script = work / "report.lua"
    script.write_text(WRK_SCRIPT)
    database = database_url.rsplit("/", 1)[1] if label == "PostgreSQL" else ""
    with gunicorn(env, args, work / f"gunicorn-{label}.log", database) as server:
        if args.serve:
            serve(server, endpoints(seed), env)
            return {"database": label, "seed": seed, "table": "", "results": []}
        results = measure(server, endpoints(seed), args, script)
    print(
        f"\n{label}: {args.connections} clients, gunicorn {args.workers} {args.worker_class} "
        f"workers × {args.threads} threads, median of {args.runs} runs of {args.duration:g} s\n"
    )
    print(table(results), flush=True)
    return {
        "database": label,
        "seed": seed,
        "table": table(results),
        "results": [
            {
                "endpoint": r.endpoint.name,
                "path": r.endpoint.path,
                "runs": [m.__dict__ for m in r.runs],
                "ratios": r.ratios,
                "verdict": verdict(r),
                "endpoint_is_reference": bool(r.endpoint.reference),
            }
            for r in results
        ],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--quick", action="store_true", help="a tenth of the data, short runs")
    parser.add_argument("--runs", type=int, help="measurements of each page (default 3, quick 1)")
    parser.add_argument("--duration", type=float, help="seconds per measurement (10, quick 5)")
    parser.add_argument("--warmup", type=float, help="seconds of warm-up per page (3, quick 1)")
    parser.add_argument("--connections", type=int, default=16, help="concurrent clients")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=1, help="threads per gunicorn worker")
    parser.add_argument("--worker-class", default="sync", help="gunicorn worker class")
    parser.add_argument(
        "--pg-url",
        default=os.environ.get("COPRODUCE_BENCH_PG", "postgres://postgres@127.0.0.1:5432"),
        help="PostgreSQL server (no database name); a database is created and dropped there",
    )
    parser.add_argument("--json", type=Path, help="also write every measurement to this file")
    parser.add_argument(
        "--serve", action="store_true", help="seed and serve, then wait (for profiling); no load"
    )
    args = parser.parse_args()
    args.runs = args.runs or (1 if args.quick else 3)
    args.duration = args.duration or (5.0 if args.quick else 10.0)
    args.warmup = args.warmup or (1.0 if args.quick else 3.0)
    if shutil.which("wrk") is None:
        print("wrk is needed to generate the load: apt-get install wrk (Debian, Ubuntu)")
        return 2
    if not GUNICORN.exists():
        print(f"gunicorn is needed: {PYTHON} -m pip install gunicorn")
        return 2
    # SIGTERM (a CI timeout, kill) unwinds like Ctrl-C, so servers stop and databases are dropped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    work = Path(tempfile.mkdtemp(prefix="coproduce-web-bench-"))
    env = {
        **os.environ,
        "COPRODUCE_ENV": "production",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        # Production refuses to start without a ledger key (decision 0027): a throwaway one.
        "COPRODUCE_LEDGER_SIGNING_KEY": base64.b64encode(secrets.token_bytes(32)).decode(),
        "COPRODUCE_EQUALITY_KEYS": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "false",  # plain HTTP here; TLS ends at a proxy in production
        "DJANGO_LOG_LEVEL": "WARNING",
        "COPRODUCE_VAR_DIR": str(work),
        "DJANGO_SETTINGS_MODULE": "web_settings",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(BENCH), os.environ.get("PYTHONPATH")])),
    }
    env.pop("REDIS_URL", None)  # the embedded set-up: database cache and sessions
    reports = []
    try:
        print(
            f"coproduce web benchmark: {os.cpu_count()} CPUs, load average "
            f"{os.getloadavg()[0]:.1f} at start; working in {work}",
            flush=True,
        )
        _run([PYTHON, "manage.py", "collectstatic", "--no-input", "-v", "0"], env, "collectstatic")
        if args.db in {"sqlite", "both"}:
            url = f"sqlite:///{work / 'bench.sqlite3'}"
            reports.append(bench_database("SQLite", url, env, args, work))
        if args.db in {"postgres", "both"}:
            with postgres_database(args.pg_url) as url:
                reports.append(bench_database("PostgreSQL", url, env, args, work))
    except BenchmarkError as error:
        print(f"\nThe benchmark stopped: {error}", file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if args.json:
        settings = {k: getattr(args, k) for k in ("connections", "workers", "threads", "runs")}
        args.json.write_text(
            json.dumps(
                {"settings": {**settings, "worker_class": args.worker_class}, "reports": reports},
                indent=2,
            )
        )
    for report in reports:
        judged = [r for r in report["results"] if not r["endpoint_is_reference"]]
        passed = sum(r["verdict"] == "PASS" for r in judged)
        print(f"{report['database']}: {passed} of {len(judged)} pages meet both targets")
    return 0


if __name__ == "__main__":
    sys.exit(main())
