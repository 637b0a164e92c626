"""Opinion-mapping benchmark: our engine against red-dwarf 0.4.0, measured in the same run.

For every shared Polis conversation each library runs in fresh processes (so that import time is
real), several times; the medians of import, load and pipeline seconds are printed with the
ratios, together with how close each library's groups are to the groups the Polis server showed
(adjusted Rand index). A synthetic conversation (100,000 participants x 2,000 statements x 5
million votes by default) measures our engine alone at scale, with its peak memory.

    .venv/bin/python benchmarks/opinion.py                 # everything (several minutes)
    .venv/bin/python benchmarks/opinion.py --repeats 1 --skip-synthetic
    .venv/bin/python benchmarks/opinion.py --synthetic-only --participants 20000

red-dwarf must be importable by the interpreter that runs this script. `make bench` installs the
peers into the project's environment; to keep them out of it, use a separate one (our engine needs
only numpy and scipy, which red-dwarf brings, and is imported from this checkout):

    python -m venv /tmp/bench && /tmp/bench/bin/pip install red-dwarf==0.4.0
    /tmp/bench/bin/python benchmarks/opinion.py --repeats 3

Timings on a shared machine are noisy: compare ratios within one run, not across runs.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:  # run as a script from anywhere: make the package importable
    sys.path.insert(0, str(REPO))
SHARED = Path(os.environ.get("COPRODUCE_SHARED_DATA", REPO.parent / "shared" / "data"))
CONVERSATIONS = (
    "london.youth.policing",
    "reddwarf-fixture.below-100-ptpts",
    "brexit-consensus",
    "reddwarf-fixture.above-100-ptpts",
    "scoop-hivemind.biodiversity",
    "football-concussions",
    "vtaiwan.uberx",
    "american-assembly.bowling-green",
)


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


# --- workers: one measurement in a fresh process, printed as JSON ---------------------------


def _worker_ours(folder: Path) -> dict[str, Any]:
    started = time.perf_counter()
    from civic_algorithms.opinion.engine import analyse
    from civic_algorithms.opinion.readers import read_conversation

    imported = time.perf_counter()
    conversation = read_conversation(folder)
    loaded = time.perf_counter()
    result = analyse(conversation, seed=0)
    finished = time.perf_counter()
    return {
        "import_s": imported - started,
        "load_s": loaded - imported,
        "pipeline_s": finished - loaded,
        "peak_mb": _peak_mb(),
        "k": result.k,
        "groups": {str(p): g for p, g in result.group_of().items()},
    }


def _reddwarf_votes_csv(path: Path) -> list[dict[str, Any]]:
    latest: dict[tuple[int, int], dict[str, Any]] = {}
    with path.open(newline="") as handle:
        for row in csv.DictReader(handle):
            vote = {
                "participant_id": int(row["voter-id"]),
                "statement_id": int(row["comment-id"]),
                "vote": int(row["vote"]),
                "modified": int(row["timestamp"]),
            }
            key = (vote["participant_id"], vote["statement_id"])
            if key not in latest or vote["modified"] >= latest[key]["modified"]:
                latest[key] = vote
    return list(latest.values())


def _reddwarf_matrix_csv(path: Path) -> list[dict[str, Any]]:
    votes: list[dict[str, Any]] = []
    info = {"participant", "xid", "group-id", "n-comments", "n-votes", "n-agree", "n-disagree"}
    with path.open(newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        columns = [(i, int(name)) for i, name in enumerate(header) if name not in info]
        for row in reader:
            pid = int(row[header.index("participant")])
            for i, sid in columns:
                if i < len(row) and row[i] != "":
                    votes.append(
                        {
                            "participant_id": pid,
                            "statement_id": sid,
                            "vote": int(row[i]),
                            "modified": 0,
                        }
                    )
    return votes


def _worker_reddwarf(folder: Path) -> dict[str, Any]:
    started = time.perf_counter()
    from reddwarf.data_loader import Loader
    from reddwarf.implementations.polis import run_pipeline

    imported = time.perf_counter()
    if (folder / "votes.json").is_file():
        loader = Loader(filepaths=[str(folder / "votes.json"), str(folder / "comments.json")])
        loader.filter_duplicate_votes(keep="recent")
        votes = loader.votes_data
        comments = loader.comments_data
        mod_out = {c["statement_id"] for c in comments if c["moderated"] == -1}
        meta = {c["statement_id"] for c in comments if c.get("is_meta")}
    else:
        if (folder / "votes.csv").is_file():
            votes = _reddwarf_votes_csv(folder / "votes.csv")
        else:
            votes = _reddwarf_matrix_csv(folder / "participants-votes.csv")
        with (folder / "comments.csv").open(newline="") as handle:
            mod_out = {
                int(r["comment-id"]) for r in csv.DictReader(handle) if r["moderated"] == "-1"
            }
        meta = set()
    loaded = time.perf_counter()
    result = run_pipeline(
        votes=votes,
        mod_out_statement_ids=sorted(mod_out | meta),
        meta_statement_ids=sorted(meta),
        random_state=42,
    )
    finished = time.perf_counter()
    frame = result.participants_df
    clustered = frame[frame["to_cluster"]]
    return {
        "import_s": imported - started,
        "load_s": loaded - imported,
        "pipeline_s": finished - loaded,
        "peak_mb": _peak_mb(),
        "k": int(clustered["cluster_id"].nunique()),
        "groups": {str(p): int(g) for p, g in clustered["cluster_id"].items()},
    }


def synthetic_votes(
    participants: int, statements: int, votes: int, seed: int = 0
) -> tuple[Any, Any, Any, Any]:
    """A Polis-like conversation: three opinion camps in a 2-d latent space, heavy-tailed activity
    (a few people vote on hundreds of statements, most on a few dozen), early statements seen
    more, about a quarter of the votes passes."""
    import numpy as np

    rng = np.random.default_rng(seed)
    camp_centres = np.array([[1.5, 0.0], [-1.0, 1.2], [-0.5, -1.5]])
    camp = rng.choice(3, size=participants, p=[0.5, 0.3, 0.2])
    opinion = camp_centres[camp] + rng.normal(scale=0.7, size=(participants, 2))
    loading = rng.normal(size=(statements, 2))
    activity = rng.lognormal(mean=0.0, sigma=0.8, size=participants)
    popularity = 1.0 / np.sqrt(np.arange(1, statements + 1))
    key = np.zeros(0, dtype=np.int64)
    oversample = 1.1
    while len(key) < votes:  # draws repeat some (person, statement) pairs: draw a little more
        per_person = np.minimum(
            np.maximum(1, np.round(activity / activity.sum() * votes * oversample)), statements
        )
        people = np.repeat(np.arange(participants, dtype=np.int64), per_person.astype(np.int64))
        chosen = rng.choice(statements, size=len(people), p=popularity / popularity.sum())
        key = np.unique(people * statements + chosen)
        oversample *= 1.1
    key = rng.permutation(key)[:votes]
    people, chosen = key // statements, key % statements
    signal = (opinion[people] * loading[chosen]).sum(axis=1) + rng.normal(scale=0.8, size=len(key))
    values = np.where(signal > 0.35, 1, np.where(signal < -0.35, -1, 0)).astype(np.int8)
    times = np.sort(rng.random(len(key))) * 1e9
    order = rng.permutation(len(key))
    return people[order], chosen[order], values[order], times


def _worker_synthetic(participants: int, statements: int, votes: int) -> dict[str, Any]:
    import numpy as np

    from civic_algorithms.opinion import OpinionEngine, VoteTable

    people, chosen, values, times = synthetic_votes(participants, statements, votes)
    generated = _peak_mb()
    started = time.perf_counter()
    engine = OpinionEngine()
    engine.add_votes(VoteTable.from_arrays(people, chosen, values, times))
    result = engine.analyse(seed=0)
    finished = time.perf_counter()
    # An incremental update: 10,000 more votes (new and changed ones) from the same population.
    rng = np.random.default_rng(1)
    size = 10_000
    batch = VoteTable.from_arrays(
        rng.integers(0, participants + 100, size=size),
        rng.integers(0, statements, size=size),
        rng.integers(-1, 2, size=size),
        np.full(size, float(times.max()) + 1.0),
    )
    update_started = time.perf_counter()
    engine.add_votes(batch)
    merged = time.perf_counter()
    engine.analyse(seed=0)
    update_finished = time.perf_counter()
    return {
        "analysis_s": finished - started,
        "update_merge_s": merged - update_started,
        "update_analyse_s": update_finished - merged,
        "peak_mb": _peak_mb(),
        "peak_mb_after_generating": generated,
        "votes": result.n_votes,
        "participants": len(result.participant_ids),
        "statements": len(result.statement_ids),
        "clustered": int(result.clustered.sum()),
        "k": result.k,
    }


# --- driver ------------------------------------------------------------------------------------


BLAS_THREADS = "1"


def _run_worker(*args: str) -> dict[str, Any]:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    if BLAS_THREADS != "default":
        for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            env[name] = BLAS_THREADS
    env["PYTHONWARNINGS"] = "ignore"
    done = subprocess.run(
        [sys.executable, __file__, "--worker", *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"worker {args} failed:\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def _ari(ours: dict[str, int], theirs: dict[str, int]) -> float:
    from civic_algorithms.opinion.compare import ari_on_common

    return ari_on_common(ours, theirs)[0]


def _median(runs: list[dict[str, Any]], key: str) -> float:
    return float(statistics.median(float(run[key]) for run in runs))


def compare_shared(repeats: int) -> list[dict[str, Any]]:
    """Run both libraries on every shared conversation; return one summary row per conversation."""
    from civic_algorithms.opinion.readers import read_polis_server_groups

    rows = []
    for name in CONVERSATIONS:
        folder = SHARED / "polis" / name
        ours_runs, theirs_runs = [], []
        for _ in range(repeats):  # interleaved, so that load changes hit both libraries alike
            ours_runs.append(_run_worker("ours", str(folder)))
            theirs_runs.append(_run_worker("reddwarf", str(folder)))
        server = {str(p): g for p, g in read_polis_server_groups(folder).items()}
        row: dict[str, Any] = {"conversation": name}
        for label, runs in (("ours", ours_runs), ("reddwarf", theirs_runs)):
            for key in ("import_s", "load_s", "pipeline_s", "peak_mb"):
                row[f"{label}_{key}"] = _median(runs, key)
            row[f"{label}_total_s"] = statistics.median(
                r["import_s"] + r["load_s"] + r["pipeline_s"] for r in runs
            )
            row[f"{label}_k"] = runs[0]["k"]
            row[f"{label}_ari_polis"] = _ari(runs[0]["groups"], server)
        row["ari_ours_vs_reddwarf"] = _ari(ours_runs[0]["groups"], theirs_runs[0]["groups"])
        row["server_k"] = len(set(server.values()))
        rows.append(row)
        _print_row(row)
    return rows


HEADER = (
    f"{'conversation':34s} {'ours imp/load/pipe = total':>28s} {'red-dwarf imp/load/pipe = total':>32s}"
    f" {'pipe x':>7s} {'total x':>7s}  {'k o/r/P':>7s} {'ARI o-P':>7s} {'ARI r-P':>7s} {'ARI o-r':>7s}"
)


def _print_row(row: dict[str, Any]) -> None:
    def triple(label: str) -> str:
        return (
            f"{row[f'{label}_import_s']:.2f}/{row[f'{label}_load_s']:.2f}/{row[f'{label}_pipeline_s']:.2f}"
            f" = {row[f'{label}_total_s']:.2f}"
        )

    pipe_ratio = row["reddwarf_pipeline_s"] / row["ours_pipeline_s"]
    total_ratio = row["reddwarf_total_s"] / row["ours_total_s"]
    ks = f"{row['ours_k']}/{row['reddwarf_k']}/{row['server_k']}"
    print(
        f"{row['conversation']:34s} {triple('ours'):>28s} {triple('reddwarf'):>32s} {pipe_ratio:7.1f}"
        f" {total_ratio:7.1f}  {ks:>7s} {row['ours_ari_polis']:7.3f} {row['reddwarf_ari_polis']:7.3f}"
        f" {row['ari_ours_vs_reddwarf']:7.3f}",
        flush=True,
    )


def main(argv: list[str] | None = None) -> int:
    """Parse options, run the comparisons and the synthetic scale test, print the results."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--repeats", type=int, default=3, help="fresh-process runs per library (median)"
    )
    parser.add_argument("--skip-synthetic", action="store_true")
    parser.add_argument("--synthetic-only", action="store_true")
    parser.add_argument("--participants", type=int, default=100_000)
    parser.add_argument("--statements", type=int, default=2_000)
    parser.add_argument("--votes", type=int, default=5_000_000)
    parser.add_argument(
        "--blas-threads",
        default="1",
        help="BLAS/OpenMP threads for both libraries ('default' = the libraries' own choice); one "
        "thread is fairest on a shared machine, where multi-threaded BLAS slows red-dwarf down",
    )
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    parser.add_argument("--worker", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.worker:
        kind, *rest = args.worker
        if kind == "ours":
            out = _worker_ours(Path(rest[0]))
        elif kind == "reddwarf":
            out = _worker_reddwarf(Path(rest[0]))
        else:
            out = _worker_synthetic(*(int(x) for x in rest))
        print(json.dumps(out))
        return 0

    global BLAS_THREADS
    BLAS_THREADS = args.blas_threads
    report: dict[str, Any] = {
        "cpus": os.cpu_count(),
        "load_average_start": os.getloadavg()[0],
        "blas_threads": BLAS_THREADS,
    }
    print(
        f"# {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}, BLAS threads"
        f" {BLAS_THREADS}; medians of {args.repeats} fresh-process runs"
    )
    if not args.synthetic_only:
        print(HEADER)
        report["shared"] = compare_shared(args.repeats)
        print(
            "(x = red-dwarf seconds / our seconds; k ours/red-dwarf/Polis server; ARI o-P and r-P:"
            " ours and red-dwarf's groups vs the Polis server's; o-r: ours vs red-dwarf's)"
        )
        rows = report["shared"]
        ours = [row["ours_ari_polis"] for row in rows]
        theirs = [row["reddwarf_ari_polis"] for row in rows]
        at_least = sum(o >= t for o, t in zip(ours, theirs, strict=True))
        report["mean_ari_polis"] = {
            "ours": statistics.mean(ours),
            "reddwarf": statistics.mean(theirs),
        }
        print(
            f"mean ARI against the Polis server: ours {statistics.mean(ours):.3f}, red-dwarf"
            f" {statistics.mean(theirs):.3f}; ours at least red-dwarf's on {at_least} of {len(rows)}"
        )
    if not args.skip_synthetic:
        size = (str(args.participants), str(args.statements), str(args.votes))
        runs = [_run_worker("synthetic", *size) for _ in range(args.repeats)]
        synthetic = {
            "participants": runs[0]["participants"],
            "statements": runs[0]["statements"],
            "votes": runs[0]["votes"],
            "clustered": runs[0]["clustered"],
            "k": runs[0]["k"],
            "analysis_s_median": _median(runs, "analysis_s"),
            "analysis_s_runs": [r["analysis_s"] for r in runs],
            "peak_mb_max": max(r["peak_mb"] for r in runs),
            "peak_mb_after_generating": runs[0]["peak_mb_after_generating"],
            "update_merge_s_median": _median(runs, "update_merge_s"),
            "update_analyse_s_median": _median(runs, "update_analyse_s"),
        }
        report["synthetic"] = synthetic
        print(
            f"synthetic {synthetic['participants']:,} participants x {synthetic['statements']:,} statements"
            f" x {synthetic['votes']:,} votes: analysis {synthetic['analysis_s_median']:.1f} s (median of"
            f" {len(runs)}: {', '.join(f'{s:.1f}' for s in synthetic['analysis_s_runs'])}), peak memory"
            f" {synthetic['peak_mb_max']:.0f} MB ({synthetic['peak_mb_after_generating']:.0f} MB after"
            f" generating the votes), {synthetic['clustered']:,} clustered, k = {synthetic['k']}"
        )
        print(
            f"incremental update with 10,000 more votes: merge {synthetic['update_merge_s_median']:.2f} s,"
            f" re-analysis {synthetic['update_analyse_s_median']:.1f} s (medians)"
        )
    report["load_average_end"] = os.getloadavg()[0]
    print(f"# load average at the end {report['load_average_end']:.1f}")
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
