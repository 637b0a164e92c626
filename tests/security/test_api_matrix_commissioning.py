"""The commissioning API (coproduce/api/commissioning.py) × every role, with each role's token.

Rounds are seen as their activities are: a draft round is 404 to those who may not see it.
Your weighting needs a token, to read as well as to write; weighing a draft round, or one whose
weighting has closed, is a rule (422) to those who see it. Nobody gets 403: anyone signed in may
weigh an open round's criteria.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone

from coproduce.accounts.actions import api_token_create
from coproduce.contributions.tests.world import ROLES, World
from tests.security import test_permission_matrix as matrix
from tests.security.test_permission_matrix import (
    API_OWNER_MEMBERS,
    API_PUBLIC,
    API_WITH_TOKEN,
    ApiCase,
    api_row,
)

world = matrix.world  # the permission matrix's world, with its people in every role

ROUNDS = "/api/commissioning/rounds"
ROUND = f"{ROUNDS}/{{round_id}}"
WEIGHTING = f"{ROUND}/weighting"
DRAFT_SEEN = api_row(401, 404, 200, 200, 404, 200, 200)
DRAFT_RULE = api_row(401, 404, 422, 422, 404, 422, 422)
COMMISSIONING_API_CASES = [
    ApiCase("get", ROUNDS, "open", API_PUBLIC),
    ApiCase("get", ROUND, "open", API_PUBLIC),
    ApiCase("get", ROUND, "draft", API_OWNER_MEMBERS, "draft"),
    ApiCase("get", WEIGHTING, "open", API_WITH_TOKEN),
    ApiCase("get", WEIGHTING, "draft", DRAFT_SEEN, "draft"),
    ApiCase("put", WEIGHTING, "open", API_WITH_TOKEN),
    ApiCase("put", WEIGHTING, "draft", DRAFT_RULE, "draft"),
    ApiCase("put", WEIGHTING, "closed", api_row(401, *[422] * 6), "closed"),
]


def _rounds(w: World) -> dict[str, Any]:
    """Rounds of the world's published service, with criteria, made once per world: "open",
    "closed" (its weighting closed yesterday) and a draft activity's "draft"."""
    made: dict[str, Any] = w.people.setdefault("_commissioning_api", {})
    if not made:
        from coproduce.commissioning.models import Round
        from coproduce.commissioning.tests.factories import make_criteria, make_round
        from coproduce.services.models import ActivityKind, ActivityState
        from coproduce.services.tests.factories import ActivityFactory

        staff = w.people["professional"]
        for which, state in (
            ("open", ActivityState.OPEN),
            ("closed", ActivityState.OPEN),
            ("draft", ActivityState.DRAFT),
        ):
            activity = ActivityFactory(
                service=w.service, kind=ActivityKind.COMMISSIONING_ROUND, state=state
            )
            round_ = make_round(activity, staff)
            make_criteria(round_, staff)
            made[which] = round_
        Round.objects.filter(pk=made["closed"].pk).update(
            weighting_closes_on=timezone.localdate() - dt.timedelta(days=1)
        )
    return made


def _path(case: ApiCase, w: World) -> str:
    return case.path.replace("{round_id}", str(_rounds(w)[case.which].pk))


def _body(case: ApiCase, w: World) -> dict[str, Any]:
    criteria = list(_rounds(w)[case.which].criteria.all())
    return {
        "points": [
            {"criterion": c.pk, "points": 100 if i == 0 else 0} for i, c in enumerate(criteria)
        ]
    }


@pytest.mark.parametrize(
    "case",
    COMMISSIONING_API_CASES,
    ids=lambda c: f"{c.method.upper()} {c.path}{'[' + c.label + ']' if c.label else ''}",
)
def test_commissioning_api_matrix(case: ApiCase, world: World) -> None:
    path = _path(case, world)
    mismatches = []
    for role in ROLES:
        person = world.people[role]
        headers = {}
        if person is not None:
            headers["Authorization"] = f"Bearer {api_token_create(user=person, name=role)[1]}"
        with transaction.atomic():
            if case.method == "get":
                response = Client().get(path, headers=headers)
            else:
                response = getattr(Client(), case.method)(
                    path,
                    json.dumps(_body(case, world)),
                    content_type="application/json",
                    headers=headers,
                )
            transaction.set_rollback(True)
        if response.status_code != case.expected[role]:
            mismatches.append(f"{role}: expected {case.expected[role]}, got {response.status_code}")
    assert not mismatches, f"{case.method.upper()} {path}\n" + "\n".join(mismatches)


def test_every_commissioning_api_operation_is_in_the_matrix() -> None:
    from coproduce.api.api import api

    operations = {
        f"{method} {path}"
        for path, item in api.get_openapi_schema()["paths"].items()
        for method in item
        if path.startswith(ROUNDS)
    }
    assert operations == {f"{case.method} {case.path}" for case in COMMISSIONING_API_CASES}
