"""Two transactions at once, for the tests of row locks: on PostgreSQL, while one holds a lock,
the other waits. SQLite runs one write transaction at a time, so these tests run on PostgreSQL
only (``only_on_postgresql``)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from django.db import OperationalError, connection, transaction


@contextmanager
def in_progress(action: Callable[[], object]) -> Iterator[None]:
    """Run ``action`` in another connection's transaction, kept open (with the locks it took)
    until the block ends; then it commits."""
    started, finish = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def run() -> None:
        try:
            with transaction.atomic():
                action()
                started.set()
                finish.wait(30)
        except BaseException as error:  # reported below, in the test's thread
            errors.append(error)
            started.set()
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    assert started.wait(30)
    try:
        assert not errors, errors
        yield
    finally:
        finish.set()
        thread.join(30)
    assert not errors, errors


def waits(action: Callable[[], object]) -> None:
    """``action`` waits for a lock another transaction holds (it gives up after a moment)."""

    def attempt() -> None:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '300ms'")
            action()

    with pytest.raises(OperationalError, match="lock timeout"):
        attempt()


only_on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite runs one write transaction at a time; the race exists only on PostgreSQL",
)


class Behind:
    """``action`` run in another thread and connection while a lock it needs is held (inside an
    ``in_progress`` block): it must still be waiting after a moment. After the block, ``result()``
    lets it finish and gives what it returned, or raises what it raised (an IntegrityError where
    a lock is missing and both writers read the same state)."""

    def __init__(self, action: Callable[[], object]) -> None:
        self._outcome: list[object] = []
        self._errors: list[BaseException] = []

        def run() -> None:
            try:
                self._outcome.append(action())
            except BaseException as error:  # raised in the test's thread by result()
                self._errors.append(error)
            finally:
                connection.close()

        self._thread = threading.Thread(target=run)
        self._thread.start()
        self._thread.join(0.5)
        assert self._thread.is_alive(), self._errors or "it did not wait"

    def result(self) -> object:
        self._thread.join(30)
        assert not self._thread.is_alive(), "it is still waiting"
        if self._errors:
            raise self._errors[0]
        return self._outcome[0]
