"""The database down or restarting: a 503 page or JSON with Retry-After, and recovery by itself."""

from __future__ import annotations

import io
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import OperationalError, connection, connections
from django.test import Client

from coproduce.common import prepared
from coproduce.common.middleware import RETRY_AFTER_SECONDS, database_unavailable
from coproduce.common.models import PageVersion

URLS = "coproduce.common.tests.database_urls"


def assert_503(response: Any) -> None:
    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert "no-store" in response["Cache-Control"]


@pytest.mark.urls(URLS)
@pytest.mark.parametrize("address", ["/down/", "/closed/"])
def test_a_page_that_loses_the_database_gets_the_503_page(client: Client, address: str) -> None:
    response = client.get(address)

    assert_503(response)
    content = response.content.decode()
    assert '<h1 class="govuk-heading-l">Sorry, the service is unavailable</h1>' in content
    assert "Try again then." in content
    assert "may not have been saved" not in content  # nothing was sent
    assert response.templates[0].name == "errors/503.html"


@pytest.mark.urls(URLS)
def test_a_form_sent_while_the_database_is_down_may_not_be_saved(client: Client) -> None:
    response = client.post("/down/", {"title": "A calm room"})

    assert_503(response)
    assert "What you just sent may not have been saved" in response.content.decode()


@pytest.mark.urls(URLS)
def test_the_api_answers_503_in_its_error_shape(client: Client) -> None:
    response = client.get("/api/down/")

    assert_503(response)
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "detail": "The service cannot reach its database at the moment. Try again in a minute."
    }


def test_a_real_api_operation_answers_503_when_its_query_fails(
    client: Client, db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """django-ninja lets the error through (DEBUG off), so the middleware answers, not a 500."""

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise OperationalError("the database system is shutting down")

    with monkeypatch.context() as patch:  # undone before the test database is cleaned
        patch.setattr(connection, "_cursor", refuse)
        response = client.get("/api/organisations")

    assert_503(response)
    assert response.json()["detail"].startswith("The service cannot reach its database")


@pytest.mark.urls(URLS)
@pytest.mark.parametrize(
    ("address", "error"), [("/missing-table/", OperationalError), ("/broken/", ValueError)]
)
def test_other_errors_are_not_hidden_behind_a_503(
    client: Client, address: str, error: type[Exception]
) -> None:
    with pytest.raises(error):
        client.get(address)
    quiet = Client(raise_request_exception=False)
    assert quiet.get(address).status_code == 500


def _wrapped(cause: sqlite3.Error) -> OperationalError:
    """The error as Django raises it: its own class, the driver's error as the cause."""
    try:
        raise OperationalError(str(cause)) from cause
    except OperationalError as error:
        return error


def test_sqlite_busy_is_unavailable_but_a_mistake_in_sql_is_not(tmp_path: Path) -> None:
    path = tmp_path / "busy.sqlite3"
    writer = sqlite3.connect(path, isolation_level=None)
    other = sqlite3.connect(path, isolation_level=None, timeout=0)
    writer.execute("BEGIN IMMEDIATE")
    with pytest.raises(sqlite3.OperationalError) as busy:
        other.execute("BEGIN IMMEDIATE")  # the writer holds the lock: "database is locked"
    with pytest.raises(sqlite3.OperationalError) as mistake:
        other.execute("SELECT * FROM missing")
    writer.execute("ROLLBACK")
    writer.close()
    other.close()

    assert database_unavailable(_wrapped(busy.value))
    assert not database_unavailable(_wrapped(mistake.value))
    assert not database_unavailable(ValueError("database is locked"))


def _wsgi_get(path: str) -> int:
    """One GET through Django's WSGI handler, as gunicorn sends it: unlike the test client, this
    runs Django's connection checks when the request starts and when it ends."""
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SCRIPT_NAME": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
        "wsgi.url_scheme": "http",
    }
    statuses: list[int] = []

    def start_response(
        status: str, headers: list[tuple[str, str]], exc_info: Any = None, /
    ) -> Callable[[bytes], object]:
        statuses.append(int(status.split()[0]))
        return lambda data: None

    response = WSGIHandler()(environ, start_response)
    b"".join(response)
    response.close()  # the end of the request, as a WSGI server signals it
    return statuses[0]


def _terminate_backend() -> int:
    """End the web process's PostgreSQL session from a second connection, as a restart would."""
    pid = connection.connection.info.backend_pid
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            # With a timeout, PostgreSQL answers only once the session has ended.
            cursor.execute("SELECT pg_terminate_backend(%s, 10000)", [pid])
            assert cursor.fetchone() == (True,)
    finally:
        other.close()
    return pid


@pytest.fixture
def postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: its sessions can be ended from outside")
    if connection.pg_version < 140000:  # type: ignore[attr-defined]
        pytest.skip("pg_terminate_backend waits for the end only from PostgreSQL 14")


@pytest.mark.django_db(transaction=True)
def test_a_request_after_the_connection_was_killed_succeeds(postgresql: None) -> None:
    """The kept connection is checked before it is used again (CONN_HEALTH_CHECKS)."""
    assert connection.settings_dict["CONN_HEALTH_CHECKS"]
    connection.close()
    assert _wsgi_get("/health/") == 200
    killed = _terminate_backend()

    assert _wsgi_get("/health/") == 200
    assert connection.connection.info.backend_pid != killed


@pytest.mark.django_db(transaction=True)
def test_without_health_checks_one_request_gets_the_503_and_the_next_recovers(
    postgresql: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The real error from psycopg makes the 503, and the failed connection is dropped."""
    monkeypatch.setitem(connection.settings_dict, "CONN_HEALTH_CHECKS", False)
    connection.close()  # the next one opens without health checks
    assert _wsgi_get("/health/") == 200
    killed = _terminate_backend()

    assert _wsgi_get("/health/") == 503
    assert _wsgi_get("/health/") == 200
    assert connection.connection.info.backend_pid != killed


def test_a_database_lost_outside_a_view_gets_the_503_too(rf: Any) -> None:
    from coproduce.common.views import server_error

    request = rf.get("/")
    try:
        raise OperationalError("server closed the connection unexpectedly")
    except OperationalError:
        response = server_error(request)
    assert response.status_code == 503
    assert response["Retry-After"]
    try:
        raise ValueError("a bug")
    except ValueError:
        assert server_error(request).status_code == 500


@pytest.mark.django_db(transaction=True)
def test_a_prepared_read_is_its_own_health_check(
    postgresql: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cached page's probe is the first query of its request: it checks the kept connection by
    running, and reads again on a new one if the old one died (decision 0925)."""
    read = prepared.Prepared(
        lambda key: PageVersion.objects.filter(token=key).values_list("token"), prepared.KEY
    )
    checks: list[bool] = []
    is_usable = connection.is_usable

    def checked() -> bool:
        checks.append(True)
        return is_usable()

    monkeypatch.setattr(connection, "is_usable", checked)
    kept: Any = connection  # health_check_done is not in django-stubs
    connection.close()
    assert read.rows(-1) == []  # opens the connection: nothing to check

    kept.health_check_done = False  # what the start of the next request does
    assert read.rows(-1) == []
    assert checks == []  # no SELECT 1 before the read

    kept.health_check_done = False
    killed = _terminate_backend()
    assert read.rows(-1) == []
    assert connection.connection.info.backend_pid != killed
    assert checks == []
