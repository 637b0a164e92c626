"""Map benchmark (issue 14): a conversation of 100,000 participants, 2,000 statements and 5 million
votes stored in PostgreSQL, its map computed from the database by the task, against the engine
alone on the same votes in memory, in the same run.

The conversation is generated with ``benchmarks/opinion.py``'s seeded model (three opinion camps
in a 2-d latent space, heavy-tailed activity, early statements seen more, a quarter passes; vote
times spread over 30 days) and loaded in bulk: participants and statements with ``polis_io``'s
bulk helpers, the votes with ``COPY``. Then, each in a fresh process:

- **map**: ``tasks.run_map`` as the background job runs it: **cold** (the process holds no engine:
  every vote read from the database), then **warm** after a batch of new and changed votes (the
  engine is fed only the votes changed since its last read). Wall and CPU seconds, peak memory
  of the process (resident set, ``getrusage``: numpy's arrays are not seen by tracemalloc);
- **baseline**: the engine alone (``civic_algorithms.opinion``) on the same votes generated in
  memory (``add_votes`` and ``analyse``); the ratio says what reading the database costs.

    .venv/bin/python benchmarks/conversation_map.py                    # the issue's size
    .venv/bin/python benchmarks/conversation_map.py --quick            # 10,000 x 500 x 300,000
    .venv/bin/python benchmarks/conversation_map.py --votes 1000000 --participants 20000
    .venv/bin/python benchmarks/conversation_map.py --conversation ID  # map an existing one again

The database is ``--db-url`` (default ``$DATABASE_URL``), migrated first; each build adds a new
conversation (``--conversation`` maps one built before, to profile without loading again).
Target (issue 14): under 60 s and under 2 GB. Results in docs/performance.md.
"""

from __future__ import annotations

import argparse
import importlib.util
import io
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

REPO = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 60.0
TARGET_MB = 2048.0
SPAN_MICROS = 30 * 86_400 * 1_000_000  # the votes' times spread over 30 days
START_MICROS = 1_792_000_000 * 1_000_000  # 2026-10-15, in microseconds since 1970
COPY_CHUNK = 500_000


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _generator() -> Any:
    """``benchmarks/opinion.py``'s ``synthetic_votes`` (the same model as the engine's benchmark)."""
    spec = importlib.util.spec_from_file_location("bench_opinion", REPO / "benchmarks/opinion.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.synthetic_votes


def votes(args: argparse.Namespace) -> tuple[Any, Any, Any, Any]:
    """The generated votes: participant and statement indices, values, times in microseconds."""
    import numpy as np

    people, chosen, values, times = _generator()(
        args.participants, args.statements, args.votes, seed=args.seed
    )
    micros = START_MICROS + (times / 1e9 * SPAN_MICROS).astype(np.int64)
    return people, chosen, values, micros


def _stamps(micros: Any) -> list[str]:
    """Microseconds since 1970 as PostgreSQL timestamps in UTC."""
    import numpy as np

    text = np.datetime_as_string(micros.astype("datetime64[us]"), unit="us")
    return [f"{t}+00" for t in text.tolist()]


def _copy_votes(conversation_id: int, rows: tuple[Any, Any, Any, Any, Any]) -> None:
    """COPY (participant pk, statement pk, value, created micros, updated micros) arrays into
    the vote table, in chunks of their own transactions."""
    from django.db import connection, transaction

    from coproduce.conversations.models import Vote

    table = connection.ops.quote_name(Vote._meta.db_table)
    columns = "conversation_id, participant_id, statement_id, value, created_at, updated_at"
    for start in range(0, len(rows[0]), COPY_CHUNK):
        part = [column[start : start + COPY_CHUNK] for column in rows]
        created, updated = _stamps(part[3]), _stamps(part[4])
        buffer = io.StringIO()
        for p, s, v, c, u in zip(
            part[0].tolist(), part[1].tolist(), part[2].tolist(), created, updated, strict=True
        ):
            buffer.write(f"{conversation_id}\t{p}\t{s}\t{v}\t{c}\t{u}\n")
        with (
            transaction.atomic(),
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
        ):
            copy.write(buffer.getvalue())


# --- children: each runs in a fresh process and prints one JSON line --------------------------


def _django() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coproduce.config.settings")
    sys.path.insert(0, str(REPO))
    django.setup()


def child_build(args: argparse.Namespace) -> dict[str, Any]:
    """Migrate, then store a generated conversation: participants, statements, votes."""
    _django()
    import numpy as np
    from django.core.management import call_command

    from coproduce.conversations.models import Conversation
    from coproduce.conversations.polis_io import _create_participants, _create_statements
    from coproduce.organisations.actions import organisation_create
    from coproduce.organisations.models import Organisation
    from coproduce.services import actions as service_actions
    from coproduce.services.models import ActivityKind, ActivityState

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    people, chosen, values, micros = votes(args)
    generated = time.perf_counter()
    organisation = Organisation.objects.first() or organisation_create(
        name="Benchmark council", sector="public_body"
    )
    service = service_actions.service_create(
        organisation=organisation,
        name=f"Map benchmark {args.participants} x {args.statements} x {args.votes}",
        summary="Map benchmark",
        policy_area="health",
        area_served="Benchmark",
        publish=True,
    )
    activity = service_actions.activity_create(
        service=service,
        stage=service.current_stage,
        kind=ActivityKind.OPINION_MAP,
        title="Generated conversation",
        summary="Generated for benchmarks/conversation_map.py",
    )
    activity = service_actions.activity_transition(activity=activity, to_state=ActivityState.OPEN)
    conversation = Conversation.objects.create(activity=activity)
    participant_pk = _create_participants(conversation, list(range(args.participants)))
    statements = SimpleNamespace(statement_text={}, moderated_out=set(), meta=set())
    statement_pk = _create_statements(conversation, statements, list(range(args.statements)))
    to_participant = np.array([participant_pk[i] for i in range(args.participants)])
    to_statement = np.array([statement_pk[i] for i in range(args.statements)])
    people_made = time.perf_counter()
    _copy_votes(
        conversation.pk, (to_participant[people], to_statement[chosen], values, micros, micros)
    )
    return {
        "conversation": conversation.pk,
        "generate_seconds": generated - started,
        "people_seconds": people_made - generated,
        "copy_seconds": time.perf_counter() - people_made,
        "peak_mb": _peak_mb(),
    }


def _batch(conversation_id: int, size: int, seed: int) -> dict[str, int]:
    """Votes arriving now: half new (on statements a participant had not voted on), half changed."""
    import numpy as np
    from django.db import connection
    from django.db.models import F
    from django.utils import timezone

    from coproduce.conversations.models import Participant, Statement, Vote

    rng = np.random.default_rng(seed)
    now = timezone.now()
    ids = np.array(
        Vote.objects.filter(conversation_id=conversation_id).values_list("pk", flat=True)
    )
    changed = rng.choice(ids, size=min(size // 2, len(ids)), replace=False).tolist()
    Vote.objects.filter(pk__in=changed).update(value=-F("value"), updated_at=now)
    people = np.array(
        Participant.objects.filter(conversation_id=conversation_id).values_list("pk", flat=True)
    )
    statements = np.array(
        Statement.objects.filter(conversation_id=conversation_id).values_list("pk", flat=True)
    )
    pairs = {
        (int(p), int(s))
        for p, s in zip(
            rng.choice(people, size=size), rng.choice(statements, size=size), strict=True
        )
    }
    taken = set(
        Vote.objects.filter(
            conversation_id=conversation_id, participant_id__in={p for p, _s in pairs}
        ).values_list("participant_id", "statement_id")
    )
    fresh = sorted(pairs - taken)[: size - len(changed)]
    micros = int(now.timestamp() * 1_000_000)
    n = len(fresh)
    _copy_votes(
        conversation_id,
        (
            np.array([p for p, _s in fresh], dtype=np.int64),
            np.array([s for _p, s in fresh], dtype=np.int64),
            rng.integers(-1, 2, size=n),
            np.full(n, micros, dtype=np.int64),
            np.full(n, micros, dtype=np.int64),
        ),
    )
    connection.close()
    return {"changed": len(changed), "new": n}


def _timed_map(conversation_id: int) -> dict[str, Any]:
    from coproduce.conversations.tasks import run_map

    started, cpu = time.perf_counter(), time.process_time()
    run = run_map(conversation_id)
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
    assert run is not None
    sizes = sorted((g["size"] for g in run.result.get("groups", [])), reverse=True)
    return {
        "status": run.status,
        "error": run.error,
        "seconds": seconds,
        "cpu": cpu_seconds,
        "peak_mb": _peak_mb(),
        "votes": run.vote_count,
        "participants": run.participant_count,
        "group_sizes": sizes,
    }


def child_map(args: argparse.Namespace) -> dict[str, Any]:
    """The task cold (every vote read), then warm after a batch of new and changed votes."""
    _django()
    if args.profile:
        from pyinstrument import Profiler

        profiler = Profiler()
        profiler.start()
    cold = _timed_map(args.conversation)
    if args.profile:
        profiler.stop()
        Path(args.profile).write_text(profiler.output_text(unicode=True, show_all=False))
    batch = _batch(args.conversation, args.batch, args.seed + 1)
    warm = _timed_map(args.conversation)
    return {"cold": cold, "warm": warm, "batch": batch}


def child_engine(args: argparse.Namespace) -> dict[str, Any]:
    """The engine alone on the same generated votes in memory."""
    sys.path.insert(0, str(REPO))
    from civic_algorithms.opinion import OpinionEngine, VoteTable

    people, chosen, values, micros = votes(args)
    generated = _peak_mb()
    started, cpu = time.perf_counter(), time.process_time()
    engine = OpinionEngine()
    engine.add_votes(VoteTable.from_arrays(people, chosen, values, micros.astype(float)))
    result = engine.analyse(seed=0)
    return {
        "seconds": time.perf_counter() - started,
        "cpu": time.process_time() - cpu,
        "peak_mb": _peak_mb(),
        "peak_mb_after_generating": generated,
        "group_sizes": sorted((g.size for g in result.groups), reverse=True),
    }


CHILDREN = {"build": child_build, "map": child_map, "engine": child_engine}


def _run(mode: str, args: argparse.Namespace, **more: Any) -> dict[str, Any]:
    command = [sys.executable, __file__, "--child", mode]
    for name in ("participants", "statements", "votes", "seed", "batch", "db_url"):
        command += [f"--{name.replace('_', '-')}", str(getattr(args, name))]
    for name, value in more.items():
        command += [f"--{name}", str(value)]
    env = {**os.environ, "DATABASE_URL": args.db_url, "COPRODUCE_ENV": "development"}
    done = subprocess.run(command, env=env, capture_output=True, text=True, cwd=REPO, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{mode} failed:\n{done.stderr[-4000:]}")
    line = next(line for line in done.stdout.splitlines() if line.startswith("RESULT "))
    result: dict[str, Any] = json.loads(line.removeprefix("RESULT "))
    return result


def _verdict(run: dict[str, Any]) -> str:
    fast = run["seconds"] < TARGET_SECONDS and run["peak_mb"] < TARGET_MB
    return "PASS" if fast and run["status"] == "done" else "FAIL"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--participants", type=int, default=100_000)
    parser.add_argument("--statements", type=int, default=2_000)
    parser.add_argument("--votes", type=int, default=5_000_000)
    parser.add_argument("--quick", action="store_true", help="10,000 x 500 x 300,000")
    parser.add_argument("--batch", type=int, default=10_000, help="new and changed votes (warm)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--db-url",
        default=os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/h4bench",
    )
    parser.add_argument("--conversation", type=int, help="map this conversation (no build)")
    parser.add_argument("--profile", default="", help="write pyinstrument's cold-run profile here")
    parser.add_argument("--child", choices=sorted(CHILDREN), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.quick:
        args.participants, args.statements, args.votes = 10_000, 500, 300_000
    if args.child:
        print("RESULT " + json.dumps(CHILDREN[args.child](args)))
        return 0
    print(
        f"# {time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} CPUs, "
        f"load average {os.getloadavg()[0]:.1f}; {args.participants:,} participants x "
        f"{args.statements:,} statements x {args.votes:,} votes",
        flush=True,
    )
    if args.conversation is None:
        built = _run("build", args)
        args.conversation = built["conversation"]
        print(
            f"  built conversation {built['conversation']}: generated in "
            f"{built['generate_seconds']:.1f} s, participants and statements "
            f"{built['people_seconds']:.1f} s, votes COPY {built['copy_seconds']:.1f} s",
            flush=True,
        )
    mapped = _run("map", args, conversation=args.conversation, profile=args.profile)
    engine = _run("engine", args)
    cold, warm = mapped["cold"], mapped["warm"]
    same = cold["group_sizes"] == engine["group_sizes"]
    print(
        f"  cold map from the database: {cold['seconds']:.1f} s wall, {cold['cpu']:.1f} s CPU, "
        f"peak {cold['peak_mb']:.0f} MB, {cold['votes']:,} votes, groups {cold['group_sizes']} "
        f"({cold['status']} {cold['error']}): {_verdict(cold)}\n"
        f"  warm map after {mapped['batch']['new']:,} new and {mapped['batch']['changed']:,} "
        f"changed votes: {warm['seconds']:.1f} s wall, {warm['cpu']:.1f} s CPU, peak "
        f"{warm['peak_mb']:.0f} MB, {warm['votes']:,} votes: {_verdict(warm)}\n"
        f"  engine alone in memory: {engine['seconds']:.1f} s wall, {engine['cpu']:.1f} s CPU, "
        f"peak {engine['peak_mb']:.0f} MB ({engine['peak_mb_after_generating']:.0f} MB after "
        f"generating), groups {engine['group_sizes']}\n"
        f"  ratio cold / engine: {cold['seconds'] / engine['seconds']:.2f}x wall, "
        f"{cold['cpu'] / engine['cpu']:.2f}x CPU; warm / engine: "
        f"{warm['seconds'] / engine['seconds']:.2f}x wall; "
        f"{'same' if same else 'DIFFERENT'} group sizes (load average now "
        f"{os.getloadavg()[0]:.1f})",
        flush=True,
    )
    ok = _verdict(cold) == _verdict(warm) == "PASS"
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
