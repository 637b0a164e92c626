"""Fixtures for the API tests: the shared small world and an API client per role."""

from __future__ import annotations

from typing import Any

import pytest

from coproduce.accounts.actions import api_token_create
from coproduce.api.tests.client import Api
from coproduce.api.tests.loop import Loop, loop_world
from coproduce.contributions.tests.world import ROLES, World, build_world


@pytest.fixture
def world(db: Any) -> World:
    return build_world()


@pytest.fixture
def as_role(world: World) -> Any:
    """``as_role("professional")`` → an Api client holding that person's token."""
    tokens: dict[str, Api] = {}

    def make(role: str) -> Api:
        assert role in ROLES
        if role not in tokens:
            person = world.people[role]
            tokens[role] = Api(
                None if person is None else api_token_create(user=person, name=role)[1]
            )
        return tokens[role]

    return make


@pytest.fixture
def anonymous() -> Api:
    return Api()


@pytest.fixture
def loop(world: World) -> Loop:
    return loop_world(world)


@pytest.fixture
def as_author(loop: Loop) -> Api:
    """The resident who wrote every contribution of the loop."""
    return Api(api_token_create(user=loop.author, name="author")[1])
