"""The assessment API (coproduce/api/assessment.py) × every role, with each role's token.

Every operation reads. Standards and improvement actions are seen with their service, an
assessment and its findings with its activity: a draft service's are 404 to those who may not see
it. Nobody gets 401 (a token is optional) or 403 (nothing to refuse that is not hidden). Who reads
a team's draft report is a second table: the service's administrators and professionals (and the
superuser); everyone else who sees the assessment gets it with `report: null`.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from coproduce.accounts.actions import api_token_create
from coproduce.contributions.tests.world import ROLES, World
from tests.security.permission_matrix.common import (
    API_OWNER_MEMBERS,
    API_PUBLIC,
    ApiCase,
)

STANDARDS = "/api/services/{slug}/standards"
ACTIONS = "/api/services/{slug}/improvement-actions"
ASSESSMENT = "/api/assessments/{assessment_id}"
FINDINGS = f"{ASSESSMENT}/findings"
ASSESSMENT_API_CASES = [
    ApiCase("get", STANDARDS, "published", API_PUBLIC),
    ApiCase("get", STANDARDS, "draft", API_OWNER_MEMBERS, "draft"),
    ApiCase("get", ACTIONS, "published", API_PUBLIC),
    ApiCase("get", ACTIONS, "draft", API_OWNER_MEMBERS, "draft"),
    ApiCase("get", ASSESSMENT, "user", API_PUBLIC),
    ApiCase("get", ASSESSMENT, "self_reflection", API_PUBLIC, "draft report"),
    ApiCase("get", ASSESSMENT, "mystery_shop", API_PUBLIC, "mystery shop"),
    ApiCase("get", ASSESSMENT, "draft", API_OWNER_MEMBERS, "draft"),
    ApiCase("get", FINDINGS, "user", API_PUBLIC),
    ApiCase("get", FINDINGS, "draft", API_OWNER_MEMBERS, "draft"),
]
# A self-reflection's draft report: read by those who manage the service.
DRAFT_REPORT_READERS = {"professional", "org_admin", "superuser"}


def _assessments(w: World) -> dict[str, Any]:
    """Assessments made once per world: a closed user assessment of the published service with a
    finding and an action ("user"), a self-reflection with a draft report, a mystery shop, and a
    user assessment of the draft service ("draft")."""
    made: dict[str, Any] = w.people.setdefault("_assessment_api", {})
    if not made:
        import datetime as dt

        from django.utils import timezone

        from coproduce.assessment import actions_findings, actions_report
        from coproduce.assessment.models import Assessment
        from coproduce.assessment.tests.factories import make_framework
        from coproduce.assessment.tests.factories_report import (
            every,
            make_team_assessment,
            user_assessment,
        )
        from coproduce.services.models import ActivityKind

        keeper = w.people["professional"]
        for service in (w.service, w.draft_service):
            make_framework(service, keeper)
        made["user"] = Assessment.objects.get(pk=user_assessment(w.service, {}).pk)
        finding = actions_findings.finding_add(
            assessment=made["user"], by=keeper, kind="concern", title="Phones", evidence="Slow."
        )
        actions_findings.action_add(
            finding=finding,
            by=keeper,
            description="A second line",
            owner="Manager",
            due_on=timezone.localdate() + dt.timedelta(days=5),
        )
        made["self_reflection"], staff = make_team_assessment(
            ActivityKind.SELF_REFLECTION, service=w.service
        )
        actions_report.report_save(
            assessment=made["self_reflection"],
            by=staff,
            ratings=every(made["self_reflection"], 4),
            summary="Our view.",
        )
        made["mystery_shop"], _staff = make_team_assessment(
            ActivityKind.MYSTERY_SHOP, service=w.service
        )
        made["draft"] = user_assessment(w.draft_service, {}, close=False)
    return made


def _path(case: ApiCase, w: World) -> str:
    if "{slug}" in case.path:
        service = w.draft_service if case.which == "draft" else w.service
        return case.path.replace("{slug}", service.slug)
    return case.path.replace("{assessment_id}", str(_assessments(w)[case.which].pk))


def _headers(w: World, role: str) -> dict[str, str]:
    person = w.people[role]
    if person is None:
        return {}
    return {"Authorization": f"Bearer {api_token_create(user=person, name=role)[1]}"}


@pytest.mark.parametrize(
    "case",
    ASSESSMENT_API_CASES,
    ids=lambda c: f"{c.method.upper()} {c.path}{'[' + c.label + ']' if c.label else ''}",
)
def test_assessment_api_matrix(case: ApiCase, world: World) -> None:
    path = _path(case, world)
    mismatches = []
    for role in ROLES:
        response = Client().get(path, headers=_headers(world, role))
        if response.status_code != case.expected[role]:
            mismatches.append(f"{role}: expected {case.expected[role]}, got {response.status_code}")
    assert not mismatches, f"GET {path}\n" + "\n".join(mismatches)


def test_a_draft_report_is_read_only_by_those_who_manage_the_service(world: World) -> None:
    path = ASSESSMENT.replace("{assessment_id}", str(_assessments(world)["self_reflection"].pk))
    readers = {
        role
        for role in ROLES
        if Client().get(path, headers=_headers(world, role)).json()["report"] is not None
    }
    assert readers == DRAFT_REPORT_READERS


def test_a_mystery_shop_has_no_report_for_anyone(world: World) -> None:
    path = ASSESSMENT.replace("{assessment_id}", str(_assessments(world)["mystery_shop"].pk))
    for role in ROLES:
        body = Client().get(path, headers=_headers(world, role)).json()
        assert (body["kind"], body["report"], body["results"]) == ("mystery_shop", None, None)


def test_every_assessment_api_operation_is_in_the_matrix() -> None:
    from coproduce.api.api import api

    operations = {
        f"{method} {path}"
        for path, item in api.get_openapi_schema()["paths"].items()
        for method in item
        if path.startswith("/api/assessments") or path.endswith(("/standards", "-actions"))
    }
    assert operations == {f"{case.method} {case.path}" for case in ASSESSMENT_API_CASES}
