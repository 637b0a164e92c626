"""The actions of user assessments: pinning an agreed version (kept after a newer one is agreed,
fixed after the first response), a person's ratings (every standard answered, saved again
replaces), paper forms (staff only, never named), and the refusals of a closed activity."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from coproduce.accounts.tests.factories import UserFactory
from coproduce.assessment import actions_assessments as actions
from coproduce.assessment import actions_framework
from coproduce.assessment.models import Assessment, FrameworkVersion, Rating, Response
from coproduce.assessment.tests.factories import make_draft, make_framework, next_draft
from coproduce.organisations.models import Role
from coproduce.services import actions as services_actions
from coproduce.services.models import Activity, ActivityKind, ActivityState
from coproduce.services.tests.factories import ActivityFactory, ServiceFactory, staff_of

pytestmark = pytest.mark.django_db


def _activity(state: str = ActivityState.OPEN, **extra: Any) -> Activity:
    return ActivityFactory(kind=ActivityKind.ASSESSMENT, state=state, **extra)


def _set_up(state: str = ActivityState.OPEN, count: int = 4) -> tuple[Assessment, Any]:
    """An assessment of a new service's agreed version 1, on an activity in ``state``."""
    activity = _activity(state)
    staff = staff_of(activity)
    version = make_framework(activity.service, staff, count=count)
    return actions.assessment_set_up(activity=activity, by=staff, version=version), staff


def every(assessment: Assessment, rating: int | None, comment: str = "") -> dict[int, Any]:
    """The same answer to every standard of the assessment's version."""
    return dict.fromkeys(
        assessment.version.standards.values_list("pk", flat=True), (rating, comment)
    )


def _close(activity: Activity) -> None:
    services_actions.activity_transition(activity=activity, to_state=ActivityState.CLOSED)


# --- Setting up ---------------------------------------------------------------------------------


def test_staff_pin_an_agreed_version_of_the_service() -> None:
    assessment, staff = _set_up()
    assert assessment.version.number == 1
    assert assessment.created_by == staff
    assert assessment.pk == assessment.activity.pk


def test_a_draft_version_or_another_services_version_is_refused() -> None:
    activity = _activity()
    staff = staff_of(activity)
    draft = make_draft(activity.service, staff)
    with pytest.raises(ValidationError) as refused:
        actions.assessment_set_up(activity=activity, by=staff, version=draft)
    assert "version" in refused.value.message_dict
    other = make_framework(ServiceFactory(organisation=activity.service.organisation), staff)
    with pytest.raises(ValidationError):
        actions.assessment_set_up(activity=activity, by=staff, version=other)
    assert not Assessment.objects.exists()


def test_only_the_services_admins_and_professionals_set_up_an_assessment() -> None:
    activity = _activity()
    version = make_framework(activity.service, staff_of(activity))
    for person in (
        UserFactory(),
        staff_of(activity, Role.FACILITATOR),
        staff_of(_activity()),  # another organisation's professional
    ):
        with pytest.raises(PermissionDenied):
            actions.assessment_set_up(activity=activity, by=person, version=version)
    admin = staff_of(activity, Role.ADMIN)
    assert actions.assessment_set_up(activity=activity, by=admin, version=version)


def test_only_an_assessment_activity_can_be_set_up() -> None:
    activity = ActivityFactory(kind=ActivityKind.IDEA_CHALLENGE, state=ActivityState.OPEN)
    staff = staff_of(activity)
    version = make_framework(activity.service, staff)
    with pytest.raises(PermissionDenied):
        actions.assessment_set_up(activity=activity, by=staff, version=version)


def _version_2(version: FrameworkVersion, staff: Any) -> FrameworkVersion:
    draft = next_draft(version, staff)
    return actions_framework.version_agree(version=draft, by=staff, change_note="Reworded.")


def test_the_version_can_change_until_the_first_response_then_stays() -> None:
    assessment, staff = _set_up()
    first = assessment.version
    second = _version_2(first, staff)
    assessment = actions.assessment_set_up(activity=assessment.activity, by=staff, version=second)
    assert assessment.version == second
    assessment = actions.assessment_set_up(activity=assessment.activity, by=staff, version=first)
    actions.response_save(
        assessment=assessment, person=UserFactory(), ratings=every(assessment, 4), named=False
    )
    with pytest.raises(ValidationError) as refused:
        actions.assessment_set_up(activity=assessment.activity, by=staff, version=second)
    assert "cannot change" in refused.value.message_dict["version"][0]
    assessment.refresh_from_db()
    assert assessment.version == first
    # Choosing the same version again is harmless.
    assert actions.assessment_set_up(activity=assessment.activity, by=staff, version=first)


def test_an_assessment_keeps_its_version_after_a_new_one_is_agreed() -> None:
    assessment, staff = _set_up()
    pinned = assessment.version
    standards = list(pinned.standards.values_list("pk", "statement"))
    newer = _version_2(pinned, staff)
    assessment.refresh_from_db()
    assert assessment.version == pinned
    assert list(pinned.standards.values_list("pk", "statement")) == standards
    assert newer.number == 2
    # People still rate the pinned version's standards; the newer ones are not asked.
    person = UserFactory()
    actions.response_save(
        assessment=assessment, person=person, ratings=every(assessment, 5), named=False
    )
    rated = set(
        Rating.objects.filter(response__person=person).values_list("standard_id", flat=True)
    )
    assert rated == {pk for pk, _statement in standards}
    with pytest.raises(ValidationError):
        actions.response_save(
            assessment=assessment,
            person=person,
            ratings=dict.fromkeys(newer.standards.values_list("pk", flat=True), (5, "")),
            named=False,
        )


# --- Rating online ------------------------------------------------------------------------------


def test_a_person_rates_every_standard_and_saving_again_replaces_their_answers() -> None:
    assessment, _staff = _set_up()
    person = UserFactory()
    answers = every(assessment, 5, "  Always on time.  ")
    first_pk = next(iter(answers))
    answers[first_pk] = (None, "")
    response = actions.response_save(
        assessment=assessment, person=person, ratings=answers, named=True
    )
    assert response.named is True
    assert response.person == person
    assert response.entered_by is None
    saved = dict(response.ratings.values_list("standard_id", "rating"))
    assert saved[first_pk] is None
    assert set(saved.values()) == {None, 5}
    comments = set(response.ratings.exclude(standard_id=first_pk).values_list("comment", flat=True))
    assert comments == {"Always on time."}
    again = actions.response_save(
        assessment=assessment, person=person, ratings=every(assessment, 2), named=False
    )
    assert again.pk == response.pk
    assert Response.objects.count() == 1
    assert set(again.ratings.values_list("rating", flat=True)) == {2}
    assert again.ratings.count() == 4
    assert again.named is False


def test_every_standard_needs_an_answer_each_on_its_own_field() -> None:
    assessment, _staff = _set_up()
    answers = every(assessment, 3)
    missing, off_scale = list(answers)[:2]
    del answers[missing]
    answers[off_scale] = (9, "")
    with pytest.raises(ValidationError) as refused:
        actions.response_save(
            assessment=assessment, person=UserFactory(), ratings=answers, named=False
        )
    errors = refused.value.message_dict
    assert set(errors) == {actions.rating_key(missing), actions.rating_key(off_scale)}
    assert "Does not apply to me" in errors[actions.rating_key(missing)][0]
    assert not Response.objects.exists()


def test_a_comment_of_more_than_2000_characters_is_refused_on_its_field() -> None:
    assessment, _staff = _set_up()
    answers = every(assessment, 3)
    key = next(iter(answers))
    answers[key] = (3, "x" * 2001)
    with pytest.raises(ValidationError) as refused:
        actions.response_save(
            assessment=assessment, person=UserFactory(), ratings=answers, named=False
        )
    assert set(refused.value.message_dict) == {actions.comment_key(key)}
    answers[key] = (3, "x" * 2000)
    assert actions.response_save(
        assessment=assessment, person=UserFactory(), ratings=answers, named=False
    )


def test_answers_about_other_standards_are_refused() -> None:
    assessment, _staff = _set_up()
    other, _ = _set_up()
    answers = every(assessment, 3) | every(other, 3)
    with pytest.raises(ValidationError) as refused:
        actions.response_save(
            assessment=assessment, person=UserFactory(), ratings=answers, named=False
        )
    assert "__all__" in refused.value.message_dict


def test_nobody_rates_a_closed_or_draft_assessment_and_nothing_is_saved() -> None:
    assessment, _staff = _set_up()
    person = UserFactory()
    actions.response_save(
        assessment=assessment, person=person, ratings=every(assessment, 4), named=False
    )
    _close(assessment.activity)
    assessment.refresh_from_db()
    with pytest.raises(PermissionDenied):
        actions.response_save(
            assessment=assessment, person=person, ratings=every(assessment, 1), named=True
        )
    with pytest.raises(PermissionDenied):
        actions.response_save(
            assessment=assessment, person=UserFactory(), ratings=every(assessment, 1), named=True
        )
    assert set(Rating.objects.values_list("rating", flat=True)) == {4}
    draft, _staff = _set_up(ActivityState.DRAFT)
    with pytest.raises(PermissionDenied):
        actions.response_save(
            assessment=draft, person=UserFactory(), ratings=every(draft, 4), named=False
        )


# --- Paper forms --------------------------------------------------------------------------------


def test_staff_add_paper_forms_never_named_each_a_new_response() -> None:
    assessment, staff = _set_up()
    first = actions.paper_response_add(
        assessment=assessment, by=staff, ratings=every(assessment, 1, "Late twice.")
    )
    second = actions.paper_response_add(
        assessment=assessment, by=staff, ratings=every(assessment, None)
    )
    assert first.pk != second.pk
    for response in (first, second):
        assert response.person is None
        assert response.entered_by == staff
        assert response.named is False
    assert set(second.ratings.values_list("rating", flat=True)) == {None}


def test_only_staff_of_the_service_enter_paper_forms_while_it_is_open() -> None:
    assessment, staff = _set_up()
    for person in (
        UserFactory(),
        staff_of(assessment.activity, Role.FACILITATOR),
        staff_of(_activity()),
    ):
        with pytest.raises(PermissionDenied):
            actions.paper_response_add(
                assessment=assessment, by=person, ratings=every(assessment, 3)
            )
    _close(assessment.activity)
    assessment.refresh_from_db()
    with pytest.raises(PermissionDenied):
        actions.paper_response_add(assessment=assessment, by=staff, ratings=every(assessment, 3))
    assert not Response.objects.exists()


def test_a_paper_form_needs_every_answer_too() -> None:
    assessment, staff = _set_up()
    answers = every(assessment, 3)
    missing = next(iter(answers))
    del answers[missing]
    with pytest.raises(ValidationError) as refused:
        actions.paper_response_add(assessment=assessment, by=staff, ratings=answers)
    assert set(refused.value.message_dict) == {actions.rating_key(missing)}
    assert not Response.objects.exists()
