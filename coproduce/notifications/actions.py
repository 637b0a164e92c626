"""Tell people about something that happened: record the news and email it as each person chose
(at once after the commit, in a digest, or never); change those choices."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Left, Replace
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.accounts.models import User
from coproduce.notifications import queries
from coproduce.notifications.models import (
    MESSAGE_LENGTH,
    Event,
    Frequency,
    Notification,
    NotificationSettings,
)
from coproduce.notifications.tasks import send_notification_emails
from coproduce.services.models import Service


def _send_at_once(ids: list[int]) -> None:
    if ids:
        transaction.on_commit(lambda: send_notification_emails.enqueue(ids))


def notify(
    *, users: Iterable[User], event: str, message: str, url: str, service: Service | None
) -> list[Notification]:
    """Record the news for each active person; those who want it at once are emailed once the
    transaction commits, the others in their digest (or never).

    ``url`` is the address of the page it is about, from the site's root.
    """
    people = [user for user in users if user.is_active]
    delivery = queries.frequencies(people, event)
    created = Notification.objects.bulk_create(
        Notification(
            user=user,
            service=service,
            url=url,
            event=event,
            message=message[:MESSAGE_LENGTH],
            delivery=delivery[user.pk],
        )
        for user in people
    )
    # SQLite 3.35+ and PostgreSQL return primary keys.
    _send_at_once([n.pk for n in created if n.delivery == Frequency.AT_ONCE])
    return created


def notifications_requote(*, url: str, was: str, now: str) -> int:
    """News about a page quotes its title (“…”): where that title is changed, or its words removed,
    every quote of ``was`` in the news about ``url`` becomes ``now``, read or not, cut to a
    message's length. Returns how many changed."""
    if not was or was == now:
        return 0
    quoted, replacement = f"“{was}”", f"“{now}”"
    return Notification.objects.filter(url=url, message__contains=quoted).update(
        message=Left(Replace(F("message"), Value(quoted), Value(replacement)), MESSAGE_LENGTH)
    )


def notifications_mark_read(*, user: User) -> int:
    """Everything listed for the person counts as read now; returns how many changed."""
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def notification_settings_set(
    *, user: User, frequencies: dict[str, str], language: str | None = None
) -> NotificationSettings:
    """Choose how often the person is emailed about some topics (``Event`` → ``Frequency``), and
    in which language; topics left out keep their setting.

    News that waits for a digest follows the new choice: it goes at once, in the other digest, or
    not at all. News already set never to be emailed stays so.
    """
    unknown = set(frequencies) - set(Event.values)
    if unknown:
        raise TypeError(f"Not a topic: {', '.join(sorted(unknown))}.")
    errors = {
        topic: _("Choose how often we email you about this.")
        for topic, frequency in frequencies.items()
        if frequency not in Frequency.values
    }
    if language is not None and language not in dict(settings.LANGUAGES):
        errors["language"] = _("Choose English or Cymraeg.")
    if errors:
        raise ValidationError(errors)
    choices, _created = NotificationSettings.objects.select_for_update().get_or_create(user=user)
    for topic, frequency in frequencies.items():
        setattr(choices, topic, frequency)
    if language is not None:
        choices.language = language
    choices.save()
    waiting = Notification.objects.filter(
        user=user, emailed_at__isnull=True, delivery__in=[Frequency.DAILY, Frequency.WEEKLY]
    )
    for topic, frequency in frequencies.items():
        moved = waiting.filter(event=topic).exclude(delivery=frequency)
        if frequency == Frequency.AT_ONCE:
            _send_at_once(list(moved.values_list("pk", flat=True)))
        moved.update(delivery=frequency)
    return choices


def notifications_unsubscribe(*, user: User, topics: Iterable[str]) -> NotificationSettings:
    """Stop emailing the person about these topics (the one-click link in every email)."""
    return notification_settings_set(user=user, frequencies=dict.fromkeys(topics, Frequency.NEVER))
