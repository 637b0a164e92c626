"""Fair selection of citizens' panels: LEXIMIN, MAXIMIN and LEGACY, with a seeded, checkable draw.

Plain inputs (:class:`Quota`, :class:`Person`, :class:`Problem`), plain outputs
(:class:`Selection`, :class:`Distribution`, :class:`Lottery`). Read a folder with
:func:`read_problem`, or build a :class:`Problem` from your own data with :func:`make_problem`,
then call :func:`select_panel`. See docs/sortition.md for the method and the draw procedure.
"""

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
