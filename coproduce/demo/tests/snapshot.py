"""The demo story in a test database, seeded once per test process.

Seeding the story takes seconds; the demo's content tests and the browser suite need it again and
again. On SQLite the first seed of a process is copied with SQLite's backup API and later callers
get the copy back in milliseconds. The copy's rows keep the times of the first seed, minutes old at
most: the story's dates are days and weeks apart. What this process keeps about rows outside the
database is forgotten after each restore, as a new seed would make it stale (a conversation's engine
is kept by its id and creation time, which the copy repeats).

Both functions need database access and no open transaction (SQLite cannot copy into a database
that is in one), so callers use ``django_db_blocker.unblock()`` rather than pytest-django's ``db``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection

from coproduce.conversations import tasks
from coproduce.demo.story import seed

# The database as the demo seed left it, per process (SQLite only).
_seeded: list[sqlite3.Connection] = []


def seed_demo() -> None:
    """Seed the demo story into the empty test database (on SQLite, from this process's copy)."""
    if connection.vendor != "sqlite":
        seed()
        return
    database = _sqlite_database()
    if not _seeded:
        seed()
        copy = sqlite3.connect(":memory:", check_same_thread=False)
        database.backup(copy)
        _seeded.append(copy)
    else:
        _seeded[0].backup(database)
    tasks.forget()


@contextmanager
def restored_afterwards() -> Iterator[None]:
    """Put the SQLite test database back as it was when the block began, whatever the block did."""
    database = _sqlite_database()
    before = sqlite3.connect(":memory:", check_same_thread=False)
    database.backup(before)
    try:
        yield
    finally:
        before.backup(_sqlite_database())
        before.close()
        tasks.forget()


def _sqlite_database() -> sqlite3.Connection:
    connection.ensure_connection()
    database = connection.connection
    assert isinstance(database, sqlite3.Connection), connection.vendor
    return database
