"""What stays fixed once an assessment has been rated or reported (decision 0125): a mystery shop's
version once a shopper has rated, and a closed user assessment once findings or indicator values
have been written from its results — refused by the actions, the staff pages and the API alike."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.core.exceptions import ValidationError
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
from coproduce.assessment.models import Assessment, FindingKind, FrameworkVersion, Standard
from coproduce.assessment.tests.factories import make_framework, next_draft
from coproduce.assessment.tests.factories_shopping import assign, every, mystery_shop, send_report
from coproduce.outcomes.models import Measurement
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


def test_a_mystery_shops_version_is_fixed_once_a_shopper_has_rated() -> None:
    assessment, staff, _ = mystery_shop()
    pinned = assessment.version
    assignment = assign(assessment)
    # A draft report with one rating is enough: its rating is about the pinned version's standards.
    first = pinned.standards.order_by("position", "id").first()
    assert first is not None
    actions_shopping.report_save(
        assignment=assignment,
        by=assignment.shopper,
        contacted_at=None,
        account="",
        ratings={first.pk: (4, "")},
        send=False,
    )
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


def test_a_closed_assessment_whose_results_are_recorded_does_not_reopen() -> None:
    assessment, staff = _closed()
    service = assessment.activity.service
    outcome = make_outcome(service, staff, title="Passengers can rely on the scheme")
    indicator = make_indicator(outcome, staff, name="Passengers who can book", unit="%")
    standard = Standard.objects.filter(version=assessment.version).order_by("position").first()
    assert standard is not None
    actions_links.link_add(service=service, by=staff, standard=standard, indicator=indicator)
    assert actions_links.indicators_record(assessment=assessment, by=staff).recorded
    assert Measurement.objects.filter(indicator=indicator).exists()
    with pytest.raises(ValidationError) as refused:
        _reopen(assessment)
    assert RESULTS_RECORDED in refused.value.message_dict["to_state"][0]
    assert _state(assessment) == ActivityState.CLOSED


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
