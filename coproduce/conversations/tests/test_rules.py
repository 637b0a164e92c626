"""Who may take part, as a matrix of audience × visitor × activity state."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from coproduce.accounts.tests.factories import UserFactory
from coproduce.conversations import rules
from coproduce.conversations.models import Audience, Participant
from coproduce.conversations.tests.factories import make_conversation
from coproduce.services.models import ActivityState

pytestmark = pytest.mark.django_db

# (audience, who) -> may take part while open; a "verified" resident's participant was verified
# with a resident's code, an "unverified" one has an account and a participant but no code.
MATRIX = [
    (Audience.ANYONE, "visitor", True),
    (Audience.ANYONE, "resident", True),
    (Audience.SIGNED_IN, "visitor", False),
    (Audience.SIGNED_IN, "resident", True),
    (Audience.RESIDENTS, "visitor", False),
    (Audience.RESIDENTS, "resident", False),
    (Audience.RESIDENTS, "unverified", False),
    (Audience.RESIDENTS, "verified", True),
]


@pytest.mark.parametrize(("audience", "who", "allowed"), MATRIX)
@pytest.mark.parametrize("state", [ActivityState.DRAFT, ActivityState.OPEN, ActivityState.CLOSED])
def test_who_may_take_part(audience: str, who: str, allowed: bool, state: str) -> None:
    setup = make_conversation(seeds=0, state=state, audience=audience, postcode_prefixes="NF1")
    person = UserFactory()
    user = AnonymousUser() if who == "visitor" else person
    participant = None
    if who in ("unverified", "verified"):
        participant = Participant.objects.create(
            conversation=setup.conversation,
            user=person,
            verified_at=timezone.now() if who == "verified" else None,
        )
    expected = allowed and state == ActivityState.OPEN
    assert rules.can_take_part(user, setup.conversation, participant=participant) is expected


def test_a_verified_participant_counts_only_for_its_own_person_and_conversation() -> None:
    setup = make_conversation(seeds=0, audience=Audience.RESIDENTS, postcode_prefixes="NF1")
    other = make_conversation(seeds=0, audience=Audience.RESIDENTS, postcode_prefixes="NF1")
    owner = UserFactory()
    participant = Participant.objects.create(
        conversation=setup.conversation, user=owner, verified_at=timezone.now()
    )
    assert rules.can_take_part(owner, setup.conversation, participant=participant)
    assert not rules.can_take_part(UserFactory(), setup.conversation, participant=participant)
    assert not rules.can_take_part(owner, other.conversation, participant=participant)


@pytest.mark.parametrize(
    ("audience", "state", "allowed"),
    [
        (Audience.RESIDENTS, ActivityState.OPEN, True),
        (Audience.RESIDENTS, ActivityState.CLOSED, False),
        (Audience.SIGNED_IN, ActivityState.OPEN, False),
        (Audience.ANYONE, ActivityState.OPEN, False),
    ],
)
def test_codes_are_entered_by_signed_in_people_in_open_residents_only_conversations(
    audience: str, state: str, allowed: bool
) -> None:
    setup = make_conversation(seeds=0, state=state, audience=audience, postcode_prefixes="NF1")
    assert rules.can_verify_residence(UserFactory(), setup.conversation) is allowed
    assert not rules.can_verify_residence(AnonymousUser(), setup.conversation)


def test_staff_manage_and_moderate_residents_do_not() -> None:
    setup = make_conversation(seeds=0)
    conversation = setup.conversation
    resident = UserFactory()
    assert rules.can_manage_conversation(setup.staff, conversation)
    assert rules.can_moderate_conversation(setup.staff, conversation)
    assert not rules.can_manage_conversation(resident, conversation)
    assert not rules.can_moderate_conversation(resident, conversation)
    assert rules.can_view_conversation(resident, conversation)
    assert rules.can_manage_codes(setup.staff, conversation)
    assert not rules.can_manage_codes(resident, conversation)


@pytest.mark.parametrize("size", [0, 1, 4, 5, 6, 100])
def test_only_groups_of_five_or_more_are_shown_in_full(size: int) -> None:
    assert rules.group_shown_in_full(size) is (size >= 5)
