"""Findings and improvement actions: written once results are public, answered through the spine,
acted on with owners, due dates and evidence; overdue actions flagged on the service page; all of
it in "You said, we did" (decision 0084)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from coproduce.accounts.tests.factories import UserFactory, client_for
from coproduce.assessment import actions_assessments, actions_findings
from coproduce.assessment.models import (
    ActionStatus,
    Assessment,
    Finding,
    FindingKind,
    ImprovementAction,
    Standard,
)
from coproduce.assessment.tests.factories import make_framework
from coproduce.contributions import actions as spine
from coproduce.contributions.models import Visibility
from coproduce.services import actions as services_actions
from coproduce.services.models import ActivityKind, ActivityState
from coproduce.services.tests.factories import ActivityFactory, staff_of

pytestmark = pytest.mark.django_db


def _assessment(
    kind: str = ActivityKind.ASSESSMENT, state: str = ActivityState.CLOSED
) -> tuple[Assessment, Any]:
    activity = ActivityFactory(kind=kind, state=ActivityState.OPEN)
    staff = staff_of(activity)
    version = make_framework(activity.service, staff)
    assessment = actions_assessments.assessment_set_up(activity=activity, by=staff, version=version)
    if state != ActivityState.OPEN:
        services_actions.activity_transition(activity=activity, to_state=state)
    return Assessment.objects.get(pk=assessment.pk), staff


def _finding(
    assessment: Assessment, staff: Any, kind: str = FindingKind.CONCERN, **extra: Any
) -> Finding:
    return actions_findings.finding_add(
        assessment=assessment,
        by=staff,
        kind=kind,
        title=extra.pop("title", "Getting through on the phone is hard on Mondays"),
        evidence=extra.pop("evidence", "Only 41% said they can always book by phone."),
        **extra,
    )


def _due(days: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


# --- Findings -------------------------------------------------------------------------------------


def test_a_finding_waits_until_the_results_are_public() -> None:
    assessment, staff = _assessment(state=ActivityState.OPEN)
    with pytest.raises(PermissionDenied):
        _finding(assessment, staff)
    services_actions.activity_transition(
        activity=assessment.activity, to_state=ActivityState.CLOSED
    )
    assessment.activity.refresh_from_db()
    assert _finding(assessment, staff).contribution.visibility == Visibility.PUBLISHED


def test_an_unpublished_self_reflection_takes_no_findings() -> None:
    assessment, staff = _assessment(ActivityKind.SELF_REFLECTION, ActivityState.OPEN)
    with pytest.raises(PermissionDenied):
        _finding(assessment, staff)


def test_a_concern_needs_an_answer_and_a_strength_does_not() -> None:
    assessment, staff = _assessment()
    concern = _finding(assessment, staff, FindingKind.URGENT)
    strength = _finding(assessment, staff, FindingKind.STRENGTH, title="Drivers are kind")
    assert concern.contribution.needs_answer is True
    assert strength.contribution.needs_answer is False
    actions_findings.finding_update(
        finding=strength,
        by=staff,
        kind=FindingKind.CONCERN,
        title="Drivers are kind, but rushed",
        evidence="Comments about hurried boarding.",
    )
    strength.contribution.refresh_from_db()
    assert strength.contribution.needs_answer is True


def test_only_staff_of_the_service_write_findings() -> None:
    assessment, _staff = _assessment()
    other = staff_of(ActivityFactory())
    for person in (UserFactory(), other):
        with pytest.raises(PermissionDenied):
            _finding(assessment, person)


def test_a_finding_is_about_standards_of_the_pinned_version() -> None:
    assessment, staff = _assessment()
    elsewhere, _ = _assessment()
    foreign = Standard.objects.filter(version=elsewhere.version).first()
    with pytest.raises(ValidationError) as error:
        _finding(assessment, staff, standards=[foreign])
    assert "standards" in error.value.message_dict
    own = list(Standard.objects.filter(version=assessment.version)[:2])
    assert set(_finding(assessment, staff, standards=own).standards.all()) == set(own)


def test_welsh_comes_whole_or_not_at_all() -> None:
    assessment, staff = _assessment()
    with pytest.raises(ValidationError) as error:
        _finding(assessment, staff, title_cy="Mae'n anodd")
    assert "evidence_cy" in error.value.message_dict


def test_news_about_a_finding_quotes_its_corrected_title() -> None:
    from coproduce.notifications.models import Notification

    assessment, staff = _assessment()
    finding = _finding(assessment, staff, title="Buses late on Mondays")
    same_words = _finding(assessment, staff, title="Buses late on Mondays", evidence="Again.")
    follower = UserFactory()
    spine.follow_set(user=follower, target=assessment.activity, follow=True)
    for each in (finding, same_words):
        spine.response_create(contribution=each.contribution, author=staff, body="We will look.")
    news = Notification.objects.filter(user=follower).order_by("pk")
    assert [n.message.count("“Buses late on Mondays”") for n in news] == [1, 1]
    actions_findings.finding_update(
        finding=finding,
        by=staff,
        kind=finding.kind,
        title="Buses late on Monday mornings",
        evidence=finding.evidence,
    )
    first, second = news.all()  # read again
    assert "“Buses late on Monday mornings”" in first.message
    assert "Buses late on Mondays" not in first.message
    assert "“Buses late on Mondays”" in second.message  # another finding's news: left as it was


def test_a_concern_with_actions_stays_a_concern() -> None:
    assessment, staff = _assessment()
    finding = _finding(assessment, staff)
    actions_findings.action_add(
        finding=finding, by=staff, description="A second line", owner="Manager", due_on=_due(30)
    )
    with pytest.raises(ValidationError) as error:
        actions_findings.finding_update(
            finding=finding, by=staff, kind=FindingKind.STRENGTH, title="x", evidence="y"
        )
    assert "kind" in error.value.message_dict


# --- Improvement actions --------------------------------------------------------------------------


def test_a_strength_gets_no_action() -> None:
    assessment, staff = _assessment()
    strength = _finding(assessment, staff, FindingKind.STRENGTH)
    with pytest.raises(PermissionDenied):
        actions_findings.action_add(
            finding=strength, by=staff, description="x", owner="y", due_on=_due(1)
        )


@pytest.mark.parametrize("days", [-1, 366 * 3 + 1])
def test_a_new_due_date_is_from_today_to_three_years_ahead(days: int) -> None:
    assessment, staff = _assessment()
    finding = _finding(assessment, staff)
    with pytest.raises(ValidationError) as error:
        actions_findings.action_add(
            finding=finding, by=staff, description="x", owner="y", due_on=_due(days)
        )
    assert "due_on" in error.value.message_dict


def test_closing_an_action_needs_evidence_and_records_the_day() -> None:
    assessment, staff = _assessment()
    finding = _finding(assessment, staff)
    action = actions_findings.action_add(
        finding=finding, by=staff, description="Second line", owner="Manager", due_on=_due(10)
    )
    for status in (ActionStatus.DONE, ActionStatus.DROPPED):
        with pytest.raises(ValidationError) as error:
            actions_findings.action_update(
                action=action, by=staff, status=status, owner="Manager", due_on=action.due_on
            )
        assert "evidence" in error.value.message_dict
    done = actions_findings.action_update(
        action=action,
        by=staff,
        status=ActionStatus.DONE,
        owner="Manager",
        due_on=action.due_on,
        evidence="The line opened on 3 March; 9 in 10 calls answered within a minute.",
    )
    assert done.closed_on == timezone.localdate()
    reopened = actions_findings.action_update(
        action=done,
        by=staff,
        status=ActionStatus.IN_PROGRESS,
        owner="Manager",
        due_on=action.due_on,
        evidence=done.evidence,
    )
    assert reopened.closed_on is None


def test_an_overdue_action_may_keep_its_date_but_not_move_into_the_past() -> None:
    assessment, staff = _assessment()
    action = actions_findings.action_add(
        finding=_finding(assessment, staff),
        by=staff,
        description="Ring back within a day",
        owner="Bookings team",
        due_on=_due(5),
    )
    ImprovementAction.objects.filter(pk=action.pk).update(due_on=_due(-5))
    action.refresh_from_db()
    kept = actions_findings.action_update(
        action=action, by=staff, status=ActionStatus.IN_PROGRESS, owner="x", due_on=_due(-5)
    )
    assert kept.is_overdue(timezone.localdate())
    with pytest.raises(ValidationError):
        actions_findings.action_update(
            action=action, by=staff, status=ActionStatus.IN_PROGRESS, owner="x", due_on=_due(-4)
        )


# --- Pages ----------------------------------------------------------------------------------------


def _url(name: str, *args: Any) -> str:
    return reverse(f"assessment:{name}", args=list(args))


def test_the_finding_page_is_public_and_staff_pages_are_not() -> None:
    assessment, staff = _assessment()
    finding = _finding(assessment, staff)
    anonymous = client_for(UserFactory()).get(_url("finding", finding.pk))
    assert anonymous.status_code == 200
    assert "Getting through on the phone" in anonymous.content.decode()
    for name, target in (("finding_edit", finding.pk), ("action_add", finding.pk)):
        assert client_for(UserFactory()).get(_url(name, target)).status_code == 403
        other = staff_of(ActivityFactory())
        assert client_for(other).get(_url(name, target)).status_code == 403
        assert client_for(staff).get(_url(name, target)).status_code == 200
    assert client_for(UserFactory()).get(_url("finding_add", assessment.pk)).status_code == 403


def test_staff_turn_a_finding_into_an_action_and_close_it(
    django_capture_on_commit_callbacks: Any,
) -> None:
    assessment, staff = _assessment()
    client = client_for(staff)
    standard = Standard.objects.filter(version=assessment.version).first()
    assert standard is not None
    response = client.post(
        _url("finding_add", assessment.pk),
        {
            "kind": "concern",
            "title": "Bookings by phone fail on Mondays",
            "evidence": "Twelve comments mention the engaged tone.",
            "standards": [standard.pk],
        },
    )
    finding = Finding.objects.get(title="Bookings by phone fail on Mondays")
    assert response.status_code == 302
    assert response["Location"] == _url("finding", finding.pk)
    # An error is shown on its field, and nothing is added.
    bad = client.post(
        _url("action_add", finding.pk),
        {"description": "", "owner": "Manager", "due_on_day": "1", "due_on_month": "1"},
    )
    assert bad.status_code == 200
    assert "Enter what will be done." in bad.content.decode()
    assert not finding.actions.exists()
    due = _due(40)
    client.post(
        _url("action_add", finding.pk),
        {
            "description": "Open a second phone line on Mondays",
            "owner": "Scheme manager",
            "due_on_day": str(due.day),
            "due_on_month": str(due.month),
            "due_on_year": str(due.year),
        },
    )
    action = finding.actions.get()
    with django_capture_on_commit_callbacks(execute=True):
        spine.response_create(
            contribution=finding.contribution,
            author=staff,
            body="We agree, and we are opening a second line.",
        )
    refused = client.post(
        _url("action_edit", action.pk),
        {
            "status": "done",
            "owner": "Scheme manager",
            "due_on_day": str(due.day),
            "due_on_month": str(due.month),
            "due_on_year": str(due.year),
        },
    )
    assert "Say what shows the action is done." in refused.content.decode()
    client.post(
        _url("action_edit", action.pk),
        {
            "status": "done",
            "evidence": "The second line opened; calls answered within a minute rose to 9 in 10.",
            "owner": "Scheme manager",
            "due_on_day": str(due.day),
            "due_on_month": str(due.month),
            "due_on_year": str(due.year),
        },
    )
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE
    assert action.closed_on == timezone.localdate()
    slug = assessment.activity.service.slug
    loop = client_for(UserFactory()).get(reverse("contributions:you_said_we_did", args=[slug]))
    text = loop.content.decode()
    assert "Bookings by phone fail on Mondays" in text
    assert "We are acting on it:" in text
    assert "Open a second phone line on Mondays" in text


def test_overdue_actions_are_flagged_on_the_service_page_and_the_list() -> None:
    assessment, staff = _assessment()
    finding = _finding(assessment, staff)
    late = actions_findings.action_add(
        finding=finding, by=staff, description="Call back within a day", owner="x", due_on=_due(3)
    )
    actions_findings.action_add(
        finding=finding, by=staff, description="Print a timetable", owner="x", due_on=_due(9)
    )
    service = assessment.activity.service
    page = client_for(UserFactory()).get(service.get_absolute_url()).content.decode()
    assert "Improving the service" in page
    assert "overdue-actions" not in page
    ImprovementAction.objects.filter(pk=late.pk).update(due_on=_due(-2))
    page = client_for(UserFactory()).get(service.get_absolute_url()).content.decode()
    assert "1 improvement action is overdue." in page
    listing = client_for(UserFactory()).get(_url("actions", service.slug)).content.decode()
    assert listing.index("Call back within a day") < listing.index("Print a timetable")
    assert listing.count(">Overdue<") == 1


def test_a_hidden_finding_and_its_actions_are_not_shown() -> None:
    assessment, staff = _assessment()
    finding = _finding(assessment, staff)
    actions_findings.action_add(
        finding=finding, by=staff, description="Secret plan", owner="x", due_on=_due(3)
    )
    spine.moderation_hide(contribution=finding.contribution, moderator=staff)
    visitor = client_for(UserFactory())
    assert visitor.get(_url("finding", finding.pk)).status_code == 404
    service = assessment.activity.service
    assert "Secret plan" not in visitor.get(_url("actions", service.slug)).content.decode()
    assert "Secret plan" not in visitor.get(service.get_absolute_url()).content.decode()
