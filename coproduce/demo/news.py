"""The demo's news, dated when it happened.

Seeding runs every action now, so each notification it makes is dated today and unread; the
story's answers, statuses and decisions are then moved back to the months they happened in. This
moves each notification to the moment of what it reports, and marks what is more than a fortnight
old as read (its email sent then), so "Your contributions" shows last year's news as last year's.
"""

from __future__ import annotations

import datetime as dt
import re

from django.db.models import Max
from django.utils import timezone

from coproduce.contributions.models import Decision, Response, StatusChange
from coproduce.notifications.models import Event, Notification

SEEN_AFTER = dt.timedelta(days=14)


def _contribution_key(url: str) -> int | None:
    """The contribution a notification's page is about: the last number in its address."""
    numbers = re.findall(r"\d+", url)
    return int(numbers[-1]) if numbers else None


def date_the_news() -> int:
    """Date every notification by what it reports; returns how many were dated."""
    answered = dict(
        Response.objects.values("contribution")
        .annotate(at=Max("created_at"))
        .values_list("contribution", "at")
    )
    moved = dict(
        StatusChange.objects.values("contribution")
        .annotate(at=Max("created_at"))
        .values_list("contribution", "at")
    )
    decided: dict[int, dt.date] = {}
    for linked, day in Decision.objects.filter(contributions__isnull=False).values_list(
        "contributions", "decided_on"
    ):
        decided[linked] = max(day, decided.get(linked, day))
    now = timezone.now()
    dated = 0
    for notification in Notification.objects.all().iterator():
        key = _contribution_key(notification.url)
        if key is None:
            continue
        when: dt.datetime | None = None
        if notification.event == Event.RESPONSE:
            when = answered.get(key)
        elif notification.event == Event.STATUS:
            when = moved.get(key)
        elif notification.event == Event.DECISION and key in decided:
            day = decided[key]
            when = timezone.make_aware(dt.datetime.combine(day, dt.time(10)))
        if when is None:
            continue
        when = min(when, now)
        seen = when + dt.timedelta(days=1) if now - when > SEEN_AFTER else None
        Notification.objects.filter(pk=notification.pk).update(
            created_at=when, emailed_at=when, read_at=seen
        )
        dated += 1
    return dated
