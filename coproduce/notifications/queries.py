"""Reads for a person: their latest news."""

from __future__ import annotations

from coproduce.accounts.models import User
from coproduce.notifications.models import Notification


def recent_notifications(user: User, limit: int = 10) -> list[Notification]:
    return list(
        Notification.objects.filter(user=user)
        .select_related("service")
        .order_by("-created_at", "-id")[:limit]
    )
