"""Service pages: search, timeline, staff forms and their error messages."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from coproduce.accounts.tests.factories import UserFactory
from coproduce.organisations.models import Role
from coproduce.organisations.tests.factories import MembershipFactory, OrganisationFactory
from coproduce.services import actions
from coproduce.services.models import (
    ActivityKind,
    ActivityState,
    InvolvementLevel,
    PolicyArea,
    Service,
    ServiceStage,
    Stage,
)
from coproduce.services.tests.factories import ActivityFactory, ServiceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff() -> tuple[Client, Any]:
    user = UserFactory(mfa=True)
    membership = MembershipFactory(user=user, role=Role.PROFESSIONAL)
    client = Client()
    client.force_login(user)
    return client, membership.organisation


def test_home_finds_services_by_words_area_and_policy_area(client: Client) -> None:
    ServiceFactory(
        name="Youth mental health support", area_served="Eastvale", policy_area=PolicyArea.HEALTH
    )
    ServiceFactory(
        name="Community transport", area_served="Northfield", policy_area=PolicyArea.TRANSPORT
    )
    ServiceFactory(name="Hidden plans", status="draft")
    page = client.get(reverse("services:home"), {"q": "youth"}).content.decode()
    assert "Youth mental health support" in page
    assert "Community transport" not in page
    page = client.get(reverse("services:home"), {"area": "northfield"}).content.decode()
    assert "Community transport" in page
    assert "Youth mental" not in page
    page = client.get(reverse("services:home"), {"policy_area": "transport"}).content.decode()
    assert "Community transport" in page
    assert "Youth mental" not in page
    assert "Hidden plans" not in client.get(reverse("services:home")).content.decode()


def test_bad_search_input_gets_a_message_not_an_error(client: Client) -> None:
    response = client.get(reverse("services:home"), {"policy_area": "astrology", "page": "x"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    response = client.get(reverse("services:home"), {"q": "a" * 500, "page": "-3"})
    assert response.status_code == 200
    assert "Enter 100 characters or fewer. You entered" in response.content.decode()


def test_home_lists_services_without_n_plus_one(
    client: Client, django_assert_max_num_queries: Any
) -> None:
    for n in range(25):
        ServiceFactory(
            name=f"Service {n:02d}",
            organisation=OrganisationFactory(name=f"Org {n}", slug=f"org-{n}"),
        )
    with django_assert_max_num_queries(6):
        response = client.get(reverse("services:home"))
    assert response.status_code == 200
    assert response.context["page"].paginator.num_pages == 2


@pytest.mark.parametrize("page", ["services:detail", "services:activity_list"])
def test_a_service_page_takes_as_many_queries_for_many_activities_as_for_one(
    client: Client, page: str
) -> None:
    """Each activity links to its page, which names the service: read with the activities."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    service = ServiceFactory()
    url = reverse(page, kwargs={"slug": service.slug})
    counts = []
    for more in (1, 5):
        for _number in range(more):
            ActivityFactory(service=service, state=ActivityState.OPEN)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_service_page_shows_timeline_promises_open_activities_and_index(client: Client) -> None:
    service = ServiceFactory(name="Recovery service")
    ServiceStage.objects.filter(service=service, stage=Stage.COMMISSIONING).update(
        planned_level=InvolvementLevel.EMPOWER
    )
    ActivityFactory(
        service=service,
        title="Vote on the budget",
        kind=ActivityKind.PARTICIPATORY_BUDGET,
        state=ActivityState.OPEN,
    )
    page = client.get(service.get_absolute_url()).content.decode()
    assert "We will put in place what you decide." in page
    assert "Vote on the budget" in page
    assert "How much say the public has had" in page
    assert "The democratisation index" in page  # the term, beside its plain words
    assert "Empower: you decide" in page
    assert 'aria-current="step"' in page
    assert "<table" in page


def test_staff_create_a_service_and_see_field_errors_first(staff: tuple[Client, Any]) -> None:
    client, organisation = staff
    url = reverse("services:service_create")
    response = client.post(
        url, {"organisation": organisation.pk, "name": "", "policy_area": "magic"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "There is a problem" in body
    assert "govuk-error-message" in body
    assert Service.objects.count() == 0
    response = client.post(
        url,
        {
            "organisation": organisation.pk,
            "name": "Meals on wheels",
            "summary": "Hot meals at home.",
            "policy_area": PolicyArea.SOCIAL_CARE,
            "area_served": "Northfield",
        },
    )
    service = Service.objects.get()
    assert response["Location"] == reverse("services:staff_service", kwargs={"slug": service.slug})
    assert not service.is_published


def test_staff_cannot_create_services_for_other_organisations(staff: tuple[Client, Any]) -> None:
    client, _organisation = staff
    elsewhere = OrganisationFactory(name="Elsewhere", slug="elsewhere")
    response = client.post(
        reverse("services:service_create"),
        {
            "organisation": elsewhere.pk,
            "name": "Takeover",
            "summary": "No.",
            "policy_area": PolicyArea.OTHER,
            "area_served": "Everywhere",
        },
    )
    assert response.status_code == 200
    assert "Choose one of your organisations." in response.content.decode()
    assert not Service.objects.exists()


def test_advancing_needs_a_summary_and_confirmation(staff: tuple[Client, Any]) -> None:
    client, organisation = staff
    service = ServiceFactory(organisation=organisation)
    url = reverse("services:service_advance", kwargs={"slug": service.slug})
    response = client.post(url, {"summary": ""})
    assert response.status_code == 200
    assert "Confirm that you want to end the current stage." in response.content.decode()
    service.refresh_from_db()
    assert service.current_stage == Stage.COMMISSIONING
    client.post(url, {"summary": "Outcomes agreed with residents.", "confirm": "on"})
    service.refresh_from_db()
    assert service.current_stage == Stage.DESIGN


def test_involvement_form_saves_levels(staff: tuple[Client, Any]) -> None:
    client, organisation = staff
    service = ServiceFactory(organisation=organisation)
    url = reverse("services:involvement_edit", kwargs={"slug": service.slug})
    client.post(url, {Stage.DESIGN: InvolvementLevel.COLLABORATE, Stage.DELIVERY: "nonsense"})
    assert ServiceStage.objects.get(service=service, stage=Stage.DESIGN).planned_level == ""
    client.post(url, {Stage.DESIGN: InvolvementLevel.COLLABORATE})
    assert (
        ServiceStage.objects.get(service=service, stage=Stage.DESIGN).planned_level == "collaborate"
    )


def test_the_involvement_form_shows_an_ended_stage_as_fixed(staff: tuple[Client, Any]) -> None:
    client, organisation = staff
    service = ServiceFactory(organisation=organisation)
    url = reverse("services:involvement_edit", kwargs={"slug": service.slug})
    client.post(url, {Stage.COMMISSIONING: InvolvementLevel.CONSULT})
    actions.service_advance_stage(service=service, summary="Done.")
    page = client.get(url).content.decode()
    assert "This stage has ended" in page
    assert re.search(r'name="commissioning"[^>]*value="consult" checked disabled', page)
    assert not re.search(r'name="design"[^>]* disabled', page)
    # A browser sends no disabled field: the ended stage keeps its level.
    assert client.post(url, {Stage.DESIGN: InvolvementLevel.INVOLVE}).status_code == 302
    levels = dict(
        ServiceStage.objects.filter(service=service).values_list("stage", "planned_level")
    )
    assert (levels[Stage.COMMISSIONING], levels[Stage.DESIGN]) == ("consult", "involve")


def test_impossible_transition_is_explained(staff: tuple[Client, Any]) -> None:
    client, organisation = staff
    activity = ActivityFactory(
        service=ServiceFactory(organisation=organisation), state=ActivityState.CLOSED
    )
    url = reverse("services:activity_transition", kwargs={"pk": activity.pk})
    response = client.post(url, {"to_state": ActivityState.REPORTED, "outcome": ""})
    assert response.status_code == 400
    assert "Say what came of the activity before you report it." in response.content.decode()
    response = client.post(url, {"to_state": ActivityState.DRAFT})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_activity_form_rejects_dates_out_of_order(staff: tuple[Client, Any]) -> None:
    client, organisation = staff
    service = ServiceFactory(organisation=organisation)
    response = client.post(
        reverse("services:activity_create", kwargs={"slug": service.slug}),
        {
            "stage": Stage.COMMISSIONING,
            "kind": ActivityKind.MEETING,
            "title": "Meeting",
            "summary": "Come along.",
            "opens_on_day": "2",
            "opens_on_month": "5",
            "opens_on_year": "2027",
            "closes_on_day": "1",
            "closes_on_month": "5",
            "closes_on_year": "2027",
        },
    )
    assert response.status_code == 200
    assert "The closing date must be on or after the opening date." in response.content.decode()


def test_organisation_page_lists_only_published_services(client: Client) -> None:
    organisation = OrganisationFactory(name="Northfield Council", slug="northfield-council")
    ServiceFactory(organisation=organisation, name="Library service")
    ServiceFactory(organisation=organisation, name="Secret draft", status="draft")
    partner_of = ServiceFactory(name="Shared transport")
    partner_of.partners.add(organisation)
    page = client.get(organisation.get_absolute_url()).content.decode()
    assert "Library service" in page
    assert "Shared transport" in page
    assert "Secret draft" not in page
