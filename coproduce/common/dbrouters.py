"""The read-replica router: anonymous visitors' GET pages read from "replica", the rest from "default".

``middleware.ReplicaReadsMiddleware`` decides per request (``replica_reads``); this router only
follows it. Writes, reads inside a transaction and migrations always use "default"
(docs/decisions/0922-read-replica.md).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model

REPLICA = "replica"

_reading_from_replica: ContextVar[bool] = ContextVar("reading_from_replica", default=False)


@contextmanager
def replica_reads() -> Iterator[None]:
    """Reads in this block (one request's, in one thread or task) may go to the replica."""
    token = _reading_from_replica.set(True)
    try:
        yield
    finally:
        _reading_from_replica.reset(token)


class ReplicaRouter:
    """Send a read to the replica only inside ``replica_reads()`` and outside any transaction."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str:
        if _reading_from_replica.get() and not connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return REPLICA
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model: type[Model], **hints: Any) -> str:
        # Explicit: without a router's answer Django saves a row where it was read from.
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool:
        return True  # one database, two connections

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == DEFAULT_DB_ALIAS
