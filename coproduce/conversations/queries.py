"""Reads of the conversations app: what a person may see, the latest map, and a participant's
group."""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import OuterRef, QuerySet, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404

from coproduce.accounts.types import Visitor
from coproduce.contributions.queries import contributions_seen_by
from coproduce.conversations import rules
from coproduce.conversations.models import (
    Conversation,
    MapRun,
    MapStatus,
    Participant,
    Statement,
    StatementQuerySet,
)
from coproduce.services.queries import activity_seen_by

SERVICE = "activity__service_stage__service"


def latest_map(conversation: Conversation) -> MapRun | None:
    """The most recent finished map of the conversation."""
    return conversation.maps.filter(status=MapStatus.DONE).order_by("-finished_at", "-pk").first()


def agreed_statements(pks: Sequence[int]) -> set[int]:
    """Of these statements (contribution keys), those all groups agree with — the ``consensus``
    ``agree`` list — on their conversation's latest finished map: the statement kind's ``agreed``
    (decision 0111). Two queries however many conversations; only that list of each map is read."""
    if not pks:
        return set()
    conversation_of = dict(
        Statement.objects.filter(pk__in=pks).values_list("pk", "conversation_id")
    )
    if not conversation_of:
        return set()
    latest = (  # the same order as latest_map
        MapRun.objects.filter(conversation=OuterRef("conversation"), status=MapStatus.DONE)
        .order_by("-finished_at", "-pk")
        .values("pk")[:1]
    )
    runs = MapRun.objects.filter(
        conversation__in=set(conversation_of.values()), status=MapStatus.DONE, pk=Subquery(latest)
    ).values_list("conversation_id", "result__consensus__agree")
    agree: dict[int, set[int]] = {
        conversation: {int(item["statement_id"]) for item in items or ()}
        for conversation, items in runs
    }
    return {pk for pk, conversation in conversation_of.items() if pk in agree.get(conversation, ())}


def public_group_of(run: MapRun) -> dict[int, int]:
    """Participant id → group label of a map, with imported participants under their Polis id."""
    polis_id: dict[int, int] = {
        pk: external
        for pk, external in Participant.objects.filter(
            conversation_id=run.conversation_id, external_id__isnull=False
        ).values_list("pk", "external_id")
        if external is not None
    }
    return {
        polis_id.get(int(pk), int(pk)): int(label)
        for pk, label in run.result.get("group_of", {}).items()
    }


def group_of_participant(participant: Participant) -> int | None:
    """The participant's group on the latest map ("you are in group B"), if they are in one."""
    run = latest_map(participant.conversation)
    if run is None:
        return None
    label = run.result.get("group_of", {}).get(str(participant.pk))
    return int(label) if label is not None else None


def conversations_seen_by(user: Visitor) -> QuerySet[Conversation]:
    """rules.can_view_conversation as a filter: open (not draft) activities of published services,
    and everything of the organisations the person works for."""
    return Conversation.objects.filter(activity_seen_by(user))


def visible_conversation(user: Visitor, pk: int) -> Conversation:
    """The conversation with this key (its activity's), or 404 for those who may not see it."""
    conversation = get_object_or_404(Conversation.objects.select_related(SERVICE), pk=pk)
    if not rules.can_view_conversation(user, conversation):
        raise Http404
    return conversation


def statements_seen_by(user: Visitor, conversation: Conversation) -> StatementQuerySet:
    """The conversation's statements this person may see: published ones, their own, and every
    one for its moderators (contributions_seen_by)."""
    seen = contributions_seen_by(user, conversation.activity).values("pk")
    return conversation.statements.filter(contribution__in=seen)


def participant_of(user: Visitor, conversation: Conversation) -> Participant | None:
    """A signed-in person's participant in the conversation, if they have taken part."""
    if not user.is_authenticated:
        return None
    return Participant.objects.filter(conversation=conversation, user_id=user.pk).first()


def voters(activity_ids: list[int]) -> QuerySet:
    """(activity id, user id) of everyone signed in who took part in a conversation: taking part,
    for equality monitoring (registered in apps.py)."""
    return Participant.objects.filter(
        conversation_id__in=activity_ids, user__isnull=False
    ).values_list("conversation_id", "user_id")
