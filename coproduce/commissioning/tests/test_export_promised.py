"""Promised against delivered: the winning bid's social-value commitments beside the latest value of
the indicator each is mapped to, for the service page's part (services.pages.SERVICE_MAIN)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from django.utils import timezone

from coproduce.accounts.tests.factories import UserFactory
from coproduce.commissioning import promised
from coproduce.commissioning.models import Commitment
from coproduce.commissioning.tests.test_export_data import (
    Scenario,
    add_bids,
    awarded_round,
    close_bids,
    published_round,
)
from coproduce.outcomes import actions as outcome_actions
from coproduce.outcomes.tests.factories import keeper_of, make_check_indicator
from coproduce.services.models import Activity, ActivityState

pytestmark = pytest.mark.django_db


def _page(scenario: Scenario) -> str:
    service = scenario.round.activity.service
    return render_to_string(
        "commissioning/_promised.html",
        {"section": promised.service_section(service), "service": service},
    )


def test_nothing_is_shown_before_an_award() -> None:
    scenario = close_bids(add_bids(published_round()))
    assert promised.service_promises(scenario.round.activity.service) == []
    assert _page(scenario).strip() == ""


def test_the_winners_promise_beside_the_indicators_latest_value() -> None:
    scenario = awarded_round(contract_starts_on=timezone.localdate() - dt.timedelta(days=40))
    keeper = keeper_of(scenario.round.activity.service)
    today = timezone.localdate()
    for days, value in ((60, "2"), (10, "5")):
        outcome_actions.measurement_record(
            indicator=scenario.indicator,
            by=keeper,
            measured_on=today - dt.timedelta(days=days),
            value=Decimal(value),
        )
    (item,) = promised.service_promises(scenario.round.activity.service)
    assert item.award == scenario.award
    (promise,) = item.promises
    assert promise.description == "12 local young people employed"
    assert promise.quantity == Decimal("12")
    assert promise.indicator == scenario.indicator
    assert promise.latest_value == Decimal("5")
    assert promise.measured_on == today - dt.timedelta(days=10)
    assert not promise.before_contract
    assert not promise.too_few_answers
    page = _page(scenario)
    assert "What providers promised and what is delivered" in page
    assert "12 local young people employed" in page
    assert "12 people" in page
    assert "5 people" in page
    assert f'<time datetime="{promise.measured_on:%Y-%m-%d}">' in page
    assert scenario.indicator.get_absolute_url() in page
    assert scenario.bids[0].organisation.name in page
    assert "before the contract started" not in page
    for bid in scenario.bids[1:]:  # the losing bids' promises and names stay out
        assert bid.organisation.name not in page


def test_a_value_from_before_the_contract_says_so() -> None:
    scenario = awarded_round(contract_starts_on=timezone.localdate())
    outcome_actions.measurement_record(
        indicator=scenario.indicator,
        by=keeper_of(scenario.round.activity.service),
        measured_on=timezone.localdate() - dt.timedelta(days=1),
        value=Decimal("3"),
    )
    (item,) = promised.service_promises(scenario.round.activity.service)
    assert item.promises[0].before_contract
    assert "before the contract started" in _page(scenario)


def test_an_unmeasured_indicator_is_not_measured_yet() -> None:
    scenario = awarded_round()
    (item,) = promised.service_promises(scenario.round.activity.service)
    assert item.promises[0].latest_value is None
    assert item.starts_on == timezone.localdate(item.award.decided_at)  # no start date yet
    assert "Not measured yet" in _page(scenario)


@override_settings(COPRODUCE_OUTCOMES_MIN_ANSWERS=10)
def test_too_few_answers_are_never_a_number() -> None:
    scenario = awarded_round()
    service = scenario.round.activity.service
    check = make_check_indicator(scenario.indicator.outcome, keeper_of(service))
    Commitment.objects.create(
        bid=scenario.bids[0],
        criterion=scenario.criteria[2],
        indicator=check,
        quantity=Decimal("4.5"),
        description="Appointments easy to get: 4.5 out of 5",
    )
    for rating in (1, 1, 2):  # three answers: fewer than ten
        outcome_actions.check_answer(indicator=check, respondent=UserFactory(), rating=rating)
    period_end = check.check_answers.values_list("period_end", flat=True).first()
    assert period_end is not None
    measurement = outcome_actions.check_aggregate(indicator=check, period_end=period_end)
    assert measurement is not None
    assert measurement.value is None
    (item,) = promised.service_promises(service)
    by_indicator = {p.indicator.pk: p for p in item.promises}
    assert by_indicator[check.pk].too_few_answers
    assert by_indicator[check.pk].latest_value is None
    page = _page(scenario)
    assert "Too few answers" in page
    assert "1.33" not in page  # the average of the three answers is never shown


def test_a_draft_rounds_award_is_not_shown_and_the_reads_are_few() -> None:
    first = awarded_round()
    service = first.round.activity.service
    with CaptureQueriesContext(connection) as queries:
        assert len(promised.service_promises(service)) == 1
    assert len(queries) <= 4
    Activity.objects.filter(pk=first.round.pk).update(state=ActivityState.DRAFT)
    assert promised.service_promises(service) == []


# --- On the service page: runs once apps.ready() registers the part -----------------------------


def test_the_service_page_shows_what_was_promised(client: Client) -> None:
    scenario = awarded_round()
    service = scenario.round.activity.service
    page = client.get(reverse("services:detail", args=[service.slug])).content.decode()
    assert "What providers promised and what is delivered" in page
    assert "12 local young people employed" in page
