"""The assessment API: a service's standards (drafts only for those who keep them), an assessment
of each method with a user assessment's results (no numbers below the threshold) or a team's
report (a draft only for the team and staff; a peer team never named), findings (hidden ones left
out) and the service's improvement actions, a page at a time."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from coproduce.accounts.actions import api_token_create
from coproduce.accounts.models import User
from coproduce.accounts.tests.factories import UserFactory
from coproduce.api.tests.client import Api
from coproduce.assessment import actions_findings, actions_report
from coproduce.assessment.models import Assessment, Finding, FindingKind, ImprovementAction
from coproduce.assessment.tests.factories import keeper_of, make_framework, next_draft
from coproduce.assessment.tests.factories_report import (
    add_assessor,
    every,
    hand_in,
    make_peer_review,
    make_self_reflection,
    make_team_assessment,
    standards,
    user_assessment,
)
from coproduce.contributions import actions as spine
from coproduce.services.models import ActivityKind, Service, ServiceStatus
from coproduce.services.tests.factories import ServiceFactory, staff_of

pytestmark = pytest.mark.django_db

SUMMARY = "Drivers are kind and on time; booking by phone is still too hard."


def _api(user: User) -> Api:
    return Api(api_token_create(user=user, name="test")[1])


def _outsider() -> User:
    """Staff of another organisation."""
    return keeper_of(ServiceFactory())


def _due(days: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


def _concern(assessment: Assessment, staff: User, title: str = "Phones") -> Finding:
    return actions_findings.finding_add(
        assessment=Assessment.objects.get(pk=assessment.pk),
        by=staff,
        kind=FindingKind.CONCERN,
        title=title,
        evidence="Only 41% said they can always book by phone.",
        standards=standards(assessment)[:1],
    )


# --- The standards ------------------------------------------------------------------------------


def test_the_standards_are_the_agreed_versions_newest_first_with_their_co_authors() -> None:
    service = ServiceFactory()
    keeper = keeper_of(service)
    writer = UserFactory(name="Jo Bennett")
    first = make_framework(service, keeper, co_authors=[writer])
    draft = next_draft(first, keeper)

    body = Api().get(f"/services/{service.slug}/standards").json()

    assert body["service"] == service.slug
    assert body["page"] == f"/services/{service.slug}/standards/"
    [version] = body["versions"]
    assert (version["id"], version["number"], version["status"]) == (first.pk, 1, "agreed")
    assert version["agreed_at"] is not None
    assert version["co_authors"] == ["Jo Bennett"]
    assert writer.email not in str(body)
    assert version["change_note"] == "Written with passengers at two workshops in the spring."
    shown = version["standards"]
    assert len(shown) == 4
    assert [s["theme"] for s in shown] == ["Booking a journey"] * 2 + ["On the journey"] * 2
    assert shown[0]["statement"] == "I can book a journey without help"
    assert shown[0]["evidence_prompt"] == "Think about the last time you booked."
    assert set(shown[0]) >= {"id", "lineage", "position", "statement_cy"}
    # The draft: only for those who keep the framework, and only when asked for.
    asked = {"include_draft": "true"}
    assert len(_api(keeper).get(f"/services/{service.slug}/standards").json()["versions"]) == 1
    kept = _api(keeper).get(f"/services/{service.slug}/standards", asked).json()["versions"]
    assert (kept[0]["id"], kept[0]["status"], kept[0]["agreed_at"]) == (draft.pk, "draft", None)
    assert [v["number"] for v in kept] == [2, 1]
    for outsider in (Api(), _api(UserFactory()), _api(_outsider())):
        versions = outsider.get(f"/services/{service.slug}/standards", asked).json()["versions"]
        assert [v["number"] for v in versions] == [1]


def test_a_draft_service_s_standards_are_404_outside_its_organisation() -> None:
    service = ServiceFactory(status=ServiceStatus.DRAFT)
    keeper = keeper_of(service)
    make_framework(service, keeper)
    path = f"/services/{service.slug}/standards"
    for outsider in (Api(), _api(UserFactory()), _api(_outsider())):
        assert outsider.get(path).status_code == 404
    assert _api(keeper).get(path).status_code == 200


def test_include_draft_takes_only_true_or_false() -> None:
    service = ServiceFactory()
    response = Api().get(f"/services/{service.slug}/standards", {"include_draft": "yes"})
    assert response.status_code == 422
    assert Api().get(f"/services/{service.slug}/standards").json()["versions"] == []


# --- A user assessment's results ----------------------------------------------------------------


def _lineages(service: Service) -> list[int]:
    version = make_framework(service, keeper_of(service))
    return [standard.lineage for standard in version.standards.order_by("position", "id")]


def test_a_user_assessment_has_its_results_and_the_change_since_the_previous_one() -> None:
    service = ServiceFactory()
    first, second, third, _fourth = _lineages(service)
    user_assessment(service, {first: [5, 4, 4, 2, 1], second: [5, 5, 5, 5, 5]})
    ratings: dict[int, list[int | None]] = {
        first: [5, 5, 4, 4, 4, 2],  # 5 of 6 said always or mostly
        second: [5, 5, 3],  # too few
        third: [3, 3, 3, 3, 3, None],
    }
    assessment = user_assessment(service, ratings, close=False)

    body = Api().get(f"/assessments/{assessment.pk}").json()

    assert body["kind"] == "assessment"
    assert body["service"] == service.slug
    assert body["state"] == "open"
    assert body["version"] == assessment.version_id
    assert body["version_number"] == 1
    assert (body["published_at"], body["visit_on"], body["report"]) == (None, None, None)
    assert body["page"] == f"/assessments/{assessment.pk}/"
    results = body["results"]
    assert (results["responses"], results["online"], results["paper"]) == (6, 6, 0)
    assert results["min_responses"] == 5
    assert results["previous"] is not None
    by_lineage = {row["lineage"]: row for row in results["standards"]}
    shown = by_lineage[first]
    assert shown["too_few"] is False
    assert (shown["responses"], shown["rated"], shown["does_not_apply"]) == (6, 6, 0)
    assert [(c["rating"], c["count"], c["share"]) for c in shown["counts"]] == [
        (5, 2, 33),
        (4, 3, 50),
        (3, 0, 0),
        (2, 1, 17),
        (1, 0, 0),
    ]
    assert shown["counts"][0]["label"] == "Always"
    assert (shown["always_or_mostly"], shown["always_or_mostly_share"]) == (5, 83)
    assert shown["change"] == {"kind": "shown", "points": 83 - 60}
    assert by_lineage[third]["does_not_apply"] == 1
    # Too few rated it last time: no change to show.
    assert by_lineage[third]["change"] == {"kind": "too_few", "points": None}


def test_a_standard_rated_by_too_few_has_no_numbers(settings: Any) -> None:
    settings.COPRODUCE_ASSESSMENT_MIN_RESPONSES = 5
    service = ServiceFactory()
    first, second, _third, _fourth = _lineages(service)
    assessment = user_assessment(service, {first: [5, 4, 4, 4], second: [5, 5, 5, 5, 5]})

    rows = Api().get(f"/assessments/{assessment.pk}").json()["results"]["standards"]

    hidden = next(row for row in rows if row["lineage"] == first)
    assert hidden["too_few"] is True
    for name in ("responses", "rated", "does_not_apply", "counts", "always_or_mostly"):
        assert hidden[name] is None, name
    assert hidden["always_or_mostly_share"] is None
    assert hidden["comments"] == []
    assert hidden["change"] == {"kind": "no_previous", "points": None}
    assert next(row for row in rows if row["lineage"] == second)["too_few"] is False


# --- A team's report ----------------------------------------------------------------------------


def test_a_draft_self_reflection_s_report_is_null_for_the_public_and_there_for_staff() -> None:
    assessment, staff = make_self_reflection()
    actions_report.report_save(
        assessment=assessment, by=staff, ratings=every(assessment, 4, "Seen."), summary=SUMMARY
    )
    path = f"/assessments/{assessment.pk}"
    for outsider in (Api(), _api(UserFactory()), _api(_outsider())):
        body = outsider.get(path).json()
        assert body["kind"] == "self_reflection"
        assert (body["report"], body["results"], body["published_at"]) == (None, None, None)
        assert SUMMARY not in str(body)

    report = _api(staff).get(path).json()["report"]

    assert report["published"] is False
    assert report["summary"] == SUMMARY
    assert [row["rating"] for row in report["ratings"]] == [4, 4, 4, 4]
    assert all(row["agreed"] and row["note"] == "Seen." for row in report["ratings"])
    assert (report["team"], report["agreement"]) == (None, None)
    comparison = report["comparison"]
    assert comparison["users_assessment"] is None
    assert [row["users"] for row in comparison["rows"]] == [None] * 4
    assert report["page"] == f"/assessments/{assessment.pk}/report/"


def test_a_published_self_reflection_shows_the_gap_with_the_users_view(settings: Any) -> None:
    settings.COPRODUCE_ASSESSMENT_MIN_RESPONSES = 5
    assessment, staff = make_self_reflection()
    first, second, *_rest = standards(assessment)
    users = user_assessment(
        assessment.activity.service, {first.lineage: [3, 3, 4, 4, 4], second.lineage: [5]}
    )
    actions_report.report_save(
        assessment=assessment, by=staff, ratings=every(assessment, 5), summary=SUMMARY
    )
    actions_report.report_publish(assessment=Assessment.objects.get(pk=assessment.pk), by=staff)

    body = Api().get(f"/assessments/{assessment.pk}").json()

    assert body["published_at"] is not None
    comparison = body["report"]["comparison"]
    assert comparison["users_assessment"] == users.pk
    rows = {row["standard"]: row for row in comparison["rows"]}
    assert rows[first.pk]["users"] == {"too_few": False, "mean": 3.6, "always_or_mostly_share": 60}
    assert rows[first.pk]["gap"] == pytest.approx(1.4)
    assert (
        rows[first.pk]["reading"] == "We rate ourselves higher than people who use the service do"
    )
    assert rows[second.pk]["users"] == {
        "too_few": True,
        "mean": None,
        "always_or_mostly_share": None,
    }
    assert rows[second.pk]["gap"] is None


def test_a_peer_report_counts_its_team_and_never_names_it() -> None:
    assessment, staff = make_peer_review()
    Assessment.objects.filter(pk=assessment.pk).update(visit_on="2025-03-04")
    named = UserFactory(name="Philippa Quorndon")
    lead = add_assessor(
        assessment, lead=True, ratings=[4, 4, 3, 5], person=named, from_group="Northfield Carers"
    )
    other = add_assessor(assessment, ratings=[4, 4, 3, 5])
    add_assessor(assessment, ratings=[4, 3, 3, 5])
    actions_report.report_save(
        assessment=assessment, by=lead.person, ratings=every(assessment, 4), summary=SUMMARY
    )
    actions_report.report_publish(
        assessment=Assessment.objects.get(pk=assessment.pk), by=lead.person
    )

    for reader in (Api(), _api(staff), _api(named)):
        response = reader.get(f"/assessments/{assessment.pk}")
        text = response.content.decode()
        for person in (named, other.person):
            assert person.name not in text
            assert person.email not in text
        body = response.json()
        assert body["kind"] == "peer_review"
        assert body["visit_on"] == "2025-03-04"
        report = body["report"]
        assert report["team"] == {
            "size": 3,
            "handed_in": 3,
            "groups": ["Northfield Carers", "Eastvale Dial-a-Ride user group"],
        }
        assert report["agreement"]["units"] == 4
        assert report["agreement"]["values"] == 12
        assert report["agreement"]["reading"] in {"strong", "fair", "weak"}
        assert report["comparison"] is None


def test_an_assessor_reads_the_draft_report_only_after_handing_in() -> None:
    assessment, _staff = make_peer_review()
    lead = add_assessor(assessment, lead=True)
    path = f"/assessments/{assessment.pk}"
    assert _api(lead.person).get(path).json()["report"] is None
    add_assessor(assessment, ratings=[4, 4, 4, 4])
    hand_in(lead, [4, 4, 4, 4])
    assert _api(lead.person).get(path).json()["report"]["published"] is False


def test_a_mystery_shop_is_listed_without_its_reports() -> None:
    assessment, staff = make_team_assessment(ActivityKind.MYSTERY_SHOP)
    for reader in (Api(), _api(staff)):
        body = reader.get(f"/assessments/{assessment.pk}").json()
        assert body["kind"] == "mystery_shop"
        assert (body["results"], body["report"], body["visit_on"]) == (None, None, None)


def test_another_organisation_s_draft_assessment_is_404() -> None:
    service = ServiceFactory(status=ServiceStatus.DRAFT)
    assessment = user_assessment(service, {}, close=False)
    for path in (f"/assessments/{assessment.pk}", f"/assessments/{assessment.pk}/findings"):
        for outsider in (Api(), _api(UserFactory()), _api(_outsider())):
            assert outsider.get(path).status_code == 404, path
        assert _api(staff_of(assessment.activity)).get(path).status_code == 200, path
    assert Api().get("/assessments/2147483647").status_code == 404


# --- Findings and improvement actions -------------------------------------------------------------


def test_findings_come_with_their_answers_and_actions_and_hidden_ones_are_left_out() -> None:
    service = ServiceFactory()
    _lineages(service)
    assessment = user_assessment(service, {})
    staff = staff_of(assessment.activity)
    concern = _concern(assessment, staff)
    action = actions_findings.action_add(
        finding=concern, by=staff, description="A second line", owner="Manager", due_on=_due(5)
    )
    spine.response_create(contribution=concern.contribution, author=staff, body="We hear you.")
    hidden = _concern(assessment, staff, title="Said about a named driver")
    spine.moderation_hide(contribution=hidden.contribution, moderator=staff)
    path = f"/assessments/{assessment.pk}/findings"

    body = Api().get(path).json()

    assert body["assessment"] == assessment.pk
    [shown] = body["findings"]
    assert shown["id"] == concern.pk
    assert (shown["kind"], shown["title"], shown["visibility"]) == (
        "concern",
        "Phones",
        "published",
    )
    assert shown["standards"] == [standards(assessment)[0].pk]
    assert [(a["id"], a["overdue"], a["status"]) for a in shown["actions"]] == [
        (action.pk, False, "planned")
    ]
    assert [answer["body"] for answer in shown["answers"]] == ["We hear you."]
    assert shown["page"] == f"/findings/{concern.pk}/"
    assert "named driver" not in str(body)
    moderated = _api(staff_of(assessment.activity)).get(path).json()["findings"]
    assert {f["id"]: f["visibility"] for f in moderated} == {
        concern.pk: "published",
        hidden.pk: "hidden",
    }


def test_a_service_s_improvement_actions_come_a_page_at_a_time_overdue_first() -> None:
    service = ServiceFactory()
    _lineages(service)
    assessment = user_assessment(service, {})
    staff = staff_of(assessment.activity)
    concern = _concern(assessment, staff)
    made = [
        actions_findings.action_add(
            finding=concern, by=staff, description=f"Step {days}", owner="x", due_on=_due(days)
        )
        for days in (9, 3, 6)
    ]
    ImprovementAction.objects.filter(pk=made[1].pk).update(due_on=_due(-2))
    path = f"/services/{service.slug}/improvement-actions"

    first = Api().get(path, {"limit": 2}).json()
    second = Api().get(path, {"limit": 2, "offset": 2}).json()

    assert first["count"] == second["count"] == 3
    listed = first["items"] + second["items"]
    assert [item["description"] for item in listed] == ["Step 3", "Step 6", "Step 9"]
    assert [item["overdue"] for item in listed] == [True, False, False]
    assert {item["finding"] for item in listed} == {concern.pk}
    assert {item["assessment"] for item in listed} == {assessment.pk}
    assert Api().get(path, {"limit": 101}).status_code == 422


def test_a_hidden_finding_s_actions_are_not_listed() -> None:
    service = ServiceFactory()
    _lineages(service)
    assessment = user_assessment(service, {})
    staff = staff_of(assessment.activity)
    concern = _concern(assessment, staff)
    actions_findings.action_add(
        finding=concern, by=staff, description="Secret plan", owner="x", due_on=_due(3)
    )
    spine.moderation_hide(contribution=concern.contribution, moderator=staff)
    body = Api().get(f"/services/{service.slug}/improvement-actions").json()
    assert body == {"items": [], "count": 0}


def test_a_draft_service_s_improvement_actions_are_404_outside_its_organisation() -> None:
    service = ServiceFactory(status=ServiceStatus.DRAFT)
    path = f"/services/{service.slug}/improvement-actions"
    for outsider in (Api(), _api(UserFactory()), _api(_outsider())):
        assert outsider.get(path).status_code == 404
    assert _api(keeper_of(service)).get(path).json() == {"items": [], "count": 0}
