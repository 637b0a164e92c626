"""The outcomes API: the framework with each indicator's latest value and status, one indicator
with its measurements, staff recording a value, and residents answering an indicator's check."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.test import override_settings
from django.utils import timezone

from coproduce.accounts.actions import api_token_create
from coproduce.accounts.models import User
from coproduce.accounts.tests.factories import UserFactory
from coproduce.api import outcomes as api_outcomes
from coproduce.api.tests.client import Api, fields
from coproduce.contributions import actions as spine
from coproduce.insight.tests.factories import (
    StoryCollectionFactory,
    StoryFactory,
    approve,
    facilitator_of,
)
from coproduce.outcomes import actions
from coproduce.outcomes.models import (
    CheckAnswer,
    Direction,
    Frequency,
    Indicator,
    Measurement,
    Pillar,
    Source,
)
from coproduce.outcomes.periods import period_end
from coproduce.outcomes.queries import STATUS_RULE, Status
from coproduce.outcomes.tests.factories import (
    keeper_of,
    make_check_indicator,
    make_indicator,
    make_outcome,
)
from coproduce.services.models import Service, ServiceStatus
from coproduce.services.tests.factories import ServiceFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _api(user: User) -> Api:
    return Api(api_token_create(user=user, name="test")[1])


def _record(indicator: Indicator, by: User, days_ago: int, value: str) -> Measurement:
    return actions.measurement_record(
        indicator=indicator,
        by=by,
        measured_on=TODAY() - dt.timedelta(days=days_ago),
        value=Decimal(value),
    )


def _answers(indicator: Indicator, end: dt.date, ratings: list[int]) -> None:
    CheckAnswer.objects.bulk_create(
        CheckAnswer(indicator=indicator, period_end=end, rating=r, respondent=UserFactory())
        for r in ratings
    )
    actions.check_aggregate(indicator=indicator, period_end=end)


def _service(**extra: object) -> tuple[Service, User]:
    service = ServiceFactory(**extra)
    return service, keeper_of(service)


# --- The framework ------------------------------------------------------------------------------


def test_the_framework_shows_each_indicator_with_its_latest_value_and_status() -> None:
    service, keeper = _service()
    outcome = make_outcome(service, keeper)
    # 40 → 70 over two years, measured a year in: the line stands at 55 today.
    ahead = make_indicator(outcome, keeper)
    _record(ahead, keeper, 100, "45")
    _record(ahead, keeper, 0, "58.5")
    behind = make_indicator(outcome, keeper, name="Behind the line")
    _record(behind, keeper, 0, "50")
    worse = make_indicator(
        outcome,
        keeper,
        name="Staff travel",
        direction=Direction.LOWER,
        baseline=Decimal("10"),
        target=Decimal("4"),
        pillar=Pillar.ENVIRONMENTAL,
        unit="kg CO2e",
    )
    _record(worse, keeper, 0, "11")
    make_indicator(outcome, keeper, name="Not measured", pillar=Pillar.ECONOMIC)

    body = Api().get(f"/services/{service.slug}/outcomes").json()

    assert body["service"] == service.slug
    assert body["status_rule"] == str(STATUS_RULE)
    [shown] = body["outcomes"]
    assert shown["id"] == outcome.pk
    assert shown["title"] == outcome.title
    by_name = {item["name"]: item for item in shown["indicators"]}
    first = by_name[ahead.name]
    assert first["latest"] == {"measured_on": TODAY().isoformat(), "value": 58.5, "answers": None}
    assert first["status"] == "on_track"
    assert first["expected"] == pytest.approx(55, abs=0.1)
    assert first["baseline"] == 40
    assert first["target"] == 70
    assert first["pillar"] == "social"
    assert first["page"] == f"/outcomes/indicators/{ahead.pk}/"
    assert by_name["Behind the line"]["status"] == "at_risk"
    assert by_name["Staff travel"]["status"] == "off_track"
    assert by_name["Staff travel"]["direction"] == "lower"
    assert by_name["Not measured"]["status"] == "not_measured"
    assert by_name["Not measured"]["latest"] is None
    assert by_name["Not measured"]["status_on"] is None


def test_a_service_without_a_framework_has_no_outcomes() -> None:
    service, _keeper = _service()
    body = Api().get(f"/services/{service.slug}/outcomes").json()
    assert body["outcomes"] == []
    assert body["page"] == f"/services/{service.slug}/outcomes/"


def test_sources_are_the_published_contributions_only() -> None:
    service, keeper = _service()
    stories = StoryCollectionFactory(service=service)
    shown, later_hidden = (approve(StoryFactory(activity=stories).contribution) for _ in range(2))
    outcome = make_outcome(service, keeper, sources=[shown, later_hidden])
    spine.moderation_hide(contribution=later_hidden, moderator=facilitator_of(stories))

    [listed] = Api().get(f"/services/{service.slug}/outcomes").json()["outcomes"]

    assert listed["id"] == outcome.pk
    assert listed["sources"] == [shown.pk]


def test_a_draft_service_s_outcomes_are_seen_only_by_its_staff() -> None:
    service, keeper = _service(status=ServiceStatus.DRAFT)
    indicator = make_indicator(make_outcome(service, keeper), keeper)
    for path in (f"/services/{service.slug}/outcomes", f"/indicators/{indicator.pk}"):
        assert Api().get(path).status_code == 404
        assert _api(UserFactory()).get(path).status_code == 404
        assert _api(keeper).get(path).status_code == 200


def test_the_framework_takes_a_fixed_number_of_queries(django_assert_max_num_queries: Any) -> None:
    service, keeper = _service()
    for n in range(3):
        outcome = make_outcome(service, keeper, title=f"Outcome {n}")
        for m in range(3):
            _record(make_indicator(outcome, keeper, name=f"Indicator {n}.{m}"), keeper, m, "50")
    with django_assert_max_num_queries(8):
        response = Api().get(f"/services/{service.slug}/outcomes")
    assert len(response.json()["outcomes"]) == 3


# --- One indicator ------------------------------------------------------------------------------


@override_settings(COPRODUCE_OUTCOMES_MIN_ANSWERS=3)
def test_an_indicator_shows_every_measurement_and_too_few_answers_as_null() -> None:
    service, keeper = _service()
    indicator = make_check_indicator(make_outcome(service, keeper), keeper)
    earlier = period_end(TODAY() - dt.timedelta(days=70), Frequency.MONTHLY)
    later = period_end(TODAY() - dt.timedelta(days=35), Frequency.MONTHLY)
    _answers(indicator, earlier, [4, 4, 5])
    _answers(indicator, later, [1, 2])

    body = Api().get(f"/indicators/{indicator.pk}").json()

    assert body["measurements"] == [
        {
            "measured_on": earlier.isoformat(),
            "value": 4.33,
            "answers": 3,
            "source": "residents",
            "cycle": 1,
            "note": "",
        },
        {
            "measured_on": later.isoformat(),
            "value": None,
            "answers": 2,
            "source": "residents",
            "cycle": 1,
            "note": "",
        },
    ]
    # The latest measurement has too few answers: the status comes from the one before.
    assert body["latest"] == {"measured_on": later.isoformat(), "value": None, "answers": 2}
    assert body["status_on"] == earlier.isoformat()
    assert body["status"] == "on_track"  # 4.33 beats the line from 2.5 to 4 anywhere on it
    assert body["reported_by_residents"] is True
    assert body["check_question"] == indicator.check_question
    assert body["outcome_title"] == indicator.outcome.title


def test_an_unknown_indicator_is_404() -> None:
    assert Api().get("/indicators/999999").status_code == 404


# --- Recording a measurement --------------------------------------------------------------------


def test_a_keeper_records_a_value_rounded_to_two_decimals() -> None:
    service, keeper = _service()
    indicator = make_indicator(make_outcome(service, keeper), keeper)
    day = TODAY() - dt.timedelta(days=3)

    response = _api(keeper).post(
        f"/indicators/{indicator.pk}/measurements",
        {"measured_on": day.isoformat(), "value": 61.236, "note": " From the March report "},
    )

    assert response.status_code == 201, response.content
    assert response.json() == {
        "measured_on": day.isoformat(),
        "value": 61.24,
        "answers": None,
        "source": "staff",
        "cycle": service.current_cycle,
        "note": "From the March report",
    }
    stored = Measurement.objects.get(indicator=indicator)
    assert stored.value == Decimal("61.24")
    assert stored.recorded_by == keeper
    assert stored.source == Source.STAFF


def test_recording_refuses_what_the_rules_refuse() -> None:
    service, keeper = _service()
    outcome = make_outcome(service, keeper)
    indicator = make_indicator(outcome, keeper)
    checked = make_check_indicator(outcome, keeper)
    _record(indicator, keeper, 1, "50")
    client = _api(keeper)
    url = f"/indicators/{indicator.pk}/measurements"
    tomorrow = (TODAY() + dt.timedelta(days=1)).isoformat()
    yesterday = (TODAY() - dt.timedelta(days=1)).isoformat()

    for response in (
        client.post(url, {"measured_on": tomorrow, "value": 50}),
        client.post(url, {"measured_on": yesterday, "value": 51}),
        client.post(
            f"/indicators/{checked.pk}/measurements", {"measured_on": yesterday, "value": 3}
        ),
    ):
        assert fields(response) == {("body", "measured_on"): "rule"}
    assert fields(client.post(url, {"measured_on": yesterday, "value": "50"})) == {
        ("body", "value"): "float_type"
    }
    assert Measurement.objects.count() == 1


@pytest.mark.parametrize("who", ["resident", "facilitator", "other organisation"])
def test_only_those_who_keep_the_outcomes_record_values(who: str) -> None:
    from coproduce.organisations.models import Role
    from coproduce.organisations.tests.factories import MembershipFactory

    service, keeper = _service()
    indicator = make_indicator(make_outcome(service, keeper), keeper)
    person = UserFactory(mfa=True)
    if who == "facilitator":
        MembershipFactory(user=person, organisation=service.organisation, role=Role.FACILITATOR)
    elif who == "other organisation":
        MembershipFactory(user=person, role=Role.ADMIN)
    response = _api(person).post(
        f"/indicators/{indicator.pk}/measurements",
        {"measured_on": TODAY().isoformat(), "value": 50},
    )
    assert response.status_code == 403
    assert not Measurement.objects.exists()
    assert (
        Api()
        .post(
            f"/indicators/{indicator.pk}/measurements",
            {"measured_on": TODAY().isoformat(), "value": 50},
        )
        .status_code
        == 401
    )


# --- Residents' checks --------------------------------------------------------------------------


def test_a_resident_answers_a_check_and_a_second_answer_changes_it() -> None:
    service, keeper = _service()
    indicator = make_check_indicator(make_outcome(service, keeper), keeper)
    resident = _api(UserFactory())
    url = f"/indicators/{indicator.pk}/check"
    end = period_end(TODAY(), indicator.frequency).isoformat()

    before = resident.get(url).json()
    assert before["rating"] is None
    assert before["may_answer"] is True
    assert before["period_end"] == end
    assert before["question"] == indicator.check_question

    first = resident.put(url, {"rating": 2})
    assert first.status_code == 200, first.content
    assert first.json()["rating"] == 2
    assert resident.put(url, {"rating": 4.0}).json()["rating"] == 4
    assert resident.get(url).json()["rating"] == 4
    assert list(CheckAnswer.objects.values_list("rating", "period_end")) == [
        (4, dt.date.fromisoformat(end))
    ]


def test_checks_refuse_what_the_rules_refuse() -> None:
    service, keeper = _service()
    outcome = make_outcome(service, keeper)
    staff_measured = make_indicator(outcome, keeper)
    draft, draft_keeper = _service(status=ServiceStatus.DRAFT)
    draft_check = make_check_indicator(make_outcome(draft, draft_keeper), draft_keeper)
    resident = _api(UserFactory())

    assert fields(resident.put(f"/indicators/{staff_measured.pk}/check", {"rating": 3})) == {
        ("body",): "rule"
    }
    assert resident.get(f"/indicators/{staff_measured.pk}/check").json()["may_answer"] is False
    assert fields(_api(draft_keeper).put(f"/indicators/{draft_check.pk}/check", {"rating": 3})) == {
        ("body",): "rule"
    }
    assert resident.put(f"/indicators/{draft_check.pk}/check", {"rating": 3}).status_code == 404
    checked = make_check_indicator(outcome, keeper)
    for rating in (0, 6, "3", True):
        assert (
            resident.put(f"/indicators/{checked.pk}/check", {"rating": rating}).status_code == 422
        )
    assert Api().get(f"/indicators/{checked.pk}/check").status_code == 401
    assert Api().put(f"/indicators/{checked.pk}/check", {"rating": 3}).status_code == 401
    assert not CheckAnswer.objects.exists()


def test_the_schema_s_enums_are_the_models_choices() -> None:
    assert list(api_outcomes.IndicatorPillar) == Pillar.values
    assert list(api_outcomes.IndicatorDirection) == Direction.values
    assert list(api_outcomes.IndicatorFrequency) == Frequency.values
    assert list(api_outcomes.IndicatorStatus) == Status.values
    assert list(api_outcomes.MeasurementSource) == Source.values
