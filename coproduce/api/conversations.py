"""Opinion maps: conversations, their statements, your votes (with a token) and the latest map.
Thin adapters over conversations' actions, rules and queries, as the website.
"""

# No `from __future__ import annotations` here: ninja reads the annotations of a @paginate-d
# operation through the wrapper, in another module, so they must be real objects (decision 0407).

import datetime as dt
from typing import Annotated, Any, Literal

from allauth.core import ratelimit
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from coproduce.accounts.types import SignedInRequest, Visitor
from coproduce.api.auth import OPTIONAL
from coproduce.api.common import LIST_ERRORS, READ, READ_ERRORS, WRITE, WRITE_ERRORS
from coproduce.api.schemas import IdPath, Input, LimitOffset, Shaped, Text
from coproduce.contributions.models import Visibility
from coproduce.conversations import actions, queries, rules
from coproduce.conversations.drawing import group_name
from coproduce.conversations.models import (
    Audience,
    Conversation,
    MapRun,
    Moderation,
    Participant,
    Statement,
    Vote,
    VoteValue,
)
from coproduce.services.models import ActivityState

router = Router(tags=["conversations"])

# Statements added, counted per participant and per address together with the website
# (settings.ACCOUNT_RATE_LIMITS, allauth's limiter; no limit while the action is not listed there).
ADDS = "conversation_statement_add"
VOTES: dict[str, int] = {
    "agree": VoteValue.AGREE,
    "disagree": VoteValue.DISAGREE,
    "pass": VoteValue.PASS,
}
VOTE_NAMES = {value: name for name, value in VOTES.items()}
VoteName = Literal["agree", "disagree", "pass"]


# --- Shapes -------------------------------------------------------------------------------------


class ConversationOut(Schema):
    id: int = Field(description="Its activity's id, as in /api/activities/{id}.")
    service: str = Field(description="Slug of the service.")
    title: str
    title_cy: str = Field(description="In Welsh; empty until written.")
    summary: str
    open: bool = Field(description="Whether people may vote and add statements now.")


class ConversationDetailOut(ConversationOut):
    summary_cy: str = Field(description="In Welsh; empty until written.")
    description: str = Field(description="What the conversation is about.")
    audience: Audience = Field(
        description=(
            "Who may take part: `anyone`, `signed_in` (people with an account; the API always "
            "needs a token), or `residents` (signed-in people verified on the website with the "
            "one-time code posted to them, and a postcode starting with one of "
            "`postcode_prefixes`)."
        )
    )
    postcode_prefixes: list[str]
    participants_may_add: bool = Field(description="Whether participants may add statements.")
    moderation: Moderation = Field(
        description=(
            "`pre`: a participant's statement waits for a moderator before it appears; `post`: "
            "it appears at once and is checked afterwards."
        )
    )
    statements: int = Field(description="How many published statements it has.")
    participants: int = Field(description="How many people have taken part.")
    votes: int = Field(description="How many votes they have cast (a changed vote counts once).")


class StatementOut(Schema):
    id: int
    text: str
    created_at: dt.datetime
    is_seed: bool = Field(description="Written by the people who run the conversation.")
    is_meta: bool = Field(
        description="About the conversation itself: voted on, but left out of the map."
    )
    state: Visibility = Field(
        description=(
            "`published`; the conversation's moderators (and a statement's author) also see "
            "statements that are `pending` (waiting for a moderator) or `hidden` (rejected)."
        )
    )
    rejected_reason: str = Field(description="Why a moderator rejected it; empty otherwise.")


Postcode = Annotated[str, Text(10)]


class StatementIn(Input):
    text: Annotated[str, Text(actions.STATEMENT_MAX_LENGTH, required=True)] = Field(
        description="A short statement others can agree or disagree with."
    )
    postcode: Postcode = Field(
        "",
        description=(
            "Kept for the report by area when you first take part. Residents-only conversations "
            "take the postcode given with the resident's code on the website instead."
        ),
    )


class VoteIn(Input):
    vote: VoteName
    postcode: Postcode = Field(
        "",
        description=(
            "Kept for the report by area when you first take part. Residents-only conversations "
            "take the postcode given with the resident's code on the website instead."
        ),
    )


class StatementVoteOut(Schema):
    statement: int
    vote: VoteName | None = Field(description="Your vote, or null if you have not voted on it.")
    voted_at: dt.datetime | None = Field(description="When you last cast or changed it.")


class YourVoteOut(StatementVoteOut):
    may_vote: bool = Field(description="Whether you may vote on it (or change your vote) now.")


class StatementCastOut(StatementVoteOut):
    changed: bool = Field(description="True when this replaced an earlier, different vote.")


class MapStatementOut(Schema):
    statement: int
    text: str
    n_success: int = Field(description="How many agreed (or disagreed, as the list says).")
    n_trials: int = Field(description="How many voted on it (passes included).")
    p_success: float = Field(description="The share that agreed (or disagreed), smoothed.")


class RepresentativeOut(MapStatementOut):
    repful_for: Literal["agree", "disagree"] = Field(
        description="Whether the group stands apart by agreeing or by disagreeing with it."
    )
    repness: float = Field(description="How much more the group does so than everyone else.")


class GroupOut(Schema):
    label: int
    name: str = Field(description="The group's letter on the map: A, B, C …")
    size: int = Field(description="How many participants it holds.")
    shown_in_full: bool = Field(
        description=(
            f"False for a group of fewer than {rules.SMALLEST_GROUP_SHOWN} people: only its size "
            "is shown, so that nobody's votes can be read from it."
        )
    )
    center: list[float] | None = Field(description="Its centre on the map (x, y).")
    hull: list[list[float]] | None = Field(
        description="The outline of its area on the map: (x, y) corners in order."
    )
    representative: list[RepresentativeOut] = Field(
        description="The statements that set the group apart, most telling first."
    )


class ConsensusOut(Schema):
    agree: list[MapStatementOut] = Field(description="What most people agree with in every group.")
    disagree: list[MapStatementOut]


class DivisiveOut(Schema):
    statement: int
    text: str
    extremity: float = Field(description="How far apart the groups are on it (0 to 1).")


class MapDetailOut(Schema):
    computed_at: dt.datetime
    method: str
    version: str
    parameters: dict[str, Any] = Field(description="Everything the map depends on but the votes.")
    seed: int = Field(description="The random seed, so that anyone can compute it again.")
    participants: int = Field(description="Participants whose votes were read.")
    in_map: int = Field(description="Those who voted enough to be placed on the map.")
    votes: int
    groups: list[GroupOut]
    consensus: ConsensusOut
    divisive: list[DivisiveOut] = Field(description="Where the groups differ most, first.")
    your_group: int | None = Field(
        description="With a token: the label of your group, if you voted enough to be in one."
    )


class MapOut(Schema):
    conversation: int
    map: MapDetailOut | None = Field(description="The latest map, or null before the first.")


# --- Adapters -----------------------------------------------------------------------------------


def _conversation_out(conversation: Conversation) -> dict[str, Any]:
    activity = conversation.activity
    return {
        "id": conversation.pk,
        "service": activity.service_stage.service.slug,
        "title": activity.title,
        "title_cy": activity.title_cy,
        "summary": activity.summary,
        "open": rules.is_open(conversation),
    }


def _conversation_detail(conversation: Conversation) -> dict[str, Any]:
    return {
        **_conversation_out(conversation),
        "summary_cy": conversation.activity.summary_cy,
        "description": conversation.description,
        "audience": conversation.audience,
        "postcode_prefixes": conversation.prefixes(),
        "participants_may_add": conversation.participants_may_add,
        "moderation": conversation.moderation,
        "statements": conversation.statements.published().count(),
        "participants": conversation.participants.count(),
        "votes": Vote.objects.filter(conversation=conversation).count(),
    }


def _statement_out(statement: Statement) -> dict[str, Any]:
    return {
        "id": statement.pk,
        "text": statement.text,
        "created_at": statement.created_at,
        "is_seed": statement.is_seed,
        "is_meta": statement.is_meta,
        "state": statement.contribution.visibility,
        "rejected_reason": statement.rejected_reason,
    }


def _vote_out(statement: Statement, vote: Vote | None) -> dict[str, Any]:
    return {
        "statement": statement.pk,
        "vote": None if vote is None else VOTE_NAMES[vote.value],
        "voted_at": None if vote is None else vote.updated_at,
    }


def _map_statement(item: dict[str, Any], texts: dict[int, str]) -> dict[str, Any] | None:
    """One statement of the stored map, or None when the caller may not see it (hidden since)."""
    pk = int(item["statement_id"])
    if pk not in texts:
        return None
    shown = {"statement": pk, "text": texts[pk]}
    for name in ("n_success", "n_trials", "p_success", "repful_for", "repness", "extremity"):
        if name in item:
            shown[name] = item[name]
    return shown


def _map_statements(items: list[dict[str, Any]], texts: dict[int, str]) -> list[dict[str, Any]]:
    return [shown for item in items if (shown := _map_statement(item, texts)) is not None]


def _map_out(run: MapRun, texts: dict[int, str], your_group: int | None) -> dict[str, Any]:
    """The stored map without anyone's position or group: groups by size and statements; small
    groups by their size alone (rules.group_shown_in_full)."""
    result = run.result
    groups = []
    for group in result.get("groups", []):
        label, full = int(group["label"]), rules.group_shown_in_full(int(group["size"]))
        representative = result.get("representative", {}).get(str(label), [])
        groups.append(
            {
                "label": label,
                "name": group_name(label),
                "size": group["size"],
                "shown_in_full": full,
                "center": group["center"] if full else None,
                "hull": group["hull"] if full else None,
                "representative": _map_statements(representative, texts) if full else [],
            }
        )
    consensus = result.get("consensus", {})
    assert run.finished_at is not None  # a finished map
    return {
        "computed_at": run.finished_at,
        "method": run.method,
        "version": run.version,
        "parameters": run.parameters,
        "seed": run.seed,
        "participants": run.participant_count,
        "in_map": result.get("in_conversation", 0),
        "votes": run.vote_count,
        "groups": groups,
        "consensus": {
            "agree": _map_statements(consensus.get("agree", []), texts),
            "disagree": _map_statements(consensus.get("disagree", []), texts),
        },
        "divisive": _map_statements(result.get("divisive", []), texts),
        "your_group": your_group,
    }


def _may_take_part(
    user: Visitor, conversation: Conversation, participant: Participant | None
) -> None:
    """Why this person cannot vote or add statements now, as a rule (decision 0402)."""
    if conversation.activity.state == ActivityState.DRAFT:
        raise ValidationError(_("This conversation has not opened yet."))
    if not rules.is_open(conversation):
        raise ValidationError(
            _("This conversation is closed: it takes no more statements or votes.")
        )
    if not rules.can_take_part(user, conversation, participant=participant):
        # Residents are verified on the website only, where code attempts are rate-limited
        # (decision 0112).
        raise ValidationError(
            _(
                "Only verified residents take part in this conversation: enter the code posted "
                "to you on the conversation’s page on the website first."
            )
        )


def _participant(
    request: SignedInRequest, conversation: Conversation, postcode: str
) -> Participant:
    _may_take_part(request.user, conversation, queries.participant_of(request.user, conversation))
    return actions.participant_get_or_create(
        conversation=conversation, user=request.user, postcode=postcode
    )


def _visible_statement(user: Visitor, conversation: Conversation, pk: int) -> Statement:
    statement = (
        queries.statements_seen_by(user, conversation)
        .select_related("contribution")
        .filter(pk=pk)
        .first()
    )
    if statement is None:
        raise Http404
    return statement


# --- Operations ---------------------------------------------------------------------------------


@router.get(
    "/conversations",
    response={200: list[ConversationOut], **LIST_ERRORS},
    auth=READ,
    openapi_extra=OPTIONAL,
    summary="Conversations (opinion maps), newest first",
    description="Those whose activity has opened; with a token, also your organisations' drafts.",
)
@paginate(LimitOffset)
def conversation_list(request: HttpRequest) -> Shaped[dict[str, Any]]:
    conversations = (
        queries.conversations_seen_by(request.user).select_related(queries.SERVICE).order_by("-pk")
    )
    return Shaped(conversations, lambda rows: list(map(_conversation_out, rows)))


@router.get(
    "/conversations/{conversation_id}",
    response={200: ConversationDetailOut, **READ_ERRORS},
    auth=READ,
    openapi_extra=OPTIONAL,
    summary="One conversation: who may take part, statements, moderation, counts, open or not",
)
def conversation_detail(request: HttpRequest, conversation_id: IdPath) -> dict[str, Any]:
    return _conversation_detail(queries.visible_conversation(request.user, conversation_id))


@router.get(
    "/conversations/{conversation_id}/statements",
    response={200: list[StatementOut], **READ_ERRORS},
    auth=READ,
    openapi_extra=OPTIONAL,
    summary="A conversation's statements, oldest first",
    description=(
        "The published statements. With a token, also your own that wait for a moderator or "
        "were rejected, and every statement for the conversation's moderators. Nobody's name "
        "is shown with a statement."
    ),
)
@paginate(LimitOffset)
def statement_list(request: HttpRequest, conversation_id: IdPath) -> Shaped[dict[str, Any]]:
    conversation = queries.visible_conversation(request.user, conversation_id)
    statements = queries.statements_seen_by(request.user, conversation)
    return Shaped(
        statements.select_related("contribution").order_by("created_at", "pk"),
        lambda rows: list(map(_statement_out, rows)),
    )


@router.post(
    "/conversations/{conversation_id}/statements",
    response={201: StatementOut, **WRITE_ERRORS},
    auth=WRITE,
    summary="Add a statement to an open conversation",
    description=(
        "You agree with your own statement. Where the conversation is moderated first "
        "(`moderation: pre`) it is `pending` until a moderator accepts it. A closed "
        "conversation, one that takes no new statements, a statement already there, or a "
        "person not yet verified with a resident's code (`audience: residents`) are each a "
        "`422` of type `rule`. At most 10 "
        "statements in 10 minutes by one person (100 from one address), website and API together."
    ),
)
def statement_add(
    request: SignedInRequest, conversation_id: IdPath, payload: StatementIn
) -> Status[Any]:
    conversation = queries.visible_conversation(request.user, conversation_id)
    participant = _participant(request, conversation, payload.postcode)
    if not ratelimit.consume(request, action=ADDS, key=f"user:{request.user.pk}"):
        raise ValidationError(
            _(
                "You have added many statements in the last few minutes. Nothing has changed. "
                "Wait a few minutes, then try again."
            )
        )
    statement = actions.statement_add(
        conversation=conversation, text=payload.text, participant=participant
    )
    return Status(201, _statement_out(statement))


@router.get(
    "/conversations/{conversation_id}/statements/{statement_id}/vote",
    response={200: YourVoteOut, **READ_ERRORS},
    auth=WRITE,
    summary="Your vote on a statement (a token is needed)",
)
def vote_detail(
    request: SignedInRequest, conversation_id: IdPath, statement_id: IdPath
) -> dict[str, Any]:
    conversation = queries.visible_conversation(request.user, conversation_id)
    statement = _visible_statement(request.user, conversation, statement_id)
    participant = queries.participant_of(request.user, conversation)
    vote = None if participant is None else participant.votes.filter(statement=statement).first()
    return {
        **_vote_out(statement, vote),
        "may_vote": rules.can_take_part(request.user, conversation, participant=participant)
        and statement.contribution.visibility == Visibility.PUBLISHED,
    }


@router.put(
    "/conversations/{conversation_id}/statements/{statement_id}/vote",
    response={200: StatementCastOut, **WRITE_ERRORS},
    auth=WRITE,
    summary="Agree, disagree or pass on a statement; a second PUT changes your vote",
    description=(
        "One vote per person and statement, whether cast on the website or here. A closed "
        "conversation, a statement that is not published, or a person not yet verified with a "
        "resident's code (`audience: residents`) are each a `422` of type `rule`. The map is computed again "
        "shortly after."
    ),
)
def vote_cast(
    request: SignedInRequest, conversation_id: IdPath, statement_id: IdPath, payload: VoteIn
) -> dict[str, Any]:
    conversation = queries.visible_conversation(request.user, conversation_id)
    statement = _visible_statement(request.user, conversation, statement_id)
    participant = _participant(request, conversation, payload.postcode)
    before = participant.votes.filter(statement=statement).values_list("value", flat=True).first()
    vote = actions.vote_cast(
        participant=participant, statement=statement, value=VOTES[payload.vote]
    )
    return {**_vote_out(statement, vote), "changed": before is not None and before != vote.value}


@router.get(
    "/conversations/{conversation_id}/map",
    response={200: MapOut, **READ_ERRORS},
    auth=READ,
    openapi_extra=OPTIONAL,
    summary="The latest map of a conversation: its groups, what they agree on and where they differ",
    description=(
        "`map` is null until the first map is computed. Groups are shown by their size, area on "
        "the map and representative statements; never who is in them. Groups of fewer than "
        f"{rules.SMALLEST_GROUP_SHOWN} people are shown by their size only. With a token, "
        "`your_group` is the label of your group. The method, its version, parameters and seed "
        "let anyone compute the map again from the conversation's open data."
    ),
)
def map_detail(request: HttpRequest, conversation_id: IdPath) -> dict[str, Any]:
    conversation = queries.visible_conversation(request.user, conversation_id)
    run = queries.latest_map(conversation)
    if run is None:
        return {"conversation": conversation.pk, "map": None}
    texts = dict(queries.statements_seen_by(request.user, conversation).values_list("pk", "text"))
    participant = queries.participant_of(request.user, conversation)
    your_group = None if participant is None else queries.group_of_participant(participant)
    return {"conversation": conversation.pk, "map": _map_out(run, texts, your_group)}
