"""Every view × every role, against the rule the view declares.

OK: the page is served (or the action done: 2xx, or a redirect that is not to sign in).
LOGIN: sent to sign in. DENIED: 403. HIDDEN: 404 (private things do not show they exist).
The cases are listed by area in tests/security/permission_matrix/ (cases_<area>.py, with what they
share in common.py). A new view must be added there, or test_every_view_is_in_the_matrix fails.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, resolve, reverse

from coproduce.accounts.actions import api_token_create
from coproduce.contributions.tests.world import ROLES, World
from tests.security.permission_matrix import (
    cases_assessment,
    cases_budgets,
    cases_codesign,
    cases_commissioning,
    cases_conversations,
    cases_governance,
    cases_insight,
    cases_outcomes,
    cases_panels,
    cases_site,
)
from tests.security.permission_matrix.cases_budgets import BUDGET_API_CASES, budget_made
from tests.security.permission_matrix.cases_conversations import (
    CONVERSATION_API_CASES,
    conversation_made,
)
from tests.security.permission_matrix.common import DENIED, HIDDEN, LOGIN, OK, ApiCase, Case

PROJECT_NAMESPACES = {
    "common",
    "assessment",
    "commissioning",
    "accounts",
    "organisations",
    "services",
    "contributions",
    "insight",
    "codesign",
    "budgeting",
    "conversations",
    "governance",
    "notifications",
    "outcomes",
    "equality",
    "privacy",
    "panels",
    "search",
    "transparency",
}

# Every case of the view matrix, in the order they were first written (the test ids number the
# cases that share a name and label, insight:survey_confirm0 and 1, by their place here).
CASES: list[Case] = [
    *cases_site.SITE_CASES,
    *cases_insight.INSIGHT_CASES,
    *cases_codesign.CODESIGN_CASES,
    *cases_site.NOTIFICATION_CASES,
    *cases_site.WELSH_CASES,
    *cases_site.SEARCH_CASES,
    *cases_site.TRANSPARENCY_CASES,
    *cases_governance.GOVERNANCE_CASES,
    *cases_budgets.BUDGET_CASES,
    *cases_conversations.CONVERSATION_CASES,
    *cases_panels.PANEL_CASES,
    *cases_outcomes.OUTCOME_CASES,
    *cases_commissioning.COMMISSIONING_CASES,
    *cases_assessment.ASSESSMENT_CASES,
    *cases_site.EQUALITY_CASES,
    *cases_site.PRIVACY_CASES,
]


# The budgets and conversations APIs, with each role's token (the other APIs' matrices are in
# tests/security/test_api_matrix_*.py).
@pytest.mark.parametrize(
    "case",
    BUDGET_API_CASES,
    ids=lambda c: f"{c.method.upper()} {c.path}{'[' + c.label + ']' if c.label else ''}",
)
def test_budget_api_matrix(case: ApiCase, world: World) -> None:
    setup = budget_made(world, case.which)
    path = case.path.replace("{budget_id}", str(setup.budget.pk))
    body = {
        "area": setup.area.pk,
        "choices": [{"project": p.reference} for p in setup.proposals[:1]],
    }
    mismatches = []
    for role in ROLES:
        person = world.people[role]
        headers = {}
        if person is not None:
            headers["Authorization"] = f"Bearer {api_token_create(user=person, name=role)[1]}"
        with transaction.atomic():
            if case.method == "put":
                response = Client().put(
                    path, json.dumps(body), content_type="application/json", headers=headers
                )
            else:
                response = Client().get(path, headers=headers)
            transaction.set_rollback(True)
        if response.status_code != case.expected[role]:
            mismatches.append(f"{role}: expected {case.expected[role]}, got {response.status_code}")
    assert not mismatches, f"{case.method.upper()} {path}\n" + "\n".join(mismatches)


def test_every_budget_api_operation_is_in_the_matrix() -> None:
    from coproduce.api.api import api

    operations = {
        f"{method} {path}"
        for path, item in api.get_openapi_schema()["paths"].items()
        for method in item
        if path.startswith("/api/budgets")
    }
    assert operations == {f"{case.method} {case.path}" for case in BUDGET_API_CASES}


@pytest.mark.parametrize(
    "case",
    CONVERSATION_API_CASES,
    ids=lambda c: f"{c.method.upper()} {c.path}{'[' + c.label + ']' if c.label else ''}",
)
def test_conversation_api_matrix(case: ApiCase, world: World) -> None:
    conversation = conversation_made(world, case.which)
    path = case.path.replace("{conversation_id}", str(conversation.pk)).replace(
        "{statement_id}", str(conversation.statements.get().pk)
    )
    body = {"post": {"text": "A new statement"}, "put": {"vote": "agree"}}.get(case.method)
    mismatches = []
    for role in ROLES:
        person = world.people[role]
        headers = {}
        if person is not None:
            headers["Authorization"] = f"Bearer {api_token_create(user=person, name=role)[1]}"
        with transaction.atomic():
            send = getattr(Client(), case.method)
            if body is None:
                response = send(path, headers=headers)
            else:
                response = send(
                    path, json.dumps(body), content_type="application/json", headers=headers
                )
            transaction.set_rollback(True)
        if response.status_code != case.expected[role]:
            mismatches.append(f"{role}: expected {case.expected[role]}, got {response.status_code}")
    assert not mismatches, f"{case.method.upper()} {path}\n" + "\n".join(mismatches)


def test_every_conversation_api_operation_is_in_the_matrix() -> None:
    from coproduce.api.api import api

    operations = {
        f"{method} {path}"
        for path, item in api.get_openapi_schema()["paths"].items()
        for method in item
        if path.startswith("/api/conversations")
    }
    assert operations == {f"{case.method} {case.path}" for case in CONVERSATION_API_CASES}


@pytest.mark.parametrize(
    "case", CASES, ids=lambda c: f"{c.name}{'[' + c.label + ']' if c.label else ''}"
)
def test_view_matrix(case: Case, world: World) -> None:
    url = reverse(case.name, kwargs=case.kwargs(world))
    mismatches = []
    for role in ROLES:
        client = Client()
        if world.people[role] is not None:
            client.force_login(world.people[role])
        with transaction.atomic():
            response = getattr(client, case.method)(url, case.data(world))
            transaction.set_rollback(True)
        got = outcome(response)
        if got != case.expected[role]:
            mismatches.append(f"{role}: expected {case.expected[role]}, got {got}")
    assert not mismatches, f"{case.method.upper()} {url}\n" + "\n".join(mismatches)


def outcome(response: Any) -> str:
    if response.status_code == 404:
        return HIDDEN
    if response.status_code == 403:
        return DENIED
    if response.status_code in (301, 302) and response["Location"].startswith(
        reverse("account_login")
    ):
        return LOGIN
    if response.status_code in (301, 302) and "/mfa/" in response["Location"]:
        return "mfa-setup"
    if 200 <= response.status_code < 400:
        return OK
    return f"status {response.status_code}"


def _named_project_views() -> set[str]:
    names: set[str] = set()

    def walk(patterns: list[Any], namespace: str | None) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, pattern.namespace or namespace)
            elif (
                isinstance(pattern, URLPattern) and pattern.name and namespace in PROJECT_NAMESPACES
            ):
                names.add(f"{namespace}:{pattern.name}")

    walk(get_resolver().url_patterns, None)
    return names


def test_every_view_is_in_the_matrix() -> None:
    missing = _named_project_views() - {case.name for case in CASES}
    assert not missing, f"Add these views to the permission matrix: {sorted(missing)}"


def test_every_view_declares_a_rule() -> None:
    undeclared = [
        name for name in _named_project_views() if not hasattr(_view(name), "permission_rule")
    ]
    assert not undeclared, f"Views without a permission rule: {sorted(undeclared)}"


def _view(name: str) -> Any:
    """The view function behind a named URL, found by trying the argument shapes we use."""
    shapes: list[dict[str, Any]] = [
        {},
        {"slug": "x"},
        {"pk": 1},
        {"slug": "x", "pk": 1},
        {"seq": 1},
        {"code": "x", "extension": "csv"},
        {"slug": "x", "code": "x"},
        {"token": "x"},
    ]
    for kwargs in shapes:
        try:
            return resolve(reverse(name, kwargs=kwargs)).func
        except NoReverseMatch:
            continue
    raise AssertionError(f"Cannot reverse {name}")


@pytest.mark.django_db
def test_staff_without_two_factor_are_sent_to_set_it_up() -> None:
    from coproduce.accounts.tests.factories import UserFactory
    from coproduce.organisations.tests.factories import MembershipFactory

    user = UserFactory(email="nomfa@example.org", mfa=False)
    MembershipFactory(user=user, role="professional")
    client = Client()
    client.force_login(user)
    response = client.get(reverse("services:staff_dashboard"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
