"""Command line over the methods: ``python -m civic_algorithms {budget,opinion,sortition} ...``.

Each sub-command lives in ``civic_algorithms/<method>/cli.py`` and exposes ``HELP``,
``add_arguments(parser)`` and ``run(args) -> int``. Heavy imports happen inside ``run`` so that
``--help`` stays instant.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from civic_algorithms.errors import InputError

COMMANDS = {
    "budget": "civic_algorithms.budgeting.cli",
    "opinion": "civic_algorithms.opinion.cli",
    "sortition": "civic_algorithms.sortition.cli",
}

# Commands whose numpy work is dot products of single vectors, where OpenBLAS's second thread only
# spins: they run with one (decision 0105).
ONE_BLAS_THREAD = {"budget"}


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line, run one method, return the process exit code."""
    parser = argparse.ArgumentParser(
        prog="python -m civic_algorithms",
        description="Run a co-production method on files and print the result.",
    )
    subparsers = parser.add_subparsers(dest="command", required=True)
    runners = {}
    for name, module_path in COMMANDS.items():
        module = importlib.import_module(module_path)
        module.add_arguments(subparsers.add_parser(name, help=module.HELP, description=module.HELP))
        runners[name] = module.run
    args = parser.parse_args(argv)
    if args.command in ONE_BLAS_THREAD:
        # Before the command first imports numpy: OpenBLAS reads it once, when it loads.
        os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    try:
        return int(runners[args.command](args))
    except InputError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except OSError as error:
        print(f"error: {error.strerror or error}: {error.filename}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
