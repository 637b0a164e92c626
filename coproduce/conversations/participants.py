"""Who is taking part: a signed-in person by their account, a visitor by a signed cookie.

A visitor's cookie ``cv-<conversation pk>`` holds their participant's random key, signed with the
site's secret (Django signing), so a changed or made-up value is refused and its holder gets a new
participant, never someone else's. It is set only when they first vote or add a statement, lasts
a year, and is httponly, SameSite=Lax and secure where the session cookie is. On signing in, every
such cookie's votes are claimed into the account (``claim_on_sign_in``); the cookies are left in
place, harmless, since their participants are gone (decision 0050).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase

from coproduce.accounts.models import User
from coproduce.conversations import actions
from coproduce.conversations.models import Conversation, Participant

COOKIE_PREFIX = "cv-"
COOKIE_SALT = "coproduce.conversations.participant"
COOKIE_MAX_AGE = 365 * 24 * 60 * 60  # one year


def cookie_name(conversation_pk: int) -> str:
    return f"{COOKIE_PREFIX}{conversation_pk}"


def cookie_key(request: HttpRequest, conversation_pk: int) -> str:
    """The participant key in the visitor's cookie; "" when missing, changed, forged or expired."""
    value = request.get_signed_cookie(
        cookie_name(conversation_pk), default="", salt=COOKIE_SALT, max_age=COOKIE_MAX_AGE
    )
    return str(value)


def current(request: HttpRequest, conversation: Conversation) -> Participant | None:
    """The participant of this request, if they have taken part: by account when signed in,
    otherwise by a valid cookie whose participant still belongs to no account."""
    user = request.user
    found = None
    if user.is_authenticated:
        found = Participant.objects.filter(conversation=conversation, user_id=user.pk).first()
    elif key := cookie_key(request, conversation.pk):
        found = Participant.objects.filter(
            conversation=conversation, key=key, user__isnull=True
        ).first()
    if found is not None:
        found.conversation = conversation  # loaded already, with its activity and service
    return found


def join(request: HttpRequest, conversation: Conversation) -> Participant:
    """The participant of this request, made now if they are new (raises PermissionDenied when
    the conversation's rules keep them out: in a residents-only one, until verified by code)."""
    user = request.user if isinstance(request.user, User) else None
    return actions.participant_get_or_create(
        conversation=conversation,
        user=user,
        key="" if user is not None else cookie_key(request, conversation.pk),
    )


def remember(response: HttpResponseBase, request: HttpRequest, participant: Participant) -> None:
    """Give a visitor the cookie of their participant (unless it already holds its key)."""
    if participant.user_id is not None:
        return
    conversation_pk = participant.conversation_id
    if cookie_key(request, conversation_pk) == participant.key:
        return
    response.set_signed_cookie(
        cookie_name(conversation_pk),
        participant.key,
        salt=COOKIE_SALT,
        max_age=COOKIE_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )


def cookie_participants(request: HttpRequest) -> list[Participant]:
    """The visitor participants named by the request's valid cookies."""
    found = []
    for name in request.COOKIES:
        number = name.removeprefix(COOKIE_PREFIX)
        if name == number or not (number.isdigit() and len(number) < 19):
            continue
        key = cookie_key(request, int(number))
        participant = (
            Participant.objects.filter(conversation_id=int(number), key=key, user__isnull=True)
            .select_related("conversation")
            .first()
            if key
            else None
        )
        if participant is not None:
            found.append(participant)
    return found


def claim_on_sign_in(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    """allauth's user_logged_in: the votes a visitor cast before signing in become the account's."""
    for participant in cookie_participants(request):
        actions.participant_claim(participant=participant, user=user)
