"""Small-number suppression of published count tables, with complementary suppression.

Build a :class:`Table` (counts and the totals that will be published), call :func:`suppress`, and
publish every cell and total except those it returns. :func:`recoverable` says which hidden cells
anyone could still work out. See docs/disclosure.md.
"""

from civic_algorithms.disclosure.suppression import (
    DEFAULT_THRESHOLD,
    DisclosureInputError,
    Suppressed,
    Table,
    recoverable,
    suppress,
)

__all__ = [
    "DEFAULT_THRESHOLD",
    "DisclosureInputError",
    "Suppressed",
    "Table",
    "recoverable",
    "suppress",
]
