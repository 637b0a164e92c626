"""The world the security suites check against, built once per test module.

The matrices send every request of hundreds of cases in every role to the same two organisations
and their people (``build_world``: some forty rows, tens of milliseconds each time). The world is
built once per module inside a transaction that is rolled back when the module ends; each test
runs in a savepoint inside it (pytest-django's ``db``), so what a test makes is gone before the
next, and it gets the world read again from the database, so that nothing a test changed on the
objects is seen by the next either.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import fields
from typing import Any, TypeVar

import pytest
from django.db import models, transaction

from coproduce.accounts.actions import api_token_create
from coproduce.contributions.tests.world import World, build_world

Row = TypeVar("Row", bound=models.Model)


@pytest.fixture(scope="module")
def built_world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    """The world, with an API token for the resident, in a transaction kept open for the module
    (the database stays blocked between tests: only the tests' own ``db`` lets them in)."""
    with django_db_blocker.unblock():
        module = transaction.atomic()
        module.__enter__()
    try:
        with django_db_blocker.unblock():
            world = build_world()
            token, _raw = api_token_create(user=world.people["resident"], name="matrix")
            world.people["resident_token"] = token
        yield world
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            module.__exit__(None, None, None)


@pytest.fixture
def world(built_world: World, db: None) -> World:
    """The module's world, read again from the database for this test."""
    people = {
        role: None if person is None else _again(person)
        for role, person in built_world.people.items()
    }
    rows = {
        f.name: _again(getattr(built_world, f.name)) for f in fields(World) if f.name != "people"
    }
    return World(people=people, **rows)


def _again(row: Row) -> Row:
    return type(row)._base_manager.get(pk=row.pk)
