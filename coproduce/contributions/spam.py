"""A simple spam guard: hold contributions with many links or from very busy accounts."""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.accounts.types import Visitor
from coproduce.contributions.models import Contribution

LINK = re.compile(r"(https?://|www\.)", re.IGNORECASE)
MAX_LINKS = 2
HOLD_AFTER = 10  # contributions in the window: more are held for a moderator
REFUSE_AFTER = 30  # contributions in the window: more are refused outright
WINDOW = dt.timedelta(minutes=10)


def hold_reason(*, author: Visitor | None, text: str) -> str:
    """Why a new contribution should wait for a moderator, or '' when it need not.

    Raises ValidationError when the author has posted so much that we refuse more for now.
    """
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
