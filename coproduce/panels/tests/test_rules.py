"""Who may run a panel and see its registration data: role × phase."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from coproduce.accounts.tests.factories import UserFactory
from coproduce.accounts.types import Visitor
from coproduce.organisations.models import Role
from coproduce.panels import rules
from coproduce.panels.models import Phase
from coproduce.panels.tests.factories import PanelSetup, advance, make_panel
from coproduce.services.tests.factories import staff_of

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "resident", "other organisation", "facilitator", "professional", "admin")
COORDINATORS = {"facilitator", "professional", "admin"}


def person(setup: PanelSetup, role: str) -> Visitor:
    activity = setup.panel.activity
    if role == "anonymous":
        return AnonymousUser()
    if role == "resident":
        return UserFactory()
    if role == "other organisation":
        return staff_of(make_panel().panel.activity, Role.ADMIN)
    return staff_of(
        activity,
        {"facilitator": Role.FACILITATOR, "admin": Role.ADMIN}.get(role, Role.PROFESSIONAL),
    )


@pytest.mark.parametrize("phase", [Phase.REGISTRATION, Phase.SELECTION, Phase.CLOSED])
@pytest.mark.parametrize("role", ROLES)
def test_only_coordinators_run_the_panel_and_see_registration_data(phase: str, role: str) -> None:
    setup = make_panel(allow_volunteers=True)
    advance(setup, phase)
    user = person(setup, role)
    assert rules.can_coordinate(user, setup.panel) is (role in COORDINATORS)
    assert rules.can_view_registration_data(user, setup.panel) is (role in COORDINATORS)
    assert rules.can_view_panel(user, setup.panel)  # the activity is open: the panel is public
