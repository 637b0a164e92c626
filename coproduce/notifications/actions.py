"""Tell people about something that happened: record the news and email it after the commit."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from coproduce.accounts.models import User
from coproduce.notifications.models import Notification
from coproduce.notifications.tasks import send_notification_emails
from coproduce.services.models import Service


def notify(
    *, users: Iterable[User], event: str, message: str, url: str, service: Service | None
) -> list[Notification]:
    """Record the news for each active person and email them once the transaction commits.

    ``url`` is the address of the page it is about, from the site's root.
    """
    created = Notification.objects.bulk_create(
        Notification(user=user, service=service, url=url, event=event, message=message[:500])
        for user in users
        if user.is_active
    )
    ids = [n.pk for n in created]  # SQLite 3.35+ and PostgreSQL return primary keys
    if ids:
        transaction.on_commit(lambda: send_notification_emails.enqueue(ids))
    return created


def notifications_mark_read(*, user: User) -> int:
    """Everything listed for the person counts as read now; returns how many changed."""
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
