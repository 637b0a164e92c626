"""lock_for_share: many transactions share the lock; a select_for_update of the row waits for them,
and they for it (PostgreSQL only: SQLite runs one write transaction at a time)."""

from __future__ import annotations

import pytest

from coproduce.common.locking import lock_for_share
from coproduce.common.models import PageVersion
from coproduce.common.tests.concurrency import in_progress, only_on_postgresql, waits

pytestmark = [only_on_postgresql, pytest.mark.django_db(transaction=True)]


def _row() -> PageVersion:
    return PageVersion.objects.create(scope="locking-test", token=1)


def test_an_update_lock_waits_for_a_shared_one() -> None:
    row = _row()
    with in_progress(lambda: lock_for_share(PageVersion, row.pk)):
        waits(lambda: PageVersion.objects.select_for_update().filter(pk=row.pk).exists())


def test_shared_locks_do_not_wait_for_each_other_but_wait_for_an_update_lock() -> None:
    row = _row()
    with in_progress(lambda: lock_for_share(PageVersion, row.pk)):
        lock_for_share(PageVersion, row.pk)  # at once: shared
    with in_progress(lambda: PageVersion.objects.select_for_update().filter(pk=row.pk).exists()):
        waits(lambda: lock_for_share(PageVersion, row.pk))
