"""Coaching sessions: private to the coach and the participants (staff of the service and
superusers get 404 too), recorded by someone involved, people found by email, a participant
leaving, changing a session, and the messages when something is wrong (decision 0088)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from coproduce.accounts.tests.factories import UserFactory, client_for
from coproduce.assessment import actions_coaching as actions
from coproduce.assessment.models import CoachingSession
from coproduce.assessment.tests.factories_coaching import make_session, service_with_staff
from coproduce.assessment.tests.factories_peer import add_assessor, peer_review
from coproduce.services.tests.factories import ActivityFactory, staff_of

pytestmark = pytest.mark.django_db


def _text(response: Any) -> str:
    return str(response.content.decode())


def _messages(response: Any) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def _url(name: str, pk: int) -> str:
    return reverse(f"assessment:{name}", args=[pk])


def _add_url(slug: str) -> str:
    return reverse("assessment:coaching_add", args=[slug])


def _date_fields(name: str, day: dt.date) -> dict[str, str]:
    return {
        f"{name}_day": str(day.day),
        f"{name}_month": str(day.month),
        f"{name}_year": str(day.year),
    }


def _new(**extra: str) -> dict[str, str]:
    data = {
        "role": "coach",
        "coach_email": "",
        "participant_emails": "",
        "goals": "Lead the team's visit with confidence.",
        "next_steps": "",
        **_date_fields("held_on", timezone.localdate()),
    }
    return {**data, **extra}


def _errors(error: ValidationError) -> dict[str, list[str]]:
    return error.message_dict


# --- Setting up a session -------------------------------------------------------------------------


def test_staff_record_a_session_as_coach_and_find_people_by_email() -> None:
    service, staff = service_with_staff()
    jo = UserFactory(email="jo@example.org", name="Jo Bennett")
    dave = UserFactory(email="dave@example.org", name="Dave Okafor")
    client = client_for(staff)
    page = _text(client.get(_add_url(service.slug)))
    assert 'name="role"' in page
    assert 'name="participant_emails"' in page
    response = client.post(
        _add_url(service.slug),
        _new(participant_emails="JO@example.org\ndave@example.org, jo@example.org"),
    )
    session = CoachingSession.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _url("coaching", session.pk)
    assert _messages(response) == [
        "The coaching session is saved. Only the coach and the participants can see it."
    ]
    assert (session.coach, session.created_by, session.service) == (staff, staff, service)
    assert set(session.participants.all()) == {jo, dave}
    page = _text(client.get(_url("coaching", session.pk)))
    assert "Jo Bennett" in page
    assert "Dave Okafor" in page
    assert "Lead the team&#x27;s visit with confidence." in page
    assert 'id="no-next-steps"' in page
    assert _url("coaching_edit", session.pk) in page
    assert _url("coaching_leave", session.pk) not in page  # the coach cannot leave


def test_a_resident_on_a_peer_team_records_a_session_they_are_coached_in() -> None:
    assessment, staff = peer_review()
    resident = add_assessor(assessment, staff).person
    coach = UserFactory(email="coach@example.org")
    other = UserFactory()
    response = client_for(resident).post(
        _add_url(assessment.activity.service.slug),
        _new(role="participant", coach_email="Coach@Example.org", participant_emails=other.email),
    )
    assert response.status_code == 302
    session = CoachingSession.objects.get()
    assert session.coach == coach
    assert set(session.participants.all()) == {resident, other}
    assert session.created_by == resident


def test_sent_twice_the_form_records_one_session() -> None:
    service, staff = service_with_staff()
    client = client_for(staff)
    page = _text(client.get(_add_url(service.slug)))
    token = page.split('name="one_time_token" value="')[1].split('"')[0]
    data = _new(participant_emails=UserFactory().email, one_time_token=token)
    assert client.post(_add_url(service.slug), data).status_code == 302
    assert client.post(_add_url(service.slug), data).status_code == 302
    assert CoachingSession.objects.count() == 1


def test_unknown_addresses_are_each_named() -> None:
    service, staff = service_with_staff()
    known = UserFactory()
    UserFactory(email="gone@example.org", is_active=False)
    response = client_for(staff).post(
        _add_url(service.slug),
        _new(participant_emails=f"nobody@example.org\n{known.email}\ngone@example.org"),
    )
    page = _text(response)
    assert response.status_code == 200
    assert "<title>Error:" in page
    assert 'href="#id_participant_emails"' in page
    for email in ("nobody@example.org", "gone@example.org"):
        assert (
            f"There is no account with the email address {email}. Ask them to create one first."
            in page
        )
    assert known.email not in page.split('class="govuk-error-summary')[1].split("</div>")[0]
    assert not CoachingSession.objects.exists()


def test_the_unknown_coach_is_named() -> None:
    assessment, staff = peer_review()
    resident = add_assessor(assessment, staff).person
    with pytest.raises(ValidationError) as raised:
        actions.session_add(
            service=assessment.activity.service,
            by=resident,
            role="participant",
            coach_email="nocoach@example.org",
            participant_emails=[],
            held_on=timezone.localdate(),
            goals="Goals",
        )
    assert _errors(raised.value) == {
        "coach_email": [
            "There is no account with the email address nocoach@example.org. Ask them to "
            "create one first."
        ]
    }


def test_whoever_records_a_session_is_in_it() -> None:
    service, staff = service_with_staff()
    other = UserFactory()
    client = client_for(staff)
    cases = [
        (_new(role=""), "Choose whether you are the coach or one of the people being coached."),
        (_new(role="observer"), "Choose whether you are the coach or one of the people being"),
        (_new(participant_emails=staff.email), "You are the coach, so you cannot also be a"),
        (
            _new(role="participant", coach_email=staff.email),
            "This is your own email address. If you are the coach, choose",
        ),
        (_new(role="participant"), "Enter the email address of your coach’s account."),
        (_new(), "Enter the email address of at least one person being coached."),
    ]
    for data, expected in cases:
        page = _text(client.post(_add_url(service.slug), data))
        assert expected in page, expected
    with pytest.raises(ValidationError) as raised:
        actions.session_add(
            service=service,
            by=staff,
            role="participant",
            coach_email=other.email,
            participant_emails=[other.email],
            held_on=timezone.localdate(),
            goals="Goals",
        )
    assert _errors(raised.value)["participant_emails"] == [
        f"{other} is the coach, so they cannot also be a participant. Take {other.email} out of "
        "the list."
    ]
    assert not CoachingSession.objects.exists()


def test_the_details_are_checked() -> None:
    service, staff = service_with_staff()
    client = client_for(staff)
    today = timezone.localdate()
    person = UserFactory().email
    cases = [
        (
            _new(
                participant_emails=person,
                **_date_fields("held_on", today.replace(year=today.year - 2)),
            ),
            "The date of the session must be between",
        ),
        (
            _new(
                participant_emails=person,
                **_date_fields("held_on", today.replace(year=today.year + 2)),
            ),
            "or up to a year ahead.",
        ),
        (
            _new(participant_emails=person, held_on_day=""),
            "The date of the session must include a day.",
        ),
        (_new(participant_emails=person, goals="  "), "Enter the goals of the session"),
        (
            _new(participant_emails=person, goals="x" * 4001),
            "The goals must be 4000 characters or fewer.",
        ),
        (_new(participant_emails="not-an-email"), "“not-an-email” is not an email address."),
        (
            _new(participant_emails="\n".join(UserFactory().email for _ in range(11))),
            "A session can have at most 10 participants. It has 11",
        ),
    ]
    for data, expected in cases:
        response = client.post(_add_url(service.slug), data)
        page = _text(response)
        assert response.status_code == 200, expected
        assert expected in page, expected
        assert "<title>Error:" in page
    with pytest.raises(ValidationError) as raised:
        actions.session_add(
            service=service,
            by=staff,
            role="coach",
            participant_emails=[person],
            held_on=None,
            goals="x" * 4001,
            next_steps="y" * 4001,
        )
    assert set(_errors(raised.value)) == {"held_on", "goals", "next_steps"}
    assert not CoachingSession.objects.exists()


def test_only_staff_and_assessment_teams_record_sessions() -> None:
    service, staff = service_with_staff()
    url = _add_url(service.slug)
    response = Client().get(url)
    assert response.status_code == 302
    assert "/login/" in response["Location"]
    resident = UserFactory()
    assert client_for(resident).get(url).status_code == 403
    elsewhere = staff_of(ActivityFactory())
    assert client_for(elsewhere).get(url).status_code == 403
    assert client_for(staff).get(url).status_code == 200
    with pytest.raises(PermissionDenied):
        actions.session_add(
            service=service,
            by=resident,
            role="participant",
            coach_email=staff.email,
            participant_emails=[],
            held_on=timezone.localdate(),
            goals="Goals",
        )
    assert client_for(staff).get(_add_url("no-such-service")).status_code == 404


# --- Privacy ----------------------------------------------------------------------------------------


def test_a_session_is_seen_by_its_coach_and_participants_only() -> None:
    service, staff = service_with_staff()
    coach = staff
    participant = UserFactory()
    session = make_session(service, coach, [participant])
    colleague = staff_of(ActivityFactory(service=service))
    outsiders = [
        UserFactory(),
        colleague,
        staff_of(ActivityFactory()),
        UserFactory(is_superuser=True, is_staff=True),
    ]
    for name in ("coaching", "coaching_edit", "coaching_leave"):
        url = _url(name, session.pk)
        assert Client().get(url).status_code == 404
        for outsider in outsiders:
            assert client_for(outsider).get(url).status_code == 404, (name, outsider)
            assert client_for(outsider).post(url).status_code == 404, (name, outsider)
        assert client_for(coach).get(url).status_code == 200
        assert client_for(participant).get(url).status_code == 200
    for outsider in outsiders:
        with pytest.raises(PermissionDenied):
            actions.session_update(
                session=session, by=outsider, held_on=session.held_on, goals="Mine", next_steps=""
            )
        assert session.goals not in _text(
            client_for(outsider).get(reverse("assessment:my_coaching"))
        )


# --- Changing and leaving -------------------------------------------------------------------------


def test_a_participant_writes_the_next_steps() -> None:
    service, coach = service_with_staff()
    participant = UserFactory()
    session = make_session(service, coach, [participant])
    client = client_for(participant)
    url = _url("coaching_edit", session.pk)
    assert "Write evidence notes the rest of the team can follow." in _text(client.get(url))
    day = timezone.localdate() - dt.timedelta(days=3)
    response = client.post(
        url,
        {
            **_date_fields("held_on", day),
            "goals": "Write clearer evidence notes.",
            "next_steps": "Jo drafts two notes; we read them together.",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == _url("coaching", session.pk)
    assert _messages(response) == ["The coaching session is updated."]
    session.refresh_from_db()
    assert (session.held_on, session.goals) == (day, "Write clearer evidence notes.")
    assert session.next_steps == "Jo drafts two notes; we read them together."
    page = _text(client_for(coach).get(_url("coaching", session.pk)))
    assert "Jo drafts two notes; we read them together." in page


def test_changing_a_session_explains_what_is_wrong() -> None:
    service, coach = service_with_staff()
    session = make_session(service, coach)
    response = client_for(coach).post(
        _url("coaching_edit", session.pk),
        {**_date_fields("held_on", timezone.localdate()), "goals": "", "next_steps": "x" * 4001},
    )
    page = _text(response)
    assert response.status_code == 200
    assert "<title>Error:" in page
    assert 'href="#id_goals"' in page
    assert "The next steps must be 4000 characters or fewer." in page
    session.refresh_from_db()
    assert session.goals == "Write evidence notes the rest of the team can follow."


def test_a_participant_leaves_and_no_longer_sees_the_session() -> None:
    service, coach = service_with_staff()
    leaver, stayer = UserFactory(), UserFactory()
    session = make_session(service, coach, [leaver, stayer])
    client = client_for(leaver)
    assert _url("coaching_leave", session.pk) in _text(client.get(_url("coaching", session.pk)))
    page = _text(client.get(_url("coaching_leave", session.pk)))
    assert "Leave the coaching session on" in page
    assert set(session.participants.all()) == {leaver, stayer}  # GET changes nothing
    response = client.post(_url("coaching_leave", session.pk))
    assert response.status_code == 302
    assert response["Location"] == reverse("assessment:my_coaching")
    assert _messages(response) == ["You have left the coaching session. You can no longer see it."]
    assert list(session.participants.all()) == [stayer]
    assert client.get(_url("coaching", session.pk)).status_code == 404
    assert client_for(stayer).get(_url("coaching", session.pk)).status_code == 200


def test_the_coach_cannot_leave() -> None:
    service, coach = service_with_staff()
    session = make_session(service, coach)
    client = client_for(coach)
    assert 'id="coach-cannot-leave"' in _text(client.get(_url("coaching_leave", session.pk)))
    page = _text(client.post(_url("coaching_leave", session.pk)))
    assert "<title>Error:" in page
    assert "You are the coach of this session, so you cannot leave it" in page
    with pytest.raises(ValidationError):
        actions.session_leave(session=session, by=coach)
    assert client.get(_url("coaching", session.pk)).status_code == 200


# --- Your coaching sessions -------------------------------------------------------------------------


def test_your_sessions_newest_first_and_only_yours(settings: Any) -> None:
    settings.COPRODUCE_PAGE_SIZE = 2
    activity = ActivityFactory()
    service, coach, person = activity.service, staff_of(activity), staff_of(activity)
    today = timezone.localdate()
    old = make_session(service, coach, [person], held_on=today - dt.timedelta(days=60), goals="Old")
    new = make_session(service, staff_of(activity), [person], held_on=today, goals="Newest")
    middle = make_session(
        service, person, [UserFactory()], held_on=today - dt.timedelta(days=5), goals="Middle"
    )
    make_session(service, coach, [UserFactory()], goals="Someone else's")
    client = client_for(person)
    page = _text(client.get(reverse("assessment:my_coaching")))
    assert page.index(_url("coaching", new.pk)) < page.index(_url("coaching", middle.pk))
    assert _url("coaching", old.pk) not in page
    assert "You are the coach" in page
    second = _text(client.get(reverse("assessment:my_coaching") + "?page=2"))
    assert _url("coaching", old.pk) in second
    assert "Someone else" not in page + second


def test_your_sessions_explain_coaching_when_there_are_none() -> None:
    url = reverse("assessment:my_coaching")
    response = Client().get(url)
    assert response.status_code == 302
    assert "/login/" in response["Location"]
    page = _text(client_for(UserFactory()).get(url))
    assert 'id="no-sessions"' in page
    assert "only the coach and the participants see it" in page
    assert 'id="coaching-services"' not in page
    service, staff = service_with_staff()
    page = _text(client_for(staff).get(url))
    assert _add_url(service.slug) in page
