"""``python -m civic_algorithms sortition DIR --panel-size K [...] --json``: select a fair panel."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

HELP = (
    "Select a citizens' panel from a pool of volunteers with quotas (LEXIMIN, MAXIMIN or LEGACY): "
    "selection probabilities, fairness statistics and a panel drawn with a published seed."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the sub-command's arguments."""
    parser.add_argument(
        "directory",
        type=Path,
        help="folder with features.csv + candidates.csv, or categories.csv + respondents.csv",
    )
    parser.add_argument("--panel-size", type=int, required=True, help="number of people to select")
    parser.add_argument(
        "--algorithm",
        choices=("leximin", "maximin", "legacy"),
        default="leximin",
        help="LEXIMIN (fairest, the default), MAXIMIN, or LEGACY (greedy, for comparison)",
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=None,
        help="public random seed for the draw (a whole number >= 0; drawn and reported if absent)",
    )
    parser.add_argument(
        "--household-column",
        default=None,
        help="pool column (e.g. an address key): no two selected people may share its value",
    )
    parser.add_argument(
        "--tickets",
        type=int,
        default=1000,
        help="number of lottery tickets the distribution is rounded to (default 1000)",
    )
    parser.add_argument(
        "--legacy-runs",
        type=int,
        default=10_000,
        help="Monte Carlo runs to estimate LEGACY for comparison (default 10000; 0 skips it)",
    )
    parser.add_argument(
        "--lottery-out",
        type=Path,
        default=None,
        help="write the numbered tickets (one panel each) to this JSON file, for publication",
    )
    parser.add_argument(
        "--json",
        action="store_true",
        default=True,
        help="print the result as one JSON object (the only output format; the default)",
    )


def run(args: argparse.Namespace) -> int:
    """Read the folder, select the panel, print one JSON object; bad input raises InputError."""
    from civic_algorithms.sortition.engine import select_panel
    from civic_algorithms.sortition.model import SortitionInputError
    from civic_algorithms.sortition.readers import read_problem

    started = time.perf_counter()
    problem = read_problem(args.directory, args.panel_size, household_column=args.household_column)
    loaded = time.perf_counter()
    selection = select_panel(
        problem,
        algorithm=args.algorithm,
        seed=args.seed,
        tickets=args.tickets,
        legacy_runs=args.legacy_runs,
    )
    finished = time.perf_counter()
    payload = selection.to_json()
    payload["source"] = str(args.directory)
    payload["timings"] = {
        "load_seconds": round(loaded - started, 6),
        "total_seconds": round(finished - started, 6),
    }
    if args.lottery_out is not None:
        if selection.lottery is None:
            raise SortitionInputError("LEGACY has no lottery to write; use leximin or maximin")
        tickets = {
            "tickets": selection.lottery.size,
            "draw": "ticket = int.from_bytes(sha256(str(seed)), 'big') % tickets + 1",
            "panels": {str(n): list(panel) for n, panel in enumerate(selection.lottery.tickets, 1)},
        }
        args.lottery_out.write_text(json.dumps(tickets, indent=1) + "\n", encoding="utf-8")
        payload["lottery_file"] = str(args.lottery_out)
    json.dump(payload, sys.stdout, separators=(",", ":"))
    sys.stdout.write("\n")
    return 0
