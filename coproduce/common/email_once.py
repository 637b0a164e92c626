"""Emails sent at most once per idempotency key, for background tasks that may run twice.

A task runs again when its worker was killed (``manage.py task_worker``, decision 0900). Each email
a task sends carries a key made from the task's inputs (what the email is about and to whom, never
the time or a random value); the first run records it and a re-run finds it and sends nothing.

The key is recorded in the same transaction as the hand-off to the mail server, committed after
it: a worker killed during the hand-off leaves no record, and the re-run sends the email again
with the same ``Message-ID``, so mail systems can see it is the same message. At-least-once at
that instant, once otherwise (docs/decisions/0901-idempotent-emails.md).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.utils import timezone

from coproduce.common.models import SentEmail

# How long a key is kept: far longer than a task can be run again (COPRODUCE_TASK_TIMEOUT times the
# worker's few attempts), and the flags on the rows the emails are about stay for good.
KEEP_DAYS = 30


def message_id(key: str) -> str:
    """The ``Message-ID`` of the email with this key: the same on every run, unique per site."""
    digest = hashlib.sha256(f"{settings.SITE_URL}\n{key}".encode()).hexdigest()[:40]
    domain = urlsplit(settings.SITE_URL).hostname or "coproduce.invalid"
    return f"<{digest}@{domain}>"


def send_once(key: str, message: EmailMessage | Callable[[], EmailMessage]) -> bool:
    """Send the message unless one with this key was sent; True when it was sent now.

    Give a callable to build the message only when it will be sent (a link with a fresh token,
    say). A failure to send raises and records nothing, so a retry sends. Two runs at once: the
    second waits for the first's transaction on the key's unique index and then sends nothing.
    """
    if len(key) > SentEmail._meta.get_field("key").max_length:  # type: ignore[operator]
        raise ValueError(f"The email key {key[:60]!r}… is too long.")
    if SentEmail.objects.filter(key=key).exists():
        return False
    with transaction.atomic():
        try:
            with transaction.atomic():
                SentEmail.objects.create(key=key)
        except IntegrityError:  # another run took the key a moment ago
            return False
        email = message() if callable(message) else message
        email.extra_headers["Message-ID"] = message_id(key)
        email.send()
    return True


def sent_emails_purge(*, now: dt.datetime | None = None) -> int:
    """Forget the keys of emails sent more than KEEP_DAYS ago; returns how many (run daily)."""
    before = (now or timezone.now()) - dt.timedelta(days=KEEP_DAYS)
    deleted, _by_model = SentEmail.objects.filter(sent_at__lt=before).delete()
    return deleted
