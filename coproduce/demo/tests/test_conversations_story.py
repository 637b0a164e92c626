"""The demo's opinion maps: the e-bike theft conversation with a week of votes and a map of its
groups, the open evening-support conversation a visitor can vote in; seeding twice changes
nothing."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db.models import Max, Min
from django.utils import timezone

from coproduce.accounts.models import User
from coproduce.contributions.models import Visibility
from coproduce.conversations import actions, rules
from coproduce.conversations.models import (
    Audience,
    Conversation,
    MapRun,
    MapStatus,
    Moderation,
    Participant,
    Statement,
    Vote,
    VoteValue,
)
from coproduce.conversations.queries import group_of_participant, latest_map
from coproduce.demo.conversations import DAVE, EBIKE, EVENING, LIGHTING, PRIYA, RESIDENT
from coproduce.demo.story import seed

pytestmark = [pytest.mark.slow, pytest.mark.demo_content]


def test_the_demo_conversations(demo_story: None) -> None:

    # E-bike theft: anyone may take part and add statements, checked before they appear.
    ebike = Conversation.objects.select_related("activity").get(activity__title=EBIKE)
    assert ebike.activity.service.slug == "neighbourhood-policing-in-northfield"
    assert (ebike.audience, ebike.participants_may_add, ebike.moderation) == (
        Audience.ANYONE,
        True,
        Moderation.PRE,
    )
    statements = Statement.objects.filter(conversation=ebike).select_related("contribution")
    assert 25 <= statements.count() <= 35
    seeds = statements.filter(is_seed=True)
    assert seeds.count() >= 15
    authors = {s.contribution.author for s in seeds}
    assert all(a is not None and rules.can_manage_conversation(a, ebike) for a in authors)
    added = statements.filter(is_seed=False)
    pending = added.filter(contribution__visibility=Visibility.PENDING)
    assert 2 <= pending.count() <= 4
    [rejected] = added.filter(contribution__visibility=Visibility.HIDDEN)
    assert rejected.rejected_reason
    [meta] = statements.filter(is_meta=True)
    assert "scooter" in meta.text
    assert meta.contribution.visibility == Visibility.PUBLISHED

    # A few thousand votes from a few hundred people, over the week it has been open.
    votes = Vote.objects.filter(conversation=ebike)
    assert 2_000 <= votes.count() <= 8_000
    assert 300 <= Participant.objects.filter(conversation=ebike).count() <= 400
    span = votes.aggregate(first=Min("created_at"), last=Max("created_at"))
    assert span["first"] is not None
    assert span["last"] is not None
    assert (span["last"] - span["first"]).days >= 5
    assert span["last"] <= timezone.now()
    for waiting in pending:  # only its author has voted on a statement not yet published
        assert set(votes.filter(statement=waiting).values_list("participant", flat=True)) == {
            waiting.author_id
        }

    # The map: a few groups, and the lighting at the station bike racks agreed by almost all.
    run = latest_map(ebike)
    assert run is not None
    assert run.status == MapStatus.DONE
    assert 2 <= len(run.result["groups"]) <= 4
    assert all(run.result["representative"].get(str(g["label"])) for g in run.result["groups"])
    lighting = statements.get(text=LIGHTING)
    assert lighting.pk in [item["statement_id"] for item in run.result["consensus"]["agree"]]
    assert meta.pk not in [item["statement_id"] for item in run.result["consensus"]["agree"]]
    assert run.vote_count == votes.count()

    # Jo, the demo resident, has a group, and Jo's own statement waits for a moderator.
    jo = User.objects.get(email=RESIDENT)
    mine = Participant.objects.get(conversation=ebike, user=jo)
    assert group_of_participant(mine) is not None
    # Jo leans as Priya does ("prevention and design"), and Dave ("enforcement first") does not.
    priya, dave = (
        group_of_participant(Participant.objects.get(conversation=ebike, user__email=email))
        for email in (PRIYA, DAVE)
    )
    assert group_of_participant(mine) == priya != dave
    assert pending.filter(author=mine).exists()

    # Evening support: open, and a visitor without an account can vote.
    evening = Conversation.objects.select_related("activity").get(activity__title=EVENING)
    assert evening.audience == Audience.ANYONE
    assert rules.is_open(evening)
    assert rules.can_take_part(AnonymousUser(), evening)
    assert evening.activity.how_to_take_part.startswith("The statements are on a wall")
    assert 10 <= evening.statements.published().count() <= 14
    assert Participant.objects.filter(conversation=evening).count() <= 25
    assert Vote.objects.filter(conversation=evening).count() < 200
    small = latest_map(evening)
    assert small is None or small.participant_count <= 25

    counted = (Statement, Participant, Vote, MapRun)
    size = [model.objects.count() for model in counted]
    seed()
    assert [model.objects.count() for model in counted] == size

    visitor = actions.participant_get_or_create(conversation=evening)
    first = evening.statements.published().first()
    assert first is not None
    actions.vote_cast(participant=visitor, statement=first, value=VoteValue.AGREE)
    assert Vote.objects.filter(participant=visitor).count() == 1
