"""Who may run, take part in and moderate a conversation.

A conversation is seen with its activity. People vote and add statements while the activity is
open, if its audience lets them in (anyone, signed-in people, or verified residents: signed-in
people whose participant was verified with a one-time code posted to them, decision 0112).
Settings, residents' codes and the map are for the people who run the service's activities;
moderation for its facilitators and staff, as everywhere on the spine.
"""

from __future__ import annotations

from coproduce.accounts.types import Visitor
from coproduce.contributions.rules import can_moderate
from coproduce.conversations.models import Audience, Conversation, Participant, Vote
from coproduce.services.models import ActivityState
from coproduce.services.rules import can_manage_activity, can_view_activity


def can_view_conversation(user: Visitor, conversation: Conversation) -> bool:
    return can_view_activity(user, conversation.activity)


def can_manage_conversation(user: Visitor, conversation: Conversation) -> bool:
    """Change the settings, write seed statements, recompute the map."""
    return can_manage_activity(user, conversation.activity)


def can_moderate_conversation(user: Visitor, conversation: Conversation) -> bool:
    return can_moderate(user, conversation.activity)


def is_open(conversation: Conversation) -> bool:
    activity = conversation.activity
    return activity.state == ActivityState.OPEN and activity.service.is_published


def takes_seed_statements(conversation: Conversation) -> bool:
    """Staff write seed statements before and while the conversation is open; once it has
    closed, its map and report are of what people could vote on."""
    return conversation.activity.state in (ActivityState.DRAFT, ActivityState.OPEN)


# Who may take part: fixed once anyone has voted (``audience_fixed``).
AUDIENCE = ("audience", "postcode_prefixes")


def audience_fixed(conversation: Conversation) -> bool:
    """Whether who may take part can no longer change: once anyone has voted, the votes on the
    map were cast by the people it let in (decision 0133)."""
    return Vote.objects.filter(conversation=conversation).exists()


def postcode_fits(conversation: Conversation, postcode: str) -> bool:
    """Whether a postcode lies in the conversation's area (any postcode when it has none)."""
    prefixes = conversation.prefixes()
    normal = postcode.strip().upper()
    return not prefixes or any(normal.startswith(prefix) for prefix in prefixes)


def needs_code(conversation: Conversation) -> bool:
    """Whether people take part only once verified with a resident's code."""
    return conversation.audience == Audience.RESIDENTS


def is_verified(participant: Participant | None) -> bool:
    return participant is not None and participant.verified_at is not None


def can_take_part(
    user: Visitor, conversation: Conversation, *, participant: Participant | None = None
) -> bool:
    """Vote while the conversation is open, if its audience includes this person; in a
    residents-only conversation, ``participant`` (theirs) must have been verified with a code."""
    if not is_open(conversation):
        return False
    if conversation.audience == Audience.ANYONE:
        return True
    if not user.is_authenticated:
        return False
    if not needs_code(conversation):
        return True
    return (
        participant is not None
        and participant.conversation_id == conversation.pk
        and participant.user_id == user.pk
        and is_verified(participant)
    )


def can_verify_residence(user: Visitor, conversation: Conversation) -> bool:
    """Enter a resident's code: signed-in people, while a residents-only conversation is open."""
    return is_open(conversation) and needs_code(conversation) and user.is_authenticated


def can_manage_codes(user: Visitor, conversation: Conversation) -> bool:
    """Make residents' codes and see how many were used: those who change the settings."""
    return can_manage_conversation(user, conversation)


# A map group of fewer people is shown by its label and size only: its area on the map and its
# representative statements would come close to showing how each of its few members voted.
SMALLEST_GROUP_SHOWN = 5


def group_shown_in_full(size: int) -> bool:
    """Whether a map group is big enough to show its area and representative statements."""
    return size >= SMALLEST_GROUP_SHOWN
