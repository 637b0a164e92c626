"""Supports are votes: one person may change at most a few a minute (decision 0703)."""

from __future__ import annotations

import time

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from coproduce.accounts.models import User

SUPPORTS_PER_MINUTE = 20  # more changes than this in a minute are refused


def support_rate_key(user: User) -> str:
    """The cache key that counts one person's supports in the current minute."""
    return f"codesign:supports:{user.pk}:{int(time.time() // 60)}"


def support_rate_check(*, user: User) -> None:
    """Count one support or withdrawal; refuse it when a person makes too many in a minute.

    A fixed one-minute window per person, counted in the cache (the database cache embedded,
    Redis at scale). Raises ValidationError; nothing has changed when it does.
    """
    key = support_rate_key(user)
    cache.add(key, 0, timeout=120)
    try:
        count = cache.incr(key)
    except ValueError:  # the counter expired between add and incr
        cache.set(key, 1, timeout=120)
        count = 1
    if count > SUPPORTS_PER_MINUTE:
        raise ValidationError(
            _(
                "You have supported or withdrawn support from a lot of ideas in the last minute. "
                "Nothing has changed. Wait a minute, then try again."
            )
        )
