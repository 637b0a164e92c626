"""Fair selection of citizens' panels: LEXIMIN, MAXIMIN and LEGACY, with a seeded, checkable draw.

Plain inputs (:class:`Quota`, :class:`Person`, :class:`Problem`), plain outputs
(:class:`Selection`, :class:`Distribution`, :class:`Lottery`). Read a folder with
:func:`read_problem`, or build a :class:`Problem` from your own data with :func:`make_problem`,
then call :func:`select_panel`. See docs/sortition.md for the method and the draw procedure.

Names are imported on first use, as in the other methods' packages: the engine needs scipy, and
``python -m civic_algorithms budget`` should not pay for it (issue 17).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from civic_algorithms.sortition.engine import (
        Distribution,
        Selection,
        Statistics,
        find_distribution,
        select_panel,
    )
    from civic_algorithms.sortition.feasibility import InfeasibleQuotasError, Relaxation
    from civic_algorithms.sortition.lottery import Lottery, winning_ticket
    from civic_algorithms.sortition.model import (
        ALGORITHMS,
        Algorithm,
        Person,
        Problem,
        Quota,
        SortitionInputError,
        make_problem,
    )
    from civic_algorithms.sortition.readers import read_problem

_HOMES = {
    "Distribution": "engine",
    "Selection": "engine",
    "Statistics": "engine",
    "find_distribution": "engine",
    "select_panel": "engine",
    "InfeasibleQuotasError": "feasibility",
    "Relaxation": "feasibility",
    "Lottery": "lottery",
    "winning_ticket": "lottery",
    "ALGORITHMS": "model",
    "Algorithm": "model",
    "Person": "model",
    "Problem": "model",
    "Quota": "model",
    "SortitionInputError": "model",
    "make_problem": "model",
    "read_problem": "readers",
}
__all__ = [
    "ALGORITHMS",
    "Algorithm",
    "Distribution",
    "InfeasibleQuotasError",
    "Lottery",
    "Person",
    "Problem",
    "Quota",
    "Relaxation",
    "Selection",
    "SortitionInputError",
    "Statistics",
    "find_distribution",
    "make_problem",
    "read_problem",
    "select_panel",
    "winning_ticket",
]


def __getattr__(name: str) -> object:
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_HOMES[name]}"), name)
