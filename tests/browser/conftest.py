"""The browser suite: Debian's Chromium driven by Playwright, a live server over the demo, axe-core.

Each test module gets its own live server over a database seeded with the demo story
(`coproduce.demo.story.seed`) and left as it found it when the module ends. On SQLite the demo is
seeded once per process and copied: later modules get the copy back with SQLite's backup API, in
milliseconds instead of the half minute a seed takes, and the database as it was before is copied
back afterwards (`coproduce.demo.tests.snapshot`); on PostgreSQL the database is flushed. The
modules are marked with ``xdist_group`` so that ``--dist loadgroup`` keeps each on one worker. (With
pytest 9.2 and pytest-xdist 3.8 loadgroup does not group: pytest-dev/pytest-xdist#1386. The
tests stay correct, since every walk makes the data it needs; a module split between the two
workers is seeded by both.)
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from playwright.sync_api import Browser

from coproduce.demo.tests.snapshot import restored_afterwards, seed_demo
from tests.browser.audit import DemoSite

# Once Playwright's sync API has started, an asyncio event loop runs in the main thread for the
# rest of the session, and Django refuses ORM calls from a thread with a running loop. That guard
# is for async code sharing a connection; here the test thread only uses the database while the
# browser waits, so it is safe. It has to be process-wide: the loop outlives the browser tests.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("COPRODUCE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    # The machine's network is closed: without these Chromium keeps trying to call home.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
APP_CSS = Path(settings.BASE_DIR) / "coproduce" / "static" / "build" / "app.css"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """Debian's Chromium: Playwright's own browser download does not work on these machines."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is missing at {CHROMIUM}: `apt-get install -y chromium`.")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="module")
def demo_site(
    django_test_database: None, django_db_blocker: Any, browser: Browser
) -> Iterator[DemoSite]:
    """Seed the demo once for the module, serve it, and leave the database as it was afterwards."""
    from django.core.cache import cache
    from django.db import connections
    from pytest_django.live_server_helper import LiveServer

    if not APP_CSS.exists():
        pytest.fail(f"{APP_CSS} is missing: run `npm run build` (make test does it for you).")
    with django_db_blocker.unblock(), _left_as_found():
        seed_demo()
        server = LiveServer("localhost")
        # Let the server wait for the threads that answer requests when it stops, so that none
        # of them is still using the database while it is put back below.
        server.thread.httpd.daemon_threads = False
        server._live_server_modified_settings.enable()
        try:
            yield DemoSite(url=server.url)
        finally:
            for context in browser.contexts:  # closes the browser's open connections
                context.close()
            server._live_server_modified_settings.disable()
            server.stop()
            # Forget the used TOTP codes and rate-limit counters kept in the cache.
            cache.clear()
    connections.close_all()


@contextmanager
def _left_as_found() -> Iterator[None]:
    """On SQLite, copy the database back as it was (rows of data migrations included); elsewhere
    empty it, as TransactionTestCase does."""
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor == "sqlite":
        with restored_afterwards():
            yield
        return
    try:
        yield
    finally:
        call_command("flush", verbosity=0, interactive=False)
