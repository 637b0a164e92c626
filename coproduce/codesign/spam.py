"""A simple spam guard: hold contributions with many links or from very busy accounts."""

from __future__ import annotations

import datetime as dt
import re
import time
from typing import Any

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

LINK = re.compile(r"(https?://|www\.)", re.IGNORECASE)
MAX_LINKS = 2
HOLD_AFTER = 10  # contributions in the window: more are held for a moderator
REFUSE_AFTER = 30  # contributions in the window: more are refused outright
WINDOW = dt.timedelta(minutes=10)
SUPPORTS_PER_MINUTE = 20  # supports are votes: more changes than this in a minute are refused


def hold_reason(*, author: Any, text: str) -> str:
    """Why a new contribution should wait for a moderator, or '' when it need not.

    Raises ValidationError when the author has posted so much that we refuse more for now.
    """
    from coproduce.codesign.models import Contribution

    if author is not None and author.is_authenticated:
        recent = Contribution.objects.filter(
            author=author, created_at__gte=timezone.now() - WINDOW
        ).count()
        if recent >= REFUSE_AFTER:
            raise ValidationError(
                _("You have posted a lot in a short time. Wait ten minutes, then try again.")
            )
        if recent >= HOLD_AFTER:
            return _("Many contributions in a short time (%(count)s in 10 minutes)") % {
                "count": recent + 1
            }
    links = len(LINK.findall(text))
    if links > MAX_LINKS:
        return _("Contains %(count)s links") % {"count": links}
    return ""


def support_rate_key(user: Any) -> str:
    """The cache key that counts one person's supports in the current minute."""
    return f"codesign:supports:{user.pk}:{int(time.time() // 60)}"


def support_rate_check(*, user: Any) -> None:
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
