"""The writes of peer reviews: the visit, the team (independent of the service, one lead, at most
eight), removing someone before they hand in, and an assessor's own ratings (drafts, then handed in
for good)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.utils import timezone

from coproduce.accounts.tests.factories import UserFactory
from coproduce.assessment import actions_peer as actions
from coproduce.assessment.models import Assessment, Assessor, AssessorRating
from coproduce.assessment.tests.factories_peer import add_assessor, every, hand_in, peer_review
from coproduce.organisations.models import Role
from coproduce.services.models import ActivityKind
from coproduce.services.tests.factories import ActivityFactory, staff_of

pytestmark = pytest.mark.django_db


def _publish(assessment: Assessment) -> None:
    # The report's own action (actions_report) publishes; here only the fact matters.
    Assessment.objects.filter(pk=assessment.pk).update(published_at=timezone.now())
    assessment.refresh_from_db()


def _messages(error: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return error.value.message_dict


# --- The visit ----------------------------------------------------------------------------------


def test_staff_schedule_the_visit_up_to_a_year_back_and_two_years_ahead() -> None:
    assessment, staff = peer_review()
    today = timezone.localdate()
    saved = actions.visit_schedule(
        assessment=assessment, by=staff, visit_on=today, visit_place="  The scheme’s office  "
    )
    assert (saved.visit_on, saved.visit_place) == (today, "The scheme’s office")
    # A desk review recorded afterwards: eleven months ago is fine.
    last_year = today - dt.timedelta(days=330)
    actions.visit_schedule(assessment=assessment, by=staff, visit_on=last_year, visit_place="")
    assessment.refresh_from_db()
    assert (assessment.visit_on, assessment.visit_place) == (last_year, "")
    for day in (today - dt.timedelta(days=400), today + dt.timedelta(days=2 * 366 + 1)):
        with pytest.raises(ValidationError) as error:
            actions.visit_schedule(assessment=assessment, by=staff, visit_on=day, visit_place="")
        assert "up to a year ago" in _messages(error)["visit_on"][0]
    assessment.refresh_from_db()
    assert assessment.visit_on == last_year


def test_the_visit_needs_a_date_and_a_short_place() -> None:
    assessment, staff = peer_review()
    with pytest.raises(ValidationError) as error:
        actions.visit_schedule(
            assessment=assessment, by=staff, visit_on=None, visit_place="x" * 201
        )
    assert _messages(error) == {
        "visit_on": ["Enter the date of the visit."],
        "visit_place": ["Where the visit is must be 200 characters or fewer. It has 201."],
    }


def test_only_the_services_staff_schedule_the_visit_and_not_after_publication() -> None:
    assessment, staff = peer_review()
    today = timezone.localdate()
    other = staff_of(ActivityFactory(kind=ActivityKind.PEER_REVIEW))
    facilitator = staff_of(assessment.activity, Role.FACILITATOR)
    member = add_assessor(assessment, staff).person
    for person in (UserFactory(), other, facilitator, member):
        with pytest.raises(PermissionDenied):
            actions.visit_schedule(assessment=assessment, by=person, visit_on=today, visit_place="")
    _publish(assessment)
    with pytest.raises(PermissionDenied):
        actions.visit_schedule(assessment=assessment, by=staff, visit_on=today, visit_place="")


# --- The team -----------------------------------------------------------------------------------


def test_staff_add_an_assessor_by_email_in_any_case() -> None:
    assessment, staff = peer_review()
    person = UserFactory(email="jo.peer@example.org", name="Jo Peer")
    assessor = actions.assessor_add(
        assessment=assessment,
        by=staff,
        email="  Jo.PEER@Example.org ",
        from_group=" Westfield Carers’ Forum ",
        is_lead=False,
    )
    assert assessor.person == person
    assert assessor.from_group == "Westfield Carers’ Forum"
    assert assessor.added_by == staff
    assert not assessor.is_lead


def test_an_unknown_or_closed_account_is_refused_with_what_to_do() -> None:
    assessment, staff = peer_review()
    UserFactory(email="gone@example.org", is_active=False)
    for email in ("nobody@example.org", "gone@example.org"):
        with pytest.raises(ValidationError) as error:
            actions.assessor_add(
                assessment=assessment, by=staff, email=email, from_group="A group", is_lead=False
            )
        assert _messages(error) == {
            "email": ["There is no account with this email address. Ask them to create one first."]
        }
    assert not assessment.assessors.exists()


@pytest.mark.parametrize("role", [Role.ADMIN, Role.PROFESSIONAL, Role.FACILITATOR])
def test_nobody_who_works_for_the_service_can_be_a_peer(role: str) -> None:
    assessment, staff = peer_review()
    insider = staff_of(assessment.activity, role)
    with pytest.raises(ValidationError) as error:
        add_assessor(assessment, staff, insider)
    message = _messages(error)["email"][0]
    assert "works for the organisation that runs the service" in message
    assert "independent" in message
    # Staff of another organisation (a partner) can be.
    outsider = staff_of(ActivityFactory())
    assert add_assessor(assessment, staff, outsider).person == outsider


def test_someone_is_on_the_team_once_and_where_they_come_from_is_needed() -> None:
    assessment, staff = peer_review()
    assessor = add_assessor(assessment, staff)
    with pytest.raises(ValidationError) as error:
        add_assessor(assessment, staff, assessor.person)
    assert _messages(error) == {"email": [f"{assessor.person.name} is already on the team."]}
    with pytest.raises(ValidationError) as error:
        add_assessor(assessment, staff, from_group="  ")
    assert "Say where the assessor comes from" in _messages(error)["from_group"][0]


def test_a_new_lead_takes_over_from_the_last() -> None:
    assessment, staff = peer_review()
    first = add_assessor(assessment, staff, lead=True)
    second = add_assessor(assessment, staff)
    third = add_assessor(assessment, staff, lead=True)
    leads = list(assessment.assessors.filter(is_lead=True).values_list("pk", flat=True))
    assert leads == [third.pk]
    first.refresh_from_db()
    second.refresh_from_db()
    assert not first.is_lead
    assert not second.is_lead


def test_a_team_has_at_most_eight_assessors() -> None:
    assessment, staff = peer_review()
    for _ in range(actions.TEAM_MAX):
        add_assessor(assessment, staff)
    with pytest.raises(ValidationError) as error:
        add_assessor(assessment, staff)
    assert "already has 8 assessors" in _messages(error)[NON_FIELD_ERRORS][0]
    assert assessment.assessors.count() == 8


def test_only_the_services_staff_choose_the_team_and_not_after_publication() -> None:
    assessment, staff = peer_review()
    other = staff_of(ActivityFactory(kind=ActivityKind.PEER_REVIEW))
    facilitator = staff_of(assessment.activity, Role.FACILITATOR)
    for person in (UserFactory(), other, facilitator):
        with pytest.raises(PermissionDenied):
            add_assessor(assessment, person)
    assessor = add_assessor(assessment, staff)
    _publish(assessment)
    with pytest.raises(PermissionDenied):
        add_assessor(assessment, staff)
    with pytest.raises(PermissionDenied):
        actions.assessor_remove(assessor=assessor, by=staff)


def test_a_team_is_for_peer_reviews_only() -> None:
    user_assessment, staff = peer_review()
    activity = user_assessment.activity
    activity.kind = ActivityKind.ASSESSMENT
    activity.save(update_fields=["kind"])
    with pytest.raises(PermissionDenied):
        add_assessor(user_assessment, staff)


def test_staff_remove_an_assessor_with_their_draft_until_they_hand_in() -> None:
    assessment, staff = peer_review()
    leaving = add_assessor(assessment, staff)
    actions.assessor_ratings_save(
        assessment=assessment, person=leaving.person, ratings=every(assessment, 3), hand_in=False
    )
    actions.assessor_remove(assessor=leaving, by=staff)
    assert not Assessor.objects.filter(pk=leaving.pk).exists()
    assert not AssessorRating.objects.filter(assessor_id=leaving.pk).exists()
    staying = hand_in(add_assessor(assessment, staff), 4)
    with pytest.raises(ValidationError) as error:
        actions.assessor_remove(assessor=staying, by=staff)
    assert "has handed in their ratings, so they stay on the team" in error.value.messages[0]
    assert Assessor.objects.filter(pk=staying.pk).exists()
    with pytest.raises(PermissionDenied):
        actions.assessor_remove(assessor=staying, by=staying.person)


# --- An assessor's own ratings ------------------------------------------------------------------


def test_an_assessor_saves_a_draft_then_hands_in_for_good() -> None:
    assessment, staff = peer_review()
    assessor = add_assessor(assessment, staff)
    first, second, *rest = assessment.version.standards.order_by("position", "id")
    draft = {first.pk: (4, " The driver waited. "), second.pk: (None, "")}
    saved = actions.assessor_ratings_save(
        assessment=assessment, person=assessor.person, ratings=draft, hand_in=False
    )
    assert saved.submitted_at is None
    assert dict(saved.ratings.values_list("standard_id", "rating")) == {
        first.pk: 4,
        second.pk: None,
    }
    assert saved.ratings.get(standard=first).evidence == "The driver waited."
    # Saving again replaces the draft.
    whole = {**every(assessment, 2), first.pk: (5, "Booked in two minutes.")}
    done = actions.assessor_ratings_save(
        assessment=assessment, person=assessor.person, ratings=whole, hand_in=True
    )
    assert done.submitted_at is not None
    assert done.ratings.count() == 2 + len(rest)
    assert done.ratings.get(standard=first).rating == 5
    with pytest.raises(PermissionDenied):
        actions.assessor_ratings_save(
            assessment=assessment, person=assessor.person, ratings=whole, hand_in=False
        )


def test_handing_in_needs_every_standard_and_names_the_ones_missing() -> None:
    assessment, staff = peer_review()
    assessor = add_assessor(assessment, staff)
    missing = assessment.version.standards.order_by("position", "id").last()
    assert missing is not None
    ratings = every(assessment, 3)
    del ratings[missing.pk]
    with pytest.raises(ValidationError) as error:
        actions.assessor_ratings_save(
            assessment=assessment, person=assessor.person, ratings=ratings, hand_in=True
        )
    assert _messages(error) == {
        f"rating_{missing.pk}": [
            f"Rate “{missing.statement}”, or choose “Does not apply”, before you hand in your "
            "ratings."
        ]
    }
    assessor.refresh_from_db()
    assert assessor.submitted_at is None
    assert not assessor.ratings.exists()


def test_ratings_off_the_scale_long_evidence_and_unknown_standards_are_refused() -> None:
    assessment, staff = peer_review()
    assessor = add_assessor(assessment, staff)
    first, second = assessment.version.standards.order_by("position", "id")[:2]
    with pytest.raises(ValidationError) as error:
        actions.assessor_ratings_save(
            assessment=assessment,
            person=assessor.person,
            ratings={first.pk: (6, ""), second.pk: (3, "x" * 2001), 10**9: (3, "")},
            hand_in=False,
        )
    found = _messages(error)
    assert f"rating_{first.pk}" in found
    assert found[f"comment_{second.pk}"] == [
        f"Your evidence on “{second.statement}” must be 2000 characters or fewer. It has 2001."
    ]
    assert "Reload the page" in found[NON_FIELD_ERRORS][0]
    assert not assessor.ratings.exists()


def test_only_team_members_rate_and_not_after_publication() -> None:
    assessment, staff = peer_review()
    assessor = add_assessor(assessment, staff)
    for person in (UserFactory(), staff):
        with pytest.raises(PermissionDenied):
            actions.assessor_ratings_save(
                assessment=assessment, person=person, ratings=every(assessment, 3), hand_in=False
            )
    _publish(assessment)
    with pytest.raises(PermissionDenied):
        actions.assessor_ratings_save(
            assessment=assessment,
            person=assessor.person,
            ratings=every(assessment, 3),
            hand_in=False,
        )
