"""A visitor's votes claimed twice (decision 0140): signing in from two tabs sends the claim twice
with the same visitor's participant, and the second finds nothing more to move."""

from __future__ import annotations

import pytest

from coproduce.accounts.tests.factories import UserFactory
from coproduce.conversations import actions
from coproduce.conversations.models import Participant, Vote, VoteValue
from coproduce.conversations.tests.factories import make_conversation, make_participant

pytestmark = pytest.mark.django_db


def test_a_claim_sent_twice_gives_the_accounts_participant_with_the_votes() -> None:
    """Decision 0140: the second claim of a visitor already claimed moves nothing and fails not."""
    setup = make_conversation(seeds=2)
    first, second = setup.statements
    user = UserFactory()
    visitor = make_participant(setup.conversation)
    actions.vote_cast(participant=visitor, statement=first, value=VoteValue.AGREE)
    actions.vote_cast(participant=visitor, statement=second, value=VoteValue.DISAGREE)
    mine = actions.participant_claim(participant=visitor, user=user)
    again = actions.participant_claim(participant=visitor, user=user)  # the same stale visitor
    assert again == mine
    assert again.user == user
    assert not Participant.objects.filter(pk=visitor.pk).exists()
    votes = dict(Vote.objects.filter(participant=again).values_list("statement_id", "value"))
    assert votes == {first.pk: VoteValue.AGREE, second.pk: VoteValue.DISAGREE}
    assert Vote.objects.filter(conversation=setup.conversation).count() == 2
