"""Who may take part, as a matrix of audience × visitor × activity state."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from coproduce.accounts.tests.factories import UserFactory
from coproduce.conversations import rules
from coproduce.conversations.models import Audience
from coproduce.conversations.tests.factories import make_conversation
from coproduce.services.models import ActivityState

pytestmark = pytest.mark.django_db

# (audience, who, postcode) -> may take part while open
MATRIX = [
    (Audience.ANYONE, "visitor", "", True),
    (Audience.ANYONE, "resident", "", True),
    (Audience.SIGNED_IN, "visitor", "", False),
    (Audience.SIGNED_IN, "resident", "", True),
    (Audience.RESIDENTS, "visitor", "NF1 1AA", False),
    (Audience.RESIDENTS, "resident", "NF1 1AA", True),
    (Audience.RESIDENTS, "resident", "XX1 1AA", False),
    (Audience.RESIDENTS, "resident", "", False),
]


@pytest.mark.parametrize(("audience", "who", "postcode", "allowed"), MATRIX)
@pytest.mark.parametrize("state", [ActivityState.DRAFT, ActivityState.OPEN, ActivityState.CLOSED])
def test_who_may_take_part(
    audience: str, who: str, postcode: str, allowed: bool, state: str
) -> None:
    setup = make_conversation(seeds=0, state=state, audience=audience, postcode_prefixes="NF1")
    user = UserFactory() if who == "resident" else AnonymousUser()
    expected = allowed and state == ActivityState.OPEN
    assert rules.can_take_part(user, setup.conversation, postcode=postcode) is expected


def test_staff_manage_and_moderate_residents_do_not() -> None:
    setup = make_conversation(seeds=0)
    conversation = setup.conversation
    resident = UserFactory()
    assert rules.can_manage_conversation(setup.staff, conversation)
    assert rules.can_moderate_conversation(setup.staff, conversation)
    assert not rules.can_manage_conversation(resident, conversation)
    assert not rules.can_moderate_conversation(resident, conversation)
    assert rules.can_view_conversation(resident, conversation)


@pytest.mark.parametrize("size", [0, 1, 4, 5, 6, 100])
def test_only_groups_of_five_or_more_are_shown_in_full(size: int) -> None:
    assert rules.group_shown_in_full(size) is (size >= 5)
