"""Benchmark: our LEXIMIN against sortition-algorithms 0.12.15 on the shared instances, same run.

    .venv/bin/python benchmarks/sortition.py [--instances geneva_30,...] [--repeats 3]
                                              [--peer-timeout 3600] [--no-peer]

For each instance it times our LEXIMIN (median of ``--repeats`` runs in this process, wall and
CPU seconds) and then the peer in a subprocess (one run, with a timeout). The peer's LEXIMIN needs
``gurobipy``, whose PyPI licence refuses models of more than 2,000 variables or constraints (its
dual LP has one variable per person, plus one). The peer script probes the licence with a model of
that size first; where it refuses (example_large_200) the peer's MAXIMIN (HiGHS backend) is timed
instead and the table says so. It prints seconds, the ratio peer / ours, and how far apart the marginals are: per person
for LEXIMIN (whose marginals are unique), the minimum probability only for MAXIMIN (its other
marginals are one optimum among many). Seconds are wall and CPU (CPU is steadier on a busy machine;
it counts every solver thread). For our distribution it also prints the gini coefficient, the
geometric mean, and how many volunteers LEGACY (10,000 seeded Monte Carlo runs, untimed) leaves
below the LEXIMIN minimum.

The machine is shared: the load average is printed before and after, and timings are noisy.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from civic_algorithms.sortition import find_distribution, legacy, read_problem, stats

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("COPRODUCE_SHARED_DATA", ROOT.parent / "shared" / "data")) / "sortition"
INSTANCES = ("example_small_20", "sf_scotland_22", "geneva_30", "example_large_200")

PEER = r"""
import csv, json, sys, time
folder, k = sys.argv[1], int(sys.argv[2])
import sortition_algorithms
from sortition_algorithms.features import read_in_features
from sortition_algorithms.people import read_in_people
from sortition_algorithms.settings import Settings
from sortition_algorithms.committee_generation.leximin import find_distribution_leximin
from sortition_algorithms.committee_generation.maximin import find_distribution_maximin

def rows(name):
    with open(f"{folder}/{name}", newline="", encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))

try:
    body = rows("features.csv")
    pool = rows("candidates.csv")
    id_column = list(pool[0])[0]
except FileNotFoundError:
    body = [dict(feature=r["category"], value=r["feature"], min=r["min"], max=r["max"])
            for r in rows("categories.csv")]
    pool = rows("respondents.csv")
    if list(pool[0])[0] in {r["feature"] for r in body}:
        pool = [dict(r, row_id=str(i)) for i, r in enumerate(pool)]
        id_column = "row_id"
    else:
        id_column = list(pool[0])[0]
features, _, _ = read_in_features(list(body[0]), body, k)
settings = Settings(id_column=id_column, columns_to_keep=[])
people, _ = read_in_people(list(pool[0]), pool, features, settings)
result = {}
# The peer's LEXIMIN dual LP has one Gurobi variable per person plus one. Its PyPI licence refuses
# models above 2,000 variables, but only after the peer's initial panels (3 x pool size integer
# programs): probe the licence with a model of that size first, then run MAXIMIN instead.
import gurobipy as grb
probe = grb.Model()
probe.setParam("OutputFlag", 0)
probe.addVars(people.count + 1)
try:
    probe.optimize()
except grb.GurobiError as error:
    result["leximin_error"] = f"gurobipy licence: {error}"[:200]
    print(json.dumps(result), flush=True)
started = time.perf_counter()
cpu = time.process_time()
if "leximin_error" not in result:
    committees, weights, _ = find_distribution_leximin(features, people, k, [], "highspy")
    result["algorithm"] = "leximin"
else:
    committees, weights, _ = find_distribution_maximin(features, people, k, [], "highspy")
    result["algorithm"] = "maximin"
result["seconds"] = time.perf_counter() - started
result["cpu_seconds"] = time.process_time() - cpu
marginals = {pid: 0.0 for pid in people}
for committee, weight in zip(committees, weights):
    for pid in committee:
        marginals[pid] += weight
result["probabilities"] = marginals
result["committees"] = sum(1 for w in weights if w > 1e-9)
print(json.dumps(result))
"""


def ours(name: str, repeats: int) -> dict[str, object]:
    """Median wall and CPU seconds of our LEXIMIN, and its marginals."""
    problem = read_problem(DATA / name, int(name.rsplit("_", 1)[1]))
    walls, cpus = [], []
    distribution = None
    for _ in range(repeats):
        cpu = time.process_time()
        distribution = find_distribution(problem, "leximin")
        cpus.append(time.process_time() - cpu)
        walls.append(distribution.seconds)
    assert distribution is not None
    vector = distribution.vector()
    groups = distribution.groups
    # LEGACY estimated as the engine does (10,000 seeded Monte Carlo runs), outside the timing
    legacy_vector = legacy.estimate(groups).probabilities[groups.group_of_person]
    minimum = stats.minimum(vector)
    return {
        "seconds": statistics.median(walls),
        "cpu_seconds": statistics.median(cpus),
        "runs": [round(w, 3) for w in walls],
        "probabilities": dict(distribution.probabilities),
        "committees": distribution.committees,
        "method": distribution.method,
        "gini": stats.gini(vector),
        "geometric_mean": stats.geometric_mean(vector),
        "legacy_minimum": stats.minimum(legacy_vector),
        "legacy_below": stats.below(legacy_vector, minimum),
    }


def peer(name: str, timeout: float) -> dict[str, object]:
    """One run of sortition-algorithms in a subprocess (LEXIMIN, else MAXIMIN)."""
    k = name.rsplit("_", 1)[1]
    try:
        done = subprocess.run(
            [sys.executable, "-c", PEER, str(DATA / name), k],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired as expired:
        partial = expired.stdout.decode() if isinstance(expired.stdout, bytes) else ""
        result: dict[str, object] = {"error": f"timed out after {timeout:.0f} s", "seconds": None}
        for line in partial.splitlines():
            if line.startswith("{"):
                result.update(json.loads(line))
                result["algorithm"] = "maximin"  # LEXIMIN failed at once, MAXIMIN timed out
        return result
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        return {"error": done.stderr.strip().splitlines()[-1:], "seconds": None}
    answer: dict[str, object] = json.loads(lines[-1])
    return answer


def reference(name: str) -> dict[str, float] | None:
    """The LEXIMIN marginals in expected.json, where there are some."""
    with (DATA / name / "expected.json").open() as handle:
        results = json.load(handle)["results"]
    entry = results.get("leximin")
    return None if entry is None else dict(entry["probabilities"])


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print one table row per instance, then a JSON summary."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--instances", default=",".join(INSTANCES))
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--peer-timeout", type=float, default=3600.0)
    parser.add_argument("--no-peer", action="store_true")
    args = parser.parse_args(argv)

    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    header = (
        f"{'instance':<18} {'ours s':>8} {'ours cpu':>8} {'peer':>8} {'peer s':>9} "
        f"{'ratio':>7} {'max |dp| vs peer':>17} {'vs expected':>12} {'min p':>9} {'method'}"
    )
    print(header)
    summary = []
    for name in args.instances.split(","):
        mine = ours(name, args.repeats)
        probabilities = mine["probabilities"]
        assert isinstance(probabilities, dict)
        expected = reference(name)
        vs_expected = (
            max(abs(probabilities[p] - q) for p, q in expected.items()) if expected else None
        )
        other: dict[str, object] = {"seconds": None}
        if not args.no_peer:
            other = peer(name, args.peer_timeout)
        ratio = None
        cpu_ratio = None
        agreement = None
        peer_vs_expected = None
        if isinstance(other.get("seconds"), float):
            ratio = float(other["seconds"]) / float(mine["seconds"])  # type: ignore[arg-type]
            if isinstance(other.get("cpu_seconds"), float):
                cpu_ratio = float(other["cpu_seconds"]) / float(mine["cpu_seconds"])  # type: ignore[arg-type]
            theirs = other["probabilities"]
            assert isinstance(theirs, dict)
            if other["algorithm"] == "leximin":
                agreement = max(abs(probabilities[p] - theirs[p]) for p in probabilities)
                if expected:
                    peer_vs_expected = max(abs(theirs[p] - q) for p, q in expected.items())
            else:
                agreement = abs(min(probabilities.values()) - min(theirs.values()))
        row = {
            "instance": name,
            "ours_seconds": round(float(mine["seconds"]), 3),  # type: ignore[arg-type]
            "ours_cpu_seconds": round(float(mine["cpu_seconds"]), 3),  # type: ignore[arg-type]
            "ours_runs": mine["runs"],
            "ours_method": mine["method"],
            "ours_committees": mine["committees"],
            "peer_algorithm": other.get("algorithm"),
            "peer_seconds": other.get("seconds"),
            "peer_cpu_seconds": other.get("cpu_seconds"),
            "peer_leximin_error": other.get("leximin_error"),
            "peer_error": other.get("error"),
            "ratio_peer_over_ours": ratio,
            "cpu_ratio_peer_over_ours": cpu_ratio,
            "max_abs_difference_vs_peer": agreement,
            "max_abs_difference_vs_expected_leximin": vs_expected,
            "peer_max_abs_difference_vs_expected_leximin": peer_vs_expected,
            "min_probability": min(probabilities.values()),
            "peer_min_probability": (
                min(other["probabilities"].values())  # type: ignore[attr-defined]
                if isinstance(other.get("probabilities"), dict)
                else None
            ),
            "gini": mine["gini"],
            "geometric_mean": mine["geometric_mean"],
            "legacy_minimum_probability": mine["legacy_minimum"],
            "legacy_below_leximin_minimum": mine["legacy_below"],
        }
        summary.append(row)
        peer_seconds = other.get("seconds")
        print(
            f"{name:<18} {row['ours_seconds']:>8.2f} {row['ours_cpu_seconds']:>8.2f} "
            f"{other.get('algorithm') or '-'!s:>8} "
            f"{(f'{peer_seconds:9.1f}' if isinstance(peer_seconds, float) else '        -')} "
            f"{(f'{ratio:7.1f}' if ratio else '      -')} "
            f"{(f'{agreement:17.2e}' if agreement is not None else '                -')} "
            f"{(f'{vs_expected:12.2e}' if vs_expected is not None else '           -')} "
            f"{row['min_probability']:>9.6f} {mine['method']}",
            flush=True,
        )
        print(
            f"{'':<18} gini {row['gini']:.4f}, geometric mean {row['geometric_mean']:.4f}, "
            f"LEGACY min p {row['legacy_minimum_probability']:.6f}, "
            f"{row['legacy_below_leximin_minimum']} below the LEXIMIN minimum"
        )
        if cpu_ratio is not None:
            print(f"{'':<18} peer CPU {other['cpu_seconds']:.1f} s, CPU ratio {cpu_ratio:.1f}")
        for key in ("leximin_error", "error"):
            if other.get(key):
                print(f"{'':<18} peer {key.replace('_', ' ')}: {other[key]}")
        if peer_vs_expected is not None:
            print(f"{'':<18} peer vs its own expected.json: {peer_vs_expected:.2e}")
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
