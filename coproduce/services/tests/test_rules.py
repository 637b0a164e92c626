"""Who may see and change services and activities: every rule × role × state, as tables.

The people: an anonymous visitor, a resident with no membership, a facilitator, a professional
and an administrator of the organisation that runs the service, a professional of an unrelated
organisation, a professional of a partner organisation of the service, and a platform superuser.

Each table row is one person and states the expected answer for every state in its columns;
the rows are read from the rules' docstrings, never computed by calling the rules.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from coproduce.accounts.tests.factories import UserFactory
from coproduce.organisations.models import Organisation, Role
from coproduce.organisations.tests.factories import MembershipFactory, OrganisationFactory
from coproduce.services import actions, rules
from coproduce.services.models import (
    STAGE_ORDER,
    Activity,
    ActivityKind,
    ActivityState,
    Service,
    ServiceStatus,
)
from coproduce.services.tests.factories import ActivityFactory, ServiceFactory

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "resident",
    "facilitator",
    "professional",
    "org_admin",
    "other_professional",
    "partner",
    "superuser",
]
STATUSES = [ServiceStatus.PUBLISHED, ServiceStatus.DRAFT]
STATES = [ActivityState.DRAFT, ActivityState.OPEN, ActivityState.CLOSED, ActivityState.REPORTED]
ORGANISATIONS = ["owner", "other", "partner"]

T, F = True, False


@dataclass
class Cast:
    """Three organisations, one person per role, and a published and a draft service."""

    organisations: dict[str, Organisation]
    people: dict[str, Any]
    services: dict[str, Service]


@pytest.fixture
def cast(db: Any) -> Cast:
    owner = OrganisationFactory(name="Owner Council", slug="owner-council")
    other = OrganisationFactory(name="Other Trust", slug="other-trust")
    partner = OrganisationFactory(name="Partner Charity", slug="partner-charity")
    people: dict[str, Any] = {
        "anonymous": AnonymousUser(),
        "resident": UserFactory(email="resident@example.org"),
        "superuser": UserFactory(
            email="superuser@example.org", mfa=True, is_superuser=True, is_staff=True
        ),
    }
    for name, organisation, role in [
        ("facilitator", owner, Role.FACILITATOR),
        ("professional", owner, Role.PROFESSIONAL),
        ("org_admin", owner, Role.ADMIN),
        ("other_professional", other, Role.PROFESSIONAL),
        ("partner", partner, Role.PROFESSIONAL),
    ]:
        user = UserFactory(email=f"{name}@example.org", mfa=True)
        MembershipFactory(user=user, organisation=organisation, role=role)
        people[name] = user
    services: dict[str, Service] = {
        status: ServiceFactory(
            organisation=owner, name=f"A {status} service", status=status, partners=[partner]
        )
        for status in STATUSES
    }
    assert set(people) == set(ROLES)
    return Cast({"owner": owner, "other": other, "partner": partner}, people, services)


def activity_in(service: Service, state: str) -> Activity:
    """An activity of ``service`` in its current stage, moved to ``state`` by the real actions."""
    return ActivityFactory(service=service, state=state, kind=ActivityKind.IDEA_CHALLENGE)


def cases(table: Mapping[str, Sequence[bool]], columns: Sequence[str]) -> list[Any]:
    """Flatten a table (role → one expected answer per column) into (role, column, expected)."""
    assert set(table) == set(ROLES), "every table has one row per role"
    params = []
    for role, row in table.items():
        assert len(row) == len(columns), role
        for column, expected in zip(columns, row, strict=True):
            params.append(pytest.param(role, column, expected, id=f"{role}-{column}"))
    return params


# ---------------------------------------------------------------------------------------------
# Service rules, by service status
# ---------------------------------------------------------------------------------------------

# Published services are public; drafts only for people of the owning organisation (any role).
CAN_VIEW_SERVICE = {
    #                       published  draft
    "anonymous":            (T,        F),
    "resident":             (T,        F),
    "facilitator":          (T,        T),
    "professional":         (T,        T),
    "org_admin":            (T,        T),
    "other_professional":   (T,        F),
    "partner":              (T,        F),  # the module docstring says partners see drafts: they do not
    "superuser":            (T,        T),
}  # fmt: skip

# Edit the service, set involvement, advance its stage: admins and professionals, either status.
CAN_MANAGE_SERVICE = {
    #                       published  draft
    "anonymous":            (F,        F),
    "resident":             (F,        F),
    "facilitator":          (F,        F),
    "professional":         (T,        T),
    "org_admin":            (T,        T),
    "other_professional":   (F,        F),
    "partner":              (F,        F),
    "superuser":            (T,        T),
}  # fmt: skip

# Add and run activities: admins, professionals and facilitators of the owning organisation.
CAN_RUN_ACTIVITIES = {
    #                       published  draft
    "anonymous":            (F,        F),
    "resident":             (F,        F),
    "facilitator":          (T,        T),
    "professional":         (T,        T),
    "org_admin":            (T,        T),
    "other_professional":   (F,        F),
    "partner":              (F,        F),
    "superuser":            (T,        T),
}  # fmt: skip


@pytest.mark.parametrize(("role", "status", "expected"), cases(CAN_VIEW_SERVICE, STATUSES))
def test_can_view_service(cast: Cast, role: str, status: str, expected: bool) -> None:
    assert rules.can_view_service(cast.people[role], cast.services[status]) is expected


@pytest.mark.parametrize(("role", "status", "expected"), cases(CAN_MANAGE_SERVICE, STATUSES))
def test_can_manage_service(cast: Cast, role: str, status: str, expected: bool) -> None:
    assert rules.can_manage_service(cast.people[role], cast.services[status]) is expected


@pytest.mark.parametrize(("role", "status", "expected"), cases(CAN_RUN_ACTIVITIES, STATUSES))
def test_can_run_activities(cast: Cast, role: str, status: str, expected: bool) -> None:
    assert rules.can_run_activities(cast.people[role], cast.services[status]) is expected


# ---------------------------------------------------------------------------------------------
# Staff pages and creating services, by organisation
# ---------------------------------------------------------------------------------------------

# Anyone who works for an organisation on the platform, in any role (and superusers).
CAN_USE_STAFF_PAGES = {
    "anonymous":            (F,),
    "resident":             (F,),
    "facilitator":          (T,),
    "professional":         (T,),
    "org_admin":            (T,),
    "other_professional":   (T,),
    "partner":              (T,),
    "superuser":            (T,),
}  # fmt: skip

# Administrators and professionals of at least one organisation (and superusers).
CAN_CREATE_SERVICE = {
    "anonymous":            (F,),
    "resident":             (F,),
    "facilitator":          (F,),
    "professional":         (T,),
    "org_admin":            (T,),
    "other_professional":   (T,),
    "partner":              (T,),
    "superuser":            (T,),
}  # fmt: skip

# Create a service for this organisation: its admins and professionals (and superusers).
CAN_CREATE_SERVICE_IN = {
    #                       owner  other  partner
    "anonymous":            (F,    F,     F),
    "resident":             (F,    F,     F),
    "facilitator":          (F,    F,     F),
    "professional":         (T,    F,     F),
    "org_admin":            (T,    F,     F),
    "other_professional":   (F,    T,     F),
    "partner":              (F,    F,     T),
    "superuser":            (T,    T,     T),
}  # fmt: skip


@pytest.mark.parametrize(("role", "scope", "expected"), cases(CAN_USE_STAFF_PAGES, ["anywhere"]))
def test_can_use_staff_pages(cast: Cast, role: str, scope: str, expected: bool) -> None:
    assert rules.can_use_staff_pages(cast.people[role]) is expected


@pytest.mark.parametrize(("role", "scope", "expected"), cases(CAN_CREATE_SERVICE, ["anywhere"]))
def test_can_create_service(cast: Cast, role: str, scope: str, expected: bool) -> None:
    assert rules.can_create_service(cast.people[role]) is expected


@pytest.mark.parametrize(
    ("role", "organisation", "expected"), cases(CAN_CREATE_SERVICE_IN, ORGANISATIONS)
)
def test_can_create_service_in(cast: Cast, role: str, organisation: str, expected: bool) -> None:
    user = cast.people[role]
    assert rules.can_create_service_in(user, cast.organisations[organisation]) is expected


# ---------------------------------------------------------------------------------------------
# Activity rules, by service status × activity state
# ---------------------------------------------------------------------------------------------

# Activities are public once opened (open, closed, reported), if their service is.
VIEW_ACTIVITY_OF_PUBLISHED_SERVICE = {
    #                       draft  open  closed  reported
    "anonymous":            (F,    T,    T,      T),
    "resident":             (F,    T,    T,      T),
    "facilitator":          (T,    T,    T,      T),
    "professional":         (T,    T,    T,      T),
    "org_admin":            (T,    T,    T,      T),
    "other_professional":   (F,    T,    T,      T),
    "partner":              (F,    T,    T,      T),
    "superuser":            (T,    T,    T,      T),
}  # fmt: skip

# A draft service hides every activity, whatever its state, from everyone outside the owner.
VIEW_ACTIVITY_OF_DRAFT_SERVICE = {
    #                       draft  open  closed  reported
    "anonymous":            (F,    F,    F,      F),
    "resident":             (F,    F,    F,      F),
    "facilitator":          (T,    T,    T,      T),
    "professional":         (T,    T,    T,      T),
    "org_admin":            (T,    T,    T,      T),
    "other_professional":   (F,    F,    F,      F),
    "partner":              (F,    F,    F,      F),
    "superuser":            (T,    T,    T,      T),
}  # fmt: skip

# Edit an activity or move it between states: whoever runs activities, in every state.
MANAGE_ACTIVITY = {
    #                       draft  open  closed  reported
    "anonymous":            (F,    F,    F,      F),
    "resident":             (F,    F,    F,      F),
    "facilitator":          (T,    T,    T,      T),
    "professional":         (T,    T,    T,      T),
    "org_admin":            (T,    T,    T,      T),
    "other_professional":   (F,    F,    F,      F),
    "partner":              (F,    F,    F,      F),
    "superuser":            (T,    T,    T,      T),
}  # fmt: skip


@pytest.mark.parametrize(
    ("role", "state", "expected"), cases(VIEW_ACTIVITY_OF_PUBLISHED_SERVICE, STATES)
)
def test_can_view_activity_of_a_published_service(
    cast: Cast, role: str, state: str, expected: bool
) -> None:
    activity = activity_in(cast.services[ServiceStatus.PUBLISHED], state)
    assert activity.state == state
    assert rules.can_view_activity(cast.people[role], activity) is expected


@pytest.mark.parametrize(
    ("role", "state", "expected"), cases(VIEW_ACTIVITY_OF_DRAFT_SERVICE, STATES)
)
def test_can_view_activity_of_a_draft_service(
    cast: Cast, role: str, state: str, expected: bool
) -> None:
    activity = activity_in(cast.services[ServiceStatus.DRAFT], state)
    assert activity.state == state
    assert rules.can_view_activity(cast.people[role], activity) is expected


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize(("role", "state", "expected"), cases(MANAGE_ACTIVITY, STATES))
def test_can_manage_activity(
    cast: Cast, status: str, role: str, state: str, expected: bool
) -> None:
    activity = activity_in(cast.services[status], state)
    assert activity.state == state
    assert rules.can_manage_activity(cast.people[role], activity) is expected


def test_taking_a_service_back_to_draft_hides_its_open_activity(cast: Cast) -> None:
    """The service's status is read when the rule runs, not when the activity was opened."""
    service = cast.services[ServiceStatus.PUBLISHED]
    activity = activity_in(service, ActivityState.OPEN)
    assert rules.can_view_activity(cast.people["resident"], activity) is True
    actions.service_set_status(service=service, status=ServiceStatus.DRAFT)
    activity = Activity.objects.select_related("service_stage__service").get(pk=activity.pk)
    assert rules.can_view_activity(cast.people["resident"], activity) is False
    assert rules.can_view_activity(cast.people["facilitator"], activity) is True


# ---------------------------------------------------------------------------------------------
# Every stage of the lifecycle: the stage changes nobody's rights
# ---------------------------------------------------------------------------------------------

# For a published service in any stage, with a draft and an open activity in that stage.
BY_STAGE = {
    #                       manage   run         view draft  view open  manage
    #                       service  activities  activity    activity   activity
    "anonymous":            (F,      F,          F,          T,         F),
    "resident":             (F,      F,          F,          T,         F),
    "facilitator":          (F,      T,          T,          T,         T),
    "professional":         (T,      T,          T,          T,         T),
    "org_admin":            (T,      T,          T,          T,         T),
    "other_professional":   (F,      F,          F,          T,         F),
    "partner":              (F,      F,          F,          T,         F),
    "superuser":            (T,      T,          T,          T,         T),
}  # fmt: skip


@pytest.mark.parametrize("stage", STAGE_ORDER)
@pytest.mark.parametrize(
    ("role", "row"), [pytest.param(role, row, id=role) for role, row in BY_STAGE.items()]
)
def test_rules_in_every_stage(cast: Cast, stage: str, role: str, row: tuple[bool, ...]) -> None:
    service = cast.services[ServiceStatus.PUBLISHED]
    while service.current_stage != stage:
        actions.service_advance_stage(service=service, summary="We moved on.")
    draft = activity_in(service, ActivityState.DRAFT)
    open_ = activity_in(service, ActivityState.OPEN)
    assert (draft.service_stage.stage, open_.service_stage.stage) == (stage, stage)
    user = cast.people[role]
    got = (
        rules.can_manage_service(user, service),
        rules.can_run_activities(user, service),
        rules.can_view_activity(user, draft),
        rules.can_view_activity(user, open_),
        rules.can_manage_activity(user, draft),
    )
    assert got == row


def test_every_public_rule_has_a_table() -> None:
    """A new rule in coproduce.services.rules must get a table here too."""
    public = {
        name for name in dir(rules) if name.startswith("can_") and callable(getattr(rules, name))
    }
    tested = {
        "can_view_service",
        "can_manage_service",
        "can_run_activities",
        "can_use_staff_pages",
        "can_create_service",
        "can_create_service_in",
        "can_view_activity",
        "can_manage_activity",
    }
    assert public == tested
