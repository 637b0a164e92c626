"""The writes of the outcomes framework: outcomes and indicators, measurements entered and
imported (all or nothing, problems by line), and residents' checks with the small-sample rule."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from coproduce.accounts.models import User
from coproduce.accounts.tests.factories import UserFactory
from coproduce.contributions.models import Contribution, Visibility
from coproduce.organisations.models import Role
from coproduce.outcomes import actions, rules
from coproduce.outcomes.models import (
    CheckAnswer,
    Direction,
    Frequency,
    Indicator,
    Measurement,
    Source,
)
from coproduce.outcomes.periods import period_end
from coproduce.outcomes.tests.factories import (
    check_fields,
    indicator_fields,
    keeper_of,
    make_check_indicator,
    make_indicator,
    make_outcome,
)
from coproduce.services.models import Service, ServiceStatus
from coproduce.services.tests.factories import ActivityFactory, ServiceFactory

pytestmark = pytest.mark.django_db


def said(service: Service, visibility: str = Visibility.PUBLISHED) -> Contribution:
    """Something a resident said in one of the service's activities."""
    activity = ActivityFactory(service=service)
    return Contribution.objects.create(
        activity=activity, kind="need", author=UserFactory(), visibility=visibility
    )


def test_an_outcome_keeps_what_people_said_in_its_own_service_only() -> None:
    service = ServiceFactory()
    keeper = keeper_of(service)
    need = said(service)
    outcome = make_outcome(service, keeper, sources=[need])
    assert list(outcome.sources.all()) == [need]
    for wrong in (said(ServiceFactory()), said(service, Visibility.PENDING)):
        with pytest.raises(ValidationError) as error:
            actions.outcome_update(outcome=outcome, by=keeper, title="Changed", sources=[wrong])
        assert "sources" in error.value.message_dict
    outcome.refresh_from_db()
    assert outcome.title != "Changed"
    assert list(outcome.sources.all()) == [need]


def test_only_the_services_administrators_and_professionals_keep_its_outcomes() -> None:
    service = ServiceFactory()
    with pytest.raises(PermissionDenied):
        make_outcome(service, keeper_of(service, Role.FACILITATOR))
    with pytest.raises(PermissionDenied):
        make_outcome(service, keeper_of(ServiceFactory()))
    outcome = make_outcome(service, keeper_of(service, Role.ADMIN))
    with pytest.raises(PermissionDenied):
        make_indicator(outcome, UserFactory())


def test_welsh_needs_the_english_beside_it() -> None:
    service = ServiceFactory()
    with pytest.raises(ValidationError) as error:
        make_outcome(service, keeper_of(service), description="", description_cy="Yn Gymraeg")
    assert "description_cy" in error.value.message_dict


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"target": Decimal("30")}, "target"),  # worse than the baseline of 40
        ({"target": Decimal("40")}, "target"),  # no change at all
        ({"direction": Direction.LOWER}, "target"),  # 70 is worse when lower is better
        ({"target_on": dt.date(2000, 1, 1)}, "target_on"),
        ({"pillar": "spiritual"}, "pillar"),
        ({"frequency": "hourly"}, "frequency"),
        ({"check_question": "How was it?", "target": Decimal("70")}, "baseline"),  # not 1–5
    ],
)
def test_an_indicator_is_refused_field_by_field(change: dict[str, Any], field: str) -> None:
    service = ServiceFactory()
    keeper = keeper_of(service)
    outcome = make_outcome(service, keeper)
    with pytest.raises(ValidationError) as error:
        make_indicator(outcome, keeper, **change)
    assert field in error.value.message_dict
    assert not outcome.indicators.exists()


def test_who_reports_an_indicator_cannot_change_once_it_has_values() -> None:
    service = ServiceFactory()
    keeper = keeper_of(service)
    indicator = make_indicator(make_outcome(service, keeper), keeper)
    actions.measurement_record(
        indicator=indicator, by=keeper, measured_on=timezone.localdate(), value=Decimal(45)
    )
    residents = indicator_fields(
        check_question="How was it?", baseline=Decimal(2), target=Decimal(4)
    )
    with pytest.raises(ValidationError) as error:
        actions.indicator_update(indicator=indicator, by=keeper, fields=residents)
    assert "check_question" in error.value.message_dict
    renamed = indicator_fields(name="Seen within a month")
    assert actions.indicator_update(indicator=indicator, by=keeper, fields=renamed).name == (
        "Seen within a month"
    )


FIXED = (
    "Residents have answered this question, so it and how often it is asked cannot change. Add a "
    "new indicator instead."
)


def _answered(capture: Any) -> tuple[User, Indicator]:
    """A residents' check of a new service that one resident has answered, and its keeper."""
    service = ServiceFactory()
    keeper = keeper_of(service)
    indicator = make_check_indicator(make_outcome(service, keeper), keeper)
    with capture(execute=True):
        actions.check_answer(indicator=indicator, respondent=UserFactory(), rating=4)
    return keeper, indicator


def test_the_check_and_how_often_it_is_asked_change_until_residents_answer() -> None:
    service = ServiceFactory()
    keeper = keeper_of(service)
    indicator = make_check_indicator(make_outcome(service, keeper), keeper)
    assert rules.check_may_change(indicator)
    changed = check_fields(frequency=Frequency.QUARTERLY, check_question="Was it easy?")
    actions.indicator_update(indicator=indicator, by=keeper, fields=changed)
    indicator.refresh_from_db()
    assert (indicator.frequency, indicator.check_question) == ("quarterly", "Was it easy?")


@pytest.mark.parametrize(
    ("change", "fields"),
    [
        ({"frequency": Frequency.QUARTERLY}, ["frequency"]),
        ({"frequency": Frequency.YEARLY}, ["frequency"]),
        ({"check_question": "How hard was it to get an appointment?"}, ["check_question"]),
        (
            {"check_question": "Was it hard?", "frequency": Frequency.YEARLY},
            ["check_question", "frequency"],
        ),
    ],
)
def test_the_check_and_how_often_it_is_asked_are_fixed_once_residents_answer(
    change: dict[str, Any], fields: list[str], django_capture_on_commit_callbacks: Any
) -> None:
    keeper, indicator = _answered(django_capture_on_commit_callbacks)
    assert not rules.check_may_change(indicator)
    with pytest.raises(ValidationError) as error:
        actions.indicator_update(indicator=indicator, by=keeper, fields=check_fields(**change))
    assert sorted(error.value.message_dict) == fields
    assert error.value.message_dict[fields[0]] == [FIXED]
    indicator.refresh_from_db()
    assert indicator.frequency == Frequency.MONTHLY
    assert indicator.check_question == "How easy was it to get an appointment?"


def test_the_rest_of_an_answered_indicator_still_changes(
    django_capture_on_commit_callbacks: Any,
) -> None:
    keeper, indicator = _answered(django_capture_on_commit_callbacks)
    kept = check_fields(
        name="Easy to get an appointment",
        target=Decimal("4.5"),
        check_question="  How easy was it to get an appointment?  ",  # the same, as typed
        check_question_cy="Pa mor hawdd oedd cael apwyntiad?",  # the Welsh may be written
    )
    actions.indicator_update(indicator=indicator, by=keeper, fields=kept)
    indicator.refresh_from_db()
    assert (indicator.name, indicator.target) == ("Easy to get an appointment", Decimal("4.5"))
    assert indicator.check_question_cy == "Pa mor hawdd oedd cael apwyntiad?"
    assert indicator.frequency == Frequency.MONTHLY


def test_a_check_stays_fixed_when_only_the_value_made_from_its_answers_is_left(
    django_capture_on_commit_callbacks: Any,
) -> None:
    keeper, indicator = _answered(django_capture_on_commit_callbacks)
    CheckAnswer.objects.all().delete()  # as when the people who answered delete their accounts
    assert indicator.measurements.get().source == Source.RESIDENTS
    assert not rules.check_may_change(indicator)
    with pytest.raises(ValidationError) as error:  # nor may it stop being a check
        actions.indicator_update(
            indicator=indicator,
            by=keeper,
            fields=check_fields(check_question="", baseline=Decimal(40), target=Decimal(70)),
        )
    assert error.value.message_dict == {"check_question": [FIXED]}


def test_a_value_per_date_never_in_the_future_nor_for_a_residents_check() -> None:
    service = ServiceFactory()
    keeper = keeper_of(service)
    outcome = make_outcome(service, keeper)
    indicator = make_indicator(outcome, keeper)
    today = timezone.localdate()
    first = actions.measurement_record(
        indicator=indicator, by=keeper, measured_on=today, value=Decimal("45.678")
    )
    assert (first.value, first.source, first.cycle) == (Decimal("45.68"), Source.STAFF, 1)
    for day in (today, today + dt.timedelta(days=1)):
        with pytest.raises(ValidationError) as error:
            actions.measurement_record(
                indicator=indicator, by=keeper, measured_on=day, value=Decimal(1)
            )
        assert "measured_on" in error.value.message_dict
    checked = make_check_indicator(outcome, keeper)
    with pytest.raises(ValidationError):
        actions.measurement_record(
            indicator=checked, by=keeper, measured_on=today, value=Decimal(3)
        )
    assert Measurement.objects.count() == 1


def test_an_import_names_every_bad_line_and_adds_nothing() -> None:
    service = ServiceFactory()
    keeper = keeper_of(service)
    outcome = make_outcome(service, keeper)
    indicator = make_indicator(outcome, keeper)
    checked = make_check_indicator(outcome, keeper)
    other = ServiceFactory()
    elsewhere = make_indicator(make_outcome(other, keeper_of(other)), keeper_of(other))
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    text = (
        "Indicator,Date,Value,Note\n"
        f"{indicator.pk},2026-01-31,41,from the referral system\n"  # line 2: fine
        f"{indicator.pk},31/02/2026,42,\n"  # line 3: not a date
        f"{indicator.pk},2026-02-28,lots,\n"  # line 4: not a number
        f"{indicator.pk},2026-01-31,43,\n"  # line 5: the date of line 2 again
        f"{checked.pk},2026-01-31,3,\n"  # line 6: residents report it
        f"{elsewhere.pk},2026-01-31,3,\n"  # line 7: another service's indicator
        f"{indicator.pk},{tomorrow},44,\n"  # line 8: the future
        "\n"
        f'{indicator.pk},2026-03-31,"1,234.5",\n'  # line 10: fine, with a thousands comma
    )
    with pytest.raises(ValidationError) as error:
        actions.measurements_import(service=service, by=keeper, text=text, source="values.csv")
    messages = error.value.messages
    assert [m.split(":")[0] for m in messages] == [
        f"values.csv, line {n}" for n in (3, 4, 5, 6, 7, 8)
    ]
    assert "on line 2" in messages[2]
    assert not Measurement.objects.exists()
    good = (
        "indicator,date,value\n"
        + f"{indicator.pk},2026-01-31,41\n{indicator.pk},2026-03-31,1234.5\n"
    )
    assert actions.measurements_import(service=service, by=keeper, text=good, source="v.csv") == 2
    assert list(indicator.measurements.values_list("value", "source")) == [
        (Decimal("41.00"), Source.IMPORT),
        (Decimal("1234.50"), Source.IMPORT),
    ]
    with pytest.raises(ValidationError) as again:
        actions.measurements_import(service=service, by=keeper, text=good, source="v.csv")
    assert "already has a value" in again.value.messages[0]


@pytest.mark.parametrize("text", ["", "when,what\n2026-01-01,4\n", "indicator,date,value\n\n"])
def test_an_import_without_the_columns_or_rows_says_so(text: str) -> None:
    service = ServiceFactory()
    keeper = keeper_of(service)
    with pytest.raises(ValidationError) as error:
        actions.measurements_import(service=service, by=keeper, text=text, source="v.csv")
    assert error.value.messages[0].startswith("v.csv")


def test_residents_checks_become_a_value_only_with_enough_answers(
    settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.COPRODUCE_OUTCOMES_MIN_ANSWERS = 4
    service = ServiceFactory()
    keeper = keeper_of(service)
    indicator = make_check_indicator(make_outcome(service, keeper), keeper)
    people = UserFactory.create_batch(4)
    end = period_end(timezone.localdate(), indicator.frequency)
    with django_capture_on_commit_callbacks(execute=True):
        for person, rating in zip(people[:3], (1, 4, 5), strict=True):
            actions.check_answer(indicator=indicator, respondent=person, rating=rating)
    measurement = indicator.measurements.get()
    assert (measurement.measured_on, measurement.value, measurement.answers) == (end, None, 3)
    with django_capture_on_commit_callbacks(execute=True):
        actions.check_answer(indicator=indicator, respondent=people[3], rating=2)
        actions.check_answer(indicator=indicator, respondent=people[0], rating=3)  # changed
    measurement.refresh_from_db()
    assert (measurement.value, measurement.answers) == (Decimal("3.50"), 4)  # (3+4+5+2)/4
    assert CheckAnswer.objects.count() == 4
    # Recomputed whole: running it again changes nothing.
    actions.check_aggregate(indicator=indicator, period_end=end)
    assert indicator.measurements.get().value == Decimal("3.50")


def test_a_check_is_answered_signed_in_on_a_published_service_from_1_to_5() -> None:
    service = ServiceFactory()
    keeper = keeper_of(service)
    indicator = make_check_indicator(make_outcome(service, keeper), keeper)
    person = UserFactory()
    for rating in (0, 6):
        with pytest.raises(ValidationError):
            actions.check_answer(indicator=indicator, respondent=person, rating=rating)
    draft = ServiceFactory(status=ServiceStatus.DRAFT)
    hidden = make_check_indicator(make_outcome(draft, keeper_of(draft)), keeper_of(draft))
    with pytest.raises(PermissionDenied):
        actions.check_answer(indicator=hidden, respondent=person, rating=3)
    plain = make_indicator(indicator.outcome, keeper)
    with pytest.raises(PermissionDenied):
        actions.check_answer(indicator=plain, respondent=person, rating=3)
    assert not CheckAnswer.objects.exists()
