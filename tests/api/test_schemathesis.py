"""Fuzz every operation of /api/openapi.json with schemathesis, anonymously and as staff.

Schemathesis reads the schema the app serves and, per operation, sends requests built from it:
the schema's own boundaries (coverage phase) and random valid and invalid data (fuzzing phase).
Every response goes through all of its default checks, among them: no 5xx, only documented status
codes and content types, bodies that match the documented schema, invalid data refused, valid
data accepted, and declared authentication really enforced.

Path parameters, and the ids and slugs inside request bodies, are drawn part of the time from the
objects the ``world`` fixture creates, so that requests reach real services, activities,
contributions of every kind and moderation state, and decisions (drafts and other organisations'
drafts included), not only 404s.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig
from schemathesis.core.result import Ok

from coproduce.accounts.actions import api_token_create
from coproduce.api.api import api
from coproduce.config.wsgi import application
from coproduce.organisations.models import Role
from coproduce.organisations.tests.factories import MembershipFactory, OrganisationFactory
from coproduce.services.models import ActivityKind, ServiceStatus
from coproduce.services.tests.factories import ActivityFactory, ServiceFactory
from tests.api import fuzz_world
from tests.api.fuzz_world import (
    ACTIVITY_STAND_INS,
    AREAS,
    ASSESSMENTS,
    BID_INDICATORS,
    BIDS,
    BOARDS,
    BUDGETS,
    CATEGORIES,
    COMMITMENTS,
    CONTRIBUTIONS,
    CONVERSATIONS,
    CRITERIA,
    DECISIONS,
    ENTRIES,
    INDICATORS,
    MEETINGS,
    MORE_ACTIVITIES,
    PANELS,
    PROJECTS,
    RECOMMENDATIONS,
    ROUNDS,
    SLUGS,
    STATEMENTS,
)

SCHEMA_PATH = "/api/openapi.json"
# 25 random examples per operation (plus the coverage phase's boundary cases) keep both runs
# within a few minutes on a slow shared machine. For a deeper search, run with
# COPRODUCE_FUZZ_EXAMPLES=300 (about half an hour).
EXAMPLES = int(os.environ.get("COPRODUCE_FUZZ_EXAMPLES", "25"))
# Without a token, every write is refused with 401 before its body is read: a few random bodies
# show it, and the coverage phase's hundreds of boundary bodies would meet the same 401. Their
# validation is fuzzed in full with the staff token. See docs/decisions/0406-api-fuzzing-budget.md.
ANONYMOUS_WRITES = {
    "include-method": ["POST", "PUT", "PATCH", "DELETE"],
    "phases": {"coverage": {"enabled": False}},
    "generation": {"max-examples": max(5, EXAMPLES // 5)},
}


def _config(*, anonymous: bool) -> SchemathesisConfig:
    return SchemathesisConfig.from_dict(
        {
            "generation": {"max-examples": EXAMPLES},
            "operations": [ANONYMOUS_WRITES] if anonymous else [],
            "dictionaries": {
                "slugs": {"values": SLUGS},
                "activities": {"values": [*ACTIVITY_STAND_INS, *MORE_ACTIVITIES]},
                "contributions": {"values": CONTRIBUTIONS},
                "decisions": {"values": DECISIONS},
                "categories": {"values": CATEGORIES},
                "entries": {"values": ENTRIES},
                "boards": {"values": BOARDS},
                "meetings": {"values": MEETINGS},
                "budgets": {"values": BUDGETS},
                "areas": {"values": AREAS},
                "projects": {"values": PROJECTS},
                "conversations": {"values": CONVERSATIONS},
                "statements": {"values": STATEMENTS},
                "panels": {"values": PANELS},
                "recommendations": {"values": RECOMMENDATIONS},
                "indicators": {"values": INDICATORS},
                "rounds": {"values": ROUNDS},
                "criteria": {"values": CRITERIA},
                "bid_indicators": {"values": BID_INDICATORS},
                "bids": {"values": BIDS},
                "commitments": {"values": COMMITMENTS},
                "assessments": {"values": ASSESSMENTS},
            },
            "parameters": {
                "path.slug": {"dictionary": "slugs", "probability": 0.8},
                "path.activity_id": {"dictionary": "activities", "probability": 0.8},
                "path.contribution_id": {"dictionary": "contributions", "probability": 0.8},
                "path.idea_id": {"dictionary": "contributions", "probability": 0.8},
                "path.comment_id": {"dictionary": "contributions", "probability": 0.8},
                "path.decision_id": {"dictionary": "decisions", "probability": 0.8},
                "path.seq": {"dictionary": "entries", "probability": 0.8},
                "path.board_id": {"dictionary": "boards", "probability": 0.8},
                "path.meeting_id": {"dictionary": "meetings", "probability": 0.8},
                "path.budget_id": {"dictionary": "budgets", "probability": 0.8},
                "path.conversation_id": {"dictionary": "conversations", "probability": 0.8},
                "path.statement_id": {"dictionary": "statements", "probability": 0.8},
                "path.panel_id": {"dictionary": "panels", "probability": 0.8},
                "path.recommendation_id": {"dictionary": "recommendations", "probability": 0.8},
                "path.indicator_id": {"dictionary": "indicators", "probability": 0.8},
                "path.round_id": {"dictionary": "rounds", "probability": 0.8},
                "body.points[*].criterion": {"dictionary": "criteria", "probability": 0.8},
                "path.bid_id": {"dictionary": "bids", "probability": 0.8},
                "path.commitment_id": {"dictionary": "commitments", "probability": 0.8},
                "path.assessment_id": {"dictionary": "assessments", "probability": 0.8},
                "body.criterion": {"dictionary": "criteria", "probability": 0.8},
                "body.indicator": {"dictionary": "bid_indicators", "probability": 0.8},
                "body.statements[*].criterion": {"dictionary": "criteria", "probability": 0.8},
                "body.area": {"dictionary": "areas", "probability": 0.8},
                "body.choices[*].project": {"dictionary": "projects", "probability": 0.8},
                "query.first": {"dictionary": "entries", "probability": 0.5},
                "query.second": {"dictionary": "entries", "probability": 0.5},
                "query.idea": {"dictionary": "contributions", "probability": 0.5},
                "body.organisation": {"dictionary": "slugs", "probability": 0.8},
                "body.category": {"dictionary": "categories", "probability": 0.5},
                "body.parent": {"dictionary": "contributions", "probability": 0.5},
                "body.contributions[*]": {"dictionary": "contributions", "probability": 0.8},
            },
            "checks": {
                # A write can be well-formed and still break a lifecycle rule that depends on
                # what is stored (an open activity cannot become a draft; a closing date before
                # the stored opening date). Those are 422 with type "rule", and
                # `only_rules_refuse_valid_data` below makes sure no other 422 answers valid data.
                "positive_data_acceptance": {
                    "expected-statuses": ["2xx", "401", "403", "404", "422"]
                },
            },
        }
    )


anonymous = schemathesis.openapi.from_wsgi(SCHEMA_PATH, application, config=_config(anonymous=True))
as_staff = schemathesis.openapi.from_wsgi(SCHEMA_PATH, application, config=_config(anonymous=False))


def only_rules_refuse_valid_data(ctx: Any, response: Any, case: Any) -> bool | None:
    """A 422 to schema-valid input must come from a lifecycle rule, never from validation.

    Otherwise the schema promised something the server does not accept (the schema lies).
    """
    if case.meta is None or not case.meta.generation.mode.is_positive:
        return None
    if response.status_code == 422:
        kinds = {issue["type"] for issue in response.json()["detail"]}
        assert kinds == {"rule"}, f"Schema-valid input refused by validation: {response.text}"
    return True


@pytest.fixture
def world(db: Any, request: pytest.FixtureRequest) -> Iterator[dict[str, Any]]:
    """Two organisations, services in every status, activities in every state, contributions of
    every kind and moderation state, decisions; an administrator's token."""
    ours = OrganisationFactory.create(name="Northfield Council")
    theirs = OrganisationFactory.create(name="Southside Trust")
    admin = MembershipFactory.create(organisation=ours, role=Role.ADMIN).user
    published = ServiceFactory.create(organisation=ours, name="Youth mental health")
    our_draft = ServiceFactory.create(
        organisation=ours, name="Our draft service", status=ServiceStatus.DRAFT
    )
    their_draft = ServiceFactory.create(
        organisation=theirs, name="Their draft service", status=ServiceStatus.DRAFT
    )
    ids = {
        stand_in: ActivityFactory.create(
            service=published, state=state, kind=ActivityKind.NEEDS_SURVEY
        ).pk
        for stand_in, state in ACTIVITY_STAND_INS.items()
    }
    ids |= fuzz_world.loop_objects(ours, published, our_draft, their_draft, admin)
    ids |= fuzz_world.governance_objects(published, admin)
    if "/budgets" in request.node.name:  # about a second: only for the operations that use them
        ids |= fuzz_world.budget_objects(published, their_draft)
    if "/conversations" in request.node.name:
        ids |= fuzz_world.conversation_objects(published, their_draft)
    if "/panel" in request.node.name:
        ids |= fuzz_world.panel_objects(published, their_draft, admin)
    if "/indicators" in request.node.name or "/outcomes" in request.node.name:
        ids |= fuzz_world.outcome_objects(published, our_draft, their_draft, admin)
    if "/commissioning" in request.node.name:
        ids |= fuzz_world.commissioning_objects(published, our_draft, their_draft, admin)
    if any(part in request.node.name for part in ("/assessments", "/standards", "-actions")):
        ids |= fuzz_world.assessment_objects(published, their_draft, admin)
    assert sorted(SLUGS) == sorted(
        [published.slug, "our-draft-service", "their-draft-service", ours.slug, theirs.slug]
    )
    _, token = api_token_create(user=admin, name="schemathesis")
    cache.clear()  # support rate limits are counted in the cache
    # Schemathesis calls the real WSGI handler, whose request_started and request_finished
    # signals close "old" database connections, and so the one holding this test's transaction
    # (on PostgreSQL; the in-memory SQLite database is never closed). Django's test Client
    # disconnects them in the same way while it handles a request.
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        yield {"token": token, "ids": ids}
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)


def _real(value: Any, ids: dict[int, int]) -> Any:
    return (
        ids.get(value, value) if isinstance(value, int) and not isinstance(value, bool) else value
    )


def _use_world(case: Any, world: dict[str, Any]) -> None:
    """Swap every stand-in the fuzzer drew for the real id of that object."""
    ids = world["ids"]
    for parameters, names in (
        (
            case.path_parameters,
            (
                "activity_id",
                "contribution_id",
                "idea_id",
                "decision_id",
                "board_id",
                "meeting_id",
                "budget_id",
                "conversation_id",
                "statement_id",
                "panel_id",
                "recommendation_id",
                "indicator_id",
                "round_id",
                "bid_id",
                "commitment_id",
                "assessment_id",
            ),
        ),
        (case.query, ("idea",)),
    ):
        for name in names:
            if parameters and name in parameters:
                parameters[name] = _real(parameters[name], ids)
    body = case.body
    if isinstance(body, dict):
        for name in ("category", "parent", "area", "criterion", "indicator"):
            if name in body:
                body[name] = _real(body[name], ids)
        if isinstance(body.get("contributions"), list):
            body["contributions"] = [_real(value, ids) for value in body["contributions"]]
        for key in ("points", "statements"):  # a weighting's points, a bid's statements
            items = body.get(key)
            for item in items if isinstance(items, list) else []:
                if isinstance(item, dict) and "criterion" in item:
                    item["criterion"] = _real(item["criterion"], ids)
        if (
            isinstance(body.get("choices"), list)
            and case.meta
            and case.meta.generation.mode.is_positive
        ):
            # Most drawn references name no project; make most of them the budget's, so that
            # valid ballots are cast and changed (the dictionary alone rarely reaches list items).
            for choice in body["choices"]:
                project = choice.get("project") if isinstance(choice, dict) else None
                if isinstance(project, str) and project not in PROJECTS and len(project) % 5:
                    choice["project"] = PROJECTS[sum(map(ord, project)) % len(PROJECTS)]


# The client's address, as every web server gives it: rate limits counted per address (casting a
# budget ballot) refuse a request without one (allauth cannot tell who is asking).
CLIENT = {"REMOTE_ADDR": "127.0.0.1"}

# The number of examples comes from the configurations above (a max_examples here would override
# them). derandomize makes every run send the same requests, so a failure is reproducible and
# never a flake.
FUZZ = settings(
    deadline=None,
    derandomize=True,
    database=None,
    # The world fixture is built once per operation and shared by its examples on purpose: each
    # write then meets the state left by the previous ones (advancing stages, moving activities).
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@anonymous.parametrize()
@FUZZ
def test_anonymous(case: Any, world: dict[str, Any]) -> None:
    """No token (or a generated, invalid one): reads answer, writes are refused with 401."""
    _use_world(case, world)
    case.call_and_validate(additional_checks=[only_rules_refuse_valid_data], environ_base=CLIENT)


@as_staff.parametrize()
@FUZZ
def test_as_staff(case: Any, world: dict[str, Any]) -> None:
    """With an administrator's token, so the writes really run."""
    _use_world(case, world)
    case.call_and_validate(
        headers={"Authorization": f"Bearer {world['token']}"},
        additional_checks=[only_rules_refuse_valid_data],
        environ_base=CLIENT,
    )


def test_every_operation_is_fuzzed() -> None:
    """Nothing is filtered out: both runs cover every operation the API documents."""
    documented = {
        f"{method.upper()} {path}"
        for path, item in api.get_openapi_schema()["paths"].items()
        for method in item
    }
    for schema in (anonymous, as_staff):
        fuzzed = set()
        for result in schema.get_all_operations():
            assert isinstance(result, Ok), result.err()
            fuzzed.add(result.ok().label)
        assert fuzzed == documented
