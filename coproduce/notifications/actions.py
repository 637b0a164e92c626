"""Notify the people who made or follow a contribution; email them after the commit."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Q

from coproduce.codesign.models import Contribution
from coproduce.notifications.models import Follow, Notification


def recipients(contribution: Contribution, *, actor: Any = None) -> list[Any]:
    """The author and everyone following the contribution, its activity or its service."""
    from django.contrib.auth import get_user_model

    activity = contribution.activity
    follower_ids = Follow.objects.filter(
        Q(contribution=contribution)
        | Q(activity=activity)
        | Q(service_id=activity.service_stage.service_id)
    ).values_list("user_id", flat=True)
    ids = set(follower_ids)
    if contribution.author_id:
        ids.add(contribution.author_id)
    if actor is not None:
        ids.discard(actor.pk)
    return list(get_user_model().objects.filter(pk__in=ids, is_active=True))


def notify(
    *, contribution: Contribution, event: str, message: str, actor: Any = None
) -> list[Notification]:
    """Record a notification for each recipient and email them once the transaction commits."""
    from coproduce.notifications.tasks import send_notification_emails

    created = Notification.objects.bulk_create(
        Notification(user=user, contribution=contribution, event=event, message=message[:500])
        for user in recipients(contribution, actor=actor)
    )
    ids = [n.pk for n in created]  # SQLite 3.35+ and PostgreSQL return primary keys
    if ids:
        transaction.on_commit(lambda: send_notification_emails.enqueue(ids))
    return created


@transaction.atomic
def follow_set(*, user: Any, target: Any, follow: bool) -> bool:
    """Follow or stop following a service, activity or contribution. Returns the new state."""
    from coproduce.services.models import Activity, Service

    field = {Service: "service", Activity: "activity", Contribution: "contribution"}[type(target)]
    lookup = {"user": user, field: target}
    if follow:
        Follow.objects.get_or_create(**lookup)
    else:
        Follow.objects.filter(**lookup).delete()
    return follow
