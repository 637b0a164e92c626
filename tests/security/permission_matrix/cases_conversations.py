"""Opinion maps: the pages, and the cases of the conversations API
(test_conversation_api_matrix)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from coproduce.contributions.tests.world import World
from tests.security.permission_matrix.common import (
    API_OWNER_MEMBERS,
    API_PUBLIC,
    API_VOTE_CLOSED,
    API_WITH_TOKEN,
    DENIED,
    DRAFT_ACTIVITY_STAFF,
    DRAFT_TAKE_PART,
    MANAGE_SERVICE,
    OWNER_MEMBERS,
    PUBLIC,
    RUN_ACTIVITIES,
    SIGNED_IN,
    ApiCase,
    Case,
    api_row,
    nothing,
    posted,
    row,
)


# Opinion maps (coproduce/conversations): the conversation's pages are seen with its activity;
# votes and statements come from anyone (the world's conversations let anyone take part) while it
# is open; the staff pages are for those who run the service's activities, the summary (a
# decision) for those who record its decisions.
def conversation_made(w: World, which: str) -> Any:
    """A conversation of the world's published service with one seed statement, made once per
    world: "open", "closed" or "draft"."""
    made = w.people.setdefault("_conversing", {})
    if which not in made:
        from coproduce.conversations.tests.factories import make_conversation

        made[which] = make_conversation(seeds=1, state=which, service=w.service).conversation
    return made[which]


def conversation(which: str) -> Callable[[World], dict[str, Any]]:
    return lambda w: {"pk": conversation_made(w, which).pk}


def seed_statement(w: World) -> dict[str, Any]:
    return {"pk": conversation_made(w, "open").statements.get().pk}


def residents_conversation(w: World) -> dict[str, Any]:
    """An open conversation of verified residents only (residents' codes, decision 0112)."""
    made = w.people.setdefault("_conversing", {})
    if "residents" not in made:
        from coproduce.conversations import actions as conversing
        from coproduce.services.models import ActivityKind
        from coproduce.services.tests.factories import ActivityFactory, staff_of

        activity = ActivityFactory(service=w.service, kind=ActivityKind.OPINION_MAP, state="open")
        made["residents"] = conversing.conversation_create(
            activity=activity, by=staff_of(activity), audience="residents", postcode_prefixes="NF1"
        )
    return {"pk": made["residents"].pk}


def a_vote(which: str) -> Callable[[World], dict[str, Any]]:
    return lambda w: {
        "statement": conversation_made(w, which).statements.get().pk,
        "value": "agree",
    }


CONVERSATION_CASES = [
    Case("conversations:conversation", conversation("open"), PUBLIC),
    Case("conversations:conversation", conversation("closed"), PUBLIC, label="closed"),
    Case("conversations:conversation", conversation("draft"), OWNER_MEMBERS, label="draft"),
    Case("conversations:vote", conversation("open"), PUBLIC, method="post", data=a_vote("open")),
    Case(
        "conversations:vote",
        conversation("draft"),
        DRAFT_TAKE_PART,
        method="post",
        data=a_vote("draft"),
        label="draft",
    ),
    Case(
        "conversations:vote",
        conversation("closed"),
        row(*[DENIED] * 7),
        method="post",
        data=a_vote("closed"),
        label="closed",
    ),
    Case("conversations:statement_add", conversation("open"), PUBLIC),
    Case("conversations:statement_add", conversation("draft"), DRAFT_TAKE_PART, label="draft"),
    Case("conversations:my_votes", conversation("open"), PUBLIC),
    Case("conversations:resident_code", conversation("open"), PUBLIC),
    Case("conversations:resident_code", residents_conversation, SIGNED_IN, label="residents"),
    Case("conversations:map", conversation("open"), PUBLIC),
    Case("conversations:map", conversation("draft"), OWNER_MEMBERS, label="draft"),
    Case("conversations:report", conversation("open"), PUBLIC),
    Case("conversations:report", conversation("draft"), OWNER_MEMBERS, label="draft"),
    Case("conversations:export_zip", conversation("open"), PUBLIC),
    Case("conversations:export_zip", conversation("draft"), OWNER_MEMBERS, label="draft"),
    Case("conversations:how_the_map_works", nothing, PUBLIC),
    Case("conversations:manage", conversation("open"), RUN_ACTIVITIES),
    Case("conversations:manage", conversation("draft"), DRAFT_ACTIVITY_STAFF, label="draft"),
    Case("conversations:moderation", conversation("open"), RUN_ACTIVITIES),
    Case(
        "conversations:statement_moderate",
        seed_statement,
        RUN_ACTIVITIES,
        method="post",
        data=posted(decision="meta"),
    ),
    Case("conversations:map_refresh", conversation("open"), RUN_ACTIVITIES, method="post"),
    Case("conversations:summary", conversation("open"), MANAGE_SERVICE),
    Case("conversations:codes", conversation("open"), RUN_ACTIVITIES),
    Case("conversations:codes", residents_conversation, RUN_ACTIVITIES, label="residents"),
]


# The conversations API (coproduce/api/conversations.py): seen with their activity (404 for what
# the caller may not see); statements and votes need a token and an open conversation (a closed
# or draft one is a 422 of type rule).
API_ADDED = api_row(401, 201, 201, 201, 201, 201, 201)
API_DRAFT_TAKE_PART = api_row(401, 404, 422, 422, 404, 422, 422)
STATEMENTS = "/api/conversations/{conversation_id}/statements"
VOTE = "/api/conversations/{conversation_id}/statements/{statement_id}/vote"
CONVERSATION_API_CASES = [
    ApiCase("get", "/api/conversations", "open", API_PUBLIC),
    ApiCase("get", "/api/conversations/{conversation_id}", "open", API_PUBLIC),
    ApiCase("get", "/api/conversations/{conversation_id}", "draft", API_OWNER_MEMBERS, "draft"),
    ApiCase("get", STATEMENTS, "open", API_PUBLIC),
    ApiCase("get", STATEMENTS, "draft", API_OWNER_MEMBERS, "draft"),
    ApiCase("post", STATEMENTS, "open", API_ADDED),
    ApiCase("post", STATEMENTS, "closed", API_VOTE_CLOSED, "closed"),
    ApiCase("post", STATEMENTS, "draft", API_DRAFT_TAKE_PART, "draft"),
    ApiCase("get", VOTE, "open", API_WITH_TOKEN),
    ApiCase("get", VOTE, "draft", api_row(401, 404, 200, 200, 404, 200, 200), "draft"),
    ApiCase("put", VOTE, "open", API_WITH_TOKEN),
    ApiCase("put", VOTE, "closed", API_VOTE_CLOSED, "closed"),
    ApiCase("put", VOTE, "draft", API_DRAFT_TAKE_PART, "draft"),
    ApiCase("get", "/api/conversations/{conversation_id}/map", "open", API_PUBLIC),
    ApiCase("get", "/api/conversations/{conversation_id}/map", "draft", API_OWNER_MEMBERS, "draft"),
]
