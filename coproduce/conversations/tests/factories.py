"""Test data for conversations, made through the real actions."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from coproduce.accounts.models import User
from coproduce.accounts.tests.factories import UserFactory
from coproduce.conversations import actions
from coproduce.conversations.models import Conversation, Participant, Statement
from coproduce.services.models import ActivityKind, ActivityState, Service
from coproduce.services.tests.factories import ActivityFactory, staff_of


@dataclass
class ConversationSetup:
    """A conversation with the staff member who runs it and its seed statements."""

    conversation: Conversation
    staff: User
    statements: list[Statement] = field(default_factory=list)


def make_conversation(
    *,
    seeds: int = 3,
    state: str = ActivityState.OPEN,
    service: Service | None = None,
    **settings: Any,
) -> ConversationSetup:
    """An opinion-map conversation (open unless ``state`` says otherwise; of a new service
    unless given) with ``seeds`` seed statements written by staff before it closed."""
    writing = state if state == ActivityState.DRAFT else ActivityState.OPEN
    where = {} if service is None else {"service": service}
    activity = ActivityFactory(kind=ActivityKind.OPINION_MAP, state=writing, **where)
    staff = staff_of(activity)
    conversation = actions.conversation_create(activity=activity, by=staff, **settings)
    statements = [
        actions.statement_add(conversation=conversation, by=staff, text=f"Seed statement {i}")
        for i in range(1, seeds + 1)
    ]
    if state != writing:
        activity.state = state
        activity.save(update_fields=["state"])
    return ConversationSetup(conversation=conversation, staff=staff, statements=statements)


def make_participant(conversation: Conversation, *, signed_in: bool = False) -> Participant:
    """A visitor (by cookie key) or, with ``signed_in``, a new resident with an account."""
    user = UserFactory() if signed_in else None
    return actions.participant_get_or_create(conversation=conversation, user=user)


def make_codes(conversation: Conversation, count: int = 1) -> list[str]:
    """``count`` new residents' codes of a residents-only conversation, made by its staff."""
    staff = staff_of(conversation.activity)
    return actions.codes_generate(conversation=conversation, by=staff, count=count)


def make_resident(conversation: Conversation, *, postcode: str = "NF1 1AA") -> Participant:
    """A signed-in resident verified with a new code (residents-only conversations)."""
    [code] = make_codes(conversation)
    return actions.resident_verify(
        conversation=conversation, user=UserFactory(), code=code, postcode=postcode
    )
