"""Background jobs: emails about news for people, at once or in a daily or weekly digest.

Each notification is emailed once, whatever runs twice: a job locks the rows it sends (PostgreSQL
skips rows another job holds; SQLite runs one writing transaction at a time), sends, and sets
``emailed_at`` in the same transaction. An email that fails to send leaves its rows unsent. Each
email also carries an idempotency key made from the notifications it tells of (``send_once``).
"""

from __future__ import annotations

import hashlib
from itertools import groupby

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django_tasks import task

from coproduce.common.email_once import send_once
from coproduce.notifications import queries
from coproduce.notifications.emails import email_message, language_of
from coproduce.notifications.models import (
    DIGESTS,
    TOPIC_NAMES,
    Event,
    Frequency,
    Notification,
)

# The most a digest lists; the rest are counted, with a link to them all.
DIGEST_LIMIT = 50


def _unsent() -> QuerySet[Notification]:
    """Notifications not emailed yet, locked for this job (rows another job holds are skipped)."""
    return Notification.objects.select_for_update(skip_locked=True, of=("self",)).filter(
        emailed_at__isnull=True
    )


@task()
def send_notification_emails(notification_ids: list[int]) -> int:
    """Email each of these notifications that goes at once and is not sent yet; returns how many."""
    sent = 0
    for pk in notification_ids:
        with transaction.atomic():
            notification = (
                _unsent()
                .filter(pk=pk, delivery=Frequency.AT_ONCE)
                .select_related("user", "service")
                .first()
            )
            if notification is None:
                continue
            user = notification.user
            send_once(
                f"notifications.at-once:{notification.pk}:{user.pk}",
                email_message(
                    user=user,
                    topics=[notification.event],
                    language=language_of(queries.settings_of(user)),
                    subject_template="notifications/email_subject.txt",
                    body_template="notifications/email_body.txt",
                    context={"notification": notification, "service": notification.service},
                ),
            )
            notification.emailed_at = timezone.now()
            notification.save(update_fields=["emailed_at"])
        sent += 1
    return sent


@task()
def send_digests(period: str) -> int:
    """Email everyone one summary of their news that waits for this digest; returns how many
    emails were sent. ``period`` is ``daily`` or ``weekly``."""
    if period not in DIGESTS:
        raise ValueError(f"There is no {period!r} digest: choose one of {', '.join(DIGESTS)}.")
    waiting = (
        Notification.objects.filter(delivery=period, emailed_at__isnull=True, user__is_active=True)
        .order_by("user_id")
        .values_list("user_id", flat=True)
        .distinct()
    )
    return sum(_send_digest(user_id, period) for user_id in list(waiting))


def _send_digest(user_id: int, period: str) -> bool:
    """One person's digest: what waits for it, grouped by topic, oldest first."""
    with transaction.atomic():
        news = list(
            _unsent()
            .filter(user_id=user_id, delivery=period)
            .select_related("user", "service")
            .order_by("created_at", "id")
        )
        if not news:
            return False  # another job has sent it
        user = news[0].user
        choices = queries.settings_of(user)
        listed = news[:DIGEST_LIMIT]
        order = {topic: position for position, topic in enumerate(Event.values)}
        listed.sort(key=lambda n: order.get(n.event, len(order)))
        groups = [
            (TOPIC_NAMES.get(topic, topic), list(items))
            for topic, items in groupby(listed, key=lambda n: n.event)
        ]
        # Unsubscribing from a digest stops every topic it carries.
        topics = {n.event for n in news} | {
            topic for topic, frequency in choices.frequencies.items() if frequency == period
        }
        send_once(
            _digest_key(user_id, period, [n.pk for n in news]),
            email_message(
                user=user,
                topics=topics,
                language=language_of(choices),
                subject_template="notifications/digest_subject.txt",
                body_template="notifications/digest_body.txt",
                context={"period": period, "groups": groups, "more": len(news) - len(listed)},
            ),
        )
        Notification.objects.filter(pk__in=[n.pk for n in news]).update(emailed_at=timezone.now())
    return True


def _digest_key(user_id: int, period: str, notification_ids: list[int]) -> str:
    """The digest's idempotency key: the same for a re-run that finds the same news waiting."""
    ids = ",".join(str(pk) for pk in sorted(notification_ids))
    return (
        f"notifications.digest:{period}:{user_id}:{hashlib.sha256(ids.encode()).hexdigest()[:24]}"
    )
