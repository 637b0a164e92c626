"""The part of the search each database does its own way: finding and ranking the matches.

Both answer the same question with the same shape: among the newest ``limit`` documents that
contain every term (and are of the kinds and the service asked for), each one's key, relevance
(higher is better), kind and service. Everything after that (counts, order, pages, highlights) is
done once, in ``queries``, for both.

- SQLite: the FTS5 table ``search_fts`` (migration 0002), ranked by BM25 with titles weighing five
  times as much as text.
- PostgreSQL: the ``vector`` column (weights A for titles, B for text) and its GIN index, ranked by
  ``ts_rank`` with the same five to one, divided by 1 + log(length) so that long texts do not win
  by length alone.

The newest ``limit`` matches (by key: the order in which things were indexed) bound the work of a
search that matches nearly everything; see docs/decisions/0023-search.md.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import NamedTuple

from django.db import connection

from coproduce.search.text import Query


class Candidate(NamedTuple):
    key: int  # the Document's primary key
    score: float
    kind: str
    service_slug: str


_SQLITE = """
SELECT w.id, w.score, d.kind, d.service_slug
FROM (
    SELECT rowid AS id, -bm25(search_fts, 5.0, 5.0, 1.0, 1.0) AS score
    FROM search_fts WHERE search_fts MATCH %s{filters}
    ORDER BY rowid DESC LIMIT %s
) AS w
JOIN search_document AS d ON d.id = w.id
"""
# The filters, on SQLite: "+rowid" keeps them out of the FTS5 table's own lookup (one per key),
# so they are checked on each match as it is read, newest first.
_SQLITE_FILTERS = " AND +rowid IN (SELECT id FROM search_document WHERE {conditions})"

_POSTGRESQL = """
SELECT id, ts_rank('{{0.1, 0.2, 0.2, 1.0}}', vector, query, 1), kind, service_slug
FROM search_document, to_tsquery('simple', %s) AS query
WHERE vector @@ query{filters}
ORDER BY id DESC LIMIT %s
"""


def _conditions(kinds: Collection[str], service: str) -> tuple[list[str], list[str]]:
    conditions: list[str] = []
    params: list[str] = []
    if kinds:
        conditions.append(f"kind IN ({', '.join(['%s'] * len(kinds))})")
        params.extend(sorted(kinds))
    if service:
        conditions.append("service_slug = %s")
        params.append(service)
    return conditions, params


def candidates(
    query: Query, *, limit: int, kinds: Collection[str] = (), service: str = ""
) -> list[Candidate]:
    """The newest ``limit`` documents that match every term of the query (of these kinds and
    this service, when given), unordered."""
    if not query:
        return []
    conditions, params = _conditions(kinds, service)
    if connection.vendor == "postgresql":
        match = query.tsquery()
        filters = "".join(f" AND {condition}" for condition in conditions)
        sql = _POSTGRESQL.format(filters=filters)
    elif connection.vendor == "sqlite":
        match = query.fts5()
        filters = _SQLITE_FILTERS.format(conditions=" AND ".join(conditions)) if conditions else ""
        sql = _SQLITE.format(filters=filters)
    else:  # pragma: no cover - the project runs on SQLite and PostgreSQL only
        raise NotImplementedError(f"The search has no index on {connection.vendor}.")
    with connection.cursor() as cursor:
        cursor.execute(sql, [match, *params, limit])
        rows = cursor.fetchall()  # in one call, rather than one Python call per row
    return [Candidate._make(row) for row in rows]
