"""Test helpers shared by the suites: one small world with a person in every role."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from coproduce.accounts.tests.factories import UserFactory
from coproduce.contributions.actions import decision_create
from coproduce.contributions.models import Decision
from coproduce.organisations.models import Organisation, Role
from coproduce.organisations.tests.factories import MembershipFactory, OrganisationFactory
from coproduce.services.models import Activity, ActivityKind, ActivityState, Service
from coproduce.services.tests.factories import ActivityFactory, ServiceFactory

ROLES = [
    "anonymous",
    "resident",
    "facilitator",
    "professional",
    "other_professional",
    "org_admin",
    "superuser",
]


@dataclass
class World:
    """Two organisations; the owner runs a published and a draft service."""

    owner: Organisation
    other: Organisation
    people: dict[str, Any]
    service: Service
    draft_service: Service
    open_activity: Activity
    draft_activity: Activity
    decision: Decision


def build_world() -> World:
    """Create the world with one person per role; staff have TOTP set up."""
    owner = OrganisationFactory(name="Owner Council", slug="owner-council")
    other = OrganisationFactory(name="Other Trust", slug="other-trust")
    people: dict[str, Any] = {
        "anonymous": None,
        "resident": UserFactory(email="resident@example.org"),
    }
    for role, org, membership_role in [
        ("facilitator", owner, Role.FACILITATOR),
        ("professional", owner, Role.PROFESSIONAL),
        ("other_professional", other, Role.PROFESSIONAL),
        ("org_admin", owner, Role.ADMIN),
    ]:
        user = UserFactory(email=f"{role}@example.org", mfa=True)
        MembershipFactory(user=user, organisation=org, role=membership_role)
        people[role] = user
    people["superuser"] = UserFactory(
        email="superuser@example.org", mfa=True, is_superuser=True, is_staff=True
    )
    service = ServiceFactory(organisation=owner, name="Published service")
    draft_service = ServiceFactory(organisation=owner, name="Draft service", status="draft")
    open_activity = ActivityFactory(
        service=service,
        title="Open activity",
        state=ActivityState.OPEN,
        kind=ActivityKind.IDEA_CHALLENGE,
    )
    draft_activity = ActivityFactory(service=service, title="Draft activity")
    decision = decision_create(
        service=service,
        stage=service.current_stage,
        title="A decision",
        description="Because.",
        decided_by="The board",
        decided_on=dt.date.today(),
        recorded_by=people["org_admin"],
    )
    return World(
        owner, other, people, service, draft_service, open_activity, draft_activity, decision
    )
