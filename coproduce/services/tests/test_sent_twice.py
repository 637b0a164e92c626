"""Service forms sent twice (Back, then submit) create one service or activity, end one stage."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from coproduce.accounts.tests.factories import UserFactory, client_for
from coproduce.common.tests.one_time import send_twice
from coproduce.organisations.models import Role
from coproduce.organisations.tests.factories import MembershipFactory, OrganisationFactory
from coproduce.services.models import Activity, ActivityKind, PolicyArea, Service, Stage
from coproduce.services.tests.factories import ServiceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff() -> tuple[Client, Any]:
    organisation = OrganisationFactory()
    user = UserFactory(mfa=True)
    MembershipFactory(user=user, organisation=organisation, role=Role.ADMIN)
    return client_for(user), organisation


def test_a_service_sent_twice_is_created_once(staff: tuple[Client, Any]) -> None:
    client, organisation = staff
    send_twice(
        client,
        reverse("services:service_create"),
        {
            "organisation": organisation.pk,
            "name": "Meals on wheels",
            "summary": "Hot meals at home.",
            "policy_area": PolicyArea.SOCIAL_CARE,
            "area_served": "Northfield",
        },
    )
    assert Service.objects.count() == 1


def test_an_activity_sent_twice_is_added_once(staff: tuple[Client, Any]) -> None:
    client, organisation = staff
    service = ServiceFactory(organisation=organisation)
    send_twice(
        client,
        reverse("services:activity_create", kwargs={"slug": service.slug}),
        {
            "stage": Stage.COMMISSIONING,
            "kind": ActivityKind.MEETING,
            "title": "Meeting",
            "summary": "Come along.",
        },
    )
    assert Activity.objects.filter(service_stage__service=service).count() == 1
    edit = reverse("services:activity_edit", kwargs={"pk": Activity.objects.get().pk})
    assert 'name="one_time_token"' not in client.get(edit).content.decode()


def test_ending_a_stage_sent_twice_ends_one_stage(staff: tuple[Client, Any]) -> None:
    client, organisation = staff
    service = ServiceFactory(organisation=organisation)
    url = reverse("services:service_advance", kwargs={"slug": service.slug})
    send_twice(client, url, {"summary": "Outcomes agreed with residents.", "confirm": "on"})
    service.refresh_from_db()
    assert service.current_stage == Stage.DESIGN
