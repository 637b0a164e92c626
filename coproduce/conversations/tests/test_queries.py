"""Reads: who sees which conversations and statements, and a person's participant."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coproduce.accounts.tests.factories import UserFactory, client_for
from coproduce.contributions.actions import moderation_hide
from coproduce.contributions.tests.world import ROLES, World, build_world
from coproduce.conversations import actions, queries, rules
from coproduce.conversations.models import Conversation, Moderation
from coproduce.conversations.tests.factories import make_conversation, make_participant
from coproduce.services.models import ActivityKind, ActivityState
from coproduce.services.tests.factories import ActivityFactory, staff_of

pytestmark = pytest.mark.django_db


def _conversation(service: Any, state: str) -> Conversation:
    activity = ActivityFactory(service=service, kind=ActivityKind.OPINION_MAP, state=state)
    return actions.conversation_create(activity=activity, by=staff_of(activity))


@pytest.fixture
def world() -> World:
    return build_world()


@pytest.mark.parametrize("role", ROLES)
def test_the_list_filter_agrees_with_the_rule(world: World, role: str) -> None:
    conversations = [
        _conversation(service, state)
        for service in (world.service, world.draft_service)
        for state in (ActivityState.DRAFT, ActivityState.OPEN, ActivityState.CLOSED)
    ]
    person = world.people[role] or AnonymousUser()
    listed = set(queries.conversations_seen_by(person).values_list("pk", flat=True))
    allowed = {c.pk for c in conversations if rules.can_view_conversation(person, c)}
    assert listed & {c.pk for c in conversations} == allowed
    assert allowed  # every role sees at least the open ones of the published service


@pytest.mark.parametrize("role", ROLES)
def test_a_conversation_is_loaded_only_for_those_who_may_see_it(world: World, role: str) -> None:
    draft = _conversation(world.service, ActivityState.DRAFT)
    person = world.people[role] or AnonymousUser()
    if rules.can_view_conversation(person, draft):
        assert queries.visible_conversation(person, draft.pk) == draft
    else:
        with pytest.raises(Http404):
            queries.visible_conversation(person, draft.pk)


def test_statements_seen_published_own_or_all_for_moderators() -> None:
    setup = make_conversation(seeds=2, moderation=Moderation.PRE)
    conversation = setup.conversation
    author = make_participant(conversation, signed_in=True)
    pending = actions.statement_add(conversation=conversation, text="Mine", participant=author)
    hidden = setup.statements[1]
    moderation_hide(contribution=hidden.contribution, moderator=setup.staff)

    def seen(user: Any) -> set[int]:
        return set(queries.statements_seen_by(user, conversation).values_list("pk", flat=True))

    published = {setup.statements[0].pk}
    assert seen(AnonymousUser()) == published
    assert seen(UserFactory()) == published
    assert seen(author.user) == published | {pending.pk}
    assert seen(setup.staff) == published | {pending.pk, hidden.pk}


def test_participant_of_finds_only_the_persons_own() -> None:
    conversation = make_conversation(seeds=0).conversation
    mine = make_participant(conversation, signed_in=True)
    make_participant(conversation)  # a visitor
    assert mine.user is not None
    assert queries.participant_of(mine.user, conversation) == mine
    assert queries.participant_of(UserFactory(), conversation) is None
    assert queries.participant_of(AnonymousUser(), conversation) is None


def test_a_persons_statements_link_to_their_conversation_without_a_query_each() -> None:
    """ "What you have said" lists statements with the rest; each links to its conversation's
    page from the activity read with the list."""
    conversation = make_conversation(seeds=0).conversation
    author = make_participant(conversation, signed_in=True)
    assert author.user is not None
    client = client_for(author.user)
    url = reverse("contributions:my_contributions")
    counts = []
    for more in (1, 4):
        for number in range(more):
            actions.statement_add(
                conversation=conversation, text=f"Statement {more}.{number}", participant=author
            )
        with CaptureQueriesContext(connection) as queries_run:
            page = client.get(url).content.decode()
        counts.append(len(queries_run))
    assert counts[0] == counts[1]
    assert page.count(f"{conversation.activity.get_absolute_url()}#statement-") == 5
