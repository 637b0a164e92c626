"""Factories for services and activities; they go through the actions, like real users do."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import factory
from factory.django import DjangoModelFactory

from coproduce.accounts.models import User
from coproduce.accounts.tests.factories import UserFactory
from coproduce.organisations.models import Role
from coproduce.organisations.tests.factories import MembershipFactory, OrganisationFactory
from coproduce.services import actions
from coproduce.services.models import (
    Activity,
    ActivityKind,
    ActivityState,
    PolicyArea,
    Service,
    ServiceStatus,
)


class ServiceFactory(DjangoModelFactory[Service]):
    """A published service at the commissioning stage of cycle 1 (unless told otherwise)."""

    if TYPE_CHECKING:  # calling the factory returns the model instance

        def __new__(cls, *args: Any, **kwargs: Any) -> Service: ...  # type: ignore[misc]

    class Meta:
        model = Service

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Community service {n}")
    summary = "Support for residents, planned and checked together with them."
    description = ""
    policy_area = PolicyArea.HEALTH
    area_served = "Northfield"
    status = ServiceStatus.PUBLISHED

    @classmethod
    def _create(cls, model_class: type[Service], *args: Any, **kwargs: Any) -> Service:
        status = kwargs.pop("status")
        partners = kwargs.pop("partners", ())
        return actions.service_create(
            publish=status == ServiceStatus.PUBLISHED, partners=partners, **kwargs
        )


# The moves that take a draft activity to each state.
_PATHS = {
    ActivityState.DRAFT: [],
    ActivityState.OPEN: [ActivityState.OPEN],
    ActivityState.CLOSED: [ActivityState.OPEN, ActivityState.CLOSED],
    ActivityState.REPORTED: [ActivityState.OPEN, ActivityState.CLOSED, ActivityState.REPORTED],
}


class ActivityFactory(DjangoModelFactory[Activity]):
    """An activity in the service's current stage, moved to ``state`` through the real actions."""

    if TYPE_CHECKING:  # calling the factory returns the model instance

        def __new__(cls, *args: Any, **kwargs: Any) -> Activity: ...  # type: ignore[misc]

    class Meta:
        model = Activity

    service = factory.SubFactory(ServiceFactory)
    stage = factory.LazyAttribute(lambda o: o.service.current_stage)
    kind = ActivityKind.IDEA_CHALLENGE
    title = factory.Sequence(lambda n: f"Activity {n}")
    summary = "Tell us what would make the service work better for you."
    how_to_take_part = "Take part on this page, from any phone, tablet or computer."
    opens_on = factory.LazyFunction(lambda: dt.date.today())
    closes_on = factory.LazyFunction(lambda: dt.date.today() + dt.timedelta(days=42))
    state = ActivityState.DRAFT
    outcome = "Residents asked for evening sessions; we have added two a week."

    @classmethod
    def _create(cls, model_class: type[Activity], *args: Any, **kwargs: Any) -> Activity:
        state = kwargs.pop("state")
        outcome = kwargs.pop("outcome")
        activity = actions.activity_create(**kwargs)
        for step in _PATHS[state]:
            activity = actions.activity_transition(
                activity=activity, to_state=step, outcome=outcome
            )
        return activity


def staff_of(activity: Activity, role: str = Role.PROFESSIONAL) -> User:
    """A new member of the organisation that runs the activity's service, with two-factor set up."""
    user = UserFactory(mfa=True)
    MembershipFactory(user=user, organisation=activity.service.organisation, role=role)
    return user
