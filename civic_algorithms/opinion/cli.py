"""``python -m civic_algorithms opinion DIR [--seed N] --json``: map the opinions in a Polis export."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

HELP = (
    "Opinion map of a Polis conversation (Polis export folder or red-dwarf JSON fixture): "
    "groups, coordinates, representative statements, consensus, priorities."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the sub-command's arguments."""
    parser.add_argument(
        "directory",
        type=Path,
        help="folder with votes.csv (or participants-votes.csv) and comments.csv, or votes.json",
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=0,
        help="random seed recorded with the result (the Polis method itself uses no randomness)",
    )
    parser.add_argument(
        "--json",
        action="store_true",
        default=True,
        help="print the result as one JSON object (the only output format; the default)",
    )


def run(args: argparse.Namespace) -> int:
    """Read the folder, run the analysis, print one JSON object; bad input raises InputError."""
    from civic_algorithms.opinion.engine import analyse
    from civic_algorithms.opinion.output import to_json_dict
    from civic_algorithms.opinion.readers import read_conversation

    started = time.perf_counter()
    conversation = read_conversation(args.directory)
    loaded = time.perf_counter()
    result = analyse(conversation, seed=args.seed)
    finished = time.perf_counter()
    payload = to_json_dict(result)
    payload["source"] = conversation.source
    payload["seconds"] = round(finished - started, 6)
    payload["timings"] = {
        "load_seconds": round(loaded - started, 6),
        "analysis_seconds": round(finished - loaded, 6),
    }
    json.dump(payload, sys.stdout, separators=(",", ":"))
    sys.stdout.write("\n")
    return 0
