"""A statement all groups agreed with on an opinion map taken forward as an idea of a challenge
(issue 14, decision 0111): codesign reaches the statement through the spine only, so the checks
of the two apps together live here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from coproduce.accounts.models import User
from coproduce.codesign import actions
from coproduce.codesign.models import Idea
from coproduce.codesign.tests.factories import IdeaChallengeFactory
from coproduce.contributions.models import AuthorDisplay, Contribution, Response, Visibility
from coproduce.conversations import actions as conversation_actions
from coproduce.conversations.models import MapRun, MapStatus, Statement
from coproduce.conversations.tests.factories import make_conversation, make_participant
from coproduce.organisations.models import Role
from coproduce.services import actions as service_actions
from coproduce.services.models import Activity, ActivityState
from coproduce.services.tests.factories import staff_of

pytestmark = pytest.mark.django_db

AGREED_TEXT = "Secure bike hangars on every estate would cut e-bike theft"


@dataclass
class Setup:
    challenge: Activity
    staff: User
    agreed: Statement  # written by a resident, in the latest map's consensus
    divisive: Statement  # a seed statement the groups split on


def _setup() -> Setup:
    conversation = make_conversation(seeds=1, moderation="post", participants_may_add=True)
    participant = make_participant(conversation.conversation, signed_in=True)
    agreed = conversation_actions.statement_add(
        conversation=conversation.conversation, participant=participant, text=AGREED_TEXT
    )
    Contribution.objects.filter(pk=agreed.pk).update(author_display=AuthorDisplay.ANONYMOUS)
    MapRun.objects.create(  # a map as the map task stores it (tasks.map_json)
        conversation=conversation.conversation,
        status=MapStatus.DONE,
        finished_at=timezone.now(),
        result={"consensus": {"agree": [{"statement_id": agreed.pk}], "disagree": []}},
    )
    service = conversation.conversation.activity.service
    challenge = IdeaChallengeFactory(service=service)
    return Setup(
        challenge=challenge,
        staff=staff_of(challenge),
        agreed=Statement.objects.select_related("contribution").get(pk=agreed.pk),
        divisive=conversation.statements[0],
    )


def _take(setup: Setup, statement: Statement | Contribution, by: User | None = None) -> Idea:
    contribution = statement if isinstance(statement, Contribution) else statement.contribution
    return actions.idea_take_forward(
        challenge=setup.challenge, by=by or setup.staff, statement=contribution
    )


def _refusal(setup: Setup, statement: Statement | Contribution) -> str:
    with pytest.raises(ValidationError) as refused:
        _take(setup, statement)
    return " ".join(refused.value.message_dict["statement"])


# --- The action -------------------------------------------------------------------------------


def test_an_agreed_statement_becomes_a_published_idea_that_keeps_its_author() -> None:
    setup = _setup()
    statement = setup.agreed.contribution
    idea = _take(setup, setup.agreed)
    assert (idea.title, idea.description) == (AGREED_TEXT, AGREED_TEXT)
    assert idea.from_contribution == statement
    assert idea.contribution.activity == setup.challenge
    assert idea.contribution.visibility == Visibility.PUBLISHED
    assert idea.contribution.author == statement.author is not None
    assert idea.contribution.author_display == AuthorDisplay.ANONYMOUS
    answer = Response.objects.get(contribution=statement)
    assert answer.body == (
        f"Taken forward to the idea challenge “{setup.challenge.title}” as an idea."
    )
    assert answer.author == setup.staff


def test_a_statement_goes_into_a_challenge_once() -> None:
    setup = _setup()
    _take(setup, setup.agreed)
    assert "already an idea" in _refusal(setup, setup.agreed)
    assert Idea.objects.filter(from_contribution=setup.agreed.contribution).count() == 1
    other = IdeaChallengeFactory(service=setup.challenge.service)
    actions.idea_take_forward(
        challenge=other, by=setup.staff, statement=setup.agreed.contribution
    )  # another challenge may take it too
    assert Idea.objects.filter(from_contribution=setup.agreed.contribution).count() == 2


def test_a_statement_the_groups_split_on_is_refused() -> None:
    setup = _setup()
    assert "all groups agreed with" in _refusal(setup, setup.divisive)
    assert not Idea.objects.filter(from_contribution=setup.divisive.contribution).exists()
    assert not Response.objects.filter(contribution=setup.divisive.contribution).exists()


def test_a_hidden_statement_and_other_kinds_are_refused() -> None:
    setup = _setup()
    idea = actions.idea_create(
        activity=setup.challenge, author=setup.staff, title="A youth club", description="Fridays."
    )
    assert "Only published" in _refusal(setup, idea.contribution)  # an idea is not a statement
    Contribution.objects.filter(pk=setup.agreed.pk).update(visibility=Visibility.HIDDEN)
    hidden = Contribution.objects.get(pk=setup.agreed.pk)
    assert "Only published" in _refusal(setup, hidden)
    assert not Idea.objects.filter(from_contribution=hidden).exists()


def test_a_statement_of_another_service_is_refused() -> None:
    setup, other = _setup(), _setup()
    assert "own opinion maps" in _refusal(setup, other.agreed)


def test_only_those_who_answer_for_the_service_take_statements_forward() -> None:
    setup = _setup()
    facilitator = staff_of(setup.challenge, role=Role.FACILITATOR)
    stranger = staff_of(_setup().challenge)
    for person in (facilitator, stranger):
        with pytest.raises(PermissionDenied):
            _take(setup, setup.agreed, by=person)
    assert not Idea.objects.filter(from_contribution=setup.agreed.contribution).exists()


def test_only_an_idea_challenge_takes_ideas() -> None:
    setup = _setup()
    opinion_map = setup.agreed.conversation.activity
    with pytest.raises(ValidationError, match="Only idea challenges"):
        actions.idea_take_forward(
            challenge=opinion_map, by=staff_of(opinion_map), statement=setup.agreed.contribution
        )


def test_a_closed_challenge_takes_no_statement_forward() -> None:
    setup = _setup()
    service_actions.activity_transition(activity=setup.challenge, to_state=ActivityState.CLOSED)
    with pytest.raises(ValidationError) as refused:
        _take(setup, setup.agreed)  # the challenge object read before it closed
    assert refused.value.messages == ["This challenge has closed, so it takes no new ideas."]
    assert not Idea.objects.exists()
    assert not Response.objects.filter(contribution=setup.agreed.contribution).exists()
    page = _page(
        _client(setup.staff).get(reverse("codesign:take_forward", args=[setup.challenge.pk]))
    )
    assert 'id="closed"' in page
    assert 'name="statement"' not in page


# --- The page ---------------------------------------------------------------------------------


def _client(user: User | None = None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _page(response: Any) -> str:
    assert response.status_code == 200, response.status_code
    return str(response.content.decode())


def test_the_page_lists_agreed_statements_and_takes_one_forward() -> None:
    setup = _setup()
    client = _client(setup.staff)
    url = reverse("codesign:take_forward", args=[setup.challenge.pk])
    page = _page(client.get(url))
    assert f'name="statement" type="radio" value="{setup.agreed.pk}"' in page
    assert AGREED_TEXT in page
    assert setup.divisive.text not in page
    response = client.post(url, {"statement": str(setup.agreed.pk)}, follow=True)
    idea = Idea.objects.get(from_contribution=setup.agreed.contribution)
    assert response.redirect_chain[-1][0] == idea.get_absolute_url()
    assert "is an idea of this challenge now" in response.content.decode()
    page = _page(client.get(url))
    assert "Already taken forward" in page
    assert idea.get_absolute_url() in page
    assert "There is nothing to take forward" in page


def test_bad_choices_are_field_errors() -> None:
    setup = _setup()
    client = _client(setup.staff)
    url = reverse("codesign:take_forward", args=[setup.challenge.pk])
    for value in ("", str(setup.divisive.pk), "99999999999999999999", "nonsense"):
        page = _page(client.post(url, {"statement": value}))
        assert "govuk-error-summary" in page
        assert "Choose" in page, value
    assert not Idea.objects.filter(contribution__activity=setup.challenge).exists()


def test_the_page_is_for_staff_who_answer_for_the_service() -> None:
    setup = _setup()
    url = reverse("codesign:take_forward", args=[setup.challenge.pk])
    assert _client().get(url).status_code == 302  # to sign in
    resident = setup.agreed.contribution.author
    assert resident is not None
    assert _client(resident).get(url).status_code == 403
    facilitator = staff_of(setup.challenge, role=Role.FACILITATOR)
    assert _client(facilitator).get(url).status_code == 403
