"""The staff pages of the outcomes framework: who may use them, the framework page, outcomes with
what people said, indicators, values one by one and from a CSV file, and the staff service page's
part."""

from __future__ import annotations

import datetime as dt
import html
import re
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from coproduce.accounts.tests.factories import UserFactory, client_for
from coproduce.contributions import actions as spine
from coproduce.contributions.kinds import get_kind
from coproduce.contributions.models import Contribution
from coproduce.outcomes import actions, queries
from coproduce.outcomes.models import Direction, Frequency, Indicator, Measurement, Outcome, Pillar
from coproduce.outcomes.tests.factories import (
    keeper_of,
    make_check_indicator,
    make_indicator,
    make_outcome,
)
from coproduce.services.models import ActivityKind, ActivityState, Service, ServiceStatus
from coproduce.services.tests.factories import ActivityFactory, ServiceFactory

pytestmark = pytest.mark.django_db


def _page(response: Any) -> str:
    return html.unescape(response.content.decode())


def said(service: Service, title: str) -> Contribution:
    """A published idea in an idea challenge of the service (the spine's kinds, with their own
    row, as the contributions tests make them: this app may not import the method apps)."""
    activity = ActivityFactory(
        service=service, kind=ActivityKind.IDEA_CHALLENGE, state=ActivityState.OPEN
    )
    contribution = spine.contribution_start(
        activity=activity, kind="idea", author=UserFactory(), text=title
    )
    row: Any = Contribution._meta.get_field(get_kind("idea").detail).related_model
    row._default_manager.create(
        contribution=contribution, title=title, description=f"In their words: {title}."
    )
    return contribution


def _date(name: str, day: dt.date | None) -> dict[str, str]:
    """A GOV.UK date input as a browser sends it."""
    if day is None:
        return {f"{name}_day": "", f"{name}_month": "", f"{name}_year": ""}
    return {
        f"{name}_day": str(day.day),
        f"{name}_month": str(day.month),
        f"{name}_year": str(day.year),
    }


def _indicator_post(**extra: Any) -> dict[str, Any]:
    today = timezone.localdate()
    data: dict[str, Any] = {
        "name": "Homes with working heating",
        "name_cy": "",
        "pillar": Pillar.ENVIRONMENTAL,
        "unit": "%",
        "direction": Direction.HIGHER,
        "baseline": "61.5",
        **_date("baseline_on", today - dt.timedelta(days=100)),
        "target": "90",
        **_date("target_on", today + dt.timedelta(days=700)),
        "data_source": "Repairs records",
        "frequency": Frequency.MONTHLY,
        "check_question": "",
        "check_question_cy": "",
    }
    data.update(extra)
    return data


@pytest.fixture
def service() -> Service:
    return ServiceFactory(name="Warm homes")


@pytest.fixture
def keeper(service: Service) -> Any:
    return keeper_of(service)


@pytest.fixture
def outcome(service: Service, keeper: Any) -> Outcome:
    return make_outcome(service, keeper)


@pytest.fixture
def indicator(outcome: Outcome, keeper: Any) -> Indicator:
    return make_indicator(outcome, keeper)


@pytest.fixture
def checked(outcome: Outcome, keeper: Any) -> Indicator:
    return make_check_indicator(outcome, keeper)


# --- Who may use the pages ---------------------------------------------------------------------


def _pages(service: Service, outcome: Outcome, indicator: Indicator, checked: Indicator) -> list:
    return [
        reverse("outcomes:manage", args=[service.slug]),
        reverse("outcomes:outcome_create", args=[service.slug]),
        reverse("outcomes:measurements_import", args=[service.slug]),
        reverse("outcomes:outcome_edit", args=[outcome.pk]),
        reverse("outcomes:indicator_create", args=[outcome.pk]),
        reverse("outcomes:indicator_edit", args=[indicator.pk]),
        reverse("outcomes:measurement_add", args=[indicator.pk]),
        reverse("outcomes:measurement_add", args=[checked.pk]),
    ]


def test_each_page_serves_the_keepers_and_refuses_everyone_else(
    service: Service, keeper: Any, outcome: Outcome, indicator: Indicator, checked: Indicator
) -> None:
    other_service = ServiceFactory()
    staff, resident = client_for(keeper), client_for(UserFactory())
    other = client_for(keeper_of(other_service))  # a professional of another organisation
    for url in _pages(service, outcome, indicator, checked):
        assert staff.get(url).status_code == 200, url
        assert resident.get(url).status_code == 403, url
        assert other.get(url).status_code == 403, url
        assert Client().get(url)["Location"].startswith(reverse("account_login")), url
    posted = reverse("outcomes:outcome_create", args=[service.slug])
    assert other.post(posted, {"title": "Not theirs"}).status_code == 403
    assert resident.post(posted, {"title": "Not theirs"}).status_code == 403
    assert list(Outcome.objects.all()) == [outcome]


def test_a_draft_services_framework_is_hidden_from_other_organisations() -> None:
    service = ServiceFactory(status=ServiceStatus.DRAFT)
    keeper = keeper_of(service)
    outcome = make_outcome(service, keeper)
    indicator = make_indicator(outcome, keeper)
    checked = make_check_indicator(outcome, keeper)
    other = client_for(keeper_of(ServiceFactory()))
    resident = client_for(UserFactory())
    for url in _pages(service, outcome, indicator, checked):
        assert other.get(url).status_code == 404, url
        assert resident.get(url).status_code == 404, url
        assert client_for(keeper).get(url).status_code == 200, url


# --- The framework page ------------------------------------------------------------------------


def test_the_framework_page_shows_each_indicator_with_its_id_latest_value_and_status(
    service: Service, keeper: Any, outcome: Outcome, indicator: Indicator, checked: Indicator
) -> None:
    day = timezone.localdate() - dt.timedelta(days=3)
    actions.measurement_record(indicator=indicator, by=keeper, measured_on=day, value=Decimal(58))
    page = _page(client_for(keeper).get(reverse("outcomes:manage", args=[service.slug])))
    assert f"Outcomes framework: {service.name}" in page
    assert outcome.title in page
    assert reverse("outcomes:outcome_edit", args=[outcome.pk]) in page
    assert "Id (for CSV files)" in page
    [row] = queries.framework(service)
    for reading in row.readings:
        shown = reading.indicator
        assert f'<td class="govuk-table__cell">{shown.pk}</td>' in page
        assert shown.name in page
        assert str(shown.get_pillar_display()) in page
        assert str(reading.status.label) in page
        assert reverse("outcomes:indicator_edit", args=[shown.pk]) in page
    assert '<td class="govuk-table__cell">58<br>' in page
    assert day.strftime("%B %Y") in page
    assert str(queries.STATUS_RULE) in page
    assert page.count("Reported by residents") == 1
    assert reverse("outcomes:measurement_add", args=[indicator.pk]) in page
    assert reverse("outcomes:measurement_add", args=[checked.pk]) not in page
    for name in ("outcome_create", "measurements_import", "service_outcomes"):
        assert reverse(f"outcomes:{name}", args=[service.slug]) in page
    assert reverse("outcomes:indicator_create", args=[outcome.pk]) in page


def test_a_service_without_a_framework_says_how_to_start(service: Service, keeper: Any) -> None:
    page = _page(client_for(keeper).get(reverse("outcomes:manage", args=[service.slug])))
    assert "no outcomes framework yet" in page
    assert reverse("outcomes:outcome_create", args=[service.slug]) in page
    assert "<table" not in page


def test_the_staff_service_page_links_to_the_framework(
    service: Service, keeper: Any, outcome: Outcome, indicator: Indicator, checked: Indicator
) -> None:
    url = reverse("services:staff_service", args=[service.slug])
    page = _page(client_for(keeper).get(url))
    assert "Outcomes</h2>" in page
    assert "1 outcome, 2 indicators" in page
    assert reverse("outcomes:manage", args=[service.slug]) in page
    empty = ServiceFactory()
    page = _page(
        client_for(keeper_of(empty)).get(reverse("services:staff_service", args=[empty.slug]))
    )
    assert "No outcomes framework yet" in page


# --- Outcomes ----------------------------------------------------------------------------------


def test_an_outcome_is_added_with_what_people_said(service: Service, keeper: Any) -> None:
    heating, damp = said(service, "Fix the heating before winter"), said(service, "Damp walls")
    elsewhere = said(ServiceFactory(), "Somewhere else entirely")
    client = client_for(keeper)
    url = reverse("outcomes:outcome_create", args=[service.slug])
    page = _page(client.get(url))
    assert "What people told us" in page
    assert "Idea: Fix the heating before winter – In their words" in page
    assert page.index("Damp walls") < page.index("Fix the heating")  # newest first
    assert "Somewhere else entirely" not in page
    assert f'value="{elsewhere.pk}"' not in page
    response = client.post(
        url,
        {
            "title": "Everyone is warm at home",
            "title_cy": "Mae pawb yn gynnes gartref",
            "description": "No one chooses between heating and eating.",
            "description_cy": "",
            "sources": [heating.pk],
        },
    )
    assert response["Location"] == reverse("outcomes:manage", args=[service.slug])
    outcome = Outcome.objects.get()
    assert (outcome.title, outcome.title_cy) == (
        "Everyone is warm at home",
        "Mae pawb yn gynnes gartref",
    )
    assert list(outcome.sources.all()) == [heating]
    assert damp not in outcome.sources.all()


@pytest.mark.parametrize("wrong", ["other", "99999999999999999999", "abc"])
def test_an_outcome_refuses_a_contribution_of_another_service(
    service: Service, keeper: Any, wrong: str
) -> None:
    mine = said(service, "Fix the heating")
    theirs = said(ServiceFactory(), "Not this service")
    source = str(theirs.pk) if wrong == "other" else wrong
    response = client_for(keeper).post(
        reverse("outcomes:outcome_create", args=[service.slug]),
        {"title": "Everyone is warm", "sources": [str(mine.pk), source]},
    )
    assert response.status_code == 200
    page = _page(response)
    assert "There is a problem" in page
    assert "Choose only contributions made to this service." in page
    assert not Outcome.objects.exists()


def test_an_outcome_is_changed_and_keeps_its_sources_in_the_form(
    service: Service, keeper: Any
) -> None:
    heating, damp = said(service, "Fix the heating"), said(service, "Damp walls")
    outcome = make_outcome(service, keeper, sources=[heating])
    client = client_for(keeper)
    url = reverse("outcomes:outcome_edit", args=[outcome.pk])
    page = _page(client.get(url))
    assert f'value="{heating.pk}" checked' in page
    assert f'value="{damp.pk}" checked' not in page
    response = client.post(url, {"title": "Warm and dry homes", "sources": [damp.pk]})
    assert response.status_code == 302
    outcome.refresh_from_db()
    assert outcome.title == "Warm and dry homes"
    assert list(outcome.sources.all()) == [damp]
    response = client.post(url, {"title": "", "sources": [damp.pk]})
    assert response.status_code == 200
    assert "Write the outcome." in _page(response)
    outcome.refresh_from_db()
    assert outcome.title == "Warm and dry homes"


# --- Indicators --------------------------------------------------------------------------------


def test_an_indicator_is_added_with_every_field(outcome: Outcome, keeper: Any) -> None:
    client = client_for(keeper)
    url = reverse("outcomes:indicator_create", args=[outcome.pk])
    page = _page(client.get(url))
    assert 'inputmode="decimal"' in page
    assert 'name="baseline_on_day"' in page
    assert 'name="target_on_year"' in page
    assert 'type="radio"' in page
    assert "Residents answer from 1 (worst) to 5 (best)" in page
    assert f"fewer than {actions.min_check_answers()} answers" in page
    post = _indicator_post(name_cy="Cartrefi â gwres", check_question="")
    response = client.post(url, post)
    assert response["Location"] == reverse("outcomes:manage", args=[outcome.service.slug])
    indicator = Indicator.objects.get()
    assert indicator.outcome == outcome
    assert (indicator.name, indicator.name_cy) == (post["name"], "Cartrefi â gwres")
    assert (indicator.pillar, indicator.direction, indicator.frequency) == (
        post["pillar"],
        post["direction"],
        post["frequency"],
    )
    assert indicator.baseline == Decimal(post["baseline"])
    assert indicator.target == Decimal(post["target"])
    assert indicator.baseline_on.day == int(post["baseline_on_day"])
    assert indicator.target_on.year == int(post["target_on_year"])
    assert not indicator.reported_by_residents


def test_an_indicator_residents_report_is_added_with_its_question(
    outcome: Outcome, keeper: Any
) -> None:
    post = _indicator_post(
        baseline="2.5",
        target="4",
        check_question="How warm was your home this month?",
        check_question_cy="Pa mor gynnes oedd eich cartref y mis hwn?",
    )
    client_for(keeper).post(reverse("outcomes:indicator_create", args=[outcome.pk]), post)
    indicator = Indicator.objects.get()
    assert indicator.reported_by_residents
    assert indicator.check_question_cy == post["check_question_cy"]


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"baseline_on_month": "13"}, "baseline_on", "must be a real date"),
        ({"target_on_year": ""}, "target_on", "must include a year"),
        ({"target": "50", "baseline": "61.5"}, "target", "must be better than the baseline"),
        ({"direction": Direction.LOWER}, "target", "must be better than the baseline"),
        ({"baseline": "sixty"}, "baseline", "Enter the baseline as a number"),
        ({"target": "1.234"}, "target", "at most 2 decimal places"),
        ({"pillar": "spiritual"}, "pillar", "Select a valid choice"),
        ({"check_question": "How warm?"}, "baseline", "Residents answer from 1 to 5"),
    ],
)
def test_an_indicator_with_mistakes_comes_back_with_them_and_saves_nothing(
    outcome: Outcome, keeper: Any, change: dict[str, str], field: str, message: str
) -> None:
    response = client_for(keeper).post(
        reverse("outcomes:indicator_create", args=[outcome.pk]), _indicator_post(**change)
    )
    assert response.status_code == 200
    page = _page(response)
    assert "There is a problem" in page
    assert message in page
    form = response.context["form"]
    assert field in form.errors
    assert not Indicator.objects.exists()


def test_the_target_date_must_come_after_the_baseline_date(outcome: Outcome, keeper: Any) -> None:
    today = timezone.localdate()
    post = _indicator_post(
        **_date("baseline_on", today - dt.timedelta(days=10)),
        **_date("target_on", today - dt.timedelta(days=20)),
    )
    response = client_for(keeper).post(
        reverse("outcomes:indicator_create", args=[outcome.pk]), post
    )
    assert response.status_code == 200
    assert "target_on" in response.context["form"].errors
    assert not Indicator.objects.exists()


def test_an_indicator_is_changed_and_who_reports_it_stays_once_it_has_values(
    indicator: Indicator, keeper: Any
) -> None:
    client = client_for(keeper)
    url = reverse("outcomes:indicator_edit", args=[indicator.pk])
    page = _page(client.get(url))
    assert f'value="{indicator.name}"' in page
    assert f'value="{indicator.baseline_on.day}"' in page
    post = _indicator_post(name="Homes warm enough", unit="homes")
    assert client.post(url, post).status_code == 302
    indicator.refresh_from_db()
    assert (indicator.name, indicator.unit) == ("Homes warm enough", "homes")
    actions.measurement_record(
        indicator=indicator, by=keeper, measured_on=timezone.localdate(), value=Decimal(70)
    )
    response = client.post(url, {**post, "baseline": "2", "target": "4", "check_question": "Warm?"})
    assert response.status_code == 200
    assert "who reports it cannot change" in _page(response)
    indicator.refresh_from_db()
    assert not indicator.reported_by_residents
    assert indicator.baseline == Decimal("61.5")


FIXED = (
    "Residents have answered this question, so it and how often it is asked cannot change. Add a "
    "new indicator instead."
)


def _input(page: str, name: str) -> list[str]:
    """The input tags named ``name`` (a text input, or each radio)."""
    return re.findall(rf'<input[^>]*name="{name}"[^>]*>', page)


def _check_post(checked: Indicator, **extra: Any) -> dict[str, Any]:
    """The edit form of the ``checked`` fixture as a browser sends it."""
    fields: dict[str, Any] = {
        "name": checked.name,
        "unit": checked.unit,
        "baseline": "2.5",
        "target": "4",
        "frequency": checked.frequency,
        "check_question": checked.check_question,
        **extra,
    }
    return _indicator_post(**fields)


def test_the_check_and_how_often_it_is_asked_are_shown_fixed_once_residents_answer(
    checked: Indicator, keeper: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(keeper)
    url = reverse("outcomes:indicator_edit", args=[checked.pk])
    page = _page(client.get(url))
    assert not any(
        "disabled" in tag for name in ("check_question", "frequency") for tag in _input(page, name)
    )
    assert FIXED not in page
    with django_capture_on_commit_callbacks(execute=True):
        actions.check_answer(indicator=checked, respondent=UserFactory(), rating=4)
    page = _page(client.get(url))
    for name in ("check_question", "frequency"):
        tags = _input(page, name)
        assert tags
        assert all(" disabled" in tag for tag in tags), tags
    assert 'value="How easy was it to get an appointment?"' in _input(page, "check_question")[0]
    assert page.count(FIXED) == 2  # each fixed field says why
    assert "write or correct the Welsh only so that it asks the same as the English" in page
    assert [" checked" in tag for tag in _input(page, "frequency")] == [True, False, False]
    assert not any("disabled" in tag for tag in _input(page, "check_question_cy"))
    assert not any("disabled" in tag for tag in _input(page, "name"))
    # A browser sends no disabled field: the rest is saved, the question and frequency kept.
    post = _check_post(checked, name="Easy to get an appointment", check_question_cy="Hawdd?")
    del post["check_question"], post["frequency"]
    assert client.post(url, post).status_code == 302
    checked.refresh_from_db()
    assert (checked.name, checked.check_question_cy) == ("Easy to get an appointment", "Hawdd?")
    assert (checked.frequency, checked.check_question) == (
        Frequency.MONTHLY,
        "How easy was it to get an appointment?",
    )
    # A page loaded before residents answered sends them: unchanged, the rest is saved too.
    assert client.post(url, _check_post(checked, unit="out of 5")).status_code == 302
    checked.refresh_from_db()
    assert checked.unit == "out of 5"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"frequency": Frequency.QUARTERLY}, "frequency"),
        ({"check_question": "How hard was it to get an appointment?"}, "check_question"),
    ],
)
def test_a_page_loaded_before_residents_answered_changes_neither(
    checked: Indicator,
    keeper: Any,
    django_capture_on_commit_callbacks: Any,
    change: dict[str, str],
    field: str,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        actions.check_answer(indicator=checked, respondent=UserFactory(), rating=4)
    url = reverse("outcomes:indicator_edit", args=[checked.pk])
    response = client_for(keeper).post(url, _check_post(checked, name="Renamed", **change))
    assert response.status_code == 200
    assert response.context["form"].errors == {field: [FIXED]}
    checked.refresh_from_db()
    assert checked.name != "Renamed"
    assert (checked.frequency, checked.check_question) == (
        Frequency.MONTHLY,
        "How easy was it to get an appointment?",
    )


# --- Values ------------------------------------------------------------------------------------


def test_a_value_is_recorded(indicator: Indicator, keeper: Any) -> None:
    client = client_for(keeper)
    url = reverse("outcomes:measurement_add", args=[indicator.pk])
    page = _page(client.get(url))
    assert 'inputmode="decimal"' in page
    assert 'name="measured_on_day"' in page
    assert indicator.unit in page
    day = timezone.localdate() - dt.timedelta(days=1)
    response = client.post(url, {**_date("measured_on", day), "value": "47.25", "note": "Winter"})
    assert response["Location"] == reverse("outcomes:manage", args=[indicator.outcome.service.slug])
    measurement = Measurement.objects.get()
    assert (measurement.indicator, measurement.measured_on) == (indicator, day)
    assert (measurement.value, measurement.note, measurement.recorded_by) == (
        Decimal("47.25"),
        "Winter",
        keeper,
    )


@pytest.mark.parametrize(
    ("day", "value", "message"),
    [
        (-1, "lots", "Enter the value as a number"),
        (-1, "", "Enter the value."),
        (5, "40", "must be today or in the past"),
        (None, "40", "Enter the date of the value."),
        (-7, "40", "There is already a value for this date"),
    ],
)
def test_a_value_with_mistakes_comes_back_with_them_and_saves_nothing(
    indicator: Indicator, keeper: Any, day: int | None, value: str, message: str
) -> None:
    taken = timezone.localdate() - dt.timedelta(days=7)
    actions.measurement_record(indicator=indicator, by=keeper, measured_on=taken, value=Decimal(1))
    when = None if day is None else timezone.localdate() + dt.timedelta(days=day)
    response = client_for(keeper).post(
        reverse("outcomes:measurement_add", args=[indicator.pk]),
        {**_date("measured_on", when), "value": value},
    )
    assert response.status_code == 200
    page = _page(response)
    assert "There is a problem" in page
    assert message in page
    assert Measurement.objects.count() == 1


def test_a_value_of_an_indicator_residents_report_is_refused(
    checked: Indicator, keeper: Any
) -> None:
    client = client_for(keeper)
    url = reverse("outcomes:measurement_add", args=[checked.pk])
    page = _page(client.get(url))
    assert "Residents report this indicator" in page
    assert checked.check_question in page
    assert 'name="value"' not in page
    day = timezone.localdate() - dt.timedelta(days=1)
    response = client.post(url, {**_date("measured_on", day), "value": "3"})
    assert response.status_code == 200
    assert not Measurement.objects.exists()


# --- Import ------------------------------------------------------------------------------------


def _csv(*lines: str) -> str:
    return "indicator,date,value,note\n" + "".join(f"{line}\n" for line in lines)


def test_the_import_page_explains_the_columns_with_the_services_ids(
    service: Service, keeper: Any, indicator: Indicator
) -> None:
    page = _page(
        client_for(keeper).get(reverse("outcomes:measurements_import", args=[service.slug]))
    )
    for column in ("indicator", "date", "value", "note"):
        assert f'<dt class="govuk-summary-list__key">{column}</dt>' in page
    assert f"{indicator.pk},2026-03-31,42," in page
    assert 'type="file"' in page
    assert 'name="text"' in page


def test_pasted_values_are_imported(service: Service, keeper: Any, indicator: Indicator) -> None:
    days = [timezone.localdate() - dt.timedelta(days=n) for n in (60, 30)]
    text = _csv(f"{indicator.pk},{days[0]},45,", f"{indicator.pk},{days[1]},48.5,Winter")
    client = client_for(keeper)
    response = client.post(
        reverse("outcomes:measurements_import", args=[service.slug]), {"text": text}
    )
    assert response["Location"] == reverse("outcomes:manage", args=[service.slug])
    assert "Imported 2 values." in _page(client.get(response["Location"]))
    assert sorted(Measurement.objects.values_list("measured_on", "value")) == [
        (days[0], Decimal(45)),
        (days[1], Decimal("48.5")),
    ]


def test_an_uploaded_file_saved_with_a_byte_order_mark_is_imported(
    service: Service, keeper: Any, indicator: Indicator
) -> None:
    day = timezone.localdate() - dt.timedelta(days=30)
    data = ("\ufeff" + _csv(f"{indicator.pk},{day},52,Excel")).encode("utf-8")
    upload = SimpleUploadedFile("values.csv", data, content_type="text/csv")
    response = client_for(keeper).post(
        reverse("outcomes:measurements_import", args=[service.slug]), {"upload": upload, "text": ""}
    )
    assert response.status_code == 302
    assert list(Measurement.objects.values_list("measured_on", "value", "note")) == [
        (day, Decimal(52), "Excel")
    ]


def test_an_import_with_mistakes_names_every_line_and_imports_nothing(
    service: Service, keeper: Any, indicator: Indicator
) -> None:
    day = timezone.localdate() - dt.timedelta(days=30)
    text = _csv(
        f"{indicator.pk},{day},45,",
        f"{indicator.pk},{day - dt.timedelta(days=1)},a lot,",  # line 3
        f"{indicator.pk},{day - dt.timedelta(days=2)},46,",
        f"{indicator.pk},31/12/2025,47,",  # line 5
    )
    response = client_for(keeper).post(
        reverse("outcomes:measurements_import", args=[service.slug]), {"text": text}
    )
    assert response.status_code == 200
    page = _page(response)
    summary = page[
        page.index("govuk-error-summary") : page.index("</ul>", page.index("govuk-error-summary"))
    ]
    assert "line 3:" in summary
    assert "line 5:" in summary
    assert "line 2:" not in summary
    assert "line 4:" not in summary
    assert not Measurement.objects.exists()


@pytest.mark.parametrize(
    ("post", "message"),
    [
        ({"text": ""}, "Paste the table or choose a CSV file."),
        (
            {
                "upload": SimpleUploadedFile(
                    "v.csv", "indicator,date,value\n1,2026-01-01,£5\n".encode("cp1252")
                )
            },
            "saved as UTF-8",
        ),
        ({"text": "what,when\n1,2\n"}, "line 1: the columns must be"),
    ],
)
def test_an_unreadable_table_is_explained(
    service: Service, keeper: Any, indicator: Indicator, post: dict[str, Any], message: str
) -> None:
    response = client_for(keeper).post(
        reverse("outcomes:measurements_import", args=[service.slug]), post
    )
    assert response.status_code == 200
    assert message in _page(response)
    assert not Measurement.objects.exists()
