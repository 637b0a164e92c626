"""The pages of peer reviews: the team and the visit (staff), removing an assessor, an assessor's
own ratings (a draft, then handed in), and the team's ratings side by side with how far they agree.
A peer team is private: everyone who may not use a page gets 404, signed in or not."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from coproduce.accounts.tests.factories import UserFactory, client_for
from coproduce.assessment.models import Assessment, Assessor
from coproduce.assessment.tests.factories_peer import add_assessor, every, hand_in, peer_review
from coproduce.organisations.models import Role
from coproduce.services.models import ActivityKind, ActivityState
from coproduce.services.tests.factories import ActivityFactory, staff_of

pytestmark = pytest.mark.django_db

SECRET_NAME = "Zebedee Quantock"


def _text(response: Any) -> str:
    return str(response.content.decode())


def _messages(response: Any) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def _url(name: str, pk: int) -> str:
    return reverse(f"assessment:{name}", args=[pk])


def _publish(assessment: Assessment) -> None:
    # The report's own action (actions_report) publishes; here only the fact matters.
    Assessment.objects.filter(pk=assessment.pk).update(published_at=timezone.now())


def _standards(assessment: Assessment) -> list[Any]:
    return list(assessment.version.standards.order_by("position", "id"))


def _ratings_post(assessment: Assessment, values: dict[int, str], **extra: str) -> dict[str, str]:
    data = {f"comment_{pk}": "" for pk in assessment.version.standards.values_list("pk", flat=True)}
    data.update({f"rating_{pk}": value for pk, value in values.items()})
    return {**data, **extra}


# --- The team and the visit (staff) -------------------------------------------------------------


def test_the_team_page_starts_empty_and_staff_add_an_assessor() -> None:
    assessment, staff = peer_review()
    client = client_for(staff)
    page = _text(client.get(_url("team", assessment.pk)))
    assert 'id="no-team"' in page
    assert "The visit has no date yet" in page
    assert 'name="form" value="visit"' in page
    assert 'name="form" value="assessor"' in page
    assert _url("team_ratings", assessment.pk) not in page
    person = UserFactory(email="peer@example.org", name=SECRET_NAME)
    response = client.post(
        _url("team", assessment.pk),
        {
            "form": "assessor",
            "email": "PEER@example.org",
            "from_group": "Eastvale Dial-a-Ride user group",
            "is_lead": "on",
        },
    )
    assert response.status_code == 302
    assert _messages(response) == [f"{SECRET_NAME} is on the team. They lead it."]
    assessor = Assessor.objects.get(assessment=assessment)
    assert (assessor.person, assessor.is_lead) == (person, True)
    page = _text(client.get(_url("team", assessment.pk)))
    assert SECRET_NAME in page
    assert "Eastvale Dial-a-Ride user group" in page
    assert "Lead</strong>" in page
    assert "Not yet" in page
    assert "0 of 4 standards rated so far" in page
    assert _url("assessor_remove", assessor.pk) in page


def test_adding_an_assessor_shows_the_problem_on_its_field() -> None:
    assessment, staff = peer_review()
    client = client_for(staff)
    insider = staff_of(assessment.activity, Role.FACILITATOR)
    for email, expected in (
        ("nobody@example.org", "There is no account with this email address."),
        (insider.email, "Peer assessors must be independent of it"),
        ("not an email", "Enter an email address in the correct format"),
    ):
        response = client.post(
            _url("team", assessment.pk),
            {"form": "assessor", "email": email, "from_group": "A group"},
        )
        page = _text(response)
        assert response.status_code == 200
        assert expected in page
        assert "<title>Error:" in page
        assert 'href="#id_email"' in page
    assert not assessment.assessors.exists()


def test_staff_set_the_visit_and_a_wrong_date_is_explained() -> None:
    assessment, staff = peer_review()
    client = client_for(staff)
    day = timezone.localdate() + dt.timedelta(days=30)
    response = client.post(
        _url("team", assessment.pk),
        {
            "form": "visit",
            "visit_on_day": str(day.day),
            "visit_on_month": str(day.month),
            "visit_on_year": str(day.year),
            "visit_place": "The scheme’s office",
        },
    )
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert (assessment.visit_on, assessment.visit_place) == (day, "The scheme’s office")
    page = _text(client.get(_url("team", assessment.pk)))
    assert f"The team visits on {day.day} " in page
    old = timezone.localdate() - dt.timedelta(days=800)
    response = client.post(
        _url("team", assessment.pk),
        {
            "form": "visit",
            "visit_on_day": str(old.day),
            "visit_on_month": str(old.month),
            "visit_on_year": str(old.year),
        },
    )
    page = _text(response)
    assert "<title>Error:" in page
    assert "The date of the visit must be between" in page
    response = client.post(_url("team", assessment.pk), {"form": "visit"})
    assert "Enter the date of the visit." in _text(response)
    assessment.refresh_from_db()
    assert assessment.visit_on == day


def test_the_team_page_is_hidden_from_all_but_the_services_staff() -> None:
    assessment, staff = peer_review()
    assessor = add_assessor(assessment, staff)
    other = staff_of(ActivityFactory(kind=ActivityKind.PEER_REVIEW))
    for name, pk in (("team", assessment.pk), ("assessor_remove", assessor.pk)):
        url = _url(name, pk)
        assert Client().get(url).status_code == 404, name
        for person in (
            UserFactory(),
            assessor.person,
            other,
            staff_of(assessment.activity, Role.FACILITATOR),
        ):
            assert client_for(person).get(url).status_code == 404, name
        assert client_for(staff).get(url).status_code == 200, name
    # Not a peer review: no team.
    activity = ActivityFactory(kind=ActivityKind.ASSESSMENT, state=ActivityState.OPEN)
    response = client_for(staff_of(activity)).get(_url("team", activity.pk))
    assert response.status_code == 404
    # Published: the team no longer changes.
    _publish(assessment)
    assert client_for(staff).get(_url("team", assessment.pk)).status_code == 404
    response = client_for(staff).post(_url("assessor_remove", assessor.pk))
    assert response.status_code == 404
    assert Assessor.objects.filter(pk=assessor.pk).exists()


def test_staff_remove_an_assessor_until_they_hand_in() -> None:
    assessment, staff = peer_review()
    client = client_for(staff)
    leaving = add_assessor(assessment, staff)
    page = _text(client.get(_url("assessor_remove", leaving.pk)))
    assert f"Remove {leaving.person.name} from the team?" in page
    response = client.post(_url("assessor_remove", leaving.pk))
    assert response.status_code == 302
    assert response["Location"] == _url("team", assessment.pk)
    assert not Assessor.objects.filter(pk=leaving.pk).exists()
    staying = hand_in(add_assessor(assessment, staff), 4)
    page = _text(client.get(_url("team", assessment.pk)))
    assert "Ratings handed in" in page
    assert _url("assessor_remove", staying.pk) not in page
    assert _url("team_ratings", assessment.pk) in page
    page = _text(client.get(_url("assessor_remove", staying.pk)))
    assert 'id="cannot-remove"' in page
    response = client.post(_url("assessor_remove", staying.pk))
    assert response.status_code == 200
    assert "The assessor cannot be removed" in _text(response)
    assert Assessor.objects.filter(pk=staying.pk).exists()


# --- An assessor's own ratings ------------------------------------------------------------------


def test_an_assessor_sees_every_standard_with_two_buttons_and_a_warning() -> None:
    assessment, staff = peer_review()
    assessor = add_assessor(assessment, staff)
    page = _text(client_for(assessor.person).get(_url("assessor_rate", assessment.pk)))
    for standard in _standards(assessment):
        assert page.count(f'name="rating_{standard.pk}"') == 6
        assert f'name="comment_{standard.pk}"' in page
    assert "Always (5)" in page
    assert "Does not apply" in page
    assert "Save and come back later" in page
    assert "Hand in my ratings" in page
    assert "Handing in is final" in page
    assert page.index("Booking a journey") < page.index("On the journey")


def test_an_assessor_saves_part_then_hands_in_and_sees_the_team_ratings() -> None:
    assessment, staff = peer_review()
    assessor = add_assessor(assessment, staff)
    client = client_for(assessor.person)
    url = _url("assessor_rate", assessment.pk)
    first, *rest = _standards(assessment)
    # Before handing in, the team's ratings are hidden from them.
    assert client.get(_url("team_ratings", assessment.pk)).status_code == 404
    response = client.post(
        url, _ratings_post(assessment, {first.pk: "4"}, **{f"comment_{first.pk}": "On time."})
    )
    assert response.status_code == 302
    assert response["Location"] == url
    assert "Your ratings are saved" in _messages(response)[0]
    page = _text(client.get(url))
    assert 'value="4" checked' in page
    assert "On time." in page
    assert "You have saved 1 of 4 ratings so far." in page
    # Handing in with a standard missing names it, and nothing is handed in.
    response = client.post(url, _ratings_post(assessment, {first.pk: "4"}, hand_in="1"))
    page = _text(response)
    assert response.status_code == 200
    assert "<title>Error:" in page
    assert f"Rate “{rest[0].statement}”, or choose “Does not apply”" in page
    assessor.refresh_from_db()
    assert assessor.submitted_at is None
    # Evidence without a rating would be lost: it is asked for.
    response = client.post(
        url, _ratings_post(assessment, {}, save="1", **{f"comment_{first.pk}": "Some notes"})
    )
    assert "to keep your evidence on it" in _text(response)
    values = {standard.pk: "3" for standard in rest} | {first.pk: "none"}
    response = client.post(url, _ratings_post(assessment, values, hand_in="1"))
    assert response.status_code == 302
    assert response["Location"] == _url("team_ratings", assessment.pk)
    assessor.refresh_from_db()
    assert assessor.submitted_at is not None
    assert assessor.ratings.get(standard=first).rating is None
    # Handed in: the page goes to the team's ratings, and a late form changes nothing.
    assert client.get(url)["Location"] == _url("team_ratings", assessment.pk)
    response = client.post(url, _ratings_post(assessment, {first.pk: "5"}, hand_in="1"))
    assert response.status_code == 302
    assert assessor.ratings.get(standard=first).rating is None
    assert client.get(_url("team_ratings", assessment.pk)).status_code == 200


def test_my_ratings_is_hidden_from_everyone_not_on_the_team() -> None:
    assessment, staff = peer_review()
    add_assessor(assessment, staff)
    url = _url("assessor_rate", assessment.pk)
    assert Client().get(url).status_code == 404
    for person in (UserFactory(), staff, staff_of(ActivityFactory())):
        assert client_for(person).get(url).status_code == 404
        response = client_for(person).post(url, _ratings_post(assessment, {}, hand_in="1"))
        assert response.status_code == 404


# --- The team's ratings side by side ------------------------------------------------------------


def _team_of_two(assessment: Assessment, staff: Any) -> tuple[Assessor, Assessor]:
    first = add_assessor(assessment, staff, from_group="Eastvale Dial-a-Ride user group")
    second = add_assessor(
        assessment,
        staff,
        UserFactory(name=SECRET_NAME),
        lead=True,
        from_group="Northfield Carers’ Centre",
    )
    return first, second


def test_the_team_ratings_show_each_assessor_the_spread_and_the_agreement() -> None:
    assessment, staff = peer_review()
    first, second = _team_of_two(assessment, staff)
    a, b, c, d = _standards(assessment)
    hand_in(first, {a.pk: (5, "Booked in a minute."), b.pk: (4, ""), c.pk: (3, ""), d.pk: (2, "")})
    page = _text(client_for(first.person).get(_url("team_ratings", assessment.pk)))
    assert "1 of 2 assessors have handed in their ratings." in page
    assert "Not enough ratings to measure agreement yet" in page
    assert "Assessor 1 (you)" in page
    assert "Booked in a minute." in page
    hand_in(second, {a.pk: (5, ""), b.pk: (4, ""), c.pk: (3, ""), d.pk: (2, "Late twice.")})
    page = _text(client_for(first.person).get(_url("team_ratings", assessment.pk)))
    assert "Krippendorff’s alpha (ordinal): 1.00 – strong agreement" in page
    assert "Assessors gave the same rating in 100% of pairs." in page
    assert "All agree" in page
    assert "Assessor 2" in page
    assert "Northfield Carers’ Centre" in page
    assert "Late twice." in page
    assert SECRET_NAME not in page  # names only for staff
    assert "Below 0.667, the team should talk through the standards where they differ" in page
    staff_page = _text(client_for(staff).get(_url("team_ratings", assessment.pk)))
    assert SECRET_NAME in staff_page
    assert _url("team", assessment.pk) in staff_page


def test_standards_where_assessors_differ_are_marked_to_talk_through() -> None:
    assessment, staff = peer_review()
    first, second = _team_of_two(assessment, staff)
    a, b, c, d = _standards(assessment)
    hand_in(first, {a.pk: (5, ""), b.pk: (1, ""), c.pk: (3, ""), d.pk: (None, "")})
    hand_in(second, {a.pk: (4, ""), b.pk: (5, ""), c.pk: (1, ""), d.pk: (2, "")})
    page = _text(client_for(second.person).get(_url("team_ratings", assessment.pk)))
    assert "1 to 5" in page
    assert "4 to 5" in page
    assert page.count("Talk this through</strong>") == 2
    assert "Only one rating" in page  # the other said it does not apply
    assert "1 said it does not apply" in page
    assert "All agree" not in page
    assert "weak agreement" in page
    assert "Assessors gave the same rating in 0% of pairs." in page


def test_the_team_ratings_are_hidden_from_everyone_else() -> None:
    assessment, staff = peer_review()
    first, second = _team_of_two(assessment, staff)
    hand_in(first, every(assessment, 4))
    url = _url("team_ratings", assessment.pk)
    assert Client().get(url).status_code == 404
    for person in (
        UserFactory(),
        second.person,  # on the team, not handed in yet
        staff_of(assessment.activity, Role.FACILITATOR),
        staff_of(ActivityFactory(kind=ActivityKind.PEER_REVIEW)),
    ):
        assert client_for(person).get(url).status_code == 404
    assert client_for(first.person).get(url).status_code == 200
    assert client_for(staff).get(url).status_code == 200
