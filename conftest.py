"""Fixtures shared by every test suite in the repository."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings as hypothesis_settings

# Property tests have no time limit per example: speed is measured by the benchmarks, and on a
# slow, shared machine Hypothesis' default 200 ms deadline failed an example that takes 1 ms when
# the machine is free (FlakyFailure in outcomes' chart test).
hypothesis_settings.register_profile("coproduce", deadline=None)
hypothesis_settings.load_profile("coproduce")

# Helper modules that assert (the permission matrix's case builders, the browser walks, the API
# client, factories that check what they made): pytest rewrites asserts only in test modules and
# conftest files unless told, and a bare AssertionError says nothing.
pytest.register_assert_rewrite(
    "tests.security.permission_matrix",
    "tests.browser",
    "coproduce.api.tests.client",
    "coproduce.assessment.tests.factories_shopping",
    "coproduce.commissioning.tests.factories_bids",
    "coproduce.common.tests.one_time",
)

REPO_ROOT = Path(__file__).resolve().parent
# The configured database's name, read before any test database replaces it.
_CONFIGURED_DATABASE: list[str] = []


def pytest_configure(config: pytest.Config) -> None:
    from django.conf import settings

    _CONFIGURED_DATABASE.append(str(settings.DATABASES["default"]["NAME"]))


SHARED_DATA = Path(os.environ.get("COPRODUCE_SHARED_DATA", REPO_ROOT.parent / "shared" / "data"))


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The real public data set in ``../shared/data`` (never copied into the repo)."""
    if not SHARED_DATA.is_dir():
        pytest.fail(f"The shared data folder is missing: {SHARED_DATA}. Set COPRODUCE_SHARED_DATA.")
    return SHARED_DATA


@pytest.fixture(scope="session", autouse=True)
def _compiled_catalogues() -> None:
    """Every translation catalogue compiled, as `make install` does, when pytest runs alone: the
    English one words the sign-in pages in sentence case, the Welsh one translates the site."""
    from django.conf import settings

    from coproduce.common.tests.translations import compile_catalogue

    for locale_path in settings.LOCALE_PATHS:
        for po_file in sorted(Path(locale_path).glob("*/LC_MESSAGES/*.po")):
            compile_catalogue(po_file)


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """Every test starts in the site's default language. A request in Welsh leaves Welsh active
    in the thread (LocaleMiddleware activates a language and nothing deactivates it), so without
    this a later test on the same worker would get Welsh messages from the actions it calls."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    """Every test starts with an empty cache: rate-limit counters (sign-in, supports, anonymous
    answers), cached pages, cached fragments (the shared cache's and this process's) and remembered
    list keys never leak from one test into the next on the same worker. Each test database numbers
    rows and page versions afresh, so a fragment kept from an earlier test could match a later
    one's key."""
    from coproduce.common import fragments, pagecache, pagination

    for forget in (pagecache.forget, fragments.forget, pagination.forget):
        forget()
    yield
    for forget in (pagecache.forget, fragments.forget, pagination.forget):
        forget()


@pytest.fixture(scope="session")
def django_test_database(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """The test database, even when no other selected test asked pytest-django for one, for tests
    that keep data across tests and so manage the database themselves (the browser suite, the demo's
    content tests): pytest-django creates test databases only for tests that use ``db``,
    ``transactional_db`` or ``live_server``, and those reset the database after every test."""
    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases

    assert _CONFIGURED_DATABASE, "pytest_configure has not read the configured database"
    config = None
    if connection.settings_dict["NAME"] in _CONFIGURED_DATABASE:
        with django_db_blocker.unblock():
            # django-stubs types `aliases` as a mapping; Django reads it as a set of names.
            config = setup_databases(
                verbosity=0,
                interactive=False,
                aliases={"default"},  # type: ignore[arg-type]
            )
    # Never seed, let alone flush, a database that is not a throwaway test database.
    assert connection.settings_dict["NAME"] not in _CONFIGURED_DATABASE, "not a test database"
    yield
    if config is not None:
        with django_db_blocker.unblock():
            teardown_databases(config, verbosity=0)
