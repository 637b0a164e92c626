"""The citizen panels API (coproduce/api/panels.py) × every role, with each role's token.

Panels are seen with their activity: a draft is 404 to those who may not see it. Moving the answer
to a recommendation is for those who answer for the service (403 for the others with a token, 401
without one); a recommendation that did not pass has no answer to move (a rule: 422).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from coproduce.accounts.actions import api_token_create
from coproduce.contributions.tests.world import ROLES, World
from tests.security.permission_matrix.cases_panels import panel_made
from tests.security.permission_matrix.common import (
    API_OWNER_MEMBERS,
    API_PUBLIC,
    ApiCase,
    api_row,
)

PANEL = "/api/panels/{panel_id}"
STATUS = "/api/panel-recommendations/{recommendation_id}/status"
ANSWERERS = api_row(401, 403, 403, 200, 403, 200, 200)
NOT_PASSED = api_row(401, 403, 403, 422, 403, 422, 422)
PANEL_API_CASES = [
    ApiCase("get", "/api/panels", "registration", API_PUBLIC),
    ApiCase("get", PANEL, "registration", API_PUBLIC),
    ApiCase("get", PANEL, "draft", API_OWNER_MEMBERS, "draft"),
    ApiCase("get", f"{PANEL}/selection", "selected", API_PUBLIC),
    ApiCase("get", f"{PANEL}/selection", "draft", API_OWNER_MEMBERS, "draft"),
    ApiCase("get", f"{PANEL}/recommendations", "deliberation", API_PUBLIC),
    ApiCase("get", f"{PANEL}/recommendations", "draft", API_OWNER_MEMBERS, "draft"),
    ApiCase("post", STATUS, "published", ANSWERERS),
    ApiCase("post", STATUS, "not_passed", NOT_PASSED, "not passed"),
    # The world's resident is a member: they see the draft in the workspace, but do not answer.
    ApiCase("post", STATUS, "draft", api_row(401, 403, 403, 422, 404, 422, 422), "draft"),
]


def _voted(w: World) -> dict[str, Any]:
    """A deliberating panel of the world's published service whose members (the world's resident
    among them) voted, made once per world: its "published" recommendation, the one "not_passed",
    and a "draft" written since."""
    made: dict[str, Any] = w.people.setdefault("_panels_api", {})
    if not made:
        from coproduce.panels import actions_deliberation
        from coproduce.panels.models import Phase
        from coproduce.panels.tests.factories import make_panel
        from coproduce.services.models import ActivityKind
        from coproduce.services.tests.factories import ActivityFactory

        activity = ActivityFactory(service=w.service, kind=ActivityKind.CITIZEN_PANEL, state="open")
        staff, member = w.people["professional"], w.people["resident"]
        panel = make_panel(activity=activity, staff=staff, phase=Phase.DELIBERATION).panel
        actions_deliberation.member_add(panel=panel, by=staff, email=member.email)
        passed, failed = (
            actions_deliberation.recommendation_draft(
                panel=panel, by=member, title=title, text="Because."
            )
            for title in ("Open later", "Close on Mondays")
        )
        actions_deliberation.voting_open(panel=panel, by=staff)
        actions_deliberation.vote_cast(recommendation=passed, by=member, supports=True)
        actions_deliberation.vote_cast(recommendation=failed, by=member, supports=False)
        actions_deliberation.voting_close(panel=panel, by=staff)
        made.update(
            published=passed,
            not_passed=failed,
            draft=actions_deliberation.recommendation_draft(
                panel=panel, by=member, title="More benches", text="In the park."
            ),
        )
    return made


def _path(case: ApiCase, w: World) -> str:
    """The case's address: a panel as the matrix's panel_made names it, or a recommendation as
    _voted names it."""
    if "{recommendation_id}" in case.path:
        recommendation = _voted(w)[case.which]
        return case.path.replace("{recommendation_id}", str(recommendation.pk))
    return case.path.replace("{panel_id}", str(panel_made(w, case.which).pk))


@pytest.mark.parametrize(
    "case",
    PANEL_API_CASES,
    ids=lambda c: f"{c.method.upper()} {c.path}{'[' + c.label + ']' if c.label else ''}",
)
def test_panel_api_matrix(case: ApiCase, world: World) -> None:
    path = _path(case, world)
    mismatches = []
    for role in ROLES:
        person = world.people[role]
        headers = {}
        if person is not None:
            headers["Authorization"] = f"Bearer {api_token_create(user=person, name=role)[1]}"
        with transaction.atomic():
            if case.method == "post":
                response = Client().post(
                    path,
                    json.dumps({"to_status": "accepted"}),
                    content_type="application/json",
                    headers=headers,
                )
            else:
                response = Client().get(path, headers=headers)
            transaction.set_rollback(True)
        if response.status_code != case.expected[role]:
            mismatches.append(f"{role}: expected {case.expected[role]}, got {response.status_code}")
    assert not mismatches, f"{case.method.upper()} {path}\n" + "\n".join(mismatches)


def test_every_panel_api_operation_is_in_the_matrix() -> None:
    from coproduce.api.api import api

    operations = {
        f"{method} {path}"
        for path, item in api.get_openapi_schema()["paths"].items()
        for method in item
        if path.startswith(("/api/panels", "/api/panel-"))
    }
    assert operations == {f"{case.method} {case.path}" for case in PANEL_API_CASES}
