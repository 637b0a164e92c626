"""Standards feeding outcome indicators: linking a standard (by lineage) to an indicator of the
service, and recording a closed user assessment's results there — the results page's share, or no
value when too few rated; updated, never duplicated; never over a value from elsewhere
(decision 0090)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from coproduce.accounts.models import User
from coproduce.accounts.tests.factories import UserFactory, client_for
from coproduce.assessment import actions_assessments, actions_framework, actions_links
from coproduce.assessment.actions_assessments import Answer
from coproduce.assessment.models import Assessment, IndicatorLink, Standard
from coproduce.assessment.queries_assessments import results
from coproduce.assessment.tests.factories import make_framework, next_draft
from coproduce.outcomes import actions as outcomes_actions
from coproduce.outcomes.models import Indicator, Measurement, Source
from coproduce.outcomes.tests.factories import make_check_indicator, make_indicator, make_outcome
from coproduce.services import actions as services_actions
from coproduce.services.models import Activity, ActivityKind, ActivityState, Service
from coproduce.services.tests.factories import ActivityFactory, staff_of

pytestmark = pytest.mark.django_db

TITLE = "Passengers assess the scheme"
# The first standard's ratings: 3 of 7 said "Always" or "Mostly" (42.9 %, shown as 43 %), and one
# said "Does not apply". The second standard: 2 rated, too few to report.
FIRST = [5, 5, 4, 3, 3, 2, 1, None]
SECOND = [5, 4, None, None, None, None, None, None]
NOTE = f"From “{TITLE}”: “I can book a journey without help”"


def _today() -> dt.date:
    return timezone.localdate()


def _url(name: str, *args: Any) -> str:
    return reverse(f"assessment:{name}", args=list(args))


def _text(response: Any) -> str:
    return str(response.content.decode())


def _messages(response: Any) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def _standards(assessment: Assessment) -> list[Standard]:
    return list(Standard.objects.filter(version=assessment.version).order_by("position", "id"))


def _rated(activity: Activity, staff: User, **extra: Any) -> Assessment:
    """An open user assessment of the activity's service, rated by 8 people: FIRST and SECOND on
    its first two standards, "Always" on the others."""
    version = extra.get("version") or make_framework(activity.service, staff)
    assessment = actions_assessments.assessment_set_up(activity=activity, by=staff, version=version)
    standards = _standards(assessment)
    for first, second in zip(FIRST, SECOND, strict=True):
        ratings: dict[int, Answer] = {standard.pk: (5, "") for standard in standards[2:]}
        ratings[standards[0].pk] = (first, "")
        ratings[standards[1].pk] = (second, "")
        actions_assessments.response_save(
            assessment=assessment, person=UserFactory(), ratings=ratings, named=False
        )
    return assessment


def _close(assessment: Assessment, closes_on: dt.date | None) -> Assessment:
    activity = assessment.activity
    services_actions.activity_transition(activity=activity, to_state=ActivityState.CLOSED)
    Activity.objects.filter(pk=activity.pk).update(
        opens_on=_today() - dt.timedelta(days=60), closes_on=closes_on
    )
    return Assessment.objects.select_related("activity__service_stage__service").get(
        pk=assessment.pk
    )


def _closed(closes_on: dt.date | None = None) -> tuple[Assessment, User]:
    """A closed user assessment, closed yesterday unless told, and a member of its staff."""
    activity = ActivityFactory(kind=ActivityKind.ASSESSMENT, state=ActivityState.OPEN, title=TITLE)
    staff = staff_of(activity)
    assessment = _rated(activity, staff)
    day = closes_on if closes_on is not None else _today() - dt.timedelta(days=1)
    return _close(assessment, day), staff


def _indicator(service: Service, staff: User, **extra: Any) -> Indicator:
    outcome = make_outcome(service, staff, title="Passengers can rely on the scheme")
    fields = {"name": "Passengers who can book without help", "unit": "%", **extra}
    return make_indicator(outcome, staff, **fields)


def _link(assessment: Assessment, staff: User, index: int, indicator: Indicator) -> IndicatorLink:
    service = assessment.activity.service
    return actions_links.link_add(
        service=service, by=staff, standard=_standards(assessment)[index], indicator=indicator
    )


def _two_links(assessment: Assessment, staff: User) -> tuple[Indicator, Indicator]:
    service = assessment.activity.service
    first = _indicator(service, staff)
    second = _indicator(service, staff, name="Passengers who can book by phone or online")
    _link(assessment, staff, 0, first)
    _link(assessment, staff, 1, second)
    return first, second


# --- Linking --------------------------------------------------------------------------------------


def test_staff_link_a_standard_to_an_indicator_and_see_it_listed() -> None:
    assessment, staff = _closed()
    service = assessment.activity.service
    indicator = _indicator(service, staff)
    checked = make_check_indicator(make_outcome(service, staff), staff)
    client = client_for(staff)
    page = _text(client.get(_url("indicator_links", service.slug)))
    assert 'id="no-links"' in page
    assert "I can book a journey without help" in page
    assert f'value="{indicator.pk}"' in page
    assert checked.name not in page  # residents report it: not offered
    assert "unit is “%”" in page
    standard = _standards(assessment)[0]
    response = client.post(
        _url("indicator_links", service.slug),
        {"standard": str(standard.pk), "indicator": str(indicator.pk)},
    )
    assert response.status_code == 302
    assert _messages(response) == [
        "“I can book a journey without help” now feeds “Passengers who can book without help”."
    ]
    link = IndicatorLink.objects.get()
    assert (link.framework_id, link.lineage, link.indicator, link.created_by) == (
        service.pk,
        standard.lineage,
        indicator,
        staff,
    )
    page = _text(client.get(_url("indicator_links", service.slug)))
    assert f'id="link-{link.pk}"' in page
    assert _url("link_remove", link.pk) in page


def test_another_services_indicator_is_refused() -> None:
    assessment, staff = _closed()
    elsewhere = ActivityFactory(kind=ActivityKind.ASSESSMENT)
    foreign = _indicator(elsewhere.service, staff_of(elsewhere))
    with pytest.raises(ValidationError) as refused:
        _link(assessment, staff, 0, foreign)
    assert refused.value.message_dict == {
        "indicator": ["Choose an indicator of this service’s outcomes."]
    }
    # Sent from the page, it is not among the choices.
    service = assessment.activity.service
    _indicator(service, staff)
    response = client_for(staff).post(
        _url("indicator_links", service.slug),
        {"standard": str(_standards(assessment)[0].pk), "indicator": str(foreign.pk)},
    )
    assert response.status_code == 200
    assert "Choose one of this service’s outcome indicators." in _text(response)
    assert not IndicatorLink.objects.exists()


def test_an_indicator_residents_report_is_refused() -> None:
    assessment, staff = _closed()
    service = assessment.activity.service
    checked = make_check_indicator(make_outcome(service, staff), staff)
    with pytest.raises(ValidationError) as refused:
        _link(assessment, staff, 0, checked)
    assert refused.value.message_dict["indicator"] == [
        "Residents report “How easy it was to get an appointment” by answering its question, so "
        "a standard cannot feed it. Choose another indicator."
    ]


def test_the_same_link_twice_is_refused_with_a_clear_message() -> None:
    assessment, staff = _closed()
    service = assessment.activity.service
    indicator = _indicator(service, staff)
    _link(assessment, staff, 0, indicator)
    with pytest.raises(ValidationError) as refused:
        _link(assessment, staff, 0, indicator)
    message = (
        "“I can book a journey without help” already feeds “Passengers who can book without help”."
    )
    assert refused.value.message_dict == {"indicator": [message]}
    response = client_for(staff).post(
        _url("indicator_links", service.slug),
        {"standard": str(_standards(assessment)[0].pk), "indicator": str(indicator.pk)},
    )
    page = _text(response)
    assert response.status_code == 200
    assert "<title>Error:" in page
    assert "govuk-error-summary" in page
    assert message in page
    assert IndicatorLink.objects.count() == 1


def test_an_indicator_takes_one_standard_and_the_standard_comes_from_the_latest_version() -> None:
    assessment, staff = _closed()
    indicator = _indicator(assessment.activity.service, staff)
    _link(assessment, staff, 0, indicator)
    with pytest.raises(ValidationError) as refused:
        _link(assessment, staff, 1, indicator)
    assert "one value per date" in refused.value.message_dict["indicator"][0]
    # Once version 2 is agreed, version 1's standards are no longer offered.
    actions_framework.version_agree(
        version=next_draft(assessment.version, staff), by=staff, change_note="Checked again."
    )
    other = _indicator(assessment.activity.service, staff, name="Journeys on time")
    with pytest.raises(ValidationError) as refused:
        _link(assessment, staff, 1, other)
    assert refused.value.message_dict == {"standard": ["Choose one of the standards of version 2."]}


def test_staff_remove_a_link_after_confirming_and_the_values_stay() -> None:
    assessment, staff = _closed()
    first, _second = _two_links(assessment, staff)
    actions_links.indicators_record(assessment=assessment, by=staff)
    link = IndicatorLink.objects.get(indicator=first)
    client = client_for(staff)
    page = _text(client.get(_url("link_remove", link.pk)))
    assert "Stop feeding “Passengers who can book without help”?" in page
    assert "I can book a journey without help" in page
    assert IndicatorLink.objects.filter(pk=link.pk).exists()  # asking removes nothing
    response = client.post(_url("link_remove", link.pk))
    assert response.status_code == 302
    assert response["Location"] == _url("indicator_links", assessment.activity.service.slug)
    assert not IndicatorLink.objects.filter(pk=link.pk).exists()
    assert Measurement.objects.filter(indicator=first).count() == 1


# --- Recording ------------------------------------------------------------------------------------


def test_recording_writes_the_results_pages_share_or_too_few_and_how_many_rated() -> None:
    assessment, staff = _closed()
    first, second = _two_links(assessment, staff)
    shown = {
        row.standard.lineage: row.summary
        for theme in results(assessment).themes
        for row in theme.items
    }
    standards = _standards(assessment)
    assert shown[standards[0].lineage].positive_share == 43
    client = client_for(staff)
    page = _text(client.get(_url("record_indicators", assessment.pk)))
    assert "43%" in page
    assert "Too few to report" in page
    assert not Measurement.objects.exists()  # the preview writes nothing
    response = client.post(_url("record_indicators", assessment.pk))
    assert response.status_code == 302
    assert _messages(response) == ["2 values recorded in the outcome indicators."]
    day = _today() - dt.timedelta(days=1)
    value = Measurement.objects.get(indicator=first)
    assert (value.measured_on, value.value, value.answers) == (day, Decimal("43.00"), 7)
    assert value.source == Source.ASSESSMENT
    assert value.cycle == assessment.activity.service.current_cycle
    assert value.recorded_by == staff
    assert value.note == NOTE
    too_few = Measurement.objects.get(indicator=second)
    assert (too_few.measured_on, too_few.value, too_few.source) == (day, None, Source.ASSESSMENT)
    # Below the minimum the results hold back how many rated (decision 0082): so does the value.
    assert too_few.answers is None
    assert shown[standards[1].lineage].rated is None


def test_a_link_carries_across_a_new_version_of_the_standards() -> None:
    activity = ActivityFactory(kind=ActivityKind.ASSESSMENT, state=ActivityState.OPEN, title=TITLE)
    staff = staff_of(activity)
    service = activity.service
    first = make_framework(service, staff)
    indicator = _indicator(service, staff)
    standard = _standards_of(first)[0]
    actions_links.link_add(service=service, by=staff, standard=standard, indicator=indicator)
    draft = next_draft(first, staff)
    reworded = draft.standards.get(lineage=standard.lineage)
    actions_framework.standard_update(
        standard=reworded,
        by=staff,
        theme=reworded.theme,
        statement="I can book a journey on my own",
        evidence_prompt="",
    )
    second = actions_framework.version_agree(version=draft, by=staff, change_note="Reworded.")
    page = _text(client_for(staff).get(_url("indicator_links", service.slug)))
    assert "I can book a journey on my own" in page
    assessment = _close(_rated(activity, staff, version=second), _today())
    plan = actions_links.planned(assessment)
    assert [(row.indicator, row.standard.statement, row.value) for row in plan] == [
        (indicator, "I can book a journey on my own", Decimal("43.00"))
    ]
    actions_links.indicators_record(assessment=assessment, by=staff)
    assert Measurement.objects.get(indicator=indicator).measured_on == _today()


def _standards_of(version: Any) -> list[Standard]:
    return list(version.standards.order_by("position", "id"))


def test_recording_again_updates_the_assessments_own_values() -> None:
    assessment, staff = _closed()
    first, _second = _two_links(assessment, staff)
    actions_links.indicators_record(assessment=assessment, by=staff)
    Measurement.objects.filter(indicator=first).update(value=Decimal("10"), note="Changed")
    page = _text(client_for(staff).get(_url("record_indicators", assessment.pk)))
    assert "Replaces the value recorded before" in page
    done = actions_links.indicators_record(assessment=assessment, by=staff)
    assert (len(done.recorded), done.updated, done.skipped) == (2, 2, [])
    assert Measurement.objects.count() == 2
    value = Measurement.objects.get(indicator=first)
    assert (value.value, value.note) == (Decimal("43.00"), NOTE)


def test_a_value_from_staff_on_that_date_is_kept_and_the_link_skipped() -> None:
    assessment, staff = _closed()
    first, second = _two_links(assessment, staff)
    day = _today() - dt.timedelta(days=1)
    outcomes_actions.measurement_record(
        indicator=first, by=staff, measured_on=day, value=Decimal("55"), note="From the booking log"
    )
    page = _text(client_for(staff).get(_url("record_indicators", assessment.pk)))
    reason = "It already has a value on this date (entered by staff), which is kept."
    assert reason in page
    done = actions_links.indicators_record(assessment=assessment, by=staff)
    assert [row.indicator for row in done.recorded] == [second]
    assert [(row.indicator, row.problem) for row in done.skipped] == [(first, reason)]
    kept = Measurement.objects.get(indicator=first)
    assert (kept.value, kept.source, kept.note) == (
        Decimal("55.00"),
        Source.STAFF,
        "From the booking log",
    )
    response = client_for(staff).post(_url("record_indicators", assessment.pk))
    assert _messages(response) == [
        "1 value recorded in the outcome indicators. 1 of them replaced the value recorded "
        "before. 1 link was skipped: the reason is below."
    ]


def test_a_date_in_the_future_is_refused() -> None:
    assessment, staff = _closed(closes_on=_today() + dt.timedelta(days=3))
    _two_links(assessment, staff)
    client = client_for(staff)
    page = _text(client.get(_url("record_indicators", assessment.pk)))
    assert 'id="date-refused"' in page
    assert "Record the results</button>" not in page
    with pytest.raises(ValidationError) as refused:
        actions_links.indicators_record(assessment=assessment, by=staff)
    assert "in the future" in refused.value.messages[0]
    response = client.post(_url("record_indicators", assessment.pk))
    assert response.status_code == 200
    assert "<title>Error:" in _text(response)
    assert not Measurement.objects.exists()


def test_nothing_to_record_without_links() -> None:
    assessment, staff = _closed()
    page = _text(client_for(staff).get(_url("record_indicators", assessment.pk)))
    assert 'id="nothing-to-record"' in page
    with pytest.raises(ValidationError):
        actions_links.indicators_record(assessment=assessment, by=staff)


def test_an_open_assessment_cannot_record() -> None:
    activity = ActivityFactory(kind=ActivityKind.ASSESSMENT, state=ActivityState.OPEN)
    staff = staff_of(activity)
    assessment = _rated(activity, staff)
    _two_links(assessment, staff)
    with pytest.raises(PermissionDenied):
        actions_links.indicators_record(assessment=assessment, by=staff)
    client = client_for(staff)
    assert client.get(_url("record_indicators", assessment.pk)).status_code == 403
    assert client.post(_url("record_indicators", assessment.pk)).status_code == 403
    assert not Measurement.objects.exists()


# --- Who may -------------------------------------------------------------------------------------


def test_only_the_services_staff_link_and_record() -> None:
    assessment, staff = _closed()
    first, _second = _two_links(assessment, staff)
    link = IndicatorLink.objects.get(indicator=first)
    service = assessment.activity.service
    elsewhere = ActivityFactory(kind=ActivityKind.ASSESSMENT)
    outsider = staff_of(elsewhere)
    urls = [
        _url("indicator_links", service.slug),
        _url("link_remove", link.pk),
        _url("record_indicators", assessment.pk),
    ]
    for url in urls:
        for method in ("get", "post"):
            anonymous = getattr(Client(), method)(url)
            assert anonymous.status_code == 302
            assert reverse("account_login") in anonymous["Location"]
            assert getattr(client_for(UserFactory()), method)(url).status_code == 403
            assert getattr(client_for(outsider), method)(url).status_code == 403
    for person in (UserFactory(), outsider):
        with pytest.raises(PermissionDenied):
            actions_links.indicators_record(assessment=assessment, by=person)
        with pytest.raises(PermissionDenied):
            actions_links.link_remove(link=link, by=person)
        with pytest.raises(PermissionDenied):
            _link(assessment, person, 2, first)
    assert not Measurement.objects.exists()
    assert IndicatorLink.objects.count() == 2


def test_the_record_page_warns_that_recording_ends_re_opening_while_it_is_still_possible() -> None:
    assessment, staff = _closed()
    _two_links(assessment, staff)
    client = client_for(staff)
    url = _url("record_indicators", assessment.pk)
    warning = "this assessment cannot be re-opened"
    page = _text(client.get(url))
    assert 'id="reopen-warning"' in page
    assert warning in page
    assert client.post(url).status_code == 302
    page = _text(client.get(url))
    assert 'id="reopen-warning"' not in page  # recorded: it can no longer re-open
    assert warning not in _text(client.get(_url("manage", assessment.pk)))
