"""The pages of agreed reports and what they read: a draft is private to the team (404 to anyone
else), published it is public; a self-reflection beside the users' view with the gap (lineage
across versions, too few to report); a peer review's team (never named) and agreement; writing
and publishing the report, and nothing editable afterwards."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from coproduce.accounts.models import User
from coproduce.accounts.tests.factories import UserFactory, client_for
from coproduce.assessment import actions_framework
from coproduce.assessment import actions_report as actions
from coproduce.assessment import queries_report as queries
from coproduce.assessment.actions_assessments import assessment_set_up as set_up
from coproduce.assessment.models import AgreedRating, Assessment
from coproduce.assessment.tests.factories import make_framework, next_draft
from coproduce.assessment.tests.factories_report import (
    add_assessor,
    every,
    hand_in,
    make_peer_review,
    make_self_reflection,
    standards,
    user_assessment,
)
from coproduce.services.models import ActivityKind, ActivityState
from coproduce.services.tests.factories import ActivityFactory, ServiceFactory, staff_of

pytestmark = pytest.mark.django_db

SUMMARY = "Drivers are kind and on time; booking by phone is still too hard."
PAGES = ("report", "report_edit", "report_publish")


def _text(response: Any) -> str:
    return str(response.content.decode())


def _messages(response: Any) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def _url(name: str, pk: int) -> str:
    return reverse(f"assessment:{name}", args=[pk])


def _complete(assessment: Assessment, by: User, ratings: dict[int, Any] | None = None) -> None:
    actions.report_save(
        assessment=assessment,
        by=by,
        ratings=ratings if ratings is not None else every(assessment, 4, "Seen on the visit."),
        summary=SUMMARY,
    )


def _publish(assessment: Assessment, by: User) -> None:
    actions.report_publish(assessment=Assessment.objects.get(pk=assessment.pk), by=by)


# --- Who sees a self-reflection -------------------------------------------------------------------


def test_a_self_reflection_is_private_to_the_services_staff_until_published() -> None:
    assessment, staff = make_self_reflection()
    _complete(assessment, staff)
    outsiders = [
        Client(),
        client_for(UserFactory()),
        client_for(staff_of(ActivityFactory(kind=ActivityKind.SELF_REFLECTION))),
    ]
    for client in outsiders:
        for name in PAGES:
            assert client.get(_url(name, assessment.pk)).status_code == 404, name
    page = _text(client_for(staff).get(_url("report", assessment.pk)))
    assert 'id="draft-notice"' in page
    assert "Draft: only the team can see this." in page
    assert SUMMARY in page
    _publish(assessment, staff)
    public = Client().get(_url("report", assessment.pk))
    assert public.status_code == 200
    page = _text(public)
    assert 'id="draft-notice"' not in page
    assert 'id="published"' in page
    assert SUMMARY in page
    assert "Seen on the visit." in page
    assert _url("report_edit", assessment.pk) not in page


def test_nothing_is_editable_after_publication() -> None:
    assessment, staff = make_self_reflection()
    _complete(assessment, staff)
    _publish(assessment, staff)
    client = client_for(staff)
    for name in ("report_edit", "report_publish"):
        assert client.get(_url(name, assessment.pk)).status_code == 404, name
        assert client.post(_url(name, assessment.pk), {"summary": "New"}).status_code == 404
    assert _url("report_edit", assessment.pk) not in _text(
        client.get(_url("report", assessment.pk))
    )
    assessment.refresh_from_db()
    assert assessment.summary == SUMMARY


def test_a_report_of_a_draft_activity_stays_hidden_even_when_published() -> None:
    assessment, staff = make_self_reflection(state=ActivityState.DRAFT)
    _complete(assessment, staff)
    _publish(assessment, staff)
    assert Client().get(_url("report", assessment.pk)).status_code == 404
    assert client_for(staff).get(_url("report", assessment.pk)).status_code == 200


def test_other_methods_have_no_report() -> None:
    activity = ActivityFactory(kind=ActivityKind.ASSESSMENT, state=ActivityState.OPEN)
    staff = staff_of(activity)
    version = make_framework(activity.service, staff)
    assessment = user_assessment(activity.service, {}, version=version, close=False)
    for name in PAGES:
        assert client_for(staff).get(_url(name, assessment.pk)).status_code == 404, name


# --- Writing and publishing -----------------------------------------------------------------------


def test_staff_write_the_self_reflection_on_its_page() -> None:
    assessment, staff = make_self_reflection()
    first, second, *_rest = standards(assessment)
    client = client_for(staff)
    page = _text(client.get(_url("report_edit", assessment.pk)))
    assert page.count('<fieldset class="govuk-fieldset"') == 4
    assert page.count(f'name="rating_{first.pk}"') == 6
    assert 'name="summary_cy"' in page
    assert '<details class="govuk-details">' in page  # the Welsh summary, closed while empty
    response = client.post(
        _url("report_edit", assessment.pk),
        {
            f"rating_{first.pk}": "5",
            f"note_{first.pk}": "All drivers trained.",
            f"rating_{second.pk}": "none",
            "summary": SUMMARY,
            "summary_cy": "",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == _url("report", assessment.pk)
    assert "Only the team can see it" in _messages(response)[0]
    saved = dict(
        AgreedRating.objects.filter(assessment=assessment).values_list("standard_id", "rating")
    )
    assert saved == {first.pk: 5, second.pk: None}
    page = _text(client.get(_url("report_edit", assessment.pk)))
    assert 'value="5" checked' in page
    assert "All drivers trained." in page


def test_the_form_shows_errors_on_their_fields_with_a_summary() -> None:
    assessment, staff = make_self_reflection()
    first, second, *_rest = standards(assessment)
    response = client_for(staff).post(
        _url("report_edit", assessment.pk),
        {
            f"rating_{first.pk}": "9",
            f"note_{second.pk}": "A note without a rating.",
            "summary": "",
            "summary_cy": "Crynodeb yn unig",
        },
    )
    assert response.status_code == 200
    page = _text(response)
    assert "<title>Error:" in page
    assert "govuk-error-summary" in page
    assert f"Choose the team’s rating of “{first.statement}”" in page
    assert "to keep the note on it" in page
    assert "in English as well" in page
    assert '<details class="govuk-details" open>' in page
    assert not AgreedRating.objects.exists()


def test_publishing_lists_what_is_missing_then_publishes_for_good() -> None:
    assessment, staff = make_self_reflection()
    client = client_for(staff)
    page = _text(client.get(_url("report_publish", assessment.pk)))
    assert 'id="problems"' in page
    assert "4 standards have no agreed rating yet" in page
    assert "Write the summary of the report." in page
    assert "govuk-button--warning" not in page  # no button to publish
    refused = client.post(_url("report_publish", assessment.pk))
    assert refused.status_code == 200
    assert "govuk-error-summary" in _text(refused)
    _complete(assessment, staff)
    page = _text(client.get(_url("report_publish", assessment.pk)))
    assert 'id="cannot-undo"' in page
    assert "govuk-button--warning" in page
    assert "how the team sees the service beside how people who use it see it" in page
    response = client.post(_url("report_publish", assessment.pk))
    assert response.status_code == 302
    assert response["Location"] == _url("report", assessment.pk)
    assert "The report is published" in _messages(response)[0]
    assessment.refresh_from_db()
    assert assessment.published_by == staff


# --- Peer reviews ---------------------------------------------------------------------------------


def test_the_lead_writes_the_peer_report_and_the_services_staff_only_read_it() -> None:
    assessment, staff = make_peer_review()
    lead = add_assessor(assessment, lead=True, ratings=[4, 4, 3, 5])
    other = add_assessor(assessment, ratings=[4, 3, 3, 5])
    _complete(assessment, lead.person)
    lead_client = client_for(lead.person)
    for name in PAGES:
        assert lead_client.get(_url(name, assessment.pk)).status_code == 200, name
    for person in (staff, other.person):
        client = client_for(person)
        assert client.get(_url("report", assessment.pk)).status_code == 200
        page = _text(client.get(_url("report", assessment.pk)))
        assert SUMMARY in page
        assert _url("report_edit", assessment.pk) not in page
        for name in ("report_edit", "report_publish"):
            assert client.get(_url(name, assessment.pk)).status_code == 404, name
    for client in (Client(), client_for(UserFactory())):
        assert client.get(_url("report", assessment.pk)).status_code == 404


def test_after_publication_the_set_up_page_no_longer_links_to_the_team() -> None:
    """The team and the visit are chosen until the report is published; then that page is gone."""
    assessment, staff = make_peer_review()
    lead = add_assessor(assessment, lead=True, ratings=[4, 4, 3, 5])
    client = client_for(staff)
    manage = reverse("assessment:manage", args=[assessment.activity.pk])
    team = reverse("assessment:team", args=[assessment.pk])
    assert team in _text(client.get(manage))
    assert client.get(team).status_code == 200
    _complete(assessment, lead.person)
    _publish(assessment, lead.person)
    assert team not in _text(client.get(manage))
    assert client.get(team).status_code == 404
    assert _url("report", assessment.pk) in _text(client.get(manage))


def test_a_lead_who_has_not_handed_in_is_asked_to_first() -> None:
    assessment, _staff = make_peer_review()
    lead = add_assessor(assessment, lead=True)
    client = client_for(lead.person)
    page = _text(client.get(_url("report_edit", assessment.pk)))
    assert 'id="hand-in-first"' in page
    assert "<form" not in page.split('id="hand-in-first"')[1]
    assert _url("assessor_rate", assessment.pk) in page
    first = standards(assessment)[0]
    refused = client.post(_url("report_edit", assessment.pk), {f"rating_{first.pk}": "4"})
    assert refused.status_code == 200
    assert "Hand in your own ratings" in _text(refused)
    assert not AgreedRating.objects.exists()


def test_an_assessor_reads_the_draft_only_after_handing_in() -> None:
    assessment, _staff = make_peer_review()
    lead = add_assessor(assessment, lead=True, ratings=[4, 4, 3, 5])
    other = add_assessor(assessment)
    _complete(assessment, lead.person)
    assert client_for(other.person).get(_url("report", assessment.pk)).status_code == 404
    hand_in(other, [4, 4, 4, 5])
    page = _text(client_for(other.person).get(_url("report", assessment.pk)))
    assert SUMMARY in page


def test_a_published_peer_report_shows_the_team_unnamed_the_visit_and_the_agreement() -> None:
    assessment, _staff = make_peer_review()
    Assessment.objects.filter(pk=assessment.pk).update(visit_on="2025-03-04")
    named = UserFactory(name="Philippa Quorndon")
    lead = add_assessor(
        assessment, lead=True, ratings=[4, 4, 3, 5], person=named, from_group="Northfield Carers"
    )
    add_assessor(assessment, ratings=[4, 4, 3, 5])
    add_assessor(assessment, ratings=[4, 3, 3, 5])
    _complete(assessment, lead.person)
    _publish(assessment, lead.person)
    page = _text(Client().get(_url("report", assessment.pk)))
    assert "3 assessors from Northfield Carers and Eastvale Dial-a-Ride user group" in page
    assert "4 March 2025" in page
    assert "Philippa Quorndon" not in page
    assert named.email not in page
    assert 'id="agreement"' in page
    assert 'id="agreement-alpha"' in page
    assert 'id="handed-in"' not in page


def test_the_agreement_counts_only_assessors_who_handed_in() -> None:
    assessment, _staff = make_peer_review()
    add_assessor(assessment, lead=True, ratings=[5, 4, 3, 2])
    add_assessor(assessment, ratings=[5, 4, 3, 2])
    waiting = add_assessor(assessment)
    found = queries.team_agreement(assessment)
    assert (found.units, found.values, found.reading) == (4, 8, "strong")
    assert found.alpha == 1.0
    assert found.percent == 1.0
    hand_in(waiting, [1, 1, 5, 5])
    found = queries.team_agreement(assessment)
    assert found.values == 12
    assert found.reading == "weak"


# --- A self-reflection beside the users' view -----------------------------------------------------


def test_the_gap_is_the_team_rating_less_the_users_average_to_one_decimal(settings: Any) -> None:
    settings.COPRODUCE_ASSESSMENT_MIN_RESPONSES = 5
    assessment, staff = make_self_reflection()
    first, second, third, fourth = standards(assessment)
    user_assessment(
        assessment.activity.service,
        {
            first.lineage: [5, 5, 4, 4, 3],  # 4.2
            second.lineage: [5, 5, 5, 5, 4, 4],  # 4.67 → 4.7
            third.lineage: [2, 2, 2, 2, 2, None],  # 2.0; "does not apply" not counted
            fourth.lineage: [5, 5, 5, None, None],  # three ratings: too few
        },
    )
    _complete(
        assessment,
        staff,
        {first.pk: (5, ""), second.pk: (3, ""), third.pk: (2, ""), fourth.pk: (4, "")},
    )
    rows = {
        row.standard.pk: row
        for theme in queries.comparison(assessment).themes
        for row in theme.items
    }
    assert (rows[first.pk].mean, rows[first.pk].gap_text) == (Decimal("4.2"), "+0.8")
    assert rows[first.pk].reading == "We rate ourselves higher than people who use the service do"
    assert (rows[second.pk].mean, rows[second.pk].gap_text) == (Decimal("4.7"), "-1.7")
    assert rows[second.pk].reading == "We rate ourselves lower than people who use the service do"
    assert (rows[third.pk].mean, rows[third.pk].gap_text) == (Decimal("2.0"), "0.0")
    assert rows[third.pk].reading == "About the same"
    third_users = rows[third.pk].users
    assert third_users is not None
    assert third_users.positive_share == 0
    fourth_users = rows[fourth.pk].users
    assert fourth_users is not None
    assert fourth_users.too_few
    assert rows[fourth.pk].mean is None
    assert rows[fourth.pk].gap is None
    page = _text(client_for(staff).get(_url("report", assessment.pk)))
    assert "+0.8" in page
    assert "-1.7" in page
    assert "Too few to report" in page
    assert 'id="users-assessment"' in page


@pytest.mark.parametrize(
    ("gap", "reading"),
    [
        ("0.5", "higher"),
        ("0.4", "About the same"),
        ("-0.4", "About the same"),
        ("-0.5", "lower"),
    ],
)
def test_half_a_point_either_way_reads_as_a_difference(gap: str, reading: str) -> None:
    assert reading in queries.gap_reading(Decimal(gap))
    assert queries.gap_between(5, Decimal("4.5")) == Decimal("0.5")
    assert queries.gap_between(None, Decimal("4.5")) is None


def test_standards_are_matched_by_lineage_across_versions(settings: Any) -> None:
    settings.COPRODUCE_ASSESSMENT_MIN_RESPONSES = 5
    service = ServiceFactory()
    activity = ActivityFactory(kind=ActivityKind.SELF_REFLECTION, state="open", service=service)
    staff = staff_of(activity)
    first_version = make_framework(service, staff)
    one, two, _three, four = list(first_version.standards.order_by("position"))
    user_assessment(service, {two.lineage: [2, 2, 3, 3, 3]}, version=first_version)  # 2.6
    draft = next_draft(first_version, staff)
    reworded = draft.standards.get(lineage=two.lineage)
    actions_framework.standard_update(
        standard=reworded, by=staff, theme=reworded.theme, statement="Everyone treats me kindly"
    )
    actions_framework.standard_delete(standard=draft.standards.get(lineage=four.lineage), by=staff)
    new = actions_framework.standard_add(
        version=draft, by=staff, theme="Booking a journey", statement="I can book online"
    )
    second_version = actions_framework.version_agree(
        version=draft, by=staff, change_note="Reworded and added online booking."
    )
    assessment, _staff = make_self_reflection(service=service, version=second_version)
    _complete(assessment, staff, every(assessment, 4))
    rows = {
        row.standard.lineage: row
        for theme in queries.comparison(assessment).themes
        for row in theme.items
    }
    assert rows[two.lineage].standard.statement == "Everyone treats me kindly"
    assert (rows[two.lineage].mean, rows[two.lineage].gap_text) == (Decimal("2.6"), "+1.4")
    assert rows[new.lineage].users is None  # people were not asked about it
    assert four.lineage not in rows  # no longer a standard
    first_users = rows[one.lineage].users
    assert first_users is not None  # asked, but nobody rated it
    assert first_users.too_few
    page = _text(client_for(staff).get(_url("report", assessment.pk)))
    assert "Not asked: people rated a version without this standard" in page


def test_a_closed_user_assessment_is_preferred_and_drafts_are_never_used() -> None:
    assessment, staff = make_self_reflection()
    service = assessment.activity.service
    assert queries.users_assessment(assessment) is None
    page = _text(client_for(staff).get(_url("report", assessment.pk)))
    assert 'id="no-users-assessment"' in page
    still_open = user_assessment(service, {}, close=False)
    assert queries.users_assessment(assessment) == still_open  # better than nothing
    page = _text(client_for(staff).get(_url("report", assessment.pk)))
    assert 'id="users-still-open"' in page
    closed = user_assessment(service, {})
    newer_open = user_assessment(service, {}, close=False)
    draft = ActivityFactory(kind=ActivityKind.ASSESSMENT, service=service)
    set_up(activity=draft, by=staff_of(draft), version=assessment.version)
    assert queries.users_assessment(assessment) == closed
    closed_later = user_assessment(service, {})
    assert queries.users_assessment(assessment) == closed_later
    assert newer_open.pk != closed_later.pk
