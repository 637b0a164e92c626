"""Reads for a person: their latest news, and how they want to hear about it."""

from __future__ import annotations

from collections.abc import Iterable

from coproduce.accounts.models import User
from coproduce.notifications.models import DEFAULT_FREQUENCIES, Notification, NotificationSettings


def recent_notifications(user: User, limit: int = 10) -> list[Notification]:
    return list(
        Notification.objects.filter(user=user)
        .select_related("service")
        .order_by("-created_at", "-id")[:limit]
    )


def settings_of(user: User) -> NotificationSettings:
    """The person's settings; the defaults (not saved) when they never chose."""
    found = NotificationSettings.objects.filter(user=user).first()
    return found if found is not None else NotificationSettings(user=user)


def frequencies(users: Iterable[User], topic: str) -> dict[int, str]:
    """How often each of these people hears about ``topic``: user id → frequency."""
    ids = [user.pk for user in users]
    chosen = dict(
        NotificationSettings.objects.filter(user_id__in=ids).values_list("user_id", topic)
    )
    return {pk: chosen.get(pk, DEFAULT_FREQUENCIES[topic]) for pk in ids}
