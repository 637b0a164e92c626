"""``python -m civic_algorithms budget FILE.pb --rule RULE [...] --json``: count a Pabulib file."""

from __future__ import annotations

import argparse
import json
import sys
import time
from fractions import Fraction
from pathlib import Path

HELP = (
    "Count a participatory budget in Pabulib (.pb) format with greedy rules or the Method "
    "of Equal Shares, and say which projects are funded."
)
RULE_NAMES = (
    "greedy",
    "greedy-no-skip",
    "greedy-threshold",
    "mes",
    "equalshares",
    "equalshares-comparison",
    "equalshares/add1",
    "equalshares/add1-comparison",
    "official",
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the sub-command's arguments."""
    parser.add_argument("file", type=Path, help="the .pb file (https://pabulib.org/format)")
    parser.add_argument(
        "--rule",
        required=True,
        choices=RULE_NAMES,
        help="counting rule; 'official' uses the rule named in the file (see docs/budgeting.md)",
    )
    parser.add_argument(
        "--sat",
        choices=("cost", "cardinality", "points", "borda"),
        help="satisfaction for greedy and mes (default: cost for approval, points for "
        "cumulative and scoring, borda for ordinal ballots)",
    )
    parser.add_argument(
        "--completion",
        choices=("none", "greedy", "add1", "add1-greedy"),
        help="how mes spends what it leaves (default: none)",
    )
    parser.add_argument(
        "--tie-break",
        help="comma-separated tie-break chain from lexicographic, file-order, min-cost, "
        "max-cost, max-votes, min-votes (default: lexicographic; min-cost,max-votes for the "
        "equalshares rules); project id settles any tie left",
    )
    parser.add_argument(
        "--threshold",
        help="minimum score for greedy-threshold (default: the file's min_project_score_threshold)",
    )
    parser.add_argument(
        "--exact",
        action="store_true",
        help="compute the Method of Equal Shares in exact fractions throughout (slower; the "
        "default engine gives the same outcome and proves every close call exactly)",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")


def run(args: argparse.Namespace) -> int:
    """Read the file, count, print the result; bad input raises InputError."""
    from civic_algorithms.budgeting.checks import election_warnings
    from civic_algorithms.budgeting.pabulib import parse_number, read_pabulib
    from civic_algorithms.budgeting.profile import compile_ballots
    from civic_algorithms.budgeting.rules import count
    from civic_algorithms.errors import InputError

    started = time.perf_counter()
    election = read_pabulib(args.file)
    try:
        ballots = compile_ballots(election)
    except ValueError as error:
        raise InputError(str(error), source=str(args.file)) from error
    read = time.perf_counter()
    threshold = None
    if args.threshold is not None:
        try:
            threshold = parse_number(args.threshold)
        except ValueError as error:
            raise InputError(f"--threshold: {error}") from error
    outcome = count(
        election,
        args.rule,
        sat=args.sat,
        completion=args.completion,
        tie_break=args.tie_break,
        threshold=threshold,
        exact=args.exact,
        ballots=ballots,
    )
    counted = time.perf_counter()
    in_file = election.selected_in_file()
    payload: dict[str, object] = {
        "file": str(args.file),
        "rule": outcome.rule,
        "official_rule": election.rule if args.rule == "official" else None,
        "selected": outcome.sorted_ids(),
        "cost": _number(outcome.cost),
        "budget": _number(election.budget),
        "vote_type": election.vote_type,
        "voters": len(election.ballots),
        "projects": len(election.projects),
        "selected_in_file": None if in_file is None else sorted(in_file),
        "matches_file": None if in_file is None else set(in_file) == set(outcome.selected),
        "ties": [
            {"step": tie.step, "candidates": list(tie.candidates), "chosen": tie.chosen}
            for tie in outcome.ties
        ],
        "details": dict(outcome.details),
        "warnings": election_warnings(election, ballots),
        "seconds": round(counted - started, 6),
        "timings": {
            "read_seconds": round(read - started, 6),
            "count_seconds": round(counted - read, 6),
        },
    }
    if args.json:
        json.dump(payload, sys.stdout, ensure_ascii=False, separators=(",", ":"))
        sys.stdout.write("\n")
    else:
        _print_text(payload)
    return 0


def _number(value: Fraction) -> int | float:
    return value.numerator if value.denominator == 1 else float(value)


def _print_text(payload: dict[str, object]) -> None:
    selected = payload["selected"]
    assert isinstance(selected, list)
    print(f"{payload['file']}: {payload['rule']}")
    print(f"selected {len(selected)} projects costing {payload['cost']} of {payload['budget']}:")
    print("  " + ", ".join(selected))
    if payload["matches_file"] is not None:
        agreement = "the same as" if payload["matches_file"] else "different from"
        print(f"this is {agreement} the 'selected' column of the file")
    ties = payload["ties"]
    assert isinstance(ties, list)
    for tie in ties:
        print(f"tie at {tie['step']}: {', '.join(tie['candidates'])} -> {tie['chosen']}")
    warnings = payload["warnings"]
    assert isinstance(warnings, list)
    for warning in warnings:
        print(f"warning: {warning}")
    print(f"{payload['seconds']} s")
