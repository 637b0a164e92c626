"""Organisation pages and membership management."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from coproduce.accounts.tests.factories import UserFactory
from coproduce.organisations import actions
from coproduce.organisations.models import Membership, Role
from coproduce.organisations.tests.factories import MembershipFactory, OrganisationFactory
from coproduce.services.tests.factories import ServiceFactory

pytestmark = pytest.mark.django_db


def test_the_last_administrator_cannot_be_removed() -> None:
    admin = MembershipFactory(role=Role.ADMIN)
    with pytest.raises(ValidationError):
        actions.membership_remove(membership=admin)
    MembershipFactory(organisation=admin.organisation, role=Role.ADMIN, user=UserFactory(mfa=True))
    actions.membership_remove(membership=admin)
    assert not Membership.objects.filter(pk=admin.pk).exists()


def test_admin_adds_a_person_by_email_and_unknown_emails_are_explained(client: Client) -> None:
    admin = MembershipFactory(role=Role.ADMIN)
    client.force_login(admin.user)
    url = reverse("organisations:members", kwargs={"slug": admin.organisation.slug})
    response = client.post(url, {"email": "nobody@example.org", "role": Role.FACILITATOR})
    assert "No account uses this email address" in response.content.decode()
    newcomer = UserFactory(email="Newcomer@Example.org")
    client.post(
        url, {"email": "NEWCOMER@example.org", "role": Role.FACILITATOR, "job_title": "Organiser"}
    )
    membership = Membership.objects.get(user=newcomer)
    assert membership.role == Role.FACILITATOR
    assert membership.job_title == "Organiser"


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
