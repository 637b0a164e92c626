"""Search benchmark: the site search over 100,000 contributions' documents, against a LIKE scan.

Builds the search index (``search_document``, with SQLite's FTS5 table and triggers or PostgreSQL's
tsvector column and GIN index, exactly as migrated) with 100,000 documents written in bulk: ideas,
comments, stories, assets, answers, decisions and activities of 40 services, their words drawn from
the demo's texts and a long tail of rarer words (Zipf-like, so common words match most of the index,
as "the" or "community" would). Then it runs a mix of what people type (a common word, a rare one,
two words, a phrase, a joined word, a word's start, with a kind or a service filter, and words that
match more than the 5,000 the search ranks) and times, for each, what the search page does: the
search itself (``queries.search``), then the first page of 20 results with their highlights; and
the whole page through Django's test client (middleware, form, template).

In the same run it times the baseline over the same rows: the ``icontains`` scan a search box
without an index would do (every word in the title or the text, newest first, 20 and a count).
It prints p50 and p95 for each database and the ratio to the baseline, and PASS/FAIL against the
target of issue 18: p95 <= 150 ms for the search page over 100,000 contributions.

    .venv/bin/python benchmarks/search.py                    # SQLite, and PostgreSQL if reachable
    .venv/bin/python benchmarks/search.py --db sqlite --quick
    .venv/bin/python benchmarks/search.py --json /tmp/search.json

Each database runs in a child process of its own (Django reads its database once); the SQLite file
is in a temporary folder and the PostgreSQL database (made at --pg-url) is dropped at the end.
Results are in docs/performance.md; the design in docs/decisions/0023-search.md.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
P95_TARGET_MS = 150.0
SIZES = {"full": 100_000, "quick": 10_000}
SERVICES = 40
# Kind, share of the documents, words in the title and in the text.
KINDS = [
    ("idea", 0.40, (3, 9), (15, 90)),
    ("comment", 0.35, (6, 14), (8, 60)),
    ("answer", 0.10, (3, 9), (20, 120)),
    ("story", 0.05, (3, 9), (80, 400)),
    ("asset", 0.05, (2, 6), (10, 50)),
    ("decision", 0.03, (4, 10), (30, 150)),
    ("activity", 0.02, (3, 8), (20, 80)),
]
# What people type, and the filters they choose: (label, words, kinds, service).
QUERIES: list[tuple[str, str, list[str], str]] = [
    ("common word", "community", [], ""),
    ("rare word", "allotment", [], ""),
    ("two words", "youth club", [], ""),
    ("phrase", '"bus stop"', [], ""),
    ("joined word", "drop-in", [], ""),
    ("start of a word", "volunt", [], ""),
    ("common word, only ideas", "community", ["idea"], ""),
    ("two words, one service", "evening bus", [], "service-7"),
    ("matches most of the index", "the", [], ""),
    ("Welsh word", "ieuenctid", [], ""),
    ("nothing matches", "submarine", [], ""),
    ("typed syntax", 'NEAR(drop* -in "', [], ""),
]
DEMO_TEXT = """
Open the drop-in centre on Saturday mornings so working parents can come. A quiet room with beanbags
and someone to talk to, two evenings a week. The recovery hub will have a cafe, a quiet room and a
Saturday family drop-in. Evening drop-ins at two youth clubs from January. More buses in the evening
so young people can get home safely from the youth club. The bus stop by the library has no shelter
and no timetable. Volunteers can give around 40 hours a month to help run activities. A community
garden and allotment behind the health centre, with raised beds for wheelchair users. Peer support
groups for people in recovery, led by people who have been there. Home care visits that are not
rushed, with the same carer each week. Street lighting on the path to the station. A food bank
that opens after work. Mental health support in schools, with a named person in each school.
Translate the letters into Welsh and Polish. The council will fund two more youth workers.
"""
WELSH = "cymuned gwasanaeth ieuenctid bws llyfrgell gardd galw heibio gwirfoddolwyr iechyd"


# Real words made rare: each ranks among the made-up ones, so a few hundred documents hold it.
RARE = ["allotment", "wheelchair", "cymuned", "timetable", "shelter"]


def _vocabulary(rng: random.Random) -> list[str]:
    """The demo's words, commonest first, then 4,000 made-up rarer ones (and the RARE words)."""
    seen: dict[str, None] = {}
    common = ["the", "and", "to", "a", "of", "in", "for", "community"]
    for word in [*common, *DEMO_TEXT.split(), *WELSH.split()]:
        word = word.lower().strip(".,")
        if word not in RARE:
            seen.setdefault(word, None)
    letters = "abcdefghijklmnopqrstuvwxyz"
    while len(seen) < 4_000:
        seen.setdefault("".join(rng.choice(letters) for _ in range(rng.randint(4, 10))), None)
    words = list(seen)
    for position, word in enumerate(RARE):
        words.insert(800 + 400 * position, word)
    return words


def _texts(rng: random.Random, vocabulary: list[str]) -> Callable[[tuple[int, int]], str]:
    weights = [1 / (rank + 1) ** 1.05 for rank in range(len(vocabulary))]  # Zipf-like

    def text(size: tuple[int, int]) -> str:
        words = rng.choices(vocabulary, weights, k=rng.randint(*size))
        return " ".join(words).capitalize() + "."

    return text


def build(count: int) -> float:
    """Write ``count`` documents in bulk; returns the seconds it took."""
    import datetime as dt

    from coproduce.search.models import Document

    rng = random.Random(18)
    text = _texts(rng, _vocabulary(rng))
    kinds = [kind for kind, *_ in KINDS]
    shares = [share for _kind, share, *_ in KINDS]
    sizes = {kind: (title, body) for kind, _share, title, body in KINDS}
    started = time.perf_counter()
    batch: list[Document] = []
    for key in range(1, count + 1):
        kind = rng.choices(kinds, shares)[0]
        service = rng.randint(1, SERVICES)
        title_size, body_size = sizes[kind]
        batch.append(
            Document(
                kind=kind,
                key=key,
                title=text(title_size)[:300],
                body=text(body_size),
                body_cy=text((5, 30)) if kind == "decision" else "",
                url=f"/{kind}/{key}/",
                service_id=service,
                service_slug=f"service-{service}",
                service_name=f"Service {service}",
                date=dt.date(2026, 1, 1) + dt.timedelta(days=key % 300),
            )
        )
        if len(batch) == 5_000:
            Document.objects.bulk_create(batch)
            batch = []
    Document.objects.bulk_create(batch)
    return time.perf_counter() - started


def _timed(call: Callable[[], Any], repeat: int) -> list[float]:
    call()  # warm: the first call reads the index from disk
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return times


def _baseline(words: str, kinds: list[str], service: str) -> Callable[[], Any]:
    """What a search box without an index does: every word in the title or the text."""
    from django.db.models import Q

    from coproduce.search.models import Document
    from coproduce.search.text import words as split

    def run() -> Any:
        rows = Document.objects.all()
        for word in split(words)[:10]:
            rows = rows.filter(Q(title__icontains=word) | Q(body__icontains=word))
        if kinds:
            rows = rows.filter(kind__in=kinds)
        if service:
            rows = rows.filter(service_slug=service)
        return rows.count(), list(rows.order_by("-id")[:20])

    return run


def _search(words: str, kinds: list[str], service: str) -> Callable[[], Any]:
    from coproduce.search import queries

    def run() -> Any:
        results = queries.search(words, kinds=kinds, service=service)
        return results.count(), results[0:20]

    return run


def _page(words: str, kinds: list[str], service: str) -> Callable[[], Any]:
    from django.test import Client

    client = Client()
    params: dict[str, Any] = {"q": words, "kind": kinds}
    if service:
        params["service"] = service

    def run() -> Any:
        response = client.get("/search/", params)
        assert response.status_code == 200, response.status_code
        return response

    return run


def child(args: argparse.Namespace) -> None:
    """Runs in its own process, with DATABASE_URL set: build, measure, print JSON."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coproduce.config.settings")
    sys.path.insert(0, str(REPO))
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from coproduce.search import queries
    from coproduce.search.models import Document

    call_command("migrate", verbosity=0)
    count = SIZES["quick" if args.quick else "full"]
    seconds = build(count)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE search_document")
    rows = []
    for label, words, kinds, service in QUERIES:
        matches = queries.search(words, kinds=kinds, service=service)
        row = {
            "query": label,
            "typed": words,
            "results": matches.count(),
            "ranked_newest_only": matches.more,
            "search": _timed(_search(words, kinds, service), args.repeat),
            "page": _timed(_page(words, kinds, service), args.repeat),
            "baseline": _timed(_baseline(words, kinds, service), max(3, args.repeat // 4)),
        }
        rows.append(row)
        print(f"  {connection.vendor}: {label} done", file=sys.stderr)
    print(
        "RESULT "
        + json.dumps(
            {
                "vendor": connection.vendor,
                "version": (
                    str(connection.pg_version)  # type: ignore[attr-defined]
                    if connection.vendor == "postgresql"
                    else sqlite3.sqlite_version
                ),
                "documents": Document.objects.count(),
                "build_seconds": seconds,
                "rows": rows,
            }
        )
    )


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


@contextmanager
def postgres_database(base_url: str) -> Iterator[str | None]:
    """A database of our own at base_url, dropped afterwards; None when no server answers."""
    try:
        import psycopg

        name = f"coproduce_bench_search_{os.getpid()}"
        maintenance = f"{base_url.rstrip('/')}/postgres"
        with psycopg.connect(maintenance, autocommit=True, connect_timeout=3) as connection:
            connection.execute(f"CREATE DATABASE {name}")
    except Exception as error:  # any failure means: no PostgreSQL here
        print(f"PostgreSQL not reachable at {base_url} ({error}); SQLite only.")
        yield None
        return
    try:
        yield f"{base_url.rstrip('/')}/{name}"
    finally:
        with psycopg.connect(maintenance, autocommit=True) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def run_child(database_url: str, args: argparse.Namespace) -> dict[str, Any]:
    command = [sys.executable, __file__, "--child", "--repeat", str(args.repeat)]
    if args.quick:
        command.append("--quick")
    env = {**os.environ, "DATABASE_URL": database_url, "COPRODUCE_ENV": "development"}
    done = subprocess.run(command, env=env, capture_output=True, text=True, cwd=REPO, check=False)
    if done.returncode != 0:
        raise SystemExit(f"The benchmark failed on {database_url}:\n{done.stderr[-4000:]}")
    line = next(line for line in done.stdout.splitlines() if line.startswith("RESULT "))
    result: dict[str, Any] = json.loads(line.removeprefix("RESULT "))
    return result


def report(result: dict[str, Any]) -> bool:
    """Print one database's table; True when every query's page meets the target."""
    print(
        f"\n{result['vendor']} {result['version']}: {result['documents']:,} documents, built in "
        f"{result['build_seconds']:.1f} s"
    )
    print(
        "| query | results | search p50 ms | search p95 ms | page p50 ms | page p95 ms "
        "| LIKE scan p95 ms | LIKE / search | result |\n|---|---:|---:|---:|---:|---:|---:|---:|---|"
    )
    passed = True
    every_search: list[float] = []
    every_page: list[float] = []
    every_baseline: list[float] = []
    for row in result["rows"]:
        search_p95 = _percentile(row["search"], 0.95)
        page_p95 = _percentile(row["page"], 0.95)
        baseline_p95 = _percentile(row["baseline"], 0.95)
        ok = page_p95 <= P95_TARGET_MS
        passed &= ok
        every_search += row["search"]
        every_page += row["page"]
        every_baseline += row["baseline"]
        results = f"{row['results']:,}" + (" (newest)" if row["ranked_newest_only"] else "")
        print(
            f"| {row['query']} | {results} | {statistics.median(row['search']):.1f} "
            f"| {search_p95:.1f} | {statistics.median(row['page']):.1f} | {page_p95:.1f} "
            f"| {baseline_p95:.1f} | {baseline_p95 / search_p95:.1f}× "
            f"| {'PASS' if ok else 'FAIL'} |"
        )
    print(
        f"| **all queries** | | {statistics.median(every_search):.1f} "
        f"| {_percentile(every_search, 0.95):.1f} | {statistics.median(every_page):.1f} "
        f"| {_percentile(every_page, 0.95):.1f} | {_percentile(every_baseline, 0.95):.1f} "
        f"| {_percentile(every_baseline, 0.95) / _percentile(every_search, 0.95):.1f}× "
        f"| {'PASS' if passed else 'FAIL'} |"
    )
    return passed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--quick", action="store_true", help="10,000 documents, fewer repeats")
    parser.add_argument("--repeat", type=int, help="timed runs of each query (default 40)")
    parser.add_argument(
        "--pg-url",
        default=os.environ.get("COPRODUCE_BENCH_PG", "postgres://postgres@127.0.0.1:5432"),
        help="PostgreSQL server (no database name); a database is created and dropped there",
    )
    parser.add_argument("--json", type=Path, help="also write every measurement to this file")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.repeat = args.repeat or (10 if args.quick else 40)
    if args.child:
        child(args)
        return
    results = []
    if args.db in {"sqlite", "both"}:
        with tempfile.TemporaryDirectory() as folder:
            results.append(run_child(f"sqlite:///{folder}/search.sqlite3", args))
    if args.db in {"postgres", "both"}:
        with postgres_database(args.pg_url) as url:
            if url is not None:
                results.append(run_child(url, args))
    print(f"Target: p95 <= {P95_TARGET_MS:.0f} ms for the search page (issue 18).")
    passed = all([report(result) for result in results])  # noqa: C419 - print every table
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    sys.exit(0 if passed else 1)


if __name__ == "__main__":
    main()
