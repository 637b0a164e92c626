"""The actions of agreed reports: who writes them (a self-reflection's staff, a peer review's lead
once they have handed in their own ratings), what a save checks, and publishing: refused with
what is missing, then final."""

from __future__ import annotations

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError

from coproduce.accounts.models import User
from coproduce.accounts.tests.factories import UserFactory
from coproduce.assessment import actions_report as actions
from coproduce.assessment.models import AgreedRating, Assessment
from coproduce.assessment.tests.factories_report import (
    add_assessor,
    every,
    hand_in,
    make_peer_review,
    make_self_reflection,
    standards,
)
from coproduce.organisations.models import Role
from coproduce.services.models import ActivityKind
from coproduce.services.tests.factories import ActivityFactory, staff_of

pytestmark = pytest.mark.django_db

SUMMARY = "The team is proud of its drivers; booking by phone is still too hard."


def _complete(assessment: Assessment, by: User, rating: int | None = 4) -> None:
    actions.report_save(
        assessment=assessment, by=by, ratings=every(assessment, rating), summary=SUMMARY
    )


# --- Writing a self-reflection --------------------------------------------------------------------


def test_staff_save_a_self_reflection_part_written_then_add_to_it() -> None:
    assessment, staff = make_self_reflection()
    first, second, *_rest = standards(assessment)
    actions.report_save(
        assessment=assessment,
        by=staff,
        ratings={first.pk: (5, "  Every driver had the training.  ")},
        summary="",
    )
    row = AgreedRating.objects.get(assessment=assessment, standard=first)
    assert (row.rating, row.note, row.updated_by) == (5, "Every driver had the training.", staff)
    # A later save adds a standard and keeps the first as it was.
    actions.report_save(
        assessment=assessment, by=staff, ratings={second.pk: (None, "")}, summary=SUMMARY
    )
    saved = dict(
        AgreedRating.objects.filter(assessment=assessment).values_list("standard_id", "rating")
    )
    assert saved == {first.pk: 5, second.pk: None}
    assessment.refresh_from_db()
    assert assessment.summary == SUMMARY
    assert not assessment.is_published


def test_a_save_refuses_ratings_off_the_scale_long_notes_and_welsh_alone() -> None:
    assessment, staff = make_self_reflection()
    first, second, *_rest = standards(assessment)
    with pytest.raises(ValidationError) as refused:
        actions.report_save(
            assessment=assessment,
            by=staff,
            ratings={first.pk: (6, ""), second.pk: (3, "x" * 2001)},
            summary="",
            summary_cy="Crynodeb",
        )
    errors = refused.value.message_dict
    assert f"“{first.statement}”" in errors[f"rating_{first.pk}"][0]
    assert "2000 characters or fewer. It has 2001" in errors[f"note_{second.pk}"][0]
    assert "in English as well" in errors["summary_cy"][0]
    with pytest.raises(ValidationError) as too_long:
        actions.report_save(assessment=assessment, by=staff, ratings={}, summary="y" * 10_001)
    assert "10,000 characters or fewer" in too_long.value.message_dict["summary"][0]
    assert not AgreedRating.objects.exists()


def test_a_save_refuses_standards_of_another_version() -> None:
    assessment, staff = make_self_reflection()
    other, _staff = make_self_reflection()
    stranger = standards(other)[0]
    with pytest.raises(ValidationError) as refused:
        actions.report_save(
            assessment=assessment, by=staff, ratings={stranger.pk: (3, "")}, summary=""
        )
    assert NON_FIELD_ERRORS in refused.value.message_dict


def test_only_the_services_staff_write_a_self_reflection() -> None:
    assessment, _staff = make_self_reflection()
    for person in (
        UserFactory(),
        staff_of(assessment.activity, Role.FACILITATOR),
        staff_of(ActivityFactory(kind=ActivityKind.SELF_REFLECTION)),  # another organisation
    ):
        with pytest.raises(PermissionDenied):
            actions.report_save(
                assessment=assessment, by=person, ratings=every(assessment, 3), summary=SUMMARY
            )
    assert not AgreedRating.objects.exists()


# --- Writing a peer review ------------------------------------------------------------------------


def test_the_lead_writes_the_peer_report_once_they_have_handed_in_their_own() -> None:
    assessment, _staff = make_peer_review()
    lead = add_assessor(assessment, lead=True)
    with pytest.raises(ValidationError) as refused:
        _complete(assessment, lead.person)
    assert "Hand in your own ratings" in refused.value.messages[0]
    assert not AgreedRating.objects.exists()
    hand_in(lead, [4, 4, 3, 5])
    _complete(assessment, lead.person)
    assert AgreedRating.objects.filter(assessment=assessment).count() == 4


def test_another_assessor_and_the_services_staff_cannot_write_a_peer_report() -> None:
    assessment, staff = make_peer_review()
    add_assessor(assessment, lead=True, ratings=[4, 4, 3, 5])
    other = add_assessor(assessment, ratings=[4, 3, 3, 5])
    for person in (other.person, staff, UserFactory()):
        with pytest.raises(PermissionDenied):
            _complete(assessment, person)
        with pytest.raises(PermissionDenied):
            actions.report_publish(assessment=assessment, by=person)
    assert not AgreedRating.objects.exists()


# --- Publishing -----------------------------------------------------------------------------------


def test_publishing_names_the_standards_without_a_rating_and_the_missing_summary() -> None:
    assessment, staff = make_self_reflection()
    first, second, third, fourth = standards(assessment)
    actions.report_save(assessment=assessment, by=staff, ratings={first.pk: (4, "")}, summary="")
    with pytest.raises(ValidationError) as refused:
        actions.report_publish(assessment=assessment, by=staff)
    errors = refused.value.message_dict
    assert errors["ratings"][0].startswith("3 standards have no agreed rating yet")
    for standard in (second, third, fourth):
        assert f"“{standard.statement}”" in errors["ratings"][0]
    assert f"“{first.statement}”" not in errors["ratings"][0]
    assert "summary" in errors
    assessment.refresh_from_db()
    assert assessment.published_at is None


def test_publishing_a_peer_report_waits_for_every_assessor() -> None:
    assessment, _staff = make_peer_review()
    lead = add_assessor(assessment, lead=True, ratings=[4, 4, 3, 5])
    add_assessor(assessment)
    add_assessor(assessment)
    _complete(assessment, lead.person)
    with pytest.raises(ValidationError) as refused:
        actions.report_publish(assessment=assessment, by=lead.person)
    assert refused.value.message_dict == {
        "assessors": [
            "2 assessors have not handed in their ratings. Every assessor hands in their own "
            "ratings before the report is published."
        ]
    }


def test_a_complete_report_is_published_once_and_then_nothing_changes() -> None:
    assessment, staff = make_self_reflection()
    _complete(assessment, staff, rating=None)  # "does not apply" is an agreed answer too
    published = actions.report_publish(assessment=assessment, by=staff)
    assert published.published_at is not None
    assert published.published_by == staff
    with pytest.raises(PermissionDenied):
        actions.report_publish(assessment=assessment, by=staff)
    with pytest.raises(PermissionDenied):
        _complete(assessment, staff, rating=2)
    assert set(AgreedRating.objects.values_list("rating", flat=True)) == {None}


def test_a_complete_peer_report_is_published_by_its_lead() -> None:
    assessment, _staff = make_peer_review()
    lead = add_assessor(assessment, lead=True, ratings=[4, 4, 3, 5])
    add_assessor(assessment, ratings=[5, 4, 3, 5])
    _complete(assessment, lead.person)
    assessment.refresh_from_db()
    assert actions.publish_problems(assessment) == {}
    published = actions.report_publish(assessment=assessment, by=lead.person)
    assert published.is_published
    assert published.published_by == lead.person
