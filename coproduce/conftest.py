"""Fixtures for the apps' unit tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    """Every test starts with an empty cache: rate-limit counters (sign-in, supports, anonymous
    answers) and cached pages (the shared cache's and this process's) never leak from one test into
    the next on the same worker."""
    from coproduce.common import pagecache

    pagecache.forget()
    yield
    pagecache.forget()
