"""What stays fixed once an assessment has been rated or reported (decision 0125): a mystery shop's
version once a shopper has rated, and a closed user assessment once findings or indicator values
have been written from its results — refused by the actions, the staff pages and the API alike.

Each action checks the state it relies on under the row lock the opposite change takes (decision
0130): given an object read before that change, it reads the row again and refuses; on PostgreSQL,
where two transactions truly run at once, one waits for the other.
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from coproduce.accounts.actions import api_token_create
from coproduce.accounts.models import User
from coproduce.accounts.tests.factories import UserFactory, client_for
from coproduce.assessment import (
    actions_assessments,
    actions_findings,
    actions_framework,
    actions_links,
    actions_shopping,
    queries_shopping,
)
from coproduce.assessment.models import (
    Assessment,
    Assignment,
    Finding,
    FindingKind,
    FrameworkVersion,
    ShopRating,
    Standard,
)
from coproduce.assessment.tests.factories import make_framework, next_draft
from coproduce.assessment.tests.factories_shopping import assign, every, mystery_shop, send_report
from coproduce.common.tests.concurrency import in_progress, only_on_postgresql, waits
from coproduce.outcomes.models import Indicator, Measurement, Source
from coproduce.outcomes.tests.factories import make_indicator, make_outcome
from coproduce.services import actions as services_actions
from coproduce.services.models import Activity, ActivityKind, ActivityState
from coproduce.services.tests.factories import ActivityFactory, staff_of

pytestmark = pytest.mark.django_db

FINDINGS_WRITTEN = "Findings have been written from this assessment’s results"
RESULTS_RECORDED = (
    "This assessment’s results have been recorded in the service’s outcome indicators"
)


def _version_2(version: FrameworkVersion, staff: User) -> FrameworkVersion:
    draft = next_draft(version, staff)
    return actions_framework.version_agree(version=draft, by=staff, change_note="Reworded.")


def _text(response: Any) -> str:
    return str(response.content.decode())


# --- A mystery shop's version -------------------------------------------------------------------


def test_a_mystery_shops_version_can_change_until_a_shopper_rates() -> None:
    assessment, staff, _ = mystery_shop()
    assign(assessment)  # an assignment alone rates nothing
    newer = _version_2(assessment.version, staff)
    changed = actions_assessments.assessment_set_up(
        activity=assessment.activity, by=staff, version=newer
    )
    assert changed.version == newer


def _first_standard(version: FrameworkVersion) -> Standard:
    standard = version.standards.order_by("position", "id").first()
    assert standard is not None
    return standard


def _draft_report(assignment: Assignment, standard: Standard) -> None:
    actions_shopping.report_save(
        assignment=assignment,
        by=assignment.shopper,
        contacted_at=None,
        account="",
        ratings={standard.pk: (4, "")},
        send=False,
    )


def test_a_mystery_shops_version_is_fixed_once_a_shopper_has_rated() -> None:
    assessment, staff, _ = mystery_shop()
    pinned = assessment.version
    # A draft report with one rating is enough: its rating is about the pinned version's standards.
    _draft_report(assign(assessment), _first_standard(pinned))
    newer = _version_2(pinned, staff)
    with pytest.raises(ValidationError) as refused:
        actions_assessments.assessment_set_up(activity=assessment.activity, by=staff, version=newer)
    assert refused.value.message_dict["version"] == [
        "People have started rating the service against version 1, so it cannot change: every "
        "answer must be about the same standards."
    ]
    assessment.refresh_from_db()
    assert assessment.version == pinned


def test_a_published_mystery_shop_keeps_its_version_and_its_ratings() -> None:
    assessment, staff, coordinator = mystery_shop()
    send_report(assign(assessment), rating=2)
    assessment = actions_shopping.shop_publish(assessment=assessment, by=coordinator)
    newer = _version_2(assessment.version, staff)
    with pytest.raises(ValidationError):
        actions_assessments.assessment_set_up(activity=assessment.activity, by=staff, version=newer)
    assessment = Assessment.objects.get(pk=assessment.pk)
    assert assessment.version.number == 1
    (report,) = queries_shopping.sent_reports(assessment)
    rows = [row for theme in report.themes for row in theme.items]
    assert rows, "the published report still has its ratings"
    assert all(row.rating == 2 for row in rows)
    # The set-up page shows the version as fixed, as it does for the other methods: no form.
    page = _text(client_for(staff).get(reverse("assessment:manage", args=[assessment.pk])))
    assert 'id="version-fixed"' in page
    assert "Change the version" not in page
    assert "Version 2 has been agreed since" in page


# --- Re-opening a closed user assessment ----------------------------------------------------------


def _closed(**extra: Any) -> tuple[Assessment, User]:
    """A user assessment rated by one person, then closed (closing yesterday, so that its results
    can be recorded), and a member of its staff."""
    activity = ActivityFactory(kind=ActivityKind.ASSESSMENT, state=ActivityState.OPEN, **extra)
    staff = staff_of(activity)
    version = make_framework(activity.service, staff)
    assessment = actions_assessments.assessment_set_up(activity=activity, by=staff, version=version)
    actions_assessments.response_save(
        assessment=assessment, person=UserFactory(), ratings=every(assessment, 4), named=False
    )
    services_actions.activity_transition(activity=activity, to_state=ActivityState.CLOSED)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    Activity.objects.filter(pk=activity.pk).update(
        opens_on=yesterday - dt.timedelta(days=30), closes_on=yesterday
    )
    return Assessment.objects.select_related("activity__service_stage").get(pk=activity.pk), staff


def _add_finding(assessment: Assessment, staff: User) -> None:
    actions_findings.finding_add(
        assessment=assessment,
        by=staff,
        kind=FindingKind.CONCERN,
        title="Booking by phone is hard",
        evidence="Only 43% said they can always book by phone.",
    )


def _reopen(assessment: Assessment) -> Activity:
    return services_actions.activity_transition(
        activity=assessment.activity, to_state=ActivityState.OPEN
    )


def _state(assessment: Assessment) -> str:
    return Activity.objects.get(pk=assessment.pk).state


def test_the_version_is_fixed_once_a_finding_is_written_even_with_no_ratings() -> None:
    activity = ActivityFactory(kind=ActivityKind.ASSESSMENT, state=ActivityState.OPEN)
    staff = staff_of(activity)
    pinned = make_framework(activity.service, staff)
    assessment = actions_assessments.assessment_set_up(activity=activity, by=staff, version=pinned)
    services_actions.activity_transition(activity=activity, to_state=ActivityState.CLOSED)
    _add_finding(Assessment.objects.get(pk=assessment.pk), staff)  # from what staff saw
    newer = _version_2(pinned, staff)
    with pytest.raises(ValidationError) as refused:
        actions_assessments.assessment_set_up(activity=activity, by=staff, version=newer)
    assert refused.value.message_dict["version"] == [
        "Findings have been written about the standards of version 1, so it cannot change."
    ]
    assert Assessment.objects.get(pk=assessment.pk).version == pinned


def test_a_closed_assessment_without_findings_may_reopen_and_take_ratings_again() -> None:
    assessment, _ = _closed()
    assert _reopen(assessment).state == ActivityState.OPEN
    assessment = Assessment.objects.get(pk=assessment.pk)
    actions_assessments.response_save(
        assessment=assessment, person=UserFactory(), ratings=every(assessment, 5), named=False
    )
    assert assessment.responses.count() == 2


def test_an_assessment_activity_run_offline_may_reopen() -> None:
    activity = ActivityFactory(kind=ActivityKind.ASSESSMENT, state=ActivityState.CLOSED)
    opened = services_actions.activity_transition(activity=activity, to_state=ActivityState.OPEN)
    assert opened.state == ActivityState.OPEN


def test_a_closed_assessment_with_findings_does_not_reopen() -> None:
    assessment, staff = _closed()
    _add_finding(assessment, staff)
    with pytest.raises(ValidationError) as refused:
        _reopen(assessment)
    assert FINDINGS_WRITTEN in refused.value.message_dict["to_state"][0]
    assert _state(assessment) == ActivityState.CLOSED
    # It can still be reported.
    reported = services_actions.activity_transition(
        activity=assessment.activity, to_state=ActivityState.REPORTED, outcome="We acted on it."
    )
    assert reported.state == ActivityState.REPORTED


def _link_an_indicator(assessment: Assessment, staff: User) -> Indicator:
    """Its first standard linked to a new indicator of the service."""
    service = assessment.activity.service
    outcome = make_outcome(service, staff, title="Passengers can rely on the scheme")
    indicator = make_indicator(outcome, staff, name="Passengers who can book", unit="%")
    standard = Standard.objects.filter(version=assessment.version).order_by("position").first()
    assert standard is not None
    actions_links.link_add(service=service, by=staff, standard=standard, indicator=indicator)
    return indicator


def _recorded(assessment: Assessment, staff: User) -> Indicator:
    """Its first standard linked to a new indicator, and its results recorded there."""
    indicator = _link_an_indicator(assessment, staff)
    assert actions_links.indicators_record(assessment=assessment, by=staff).recorded
    return indicator


def test_a_closed_assessment_whose_results_are_recorded_does_not_reopen() -> None:
    assessment, staff = _closed()
    indicator = _recorded(assessment, staff)
    assert Measurement.objects.filter(indicator=indicator).exists()
    assert Assessment.objects.get(pk=assessment.pk).results_recorded_at is not None
    with pytest.raises(ValidationError) as refused:
        _reopen(assessment)
    assert RESULTS_RECORDED in refused.value.message_dict["to_state"][0]
    assert _state(assessment) == ActivityState.CLOSED
    # Moving its dates afterwards does not hide the recording (decision 0136).
    services_actions.activity_update(
        activity=Activity.objects.get(pk=assessment.pk),
        closes_on=timezone.localdate() - dt.timedelta(days=3),
    )
    with pytest.raises(ValidationError):
        _reopen(Assessment.objects.select_related("activity").get(pk=assessment.pk))
    assert _state(assessment) == ActivityState.CLOSED


def test_the_migration_marks_assessments_recorded_before_it_by_their_dates() -> None:
    recorded, staff = _closed()
    _recorded(recorded, staff)
    not_recorded, _ = _closed()
    Assessment.objects.update(results_recorded_at=None)  # as before migration 0004
    mark = importlib.import_module(
        "coproduce.assessment.migrations.0004_assessment_results_recorded_at"
    ).mark_recorded
    mark(apps, None)
    value = Measurement.objects.get(source=Source.ASSESSMENT)
    assert Assessment.objects.get(pk=recorded.pk).results_recorded_at == value.recorded_at
    assert Assessment.objects.get(pk=not_recorded.pk).results_recorded_at is None


def test_the_staff_page_explains_why_it_does_not_reopen() -> None:
    assessment, staff = _closed()
    _add_finding(assessment, staff)
    response = client_for(staff).post(
        reverse("services:activity_transition", kwargs={"pk": assessment.pk}),
        {"to_state": ActivityState.OPEN},
    )
    assert response.status_code == 400
    assert FINDINGS_WRITTEN in _text(response)
    assert _state(assessment) == ActivityState.CLOSED


def test_the_api_explains_why_it_does_not_reopen() -> None:
    assessment, staff = _closed()
    _add_finding(assessment, staff)
    token = api_token_create(user=staff, name="staff")[1]
    response = Client().post(
        f"/api/activities/{assessment.pk}/transitions",
        json.dumps({"to_state": "open"}),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 422, response.content
    (issue,) = response.json()["detail"]
    assert issue["loc"] == ["body", "to_state"]
    assert FINDINGS_WRITTEN in issue["msg"]
    assert _state(assessment) == ActivityState.CLOSED


# --- One after the other (decision 0130) ----------------------------------------------------------


def _read_before_reopening(assessment: Assessment) -> Assessment:
    """The closed assessment as a page read it, then re-opened by someone else: the object still
    says closed."""
    stale = Assessment.objects.select_related("activity__service_stage__service").get(
        pk=assessment.pk
    )
    _reopen(assessment)
    assert stale.activity.state == ActivityState.CLOSED
    return stale


def test_a_finding_on_an_assessment_read_before_it_reopened_is_refused() -> None:
    assessment, staff = _closed()
    stale = _read_before_reopening(assessment)
    with pytest.raises(PermissionDenied):
        _add_finding(stale, staff)
    assert not Finding.objects.exists()


def test_a_recording_of_an_assessment_read_before_it_reopened_is_refused() -> None:
    assessment, staff = _closed()
    _link_an_indicator(assessment, staff)
    stale = _read_before_reopening(assessment)
    with pytest.raises(PermissionDenied):
        actions_links.indicators_record(assessment=stale, by=staff)
    assert not Measurement.objects.exists()


def test_a_report_on_an_assignment_removed_since_is_refused_not_an_error() -> None:
    assessment, _, coordinator = mystery_shop()
    assignment = assign(assessment)
    actions_shopping.assignment_remove(assignment=assignment, by=coordinator)
    with pytest.raises(PermissionDenied):
        _draft_report(assignment, _first_standard(assessment.version))


def test_a_report_read_before_the_version_changed_rates_the_pinned_version_only() -> None:
    assessment, staff, _ = mystery_shop()
    old = assessment.version
    assignment = assign(assessment)
    stale = Assignment.objects.select_related("assessment__version").get(pk=assignment.pk)
    newer = _version_2(old, staff)
    actions_assessments.assessment_set_up(activity=assessment.activity, by=staff, version=newer)
    with pytest.raises(ValidationError) as refused:
        _draft_report(stale, _first_standard(old))
    assert "standards this mystery shop does not use" in str(refused.value)
    assert not ShopRating.objects.exists()
    _draft_report(stale, _first_standard(newer))
    assert ShopRating.objects.get().standard.version == newer


def test_a_report_read_before_the_shop_was_published_is_refused() -> None:
    assessment, _staff, coordinator = mystery_shop()
    send_report(assign(assessment))
    late = assign(assessment)
    stale = Assignment.objects.select_related("assessment").get(pk=late.pk)
    actions_shopping.shop_publish(assessment=assessment, by=coordinator)
    assert not stale.assessment.is_published
    with pytest.raises(PermissionDenied):
        send_report(stale)
    assert not ShopRating.objects.filter(report__assignment=late).exists()


def _write(what: str, assessment: Assessment, staff: User) -> object:
    if what == "finding":
        _add_finding(assessment, staff)
        return None
    return actions_links.indicators_record(assessment=assessment, by=staff)


@only_on_postgresql
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("what", ["finding", "recording"])
def test_a_finding_or_a_recording_waits_for_a_reopen_in_progress_then_is_refused(
    what: str,
) -> None:
    assessment, staff = _closed()
    _link_an_indicator(assessment, staff)
    with in_progress(lambda: _reopen(assessment)):
        waits(lambda: _write(what, assessment, staff))
    with pytest.raises(PermissionDenied):
        _write(what, assessment, staff)
    assert not Finding.objects.exists()
    assert not Measurement.objects.exists()


@only_on_postgresql
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("what", ["finding", "recording"])
def test_a_reopen_waits_for_a_finding_or_a_recording_in_progress_then_is_refused(
    what: str,
) -> None:
    assessment, staff = _closed()
    _link_an_indicator(assessment, staff)
    with in_progress(lambda: _write(what, assessment, staff)):
        waits(lambda: _reopen(assessment))
    with pytest.raises(ValidationError):
        _reopen(assessment)
    assert _state(assessment) == ActivityState.CLOSED


@only_on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_report_waits_for_a_version_change_in_progress_then_rates_the_new_version_only() -> None:
    assessment, staff, _ = mystery_shop()
    activity, old = assessment.activity, assessment.version
    assignment = assign(assessment)
    newer = _version_2(old, staff)
    with in_progress(
        lambda: actions_assessments.assessment_set_up(activity=activity, by=staff, version=newer)
    ):
        waits(lambda: _draft_report(assignment, _first_standard(old)))
    with pytest.raises(ValidationError):
        _draft_report(assignment, _first_standard(old))
    assert not ShopRating.objects.exists()


@only_on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_version_change_waits_for_a_report_in_progress_then_is_refused() -> None:
    assessment, staff, _ = mystery_shop()
    activity, old = assessment.activity, assessment.version
    assignment = assign(assessment)
    newer = _version_2(old, staff)
    with in_progress(lambda: _draft_report(assignment, _first_standard(old))):
        waits(
            lambda: actions_assessments.assessment_set_up(
                activity=activity, by=staff, version=newer
            )
        )
    with pytest.raises(ValidationError):
        actions_assessments.assessment_set_up(activity=activity, by=staff, version=newer)
    assert Assessment.objects.get(pk=assessment.pk).version == old


@only_on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_report_waits_for_publishing_in_progress_then_is_refused() -> None:
    assessment, _staff, coordinator = mystery_shop()
    send_report(assign(assessment))
    late = assign(assessment)
    with in_progress(lambda: actions_shopping.shop_publish(assessment=assessment, by=coordinator)):
        waits(lambda: send_report(late))
    with pytest.raises(PermissionDenied):
        send_report(late)


def _rate(assessment: Assessment) -> object:
    return actions_assessments.response_save(
        assessment=assessment, person=UserFactory(), ratings=every(assessment, 2), named=False
    )


def _enter_paper(assessment: Assessment, staff: User) -> object:
    return actions_assessments.paper_response_add(
        assessment=assessment, by=staff, ratings=every(assessment, 2)
    )


@only_on_postgresql
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("how", ["online", "on paper"])
def test_a_rating_waits_for_a_close_in_progress_then_is_refused(how: str) -> None:
    """Decision 0139: no rating lands after the close, behind findings written from the rest."""
    activity = ActivityFactory(kind=ActivityKind.ASSESSMENT, state=ActivityState.OPEN)
    staff = staff_of(activity)
    version = make_framework(activity.service, staff)
    assessment = actions_assessments.assessment_set_up(activity=activity, by=staff, version=version)

    def rate() -> object:
        return _rate(assessment) if how == "online" else _enter_paper(assessment, staff)

    with in_progress(
        lambda: services_actions.activity_transition(
            activity=activity, to_state=ActivityState.CLOSED
        )
    ):
        waits(rate)
    with pytest.raises(PermissionDenied):
        rate()
    assert not assessment.responses.exists()
