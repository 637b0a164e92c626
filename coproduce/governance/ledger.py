"""What governance records in the public ledger: published minutes and recorded votes.

Minutes are recorded when published, in the same transaction; a change after that is a correction
entry. The votes on a decision taken at a meeting are recorded with it (the decision itself is the
spine's ``decision`` record). See docs/decisions/0029-governance.md.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.utils.translation import gettext_lazy as _

from coproduce.accounts.types import Visitor
from coproduce.governance import rules
from coproduce.governance.models import Meeting, MeetingDecision
from coproduce.services.hooks import ON_THE_LEDGER
from coproduce.services.models import Service
from coproduce.transparency import actions as ledger
from coproduce.transparency.queries import on_ledger
from coproduce.transparency.registry import RecordType, register_type

MINUTES = "meeting_minutes"
VOTES = "meeting_votes"


def minutes_content(meeting: Meeting) -> dict[str, Any]:
    assert meeting.minutes_published_at is not None
    return {
        "meeting": meeting.pk,
        "board": meeting.board_id,
        "service": meeting.board.service_id,
        "title": meeting.title,
        "starts_at": meeting.starts_at.isoformat(),
        "minutes": meeting.minutes,
        "published_at": meeting.minutes_published_at.isoformat(),
    }


def votes_content(record: MeetingDecision) -> dict[str, Any]:
    return {
        "decision": record.decision_id,
        "meeting": record.meeting_id,
        "votes": [
            {"member": vote.membership.name, "role": vote.membership.role, "vote": vote.choice}
            for vote in record.votes.select_related("membership").order_by(
                "membership__name", "membership_id"
            )
        ],
    }


def _pk(key: str) -> int | None:
    return int(key) if key.isdigit() and len(key) < 19 else None


def _live_minutes(key: str) -> dict[str, Any] | None:
    pk = _pk(key)
    meeting = (
        None
        if pk is None
        else Meeting.objects.select_related("board")
        .filter(pk=pk, minutes_published_at__isnull=False)
        .first()
    )
    return None if meeting is None else minutes_content(meeting)


def _live_votes(key: str) -> dict[str, Any] | None:
    pk = _pk(key)
    record = None if pk is None else MeetingDecision.objects.filter(pk=pk).first()
    return None if record is None else votes_content(record)


def _meeting_links(user: Visitor, keys: Sequence[str], *, field: str) -> Mapping[str, str]:
    by_key = {key: _pk(key) for key in keys}
    wanted = {pk for pk in by_key.values() if pk is not None}
    meetings = Meeting.objects.select_related("board__service")
    if field == "decision":
        rows = {
            r.pk: r.meeting
            for r in MeetingDecision.objects.filter(pk__in=wanted).select_related(
                "meeting__board__service"
            )
        }
    else:
        rows = {m.pk: m for m in meetings.filter(pk__in=wanted)}
    visible = {
        pk: m.get_absolute_url() for pk, m in rows.items() if rules.can_view_meeting(user, m)
    }
    return {key: visible[pk] for key, pk in by_key.items() if pk in visible}


def record_minutes(meeting: Meeting) -> None:
    """The first publication, or a correction of the latest entry when they changed."""
    ledger.record_change(MINUTES, meeting.pk, minutes_content(meeting))


def record_votes(record: MeetingDecision) -> None:
    ledger.record(VOTES, record.pk, votes_content(record))


def service_on_ledger(service: Service) -> str | None:
    """Its boards' meeting minutes, once some are on the ledger (their votes go with decisions,
    which the spine answers for; decision 0137)."""
    keys = Meeting.objects.filter(board__service=service).values_list("pk", flat=True)
    return str(_("meeting minutes")) if on_ledger(MINUTES, keys) else None


def register() -> None:
    ON_THE_LEDGER.register(service_on_ledger)
    register_type(
        RecordType(
            type=MINUTES,
            label=_("Meeting minutes"),
            content=_live_minutes,
            links=lambda user, keys: _meeting_links(user, keys, field="meeting"),
        )
    )
    register_type(
        RecordType(
            type=VOTES,
            label=_("Votes on a decision taken at a meeting"),
            content=_live_votes,
            links=lambda user, keys: _meeting_links(user, keys, field="decision"),
        )
    )
