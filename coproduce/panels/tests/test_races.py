"""A panel's writes at once on PostgreSQL (decision 0140): an address list imported twice at once
is stored once, and a member's vote sent as the vote closes is refused rather than left behind,
uncounted. SQLite writes one transaction at a time, so these run on PostgreSQL only."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from coproduce.common.tests.concurrency import Behind, in_progress, only_on_postgresql, waits
from coproduce.panels import actions_deliberation, actions_selection
from coproduce.panels.models import Invitation, Phase, RecommendationVote
from coproduce.panels.tests.factories import make_panel
from coproduce.panels.tests.test_actions import addresses
from coproduce.panels.tests.test_deliberation import deliberating, draft


@only_on_postgresql
@pytest.mark.django_db(transaction=True)
def test_the_same_address_list_imported_twice_at_once_is_stored_once() -> None:
    """Decision 0140: the second import waits for the first, then is refused as imported before."""
    setup = make_panel(phase=Phase.INVITATIONS)

    def load() -> int:
        return actions_selection.invitations_import(
            panel=setup.panel, by=setup.staff, text=addresses(3), source="list.csv"
        )

    with in_progress(load):
        second = Behind(load)
    with pytest.raises(ValidationError, match="imported before"):
        second.result()
    assert sorted(Invitation.objects.values_list("property_reference", flat=True)) == [
        "P0000",
        "P0001",
        "P0002",
    ]


@only_on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_vote_sent_as_the_vote_closes_waits_then_is_refused() -> None:
    """Decision 0140: a member's vote waits for the close in progress, then is refused."""
    world = deliberating(members=2)
    recommendation = draft(world)
    actions_deliberation.voting_open(panel=world.panel, by=world.staff)

    def cast() -> None:
        actions_deliberation.vote_cast(
            recommendation=recommendation, by=world.members[0], supports=True
        )

    with in_progress(lambda: actions_deliberation.voting_close(panel=world.panel, by=world.staff)):
        waits(cast)
    with pytest.raises(PermissionDenied):
        cast()
    assert not RecommendationVote.objects.exists()
