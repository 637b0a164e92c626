"""The figures of a conversation's report: how many took part, when, and where from.

Counts by area are shown only for areas with at least AREA_SHOWN_FROM participants; smaller ones
are added together as "other areas", so that a count never points at a few neighbours.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncDate

from coproduce.contributions.models import Decision, Visibility
from coproduce.conversations.models import Conversation, Participant, Statement, Vote

AREA_SHOWN_FROM = 10
DAYS_SHOWN_BY_DAY = 60  # a longer conversation is counted by week


@dataclass(frozen=True)
class Numbers:
    participants: int  # people who voted on a published statement
    statements: int  # published statements
    votes: int  # current votes on them (a changed vote counts once)
    untimed_votes: int  # imported without a time: not in the counts over time


@dataclass(frozen=True)
class Period:
    start: dt.date
    votes: int


@dataclass(frozen=True)
class AreaRow:
    area: str  # the postcode district; empty for "other areas"
    participants: int


@dataclass(frozen=True)
class ByArea:
    rows: list[AreaRow]  # areas of AREA_SHOWN_FROM or more, largest first
    other: int  # participants in smaller areas, added together
    not_given: int  # participants who gave no postcode


def _votes(conversation: Conversation) -> QuerySet[Vote]:
    """The votes the report counts: those on published statements, as in the open data."""
    return Vote.objects.filter(
        conversation=conversation, statement__contribution__visibility=Visibility.PUBLISHED
    )


def numbers(conversation: Conversation) -> Numbers:
    votes = _votes(conversation)
    return Numbers(
        participants=votes.values("participant").distinct().count(),
        statements=Statement.objects.filter(conversation=conversation).published().count(),
        votes=votes.count(),
        untimed_votes=votes.filter(created_at__isnull=True).count(),
    )


def votes_over_time(conversation: Conversation) -> tuple[str, list[Period]]:
    """Votes by the day they were first cast ("day"), or by week from Monday ("week") when the
    conversation ran longer than DAYS_SHOWN_BY_DAY; periods without votes count 0."""
    per_day = dict(
        _votes(conversation)
        .filter(created_at__isnull=False)
        .annotate(day=TruncDate("created_at"))
        .values("day")
        .annotate(votes=Count("pk"))
        .values_list("day", "votes")
    )
    if not per_day:
        return "day", []
    first, last = min(per_day), max(per_day)
    if (last - first).days < DAYS_SHOWN_BY_DAY:
        days = (last - first).days + 1
        return "day", [
            Period(start=day, votes=per_day.get(day, 0))
            for day in (first + dt.timedelta(days=n) for n in range(days))
        ]
    weeks: Counter[dt.date] = Counter()
    for day, count in per_day.items():
        weeks[day - dt.timedelta(days=day.weekday())] += count
    monday, end = min(weeks), max(weeks)
    periods = []
    while monday <= end:
        periods.append(Period(start=monday, votes=weeks.get(monday, 0)))
        monday += dt.timedelta(weeks=1)
    return "week", periods


def by_area(conversation: Conversation) -> ByArea:
    """Participants by the postcode district they gave, small areas merged (AREA_SHOWN_FROM)."""
    counts = Counter(
        dict(
            Participant.objects.filter(conversation=conversation)
            .values("postcode_area")
            .annotate(n=Count("pk"))
            .values_list("postcode_area", "n")
        )
    )
    not_given = counts.pop("", 0)
    rows = sorted(
        (AreaRow(area=area, participants=n) for area, n in counts.items() if n >= AREA_SHOWN_FROM),
        key=lambda row: (-row.participants, row.area),
    )
    other = sum(n for n in counts.values() if n < AREA_SHOWN_FROM)
    return ByArea(rows=rows, other=other, not_given=not_given)


def summary_decisions(conversation: Conversation) -> QuerySet[Decision]:
    """The service's decisions that name statements of this conversation: the official summary
    and what was decided after it, newest first."""
    activity = conversation.activity
    return (
        Decision.objects.filter(
            service_id=activity.service_stage.service_id, contributions__activity=activity
        )
        .distinct()
        .order_by("-decided_on", "-id")
    )
