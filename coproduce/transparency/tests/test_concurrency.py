"""Many writers appending at once on PostgreSQL still make one chain, numbered without gaps.

SQLite writes one transaction at a time (``BEGIN IMMEDIATE``, decision 0002), so there is nothing
to race there; PostgreSQL runs the writers truly at once, and the locked head row orders them.
CI's PostgreSQL run (``-m 'not browser'``) runs this test.
"""

from __future__ import annotations

import itertools
import threading
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from coproduce.common.tests.concurrency import Behind, in_progress
from coproduce.services.models import Service
from coproduce.services.tests.factories import ServiceFactory
from coproduce.transparency import actions
from coproduce.transparency.models import LedgerEntry, LedgerHead
from coproduce.transparency.tests.conftest import service_content

WRITERS, EACH = 12, 5

pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite runs one write transaction at a time; the race exists only on PostgreSQL",
    ),
]


def test_many_writers_at_once_make_one_chain_without_gaps(record_type: str) -> None:
    services = ServiceFactory.create_batch(WRITERS)
    start = threading.Barrier(WRITERS)
    errors: list[BaseException] = []

    def write(index: int) -> None:
        try:
            start.wait()
            for _ in range(EACH):
                with transaction.atomic():
                    service = services[index]
                    actions.record(record_type, service.pk, service_content(service))
        except BaseException as error:  # reported below, in the test's thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(i,)) for i in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    total = WRITERS * EACH
    entries = list(LedgerEntry.objects.in_order())
    assert [e.seq for e in entries] == list(range(1, total + 1))
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(entries))
    assert len({e.prev_hash for e in entries}) == total  # no two entries after the same one
    assert LedgerHead.objects.get().size == total
    out = StringIO()
    call_command("ledger_verify", stdout=out)
    assert f"{total} entries match" in out.getvalue()


def test_two_changes_at_once_correct_one_after_the_other(record_type: str) -> None:
    """Decision 0140: the second change waits for the head before it reads the record's latest
    entry, so it corrects the first change, not the entry both started from."""
    service = ServiceFactory(name="Before")
    actions.record(record_type, service.pk, service_content(service))
    with in_progress(
        lambda: actions.record_change(record_type, service.pk, {"id": service.pk, "name": "One"})
    ):
        second = Behind(
            lambda: actions.record_change(
                record_type, service.pk, {"id": service.pk, "name": "Two"}
            )
        )
    second.result()
    assert [(e.seq, e.corrects) for e in LedgerEntry.objects.in_order()] == [
        (1, None),
        (2, 1),
        (3, 2),
    ]
    Service.objects.filter(pk=service.pk).update(name="Two")
    out = StringIO()
    call_command("ledger_verify", stdout=out)
    assert "3 entries match" in out.getvalue()
