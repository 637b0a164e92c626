"""Notification settings (notifications 0004) can be undone: news of a new activity, an event the
schema before it cannot hold, is deleted on the way back, and every other notification is kept."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from coproduce.accounts.tests.factories import UserFactory
from coproduce.notifications.models import Event, Notification

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

BEFORE = ("notifications", "0003_follows_moved")


def _migrate(targets: list[tuple[str, str]] | None) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(targets if targets is not None else executor.loader.graph.leaf_nodes())


@pytest.fixture
def back_to_latest() -> Iterator[None]:
    yield
    _migrate(None)


def _events() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT event FROM notifications_notification ORDER BY id")
        return [row[0] for row in cursor.fetchall()]


def test_going_back_drops_only_the_news_of_new_activities(back_to_latest: None) -> None:
    person = UserFactory()
    for event in (Event.RESPONSE, Event.NEW_ACTIVITY, Event.STATUS):
        Notification.objects.create(user=person, event=event, message="News", url="/")

    _migrate([BEFORE])
    assert _events() == ["response", "status"]

    _migrate(None)
    assert _events() == ["response", "status"]
