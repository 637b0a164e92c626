"""Participatory budgeting: Pabulib files in, funded projects out.

``read_pabulib`` reads a ``.pb`` file into an :class:`Election`; ``count`` runs a rule (greedy
rules, the Method of Equal Shares with its completions, or the file's own rule) and returns an
:class:`Outcome`. See ``docs/budgeting.md`` for the exact rules.

Names are imported on first use, so that ``python -m civic_algorithms --help`` stays instant.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from civic_algorithms.budgeting.model import Ballot, Election, Outcome, Project, Tie
    from civic_algorithms.budgeting.pabulib import (
        PabulibError,
        format_pabulib,
        parse_pabulib,
        read_pabulib,
        write_pabulib,
    )
    from civic_algorithms.budgeting.rules import RULES, count

_HOMES = {
    "Ballot": "model",
    "Election": "model",
    "Outcome": "model",
    "Project": "model",
    "Tie": "model",
    "PabulibError": "pabulib",
    "format_pabulib": "pabulib",
    "parse_pabulib": "pabulib",
    "read_pabulib": "pabulib",
    "write_pabulib": "pabulib",
    "RULES": "rules",
    "count": "rules",
}
__all__ = [
    "RULES",
    "Ballot",
    "Election",
    "Outcome",
    "PabulibError",
    "Project",
    "Tie",
    "count",
    "format_pabulib",
    "parse_pabulib",
    "read_pabulib",
    "write_pabulib",
]


def __getattr__(name: str) -> object:
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_HOMES[name]}"), name)
