"""The demo story for the tests that read what it says."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest


@pytest.fixture
def demo_story(
    request: pytest.FixtureRequest, django_test_database: None, django_db_blocker: Any
) -> Iterator[None]:
    """The demo story in the test database for this test; afterwards, the database as it was.

    On SQLite the story is seeded once per process and copied (``snapshot``), and the database as
    it was before the test is copied back after it; elsewhere the story is seeded inside the
    test's transaction, which is rolled back as for any test using ``db``."""
    from django.core.cache import cache
    from django.db import connection

    from coproduce.demo.tests.snapshot import restored_afterwards, seed_demo

    cache.clear()
    if connection.vendor != "sqlite":
        request.getfixturevalue("db")
        seed_demo()
        yield
        return
    with django_db_blocker.unblock(), restored_afterwards():
        seed_demo()
        yield
    cache.clear()
