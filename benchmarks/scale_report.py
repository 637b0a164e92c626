"""The report of benchmarks/scale.py: throughput, latency per request kind, the 5xx and the verdicts.

report turns a run's hits into requests/s and p50/p95/p99 per request kind, and splits the 5xx and
unanswered requests by when they happened: inside the database restart window, in flight on the
killed web instance, or elsewhere (what the verdict counts). show prints the results with the
faults and the verdicts.
"""

from __future__ import annotations

import json
import statistics
from collections import Counter, defaultdict
from typing import Any

from scale_faults import Faults
from scale_people import Hit, Load


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def report(load: Load, faults: Faults, seconds: float) -> dict[str, Any]:
    """Throughput, latency per kind and the 5xx, split by when they happened."""
    hits = list(load.hits)
    kinds: dict[str, list[Hit]] = defaultdict(list)
    for hit in hits:
        kinds[hit.kind].append(hit)

    def in_db_window(hit: Hit) -> bool:
        if faults.db_down is None:
            return False
        began, ended = faults.db_down
        return hit.started + hit.ms / 1000 >= began and hit.started <= ended + 1.0

    def in_flight_at_kill(hit: Hit) -> bool:
        killed = faults.web_killed_at
        return killed is not None and hit.started <= killed <= hit.started + hit.ms / 1000

    failed = [hit for hit in hits if hit.status >= 500 or hit.status == 0]
    split = Counter(
        "database restart window"
        if in_db_window(hit)
        else "in flight on the killed web instance"
        if in_flight_at_kill(hit)
        else "elsewhere"
        for hit in failed
    )
    elsewhere = [
        {"kind": hit.kind, "at_s": round(hit.started, 2), "ms": round(hit.ms), "status": hit.status}
        for hit in failed
        if not in_db_window(hit) and not in_flight_at_kill(hit)
    ]
    rows = {}
    for kind, group in sorted(kinds.items()):
        ms = [hit.ms for hit in group if hit.status]
        rows[kind] = {
            "requests": len(group),
            "p50_ms": round(percentile(ms, 0.50), 1),
            "p95_ms": round(percentile(ms, 0.95), 1),
            "p99_ms": round(percentile(ms, 0.99), 1),
            "5xx": sum(1 for hit in group if hit.status >= 500),
            "no answer": sum(1 for hit in group if hit.status == 0),
            "4xx": sum(1 for hit in group if 400 <= hit.status < 500),
        }
    return {
        "requests": len(hits),
        "requests_per_s": round(len(hits) / seconds, 1),
        "kinds": rows,
        "failures": dict(split),
        "failures_elsewhere": split.get("elsewhere", 0),
        "failures_elsewhere_first": elsewhere[:20],
        "median_ms_all": round(statistics.median([h.ms for h in hits]), 1) if hits else 0.0,
    }


def show(results: dict[str, Any]) -> None:
    load = results["load"]
    print(
        f"\n{results['people']} people for {results['seconds']:.0f} s: {load['requests']} requests, "
        f"{load['requests_per_s']} requests/s; sign-ins through the form: {results['sign_ins']}"
    )
    print(f"{'kind':26} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'5xx':>5} "
          f"{'none':>5} {'4xx':>5}")  # fmt: skip
    for kind, row in load["kinds"].items():
        print(
            f"{kind:26} {row['requests']:>8} {row['p50_ms']:>8} {row['p95_ms']:>8} "
            f"{row['p99_ms']:>8} {row['5xx']:>5} {row['no answer']:>5} {row['4xx']:>5}"
        )
    faults = results["faults"]
    print(f"\nFaults (seconds into the load): {json.dumps(faults)}")
    print(f"5xx or no answer, by when: {json.dumps(load['failures'])}")
    for hit in load["failures_elsewhere_first"]:
        print(f"  elsewhere: {json.dumps(hit)}")
    print("\nInvariants:")
    for name, verdict in results["verdicts"].items():
        print(f"  {'PASS' if verdict['pass'] else 'FAIL'}  {name}: {json.dumps(verdict['detail'])}")
