"""What the apps above add to the service, activity and organisation pages (common.sections)."""

from __future__ import annotations

import pytest
from django.test import Client

from coproduce.accounts.tests.factories import UserFactory, client_for
from coproduce.organisations.pages import ORGANISATION_PAGE
from coproduce.organisations.tests.factories import MembershipFactory
from coproduce.services import pages
from coproduce.services.models import ActivityKind, ActivityState
from coproduce.services.tests.factories import ActivityFactory, ServiceFactory

pytestmark = pytest.mark.django_db


def test_the_installed_apps_fill_every_place() -> None:
    for place in (
        pages.SERVICE_MAIN,
        pages.SERVICE_ASIDE,
        pages.STAFF_SERVICE_ROWS,
        pages.STAFF_SERVICE_MAIN,
        pages.ACTIVITY_MAIN,
        pages.STAFF_DASHBOARD,
        ORGANISATION_PAGE,
    ):
        assert place.templates, place.place


def test_the_pages_show_their_parts(client: Client) -> None:
    service = ServiceFactory()
    page = client.get(service.get_absolute_url()).content.decode()
    assert 'id="answer-coverage"' in page  # the spine, under the index
    assert "/you-said-we-did/" in page  # the spine, in the side column
    activity = ActivityFactory(
        service=service, kind=ActivityKind.IDEA_CHALLENGE, state=ActivityState.OPEN
    )
    page = client.get(activity.get_absolute_url()).content.decode()
    assert f"/activities/{activity.pk}/export.csv" in page  # the spine's open data
    page = client.get(service.organisation.get_absolute_url()).content.decode()
    assert service.name in page  # services: what the organisation runs


def test_the_account_page_shows_the_roles() -> None:
    membership = MembershipFactory(user=UserFactory(mfa=True))
    page = client_for(membership.user).get("/account/").content.decode()
    assert "Your roles" in page
    assert membership.organisation.name in page
    resident = client_for(UserFactory()).get("/account/").content.decode()
    assert "You take part as a resident" in resident
