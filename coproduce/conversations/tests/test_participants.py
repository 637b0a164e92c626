"""The visitor's signed cookie: what it names, what is refused, and claiming on signing in."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import signing
from django.http import HttpResponse
from django.test import RequestFactory

from coproduce.accounts.tests.factories import UserFactory
from coproduce.conversations import actions, participants
from coproduce.conversations.models import Participant, Vote, VoteValue
from coproduce.conversations.tests.factories import make_conversation, make_participant

pytestmark = pytest.mark.django_db


def _request(cookies: dict[str, str], user: Any = None) -> Any:
    request = RequestFactory().get("/")
    request.COOKIES.update(cookies)
    request.user = user or AnonymousUser()
    return request


def _signed(conversation_pk: int, key: str) -> dict[str, str]:
    """The cookie as the browser sends it back after ``remember``."""
    response = HttpResponse()
    participant = Participant(conversation_id=conversation_pk, key=key)
    participants.remember(response, _request({}), participant)
    name = participants.cookie_name(conversation_pk)
    return {name: response.cookies[name].value}


def test_remember_sets_a_signed_httponly_lax_cookie_for_a_year(settings: Any) -> None:
    settings.SESSION_COOKIE_SECURE = True
    setup = make_conversation(seeds=0)
    visitor = make_participant(setup.conversation)
    response = HttpResponse()
    participants.remember(response, _request({}), visitor)
    cookie = response.cookies[participants.cookie_name(setup.conversation.pk)]
    assert cookie["httponly"]
    assert cookie["secure"]
    assert cookie["samesite"] == "Lax"
    assert int(cookie["max-age"]) == 365 * 24 * 60 * 60
    assert cookie.value != visitor.key
    assert visitor.key in cookie.value


def test_remember_sets_nothing_for_an_account_or_a_cookie_already_right() -> None:
    setup = make_conversation(seeds=0)
    member = make_participant(setup.conversation, signed_in=True)
    response = HttpResponse()
    participants.remember(response, _request({}), member)
    assert not response.cookies
    visitor = make_participant(setup.conversation)
    participants.remember(response, _request(_signed(setup.conversation.pk, visitor.key)), visitor)
    assert not response.cookies


def test_the_current_participant_comes_only_from_a_valid_cookie() -> None:
    setup = make_conversation(seeds=0)
    conversation = setup.conversation
    visitor = make_participant(conversation)
    assert (
        participants.current(_request(_signed(conversation.pk, visitor.key)), conversation)
        == visitor
    )
    name = participants.cookie_name(conversation.pk)
    for value in (visitor.key, f"{visitor.key}:AAAA", "", "nonsense"):
        assert participants.current(_request({name: value}), conversation) is None
    # A cookie signed for another conversation names nothing here.
    other = make_conversation(seeds=0).conversation
    moved = {name: _signed(other.pk, visitor.key)[participants.cookie_name(other.pk)]}
    assert participants.current(_request(moved), conversation) is None


def test_a_cookie_never_reaches_a_participant_with_an_account() -> None:
    setup = make_conversation(seeds=0)
    member = make_participant(setup.conversation, signed_in=True)
    request = _request(_signed(setup.conversation.pk, member.key))
    assert participants.current(request, setup.conversation) is None
    joined = participants.join(request, setup.conversation)
    assert joined != member
    assert joined.user is None


def test_an_expired_cookie_is_refused(monkeypatch: Any) -> None:
    setup = make_conversation(seeds=0)
    visitor = make_participant(setup.conversation)
    cookies = _signed(setup.conversation.pk, visitor.key)
    monkeypatch.setattr(participants, "COOKIE_MAX_AGE", -1)
    assert participants.cookie_key(_request(cookies), setup.conversation.pk) == ""


def test_signing_in_claims_every_conversations_votes() -> None:
    first, second = make_conversation(seeds=1), make_conversation(seeds=1)
    cookies: dict[str, str] = {"sessionid": "x", "cv-nonsense": "y", "cv-99999": "z"}
    for setup in (first, second):
        visitor = make_participant(setup.conversation)
        actions.vote_cast(participant=visitor, statement=setup.statements[0], value=VoteValue.AGREE)
        cookies.update(_signed(setup.conversation.pk, visitor.key))
    user = UserFactory()
    participants.claim_on_sign_in(sender=None, request=_request(cookies, user), user=user)
    assert set(Vote.objects.values_list("participant__user", flat=True)) == {user.pk}
    assert Participant.objects.filter(user__isnull=True).count() == 0
    # Signing in again with the same (now stale) cookies changes nothing.
    participants.claim_on_sign_in(sender=None, request=_request(cookies, user), user=user)
    assert Participant.objects.count() == 2


def test_a_forged_cookie_claims_nothing() -> None:
    setup = make_conversation(seeds=1)
    visitor = make_participant(setup.conversation)
    actions.vote_cast(participant=visitor, statement=setup.statements[0], value=VoteValue.AGREE)
    forged = signing.get_cookie_signer(salt="wrong").sign(visitor.key)
    user = UserFactory()
    request = _request({participants.cookie_name(setup.conversation.pk): forged}, user)
    participants.claim_on_sign_in(sender=None, request=request, user=user)
    assert Vote.objects.get().participant == visitor
