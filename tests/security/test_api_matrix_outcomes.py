"""The outcomes API (coproduce/api/outcomes.py) × every role, with each role's token.

Outcomes are seen with their service: a draft service's are 404 to those who may not see it.
Recording a value is for those who keep the service's outcomes (administrators and
professionals: 403 for the others with a token, 401 without one). Answering an indicator's check
needs a token; an indicator residents do not report, or a draft service's, is a rule (422).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone

from coproduce.accounts.actions import api_token_create
from coproduce.contributions.tests.world import ROLES, World
from tests.security.permission_matrix.common import (
    API_OWNER_MEMBERS,
    API_PUBLIC,
    API_WITH_TOKEN,
    ApiCase,
    api_row,
)

FRAMEWORK = "/api/services/{slug}/outcomes"
INDICATOR = "/api/indicators/{indicator_id}"
MEASUREMENTS = f"{INDICATOR}/measurements"
CHECK = f"{INDICATOR}/check"
KEEPERS = api_row(401, 403, 403, 201, 403, 201, 201)
DRAFT_KEEPERS = api_row(401, 404, 403, 201, 404, 201, 201)
DRAFT_SEEN = api_row(401, 404, 200, 200, 404, 200, 200)
DRAFT_RULE = api_row(401, 404, 422, 422, 404, 422, 422)
OUTCOME_API_CASES = [
    ApiCase("get", FRAMEWORK, "published", API_PUBLIC),
    ApiCase("get", FRAMEWORK, "draft", API_OWNER_MEMBERS, "draft"),
    ApiCase("get", INDICATOR, "published", API_PUBLIC),
    ApiCase("get", INDICATOR, "draft", API_OWNER_MEMBERS, "draft"),
    ApiCase("post", MEASUREMENTS, "published", KEEPERS),
    ApiCase("post", MEASUREMENTS, "draft", DRAFT_KEEPERS, "draft"),
    # Residents report a checked indicator alone: staff recording a value break a rule.
    ApiCase("post", MEASUREMENTS, "checked", api_row(401, 403, 403, 422, 403, 422, 422), "checked"),
    ApiCase("get", CHECK, "checked", API_WITH_TOKEN),
    ApiCase("get", CHECK, "draft_checked", DRAFT_SEEN, "draft"),
    ApiCase("put", CHECK, "checked", API_WITH_TOKEN),
    ApiCase("put", CHECK, "draft_checked", DRAFT_RULE, "draft"),
    ApiCase("put", CHECK, "published", api_row(401, *[422] * 6), "not a check"),
]


def _indicators(w: World) -> dict[str, Any]:
    """Indicators of the world's services, made once per world: "published" (staff measure it),
    "checked" (residents report it), and a draft service's "draft" and "draft_checked"."""
    made: dict[str, Any] = w.people.setdefault("_outcomes_api", {})
    if not made:
        from coproduce.outcomes.tests.factories import (
            make_check_indicator,
            make_indicator,
            make_outcome,
        )

        keeper = w.people["professional"]
        for service, measured, checked in (
            (w.service, "published", "checked"),
            (w.draft_service, "draft", "draft_checked"),
        ):
            outcome = make_outcome(service, keeper)
            made[measured] = make_indicator(outcome, keeper)
            made[checked] = make_check_indicator(outcome, keeper)
    return made


def _path(case: ApiCase, w: World) -> str:
    if "{slug}" in case.path:
        service = w.draft_service if case.which == "draft" else w.service
        return case.path.replace("{slug}", service.slug)
    return case.path.replace("{indicator_id}", str(_indicators(w)[case.which].pk))


def _body(case: ApiCase) -> dict[str, Any]:
    if case.path == MEASUREMENTS:
        return {"measured_on": timezone.localdate().isoformat(), "value": 55}
    return {"rating": 4}


@pytest.mark.parametrize(
    "case",
    OUTCOME_API_CASES,
    ids=lambda c: f"{c.method.upper()} {c.path}{'[' + c.label + ']' if c.label else ''}",
)
def test_outcome_api_matrix(case: ApiCase, world: World) -> None:
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
                    json.dumps(_body(case)),
                    content_type="application/json",
                    headers=headers,
                )
            transaction.set_rollback(True)
        if response.status_code != case.expected[role]:
            mismatches.append(f"{role}: expected {case.expected[role]}, got {response.status_code}")
    assert not mismatches, f"{case.method.upper()} {path}\n" + "\n".join(mismatches)


def test_every_outcome_api_operation_is_in_the_matrix() -> None:
    from coproduce.api.api import api

    operations = {
        f"{method} {path}"
        for path, item in api.get_openapi_schema()["paths"].items()
        for method in item
        if path.startswith("/api/indicators") or path.endswith("/outcomes")
    }
    assert operations == {f"{case.method} {case.path}" for case in OUTCOME_API_CASES}
