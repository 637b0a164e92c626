"""Selection benchmark (issue 13): a panel drawn inside the web app from a generated pool of 2,000
with 7 categories, and from one of 300, against the engine alone on the same problem, same run.

The pool is seeded: people answer 7 questions (age band, sex, ethnicity, disability, area,
housing tenure, qualifications) with the population's shares tilted the way volunteers are
(older, more qualified, home owners over-represented); the quotas are the platform's rule for
census shares (``quotas.quotas_from_shares``: floor and ceiling of share x panel size). Then,
each in a fresh process:

- **web app**: what ``panel_import_pool`` and ``panel_select`` do: ``pool.import_pool`` of the
  pool files, then ``actions_selection.seed_commit`` (the feasibility check and the pool's hash),
  ``actions_selection.selection_start`` and the task's ``tasks.run_selection`` (LEXIMIN, the committed
  seed). Each step's wall and CPU seconds, and the peak memory of the process;
- **baseline**: the engine alone, ``civic_algorithms.sortition.select_panel`` on the same files
  (``read_problem``) with the same seed and settings; the panels must be the same and the
  probabilities equal.

    .venv/bin/python benchmarks/panel_select.py                     # 2,000 -> 100, then 300 -> 24
    .venv/bin/python benchmarks/panel_select.py --pool 2000 --panel-size 50

The database is ``--db-url`` (default ``$DATABASE_URL``), migrated first; each run adds a panel.
Targets (issue 13): 2,000 with 7 categories under 60 s with the task; a few hundred: seconds.
Results in docs/performance.md.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 60.0
SIZES = ((2_000, 100), (300, 24))

# category: (value, share of the population, how much more likely such a person volunteers)
CATEGORIES: dict[str, list[tuple[str, float, float]]] = {
    "age": [
        ("16-24", 0.14, 0.6),
        ("25-34", 0.17, 0.8),
        ("35-44", 0.16, 1.0),
        ("45-54", 0.17, 1.1),
        ("55-64", 0.16, 1.3),
        ("65+", 0.20, 1.4),
    ],
    "sex": [("female", 0.51, 1.1), ("male", 0.49, 0.9)],
    "ethnicity": [
        ("white", 0.82, 1.0),
        ("asian", 0.09, 0.8),
        ("black", 0.04, 0.7),
        ("mixed", 0.03, 0.9),
        ("other", 0.02, 0.8),
    ],
    "disability": [("yes", 0.18, 0.9), ("no", 0.82, 1.0)],
    "area": [(f"ward-{i}", 1 / 8, 0.8 + 0.05 * i) for i in range(1, 9)],
    "tenure": [("owner", 0.63, 1.3), ("social-rent", 0.17, 0.7), ("private-rent", 0.20, 0.8)],
    "qualifications": [
        ("none", 0.18, 0.5),
        ("school", 0.30, 0.9),
        ("further", 0.19, 1.0),
        ("degree", 0.33, 1.5),
    ],
}


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def write_pool(folder: Path, pool: int, panel_size: int, seed: int, slack: int = 0) -> None:
    """respondents.csv (id + 7 answers) and categories.csv (quotas from the population shares,
    widened by ``slack`` seats either way)."""
    import numpy as np

    from civic_algorithms.sortition.model import Quota

    sys.path.insert(0, str(REPO))
    from coproduce.panels.quotas import quotas_from_shares

    rng = np.random.default_rng(seed)
    answers = {}
    for name, values in CATEGORIES.items():
        weights = np.array([share * tilt for _v, share, tilt in values])
        answers[name] = rng.choice(
            [v for v, _s, _t in values], size=pool, p=weights / weights.sum()
        )
    with (folder / "respondents.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", *CATEGORIES])
        for i in range(pool):
            writer.writerow([f"p{i + 1:05d}", *(answers[name][i] for name in CATEGORIES)])
    quotas = [
        Quota(name, value, max(low - slack, 0), min(high + slack, panel_size))
        for name, values in CATEGORIES.items()
        for value, (low, high) in quotas_from_shares(
            {v: share for v, share, _t in values}, panel_size
        ).items()
    ]
    with (folder / "categories.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["category", "feature", "min", "max"])
        writer.writerows([q.feature, q.value, q.min, q.max] for q in quotas)


# --- children: each runs in a fresh process and prints one JSON line --------------------------


def _clock() -> tuple[float, float]:
    return time.perf_counter(), time.process_time()


def _since(start: tuple[float, float]) -> dict[str, float]:
    return {"seconds": time.perf_counter() - start[0], "cpu": time.process_time() - start[1]}


def child_app(args: argparse.Namespace) -> dict[str, Any]:
    """Import the pool, commit the seed, start and run the selection, as the app does."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coproduce.config.settings")
    sys.path.insert(0, str(REPO))
    django.setup()
    from django.core.management import call_command

    from coproduce.organisations.actions import organisation_create
    from coproduce.organisations.models import Organisation
    from coproduce.panels import actions_selection, queries
    from coproduce.panels.pool import import_pool
    from coproduce.panels.tasks import run_selection
    from coproduce.services import actions as service_actions

    call_command("migrate", verbosity=0)
    organisation = Organisation.objects.first() or organisation_create(
        name="Benchmark council", sector="public_body"
    )
    service = service_actions.service_create(
        organisation=organisation,
        name=f"Panel benchmark {args.pool} to {args.panel_size}",
        summary="Selection benchmark",
        policy_area="health",
        area_served="Benchmark",
        publish=True,
    )
    start = _clock()
    panel = import_pool(directory=Path(args.folder), service=service, panel_size=args.panel_size)
    imported = _since(start)
    start = _clock()
    committed = actions_selection.seed_commit(
        panel=panel, by=None, seed=args.seed, algorithm="leximin"
    )
    commit = _since(start)
    start = _clock()
    actions_selection.selection_start(selection=committed, by=None)
    selection = run_selection(committed.pk)
    selected = _since(start)
    assert selection is not None
    result = queries.by_pool_id(selection)
    return {
        "import": imported,
        "commit": commit,
        "select": selected,
        "peak_mb": _peak_mb(),
        "status": selection.status,
        "error": selection.error,
        "result": result,
        "min_p": selection.statistics.get("minimum_probability"),
    }


def child_engine(args: argparse.Namespace) -> dict[str, Any]:
    """The engine alone: read the same files, select with the same seed and settings."""
    sys.path.insert(0, str(REPO))
    from civic_algorithms.sortition import read_problem, select_panel

    start = _clock()
    problem = read_problem(args.folder, args.panel_size)
    outcome = select_panel(
        problem, algorithm="leximin", seed=args.seed, tickets=1000, legacy_runs=0
    )
    return {
        **_since(start),
        "peak_mb": _peak_mb(),
        "panel": sorted(str(p) for p in outcome.panel),
        "probabilities": {str(k): v for k, v in outcome.distribution.probabilities.items()},
    }


CHILDREN = {"app": child_app, "engine": child_engine}


def _run(mode: str, args: argparse.Namespace, **more: Any) -> dict[str, Any]:
    command = [sys.executable, __file__, "--child", mode, "--seed", str(args.seed)]
    for name, value in more.items():
        command += [f"--{name.replace('_', '-')}", str(value)]
    env = {**os.environ, "DATABASE_URL": args.db_url, "COPRODUCE_ENV": "development"}
    done = subprocess.run(command, env=env, capture_output=True, text=True, cwd=REPO, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{mode} failed:\n{done.stderr[-4000:]}")
    line = next(line for line in done.stdout.splitlines() if line.startswith("RESULT "))
    result: dict[str, Any] = json.loads(line.removeprefix("RESULT "))
    return result


def _pool_ids(result: dict[str, Any]) -> tuple[list[str], dict[str, float]]:
    """The panel and the probabilities by pool id, from ``queries.by_pool_id``'s JSON."""
    panel = sorted(str(p) for p in result["panel"])
    return panel, {str(k): float(v) for k, v in result["probabilities"].items()}


def measure(pool: int, panel_size: int, folder: Path, args: argparse.Namespace) -> bool:
    """Generate one pool, select in the app and with the engine alone, print one paragraph."""
    write_pool(folder, pool, panel_size, args.seed, args.slack)
    sizes = {"pool": pool, "panel_size": panel_size, "folder": folder}
    app = _run("app", args, **sizes)
    engine = _run("engine", args, **sizes)
    panel, chances = _pool_ids(app["result"])
    difference = max(abs(chances[k] - p) for k, p in engine["probabilities"].items())
    same = panel == engine["panel"]
    total = sum(app[step]["seconds"] for step in ("commit", "select"))
    total_cpu = sum(app[step]["cpu"] for step in ("commit", "select"))
    limit = TARGET_SECONDS if pool >= 1000 else 10.0
    verdict = "PASS" if total < limit and app["status"] == "done" and same else "FAIL"
    print(
        f"pool {pool:,}, panel {panel_size}, {len(CATEGORIES)} categories, quota slack "
        f"{args.slack}:\n"
        f"  import {app['import']['seconds']:.2f} s; seed commit (feasibility, pool hash) "
        f"{app['commit']['seconds']:.2f} s; selection task {app['select']['seconds']:.2f} s; "
        f"commit + selection {total:.2f} s wall, {total_cpu:.2f} s CPU, peak "
        f"{app['peak_mb']:.0f} MB ({app['status']} {app['error']})\n"
        f"  engine alone (read files, select): {engine['seconds']:.2f} s wall, "
        f"{engine['cpu']:.2f} s CPU, peak {engine['peak_mb']:.0f} MB; ratio "
        f"{total / engine['seconds']:.2f}x wall, {total_cpu / engine['cpu']:.2f}x CPU\n"
        f"  {'same' if same else 'DIFFERENT'} panel, probabilities within {difference:.1e}, "
        f"minimum probability {app['min_p']:.4f}; target under {limit:.0f} s: {verdict} "
        f"(load average now {os.getloadavg()[0]:.1f})",
        flush=True,
    )
    return verdict == "PASS"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pool", type=int, help="one pool of this size (default: 2,000 and 300)")
    parser.add_argument("--panel-size", type=int, default=100)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--slack", type=int, default=0, help="widen every quota by this many seats either way"
    )
    parser.add_argument(
        "--db-url",
        default=os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/h4bench",
    )
    parser.add_argument("--child", choices=sorted(CHILDREN), help=argparse.SUPPRESS)
    parser.add_argument("--folder", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print("RESULT " + json.dumps(CHILDREN[args.child](args)))
        return 0
    print(
        f"# {time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} CPUs, "
        f"load average {os.getloadavg()[0]:.1f}",
        flush=True,
    )
    sizes = SIZES if args.pool is None else ((args.pool, args.panel_size),)
    ok = True
    for pool, panel_size in sizes:
        with tempfile.TemporaryDirectory(prefix="panel-select-") as temporary:
            ok &= measure(pool, panel_size, Path(temporary), args)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
