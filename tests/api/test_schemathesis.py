"""Fuzz every operation of /api/openapi.json with schemathesis, anonymously and as staff.

Schemathesis reads the schema the app serves and, per operation, sends requests built from it:
the schema's own boundaries (coverage phase) and random valid and invalid data (fuzzing phase).
Every response goes through all of its default checks, among them: no 5xx, only documented status
codes and content types, bodies that match the documented schema, invalid data refused, valid
data accepted, and declared authentication really enforced.

Path parameters and the organisation of a new service are drawn, part of the time, from the
objects the ``world`` fixture creates, so that requests reach real services and activities
(drafts and other organisations' drafts included) and not only 404s.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
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
from coproduce.services.models import ActivityKind, ActivityState, ServiceStatus
from coproduce.services.tests.factories import ActivityFactory, ServiceFactory

SCHEMA_PATH = "/api/openapi.json"
# Slugs of what the world fixture creates: a published service and a draft of our organisation,
# a draft of another organisation (a 404 even to our staff), and both organisations.
SLUGS = [
    "youth-mental-health",
    "our-draft-service",
    "their-draft-service",
    "northfield-council",
    "southside-trust",
]
# Activity ids differ between databases (PostgreSQL sequences survive rollbacks), so the fuzzer
# draws these stand-ins and the test swaps in the real id before sending; see `_use_world`.
ACTIVITY_STAND_INS = {
    1_000_001: ActivityState.DRAFT,
    1_000_002: ActivityState.OPEN,
    1_000_003: ActivityState.CLOSED,
    1_000_004: ActivityState.REPORTED,
}


def _config() -> SchemathesisConfig:
    return SchemathesisConfig.from_dict(
        {
            "dictionaries": {
                "slugs": {"values": SLUGS},
                "activities": {"values": list(ACTIVITY_STAND_INS)},
            },
            "parameters": {
                "path.slug": {"dictionary": "slugs", "probability": 0.8},
                "path.activity_id": {"dictionary": "activities", "probability": 0.8},
                "body.organisation": {"dictionary": "slugs", "probability": 0.8},
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


anonymous = schemathesis.openapi.from_wsgi(SCHEMA_PATH, application, config=_config())
as_staff = schemathesis.openapi.from_wsgi(SCHEMA_PATH, application, config=_config())


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
def world(db: Any) -> Iterator[dict[str, Any]]:
    """Two organisations, services in every status and activities in every state; a staff token."""
    ours = OrganisationFactory.create(name="Northfield Council")
    theirs = OrganisationFactory.create(name="Southside Trust")
    admin = MembershipFactory.create(organisation=ours, role=Role.ADMIN).user
    published = ServiceFactory.create(organisation=ours, name="Youth mental health")
    ServiceFactory.create(organisation=ours, name="Our draft service", status=ServiceStatus.DRAFT)
    ServiceFactory.create(
        organisation=theirs, name="Their draft service", status=ServiceStatus.DRAFT
    )
    activities = {
        stand_in: ActivityFactory.create(
            service=published, state=state, kind=ActivityKind.NEEDS_SURVEY
        ).pk
        for stand_in, state in ACTIVITY_STAND_INS.items()
    }
    assert sorted(SLUGS) == sorted(
        [published.slug, "our-draft-service", "their-draft-service", ours.slug, theirs.slug]
    )
    _, token = api_token_create(user=admin, name="schemathesis")
    # Schemathesis calls the real WSGI handler, whose request_started and request_finished
    # signals close "old" database connections, and so the one holding this test's transaction
    # (on PostgreSQL; the in-memory SQLite database is never closed). Django's test Client
    # disconnects them in the same way while it handles a request.
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        yield {"token": token, "activities": activities}
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)


def _use_world(case: Any, world: dict[str, Any]) -> None:
    """Swap an activity stand-in for the real id of that activity."""
    stand_in = (case.path_parameters or {}).get("activity_id")
    if stand_in in world["activities"]:
        case.path_parameters["activity_id"] = world["activities"][stand_in]


# 25 random examples per operation (plus the coverage phase's boundary cases) keep both runs
# within a few minutes on a slow shared machine; derandomize makes every run send the same
# requests, so a failure is reproducible and never a flake. For a deeper search, run with
# COPRODUCE_FUZZ_EXAMPLES=300 (about a quarter of an hour).
FUZZ = settings(
    max_examples=int(os.environ.get("COPRODUCE_FUZZ_EXAMPLES", "25")),
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
    case.call_and_validate(additional_checks=[only_rules_refuse_valid_data])


@as_staff.parametrize()
@FUZZ
def test_as_staff(case: Any, world: dict[str, Any]) -> None:
    """With an administrator's token, so the writes really run."""
    _use_world(case, world)
    case.call_and_validate(
        headers={"Authorization": f"Bearer {world['token']}"},
        additional_checks=[only_rules_refuse_valid_data],
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
