"""Reads of the conversations app: the latest map, and a participant's group."""

from __future__ import annotations

from coproduce.conversations.models import Conversation, MapRun, MapStatus, Participant


def latest_map(conversation: Conversation) -> MapRun | None:
    """The most recent finished map of the conversation."""
    return conversation.maps.filter(status=MapStatus.DONE).order_by("-finished_at", "-pk").first()


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
