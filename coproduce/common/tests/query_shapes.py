"""Queries with their values taken out: one query per row of a page shows as one shape repeated.
Used by tests of what a page reads, and by scripts/crawl_demo.py."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping

SHAPES = [
    (re.compile(r"'(?:[^']|'')*'"), "?"),
    (re.compile(r"\b\d+\b"), "N"),
    (re.compile(r"\(\s*[N?](\s*,\s*[N?])*\s*\)"), "(...)"),
]


def shape(sql: str) -> str:
    """The query with its values taken out, so that one query per row shows as one shape."""
    for pattern, stand_in in SHAPES:
        sql = pattern.sub(stand_in, sql)
    return sql


def shape_counts(queries: Iterable[Mapping[str, str]]) -> Counter[str]:
    """How many times each shape ran, of ``CaptureQueriesContext.captured_queries``."""
    return Counter(shape(query["sql"]) for query in queries)
