"""The statement kind's ``agreed``: what all groups agree with on the latest map (decision 0111)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from coproduce.contributions import kinds
from coproduce.conversations.models import STATEMENT, Conversation, MapRun, MapStatus
from coproduce.conversations.queries import agreed_statements
from coproduce.conversations.tests.factories import make_conversation

pytestmark = pytest.mark.django_db


def _map(
    conversation: Conversation,
    agree: list[int],
    *,
    ago: int = 0,
    status: str = MapStatus.DONE,
    disagree: tuple[int, ...] = (),
) -> MapRun:
    """A stored map, as the map task leaves it (tasks.map_json), finished ``ago`` minutes ago."""
    result: dict[str, Any] = {
        "consensus": {
            "agree": [{"statement_id": pk, "n_success": 9, "n_trials": 10} for pk in agree],
            "disagree": [{"statement_id": pk} for pk in disagree],
        },
        "group_of": {},
    }
    return MapRun.objects.create(
        conversation=conversation,
        status=status,
        finished_at=timezone.now() - dt.timedelta(minutes=ago),
        result=result,
    )


def test_only_the_statements_all_groups_agree_with_are_agreed() -> None:
    setup = make_conversation()
    first, second, third = (s.pk for s in setup.statements)
    _map(setup.conversation, [first], disagree=(second,))
    assert agreed_statements([first, second, third]) == {first}


def test_without_a_finished_map_nothing_is_agreed() -> None:
    setup = make_conversation()
    first = setup.statements[0].pk
    assert agreed_statements([first]) == set()
    _map(setup.conversation, [first], status=MapStatus.FAILED)
    _map(setup.conversation, [first], status=MapStatus.RUNNING)
    assert agreed_statements([first]) == set()


def test_the_latest_map_wins() -> None:
    setup = make_conversation()
    first, second, _third = (s.pk for s in setup.statements)
    _map(setup.conversation, [second], ago=1)
    _map(setup.conversation, [first], ago=30)
    assert agreed_statements([first, second]) == {second}


def test_the_spine_asks_through_the_kind_in_two_queries_for_many_conversations() -> None:
    setups = [make_conversation(seeds=2) for _n in range(3)]
    for setup in setups:
        _map(setup.conversation, [setup.statements[0].pk], ago=5)
        _map(setup.conversation, [setup.statements[1].pk])  # the latest
    pks = [s.pk for setup in setups for s in setup.statements]
    with CaptureQueriesContext(connection) as queries:
        found = kinds.agreed(STATEMENT, pks)
    assert found == {setup.statements[1].pk for setup in setups}
    assert len(queries) == 2
    assert kinds.agreed(STATEMENT, []) == set()


def test_a_kind_without_the_test_has_nothing_agreed() -> None:
    assert kinds.get_kind("idea").agreed is None
    assert kinds.agreed("idea", [1, 2]) == set()
