"""A published service whose records are on the public ledger stays published (decision 0137):
the ledger keeps their content and links to their pages, so "draft" would hide nothing and break
the links. Each app that records on the ledger says what of a service it holds, so this check of
the apps together lives here."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from coproduce.accounts.actions import api_token_create
from coproduce.accounts.tests.factories import client_for
from coproduce.api.tests.client import Api, fields
from coproduce.budgeting.tests.factories import make_voting, vote
from coproduce.budgeting.tests.public_pages import publish_results
from coproduce.contributions import actions as spine_actions
from coproduce.contributions.models import Decision
from coproduce.panels import actions_selection
from coproduce.panels.tests.factories import make_pool, small_pool
from coproduce.services import actions, hooks
from coproduce.services.models import Service, ServiceStatus
from coproduce.services.tests.factories import ActivityFactory, staff_of

pytestmark = pytest.mark.django_db

STAYS = "This service stays published: its %s are on the public ledger, which links to its pages."


def _decided(service: Service) -> Decision:
    activity = ActivityFactory(service=service)
    return spine_actions.decision_create(
        service=service,
        stage=service.current_stage,
        title="Evening opening",
        description="Because people asked for it.",
        decided_by="The board",
        decided_on=dt.date.today(),
        recorded_by=staff_of(activity),
    )


def test_a_service_with_nothing_on_the_ledger_goes_back_to_draft_and_returns() -> None:
    service = ActivityFactory().service
    assert actions.stays_published(service) is None
    actions.service_set_status(service=service, status=ServiceStatus.DRAFT)
    actions.service_set_status(service=service, status=ServiceStatus.PUBLISHED)
    assert Service.objects.get(pk=service.pk).is_published


def test_a_decision_on_the_ledger_keeps_the_service_published() -> None:
    service = ActivityFactory().service
    _decided(service)
    with pytest.raises(ValidationError) as refused:
        actions.service_set_status(service=service, status=ServiceStatus.DRAFT)
    assert refused.value.message_dict["status"][0].startswith(STAYS % "decisions")
    assert Service.objects.get(pk=service.pk).is_published


def test_each_app_names_what_it_holds() -> None:
    setup = make_voting()
    vote(setup, [setup.proposals[0]])
    publish_results(setup)
    service = setup.budget.activity.service
    assert hooks.ON_THE_LEDGER.held(service) == ["participatory budget results"]
    panel, _registrants = make_pool(small_pool(12))
    actions_selection.seed_commit(panel=panel.panel, by=panel.staff, seed=7)
    assert hooks.ON_THE_LEDGER.held(panel.panel.activity.service) == ["citizen panel draws"]
    _decided(service)
    message = actions.stays_published(service)
    assert message is not None
    assert message.startswith(STAYS % "decisions and participatory budget results")


def test_the_staff_page_says_why_and_offers_no_draft_button() -> None:
    activity = ActivityFactory()
    service = activity.service
    client = client_for(staff_of(activity, role="admin"))
    page_url = reverse("services:staff_service", kwargs={"slug": service.slug})
    assert 'value="draft"' in client.get(page_url).content.decode()
    _decided(service)
    page = client.get(page_url).content.decode()
    assert 'id="stays-published"' in page
    assert 'value="draft"' not in page
    # From a page loaded before the decision: refused, with why.
    sent = client.post(
        reverse("services:service_publish", kwargs={"slug": service.slug}),
        {"status": "draft"},
        follow=True,
    )
    assert STAYS % "decisions" in sent.content.decode()
    assert Service.objects.get(pk=service.pk).is_published


def test_the_api_refuses_with_422_and_saves_nothing_of_the_request() -> None:
    activity = ActivityFactory()
    service = activity.service
    _decided(service)
    api = Api(api_token_create(user=staff_of(activity, role="admin"), name="t")[1])
    response = api.patch(f"/services/{service.slug}", {"status": "draft", "summary": "Changed."})
    assert fields(response) == {("body", "status"): "rule"}
    service.refresh_from_db()
    assert service.is_published
    assert service.summary != "Changed."
