"""Retention: what is kept only for a while is deleted when its time is up, every day, and each
run records how many of each it deleted — counts, never contents (decision 0094).

- anonymous survey answers whose email confirmation never came
  (``COPRODUCE_UNCONFIRMED_ANSWER_DAYS``);
- citizen panels' registration data, each panel's own retention days after it closes;
- accounts nobody has signed in to for ``COPRODUCE_INACTIVE_ACCOUNT_DAYS`` (0: never), erased as if
  their owner had deleted them. Staff of an organisation are left to their organisation, and the
  platform's operators (superusers, and anyone with access to the admin site) to each other.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from coproduce.accounts.models import User
from coproduce.insight.actions import submissions_purge_unconfirmed
from coproduce.panels.actions import registration_data_purge
from coproduce.privacy.erasure import account_erase
from coproduce.privacy.models import RetentionRun


def inactive_accounts(now: dt.datetime) -> list[User]:
    """Residents' accounts unused for longer than the setting: never signed in since joining,
    or not since their last sign-in."""
    days = int(settings.COPRODUCE_INACTIVE_ACCOUNT_DAYS)
    if days <= 0:
        return []
    cutoff = now - dt.timedelta(days=days)
    return list(
        User.objects.filter(
            erased_at__isnull=True, is_superuser=False, is_staff=False, memberships__isnull=True
        )
        .filter(Q(last_login__lt=cutoff) | Q(last_login__isnull=True, date_joined__lt=cutoff))
        .distinct()
    )


def retention_enforce(*, now: dt.datetime | None = None) -> RetentionRun:
    """Delete what has been kept long enough, and record how many of each."""
    now = now or timezone.now()
    counts = {
        "unconfirmed_survey_answers": submissions_purge_unconfirmed(now=now),
        "panel_registration_data": registration_data_purge(today=timezone.localdate(now)),
        "inactive_accounts": 0,
    }
    for user in inactive_accounts(now):
        account_erase(user=user)
        counts["inactive_accounts"] += 1
    return RetentionRun.objects.create(ran_at=now, counts=counts)
