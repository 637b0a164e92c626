"""Reads for a person: what they contributed and where each one stands; what they follow."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from coproduce.codesign.models import Contribution, Decision, Response
from coproduce.notifications.models import Follow, Notification


def my_contributions(user: Any) -> QuerySet[Contribution]:
    """Everything the person contributed, newest first, with answers and decisions attached."""
    return (
        Contribution.objects.filter(author=user)
        .with_details()
        .prefetch_related(
            Prefetch("responses", queryset=Response.objects.order_by("created_at")),
            Prefetch("decisions", queryset=Decision.objects.order_by("-decided_on")),
        )
        .order_by("-created_at", "-id")
    )


def recent_notifications(user: Any, limit: int = 10) -> list[Notification]:
    return list(
        Notification.objects.filter(user=user)
        .select_related("contribution__activity__service_stage__service")
        .order_by("-created_at", "-id")[:limit]
    )


def follows_of(user: Any) -> QuerySet[Follow]:
    return (
        Follow.objects.filter(user=user)
        .select_related(
            "service",
            "activity__service_stage__service",
            "contribution__activity",
            "contribution__idea",
            "contribution__comment__idea",
            "contribution__story",
            "contribution__asset",
            "contribution__submission__survey__activity",
        )
        .order_by("-created_at")
    )


def is_following(user: Any, target: Any) -> bool:
    """Whether the person follows this service, activity or contribution."""
    if not user.is_authenticated:
        return False
    field = target._meta.model_name
    return Follow.objects.filter(user=user, **{field: target}).exists()
