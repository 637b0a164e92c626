"""Supports and agreements are votes: one person may change at most a few a minute.

One limiter for both (decisions 0703 and 0026): supporting an idea, agreeing with a comment and
withdrawing either count in the same per-person window, so alternating between them does not
double what a script can do.
"""

from __future__ import annotations

import time

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from coproduce.accounts.models import User

VOTES_PER_MINUTE = 20  # more changes than this in a minute are refused


def vote_rate_key(user: User) -> str:
    """The cache key that counts one person's supports and agreements in the current minute."""
    return f"codesign:votes:{user.pk}:{int(time.time() // 60)}"


def vote_rate_check(*, user: User) -> None:
    """Count one support, agreement or withdrawal; refuse it when a person makes too many in a
    minute.

    A fixed one-minute window per person, counted in the cache (the database cache embedded,
    Redis at scale). Raises ValidationError; nothing has changed when it does.
    """
    key = vote_rate_key(user)
    cache.add(key, 0, timeout=120)
    try:
        count = cache.incr(key)
    except ValueError:  # the counter expired between add and incr
        cache.set(key, 1, timeout=120)
        count = 1
    if count > VOTES_PER_MINUTE:
        raise ValidationError(
            _(
                "You have supported ideas, agreed with comments or withdrawn them a lot in the "
                "last minute. Nothing has changed. Wait a minute, then try again."
            )
        )
