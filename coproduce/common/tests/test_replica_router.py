"""The read replica: anonymous GET pages read from it; signed-in, sent and transactional reads do not.

The replica here is a second connection to the same test database (decision 0922), added for
these tests only, as DATABASE_REPLICA_URL would add it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.db import connections, router
from django.test import Client
from django.test.utils import CaptureQueriesContext

from coproduce.common.dbrouters import REPLICA, ReplicaRouter

URLS = "coproduce.common.tests.database_urls"
pytestmark = [
    pytest.mark.urls(URLS),
    pytest.mark.django_db(transaction=True, databases=["default", REPLICA]),
]


@pytest.fixture(scope="module", autouse=True)
def replica_alias(django_db_setup: None) -> Iterator[None]:
    """A "replica" alias with the test database's settings: its own connection, the same data.

    Added once the test database exists (so it names it) and before each test's database set-up,
    for every test of the module whatever the order (the module's marker names the alias);
    transactional tests commit, so it sees what a real replica would.
    """
    settings_dict = {**connections["default"].settings_dict}
    settings_dict["TEST"] = {**settings_dict["TEST"], "MIRROR": "default"}
    connections.settings[REPLICA] = settings_dict
    try:
        yield
    finally:
        connections[REPLICA].close()
        del connections[REPLICA]
        del connections.settings[REPLICA]


@pytest.fixture
def replica(replica_alias: None, settings: Any) -> None:
    """The router on, and a row for the pages to show."""
    settings.DATABASE_ROUTERS = ["coproduce.common.dbrouters.ReplicaRouter"]
    Group.objects.create(name="readers")


def queries(client: Client, method: str, address: str, **extra: str) -> dict[str, int]:
    """How many queries each connection ran for one request; the page must show the group."""
    with (
        CaptureQueriesContext(connections["default"]) as on_default,
        CaptureQueriesContext(connections[REPLICA]) as on_replica,
    ):
        response = getattr(client, method)(address, **extra)
    assert response.status_code == 200
    if method != "head":
        assert "readers" in response.content.decode()
    return {"default": len(on_default), "replica": len(on_replica)}


@pytest.mark.parametrize("method", ["get", "head"])
def test_an_anonymous_get_reads_from_the_replica(replica: None, method: str) -> None:
    assert queries(Client(), method, "/groups/") == {"default": 0, "replica": 1}


def test_a_visitor_with_a_session_reads_from_default(replica: None) -> None:
    client = Client()
    client.cookies["sessionid"] = "someone-who-signed-in"

    assert queries(client, "get", "/groups/") == {"default": 1, "replica": 0}


def test_the_page_after_a_form_with_its_message_reads_from_default(replica: None) -> None:
    """handle_form flashes a message and redirects: the next page must show what was saved."""
    client = Client()
    client.cookies["messages"] = "waiting"

    assert queries(client, "get", "/groups/") == {"default": 1, "replica": 0}


def test_an_api_token_reads_from_default(replica: None) -> None:
    counts = queries(Client(), "get", "/groups/", HTTP_AUTHORIZATION="Bearer token")

    assert counts == {"default": 1, "replica": 0}


def test_a_form_sent_reads_from_default(replica: None) -> None:
    assert queries(Client(), "post", "/groups/") == {"default": 1, "replica": 0}


def test_reads_in_a_transaction_and_writes_use_default(replica: None) -> None:
    counts = queries(Client(), "get", "/groups/?atomic=1")
    assert counts["replica"] == 0

    counts = queries(Client(), "get", "/groups/?write=writers")
    assert counts["replica"] == 1  # the list after the write
    assert Group.objects.using("default").filter(name="writers").exists()


def test_without_the_middleware_nothing_reads_from_the_replica(replica: None) -> None:
    """Outside a request (tasks, commands) every read uses default."""
    assert router.db_for_read(Group) == "default"
    assert router.db_for_write(Group) == "default"


def test_migrations_run_on_default_only() -> None:
    rules = ReplicaRouter()
    assert rules.allow_migrate("default", "auth")
    assert not rules.allow_migrate(REPLICA, "auth")
