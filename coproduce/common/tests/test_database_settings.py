"""The database settings from the environment: the pool, PgBouncer's mode, the read replica."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(settings.BASE_DIR)
PRIMARY = "postgres://coproduce@db.internal:5432/coproduce"
REPLICA = "postgres://coproduce@replica.internal:5432/coproduce"
SHOW = (
    "import json, coproduce.config.settings as s; "
    "print(json.dumps({'databases': s.DATABASES, 'routers': getattr(s, 'DATABASE_ROUTERS', [])},"
    " default=str))"
)


def load(**env: str) -> tuple[subprocess.CompletedProcess[str], dict[str, Any]]:
    environment = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "COPRODUCE_", "DATABASE_"))
    }
    environment.update(env)
    result = subprocess.run(
        [sys.executable, "-c", SHOW],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    return result, json.loads(result.stdout) if result.returncode == 0 else {}


def test_by_default_connections_are_kept_and_checked_without_a_pool_or_replica() -> None:
    result, loaded = load(DATABASE_URL=PRIMARY)
    assert result.returncode == 0, result.stderr
    default = loaded["databases"]["default"]
    assert default["CONN_MAX_AGE"] == 60
    assert default["CONN_HEALTH_CHECKS"] is True
    assert default["DISABLE_SERVER_SIDE_CURSORS"] is False
    # Parameters bound by the server, and repeated queries prepared (decision 0923).
    assert default["OPTIONS"] == {"server_side_binding": True, "prepare_threshold": 5}
    assert list(loaded["databases"]) == ["default"]
    assert loaded["routers"] == []


def test_the_pool_replaces_persistent_connections() -> None:
    result, loaded = load(DATABASE_URL=PRIMARY, DATABASE_POOL="1", DATABASE_POOL_MAX_SIZE="8")
    assert result.returncode == 0, result.stderr
    default = loaded["databases"]["default"]
    assert default["CONN_MAX_AGE"] == 0  # Django refuses a pool with persistent connections
    assert default["OPTIONS"]["pool"] == {"min_size": 1, "max_size": 8, "timeout": 10}
    assert default["OPTIONS"]["prepare_threshold"] == 5


def test_the_pool_is_refused_on_sqlite() -> None:
    result, _ = load(DATABASE_POOL="1")
    assert result.returncode != 0
    assert "DATABASE_POOL works with PostgreSQL only." in result.stderr


def test_a_transaction_pooler_turns_server_side_cursors_and_prepared_statements_off() -> None:
    result, loaded = load(DATABASE_URL=PRIMARY, DATABASE_TRANSACTION_POOLER="1")
    assert result.returncode == 0, result.stderr
    default = loaded["databases"]["default"]
    assert default["DISABLE_SERVER_SIDE_CURSORS"] is True
    assert "server_side_binding" not in default.get("OPTIONS", {})
    assert "prepare_threshold" not in default.get("OPTIONS", {})


def test_sqlite_has_no_postgresql_options() -> None:
    result, loaded = load()
    assert result.returncode == 0, result.stderr
    options = loaded["databases"]["default"]["OPTIONS"]
    assert "server_side_binding" not in options
    assert "prepare_threshold" not in options


@pytest.mark.django_db
def test_postgresql_prepares_a_query_run_five_times() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's (decision 0923)")
    marker = "coproduce_prepared_probe"
    with connection.cursor() as cursor:
        for _ in range(6):
            cursor.execute(f"SELECT %s::int AS {marker}", [1])
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
            [f"%{marker}%"],
        )
        (prepared,) = cursor.fetchone()
    assert prepared == 1


def test_a_replica_url_adds_the_alias_and_the_router() -> None:
    result, loaded = load(DATABASE_URL=PRIMARY, DATABASE_REPLICA_URL=REPLICA)
    assert result.returncode == 0, result.stderr
    replica = loaded["databases"]["replica"]
    assert replica["HOST"] == "replica.internal"
    assert replica["TEST"] == {"MIRROR": "default"}
    assert replica["CONN_HEALTH_CHECKS"] is True
    assert loaded["routers"] == ["coproduce.common.dbrouters.ReplicaRouter"]
