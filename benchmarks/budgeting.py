"""Participatory-budgeting benchmark: our engine against pabutools 1.2.3, in the same run.

For every chosen shared Pabulib file and rule variant, our engine runs in fresh processes (so
imports, reading and compiling the file are all counted) several times, and pabutools runs once
in a fresh process with a time limit; the script prints the median seconds, our peak memory,
the ratio, and whether both selected the same projects. Where pabutools is hopeless the limit
cuts it off and the table says "> N s"; the ratio is then a lower bound: the CPU seconds pabutools
had used when it was stopped (its imports included) over ours. Ratios are
of CPU seconds (reading the file plus counting, imports excluded): both libraries run on one core,
and CPU time stays meaningful when other work loads the machine; wall seconds are printed too.

Beside that counting-only ratio it prints the whole-process one, as a user meets it: a whole
``python -m civic_algorithms budget FILE ... --json`` process (Python start-up, imports, reading,
counting, printing; median of the same number of fresh processes) against the whole pabutools
process above, by the CPU seconds of each child (``getrusage(RUSAGE_CHILDREN)`` deltas) and by
wall seconds.

    .venv/bin/python benchmarks/budgeting.py                   # default selection (minutes)
    .venv/bin/python benchmarks/budgeting.py --files Netherlands_Assen_2024 --rules mes_add1
    .venv/bin/python benchmarks/budgeting.py --rules all --timeout 600 --markdown
    .venv/bin/python benchmarks/budgeting.py --ours-only --rules all   # the 5-second check
    .venv/bin/python benchmarks/budgeting.py --ours-only --files France_Toulouse_2022 \
        --rules mes_add1 mes_add1_greedy mes_add1_card mes_add1_greedy_card   # the 2-second check

Variants are named as in ``*.expected.json``: greedy, mes, mes_greedy, mes_add1,
mes_add1_greedy, with ``_card`` for cardinality satisfaction (the plain names use the ballot
type's natural satisfaction: cost for approval, points for cumulative, Borda for ordinal).
Timings on a shared machine are noisy: compare ratios within one run, not across runs.
"""

from __future__ import annotations

import argparse
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
SHARED = Path(os.environ.get("COPRODUCE_SHARED_DATA", REPO.parent / "shared" / "data"))
FILES = (
    "Netherlands_Assen_2024",
    "Poland_Wieliczka_2023_Green_Budget",
    "France_Toulouse_2022",
    "Poland_Warszawa_2023_Mokotow",
    "Netherlands_Amsterdam_309",
    "Poland_Katowice_2023",
    "Poland_Wroclaw_2023",
    "Poland_Krakow_2022",
    "Poland_Warszawa_2026",
    "Poland_Lodz_2022",
)
VARIANTS = (
    "greedy",
    "mes",
    "mes_greedy",
    "mes_add1",
    "mes_add1_greedy",
    "greedy_card",
    "mes_card",
    "mes_greedy_card",
    "mes_add1_card",
    "mes_add1_greedy_card",
)
DEFAULT_VARIANTS = ("greedy", "mes", "mes_add1")
COMPLETIONS = {
    "mes": "none",
    "mes_greedy": "greedy",
    "mes_add1": "add1",
    "mes_add1_greedy": "add1-greedy",
}
PEER_SAT = {
    "cost": "Cost_Sat",
    "cardinality": "Cardinality_Sat",
    "points": "Additive_Cardinal_Sat",
    "borda": "Additive_Borda_Sat",
}


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _sat(variant: str, vote_type: str) -> str:
    if variant.endswith("_card"):
        return "cardinality"
    if vote_type in ("approval", "choose-1"):
        return "cost"
    return "borda" if vote_type == "ordinal" else "points"


def _vote_type(path: Path) -> str:
    with path.open(encoding="utf-8-sig") as handle:
        for line in handle:
            if line.startswith("vote_type;"):
                return line.split(";", 1)[1].strip()
            if line.strip().upper() == "PROJECTS":
                break
    raise SystemExit(f"{path}: no vote_type")


# --- workers: one measurement in a fresh process, printed as JSON ---------------------------


def _worker_ours(path: Path, variant: str) -> dict[str, Any]:
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # as the budget command does (decision 0105)
    started = time.perf_counter()
    from civic_algorithms.budgeting.pabulib import read_pabulib
    from civic_algorithms.budgeting.profile import compile_ballots
    from civic_algorithms.budgeting.rules import count

    imported = time.perf_counter()
    cpu = time.process_time()
    election = read_pabulib(path)
    ballots = compile_ballots(election)
    loaded = time.perf_counter()
    base = variant.removesuffix("_card")
    sat = _sat(variant, election.vote_type)
    if base == "greedy":
        outcome = count(election, "greedy", sat=sat, ballots=ballots)
    else:
        outcome = count(election, "mes", sat=sat, completion=COMPLETIONS[base], ballots=ballots)
    finished = time.perf_counter()
    return {
        "selected": sorted(outcome.selected),
        "import": imported - started,
        "load": loaded - imported,
        "rule": finished - loaded,
        "total": finished - imported,
        "cpu": time.process_time() - cpu,
        "peak_mb": _peak_mb(),
        "runs": outcome.details.get("mes_runs"),
    }


def _worker_peer(path: Path, variant: str) -> dict[str, Any]:
    started = time.perf_counter()
    import pabutools.election as election_module
    from pabutools.election import parse_pabulib
    from pabutools.rules import (
        completion_by_rule_combination,
        greedy_utilitarian_welfare,
        method_of_equal_shares,
    )

    imported = time.perf_counter()
    cpu = time.process_time()
    instance, profile = parse_pabulib(str(path))
    loaded = time.perf_counter()
    base = variant.removesuffix("_card")
    sat_class = getattr(election_module, PEER_SAT[_sat(variant, _vote_type(path))])
    mes_params: dict[str, Any] = {"sat_class": sat_class}
    if "add1" in base:
        mes_params["voter_budget_increment"] = 1
    if base == "greedy":
        outcome = greedy_utilitarian_welfare(instance, profile, sat_class=sat_class)
    elif base.endswith("_greedy"):
        outcome = completion_by_rule_combination(
            instance,
            profile,
            [method_of_equal_shares, greedy_utilitarian_welfare],
            [mes_params, {"sat_class": sat_class}],
        )
    else:
        outcome = method_of_equal_shares(instance, profile, **mes_params)
    finished = time.perf_counter()
    return {
        "selected": sorted(str(project.name) for project in outcome),
        "import": imported - started,
        "load": loaded - imported,
        "rule": finished - loaded,
        "total": finished - imported,
        "cpu": time.process_time() - cpu,
        "peak_mb": _peak_mb(),
    }


def _measure(who: str, path: Path, variant: str, timeout: float | None) -> dict[str, Any] | None:
    """One fresh-process measurement; None when it ran out of time.

    Besides the worker's own figures, ``process_wall`` and ``process_cpu`` are the whole child
    process's wall and CPU seconds (start-up and imports included).
    """
    command = [sys.executable, __file__, "--worker", who, str(path), variant]
    process = _run_process(command, timeout)
    if process is None:
        return None
    done, wall, cpu = process
    if done.returncode != 0:
        raise SystemExit(f"{who} failed on {path.name} {variant}:\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout)
    result.update(process_wall=wall, process_cpu=cpu)
    return result


def _run_process(
    command: list[str], timeout: float | None
) -> tuple[subprocess.CompletedProcess[str], float, float] | None:
    """Run a child to its end: its result, wall seconds and CPU seconds; None when cut off."""
    cpu = _children_cpu()
    started = time.perf_counter()
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=timeout, check=False, cwd=REPO
        )
    except subprocess.TimeoutExpired:
        return None
    return done, time.perf_counter() - started, _children_cpu() - cpu


def _cli_command(path: Path, variant: str, vote_type: str) -> list[str]:
    """The budget command a user would type for this variant, printing JSON."""
    base = variant.removesuffix("_card")
    rule = ["--rule", "greedy"] if base == "greedy" else ["--rule", "mes"]
    completion = [] if base == "greedy" else ["--completion", COMPLETIONS[base]]
    sat = ["--sat", _sat(variant, vote_type)]
    return [sys.executable, "-m", "civic_algorithms", "budget", str(path), *rule, *sat,
            *completion, "--json"]  # fmt: skip


def _measure_cli(path: Path, variant: str, vote_type: str) -> dict[str, Any]:
    """One whole ``python -m civic_algorithms budget`` process: wall, CPU and its winners."""
    process = _run_process(_cli_command(path, variant, vote_type), None)
    assert process is not None  # no time limit
    done, wall, cpu = process
    if done.returncode != 0:
        raise SystemExit(f"the budget command failed on {path.name} {variant}:\n{done.stderr}")
    selected = sorted(json.loads(done.stdout)["selected"])
    return {"wall": wall, "cpu": cpu, "selected": selected}


# --- the benchmark -----------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", nargs="+", default=list(FILES), help="file stems (default: all)")
    parser.add_argument(
        "--rules",
        nargs="+",
        default=list(DEFAULT_VARIANTS),
        help=f"variants, or 'all' (default: {' '.join(DEFAULT_VARIANTS)})",
    )
    parser.add_argument("--repeats", type=int, default=3, help="runs of our engine (median)")
    parser.add_argument(
        "--timeout", type=float, default=120.0, help="seconds allowed to each pabutools call"
    )
    parser.add_argument("--ours-only", action="store_true", help="do not run pabutools")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    parser.add_argument("--worker", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        who, path, variant = args.worker
        worker = _worker_ours if who == "ours" else _worker_peer
        print(json.dumps(worker(Path(path), variant)))
        return 0
    variants = list(VARIANTS) if args.rules == ["all"] else args.rules
    unknown = sorted(set(variants) - set(VARIANTS))
    if unknown:
        parser.error(f"unknown variants {unknown}; choose from {', '.join(VARIANTS)}")
    rows = []
    print(
        f"# {time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} CPUs, load average "
        f"{os.getloadavg()[0]:.1f}; ours: median of {args.repeats} fresh processes; "
        f"pabutools: one process, limit {args.timeout:.0f} s",
        flush=True,
    )
    for stem in args.files:
        path = SHARED / "pabulib" / f"{stem}.pb"
        vote_type = _vote_type(path)
        for variant in variants:
            if variant.endswith("_card") and vote_type not in ("approval", "choose-1"):
                continue
            ours = [_measure("ours", path, variant, None) for _ in range(args.repeats)]
            mine = [run for run in ours if run is not None]
            seconds = statistics.median(run["total"] for run in mine)
            cpu = statistics.median(run["cpu"] for run in mine)
            rule_seconds = statistics.median(run["rule"] for run in mine)
            cli = [_measure_cli(path, variant, vote_type) for _ in range(args.repeats)]
            if any(run["selected"] != mine[0]["selected"] for run in cli):
                raise SystemExit(f"the budget command and the engine differ on {stem} {variant}")
            children = _children_cpu()
            started = time.perf_counter()
            peer = None if args.ours_only else _measure("peer", path, variant, args.timeout)
            peer_cpu_used = _children_cpu() - children  # includes a run cut off by the limit
            peer_wall_used = time.perf_counter() - started
            row = {
                "file": stem,
                "variant": variant,
                "sat": _sat(variant, vote_type),
                "ours": seconds,
                "ours_cpu": cpu,
                "ours_rule": rule_seconds,
                "peak_mb": max(run["peak_mb"] for run in mine),
                "runs": mine[0]["runs"],
                "peer": None if peer is None else peer["total"],
                "peer_cpu": None if peer is None else peer["cpu"],
                "peer_rule": None if peer is None else peer["rule"],
                "peer_cpu_used": peer_cpu_used,
                "peer_mb": None if peer is None else peer["peak_mb"],
                "cli_wall": statistics.median(run["wall"] for run in cli),
                "cli_cpu": statistics.median(run["cpu"] for run in cli),
                "peer_process_wall": None if peer is None else peer["process_wall"],
                "peer_process_cpu": None if peer is None else peer["process_cpu"],
                "peer_wall_used": peer_wall_used,
                "agree": None if peer is None else peer["selected"] == mine[0]["selected"],
            }
            rows.append(row)
            print(_line(row, args.timeout, args.ours_only), flush=True)
    if args.markdown:
        print()
        print(_markdown(rows, args.timeout, args.ours_only))
    slow = [row for row in rows if row["ours_cpu"] >= 5]
    heavy = [row for row in rows if row["peak_mb"] >= 1024]
    disagree = [row for row in rows if row["agree"] is False]
    over_two = [row for row in rows if row["cli_wall"] >= 2]
    print(
        f"\n{len(rows)} measurements; ours over 5 CPU seconds: {len(slow)}; over 1 GB: {len(heavy)}; "
        f"whole budget command over 2 s wall: {len(over_two)}; "
        f"different winners from pabutools: {len(disagree)}"
    )
    return 1 if disagree else 0


def _children_cpu() -> float:
    """CPU seconds of the finished (or killed and reaped) child processes so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _times(ratio: float) -> str:
    return f"{ratio:.1f}x" if ratio < 10 else f"{ratio:.0f}x"


def _peer_text(row: dict[str, Any], timeout: float, ours_only: bool) -> tuple[str, str]:
    """pabutools' wall seconds and the ratio of CPU seconds (robust to a busy machine)."""
    if ours_only:
        return "-", "-"
    if row["peer"] is None:
        return f"> {timeout:.0f}", f"> {row['peer_cpu_used'] / row['ours_cpu']:.0f}x"
    return f"{row['peer']:.2f}", _times(row["peer_cpu"] / row["ours_cpu"])


def _process_text(row: dict[str, Any], ours_only: bool) -> tuple[str, str]:
    """Whole-process ratios, pabutools over the budget command: by CPU and by wall seconds."""
    if ours_only:
        return "-", "-"
    if row["peer_process_cpu"] is None:  # cut off: a lower bound from what it had used
        return (
            f"> {row['peer_cpu_used'] / row['cli_cpu']:.0f}x",
            f"> {row['peer_wall_used'] / row['cli_wall']:.0f}x",
        )
    return (
        _times(row["peer_process_cpu"] / row["cli_cpu"]),
        _times(row["peer_process_wall"] / row["cli_wall"]),
    )


def _line(row: dict[str, Any], timeout: float, ours_only: bool) -> str:
    peer, ratio = _peer_text(row, timeout, ours_only)
    whole_cpu, whole_wall = _process_text(row, ours_only)
    agree = {True: "same winners", False: "DIFFERENT WINNERS", None: ""}[row["agree"]]
    memory = "" if row["peer_mb"] is None else f" ({row['peer_mb']:.0f} MB)"
    return (
        f"{row['file']:<36} {row['variant']:<20} ours {row['ours']:7.3f} s "
        f"(CPU {row['ours_cpu']:.3f}, rule {row['ours_rule']:.3f}, {row['peak_mb']:.0f} MB)  "
        f"pabutools {peer:>7} s{memory}  {ratio:>7}  "
        f"whole process: ours {row['cli_wall']:.2f} s (CPU {row['cli_cpu']:.2f})  "
        f"ratio CPU {whole_cpu:>6} wall {whole_wall:>6}  {agree}"
    )


def _markdown(rows: list[dict[str, Any]], timeout: float, ours_only: bool) -> str:
    lines = [
        "| file | variant | sat | ours s | ours CPU s | peak MB | pabutools s | pabutools MB "
        "| ratio (CPU) | whole process: ours s (CPU s) | pabutools s (CPU s) "
        "| ratio CPU / wall | winners |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        peer, ratio = _peer_text(row, timeout, ours_only)
        whole_cpu, whole_wall = _process_text(row, ours_only)
        agree = {True: "same", False: "**different**", None: "n/a"}[row["agree"]]
        memory = "-" if row["peer_mb"] is None else f"{row['peer_mb']:.0f}"
        if row["peer_process_wall"] is not None:
            peer_process = f"{row['peer_process_wall']:.2f} ({row['peer_process_cpu']:.2f})"
        else:
            peer_process = "-" if ours_only else f"> {timeout:.0f}"
        lines.append(
            f"| {row['file']} | {row['variant']} | {row['sat']} | {row['ours']:.3f} "
            f"| {row['ours_cpu']:.3f} | {row['peak_mb']:.0f} | {peer} | {memory} | {ratio} "
            f"| {row['cli_wall']:.2f} ({row['cli_cpu']:.2f}) | {peer_process} "
            f"| {whole_cpu} / {whole_wall} | {agree} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
