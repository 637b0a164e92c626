"""Writes of the common layer that are not part of a request: clearing old records."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from coproduce.common.forms import ONE_TIME_DAYS
from coproduce.common.models import SubmittedForm


def submitted_forms_purge(*, now: dt.datetime | None = None) -> int:
    """Forget one-time form tokens used more than ONE_TIME_DAYS ago; return how many.

    Safe: a token is refused once it is ONE_TIME_DAYS old, and it was made before it was used
    (docs/decisions/0021-one-time-form-tokens.md).
    """
    before = (now or timezone.now()) - dt.timedelta(days=ONE_TIME_DAYS)
    deleted, _by_model = SubmittedForm.objects.filter(created_at__lt=before).delete()
    return deleted
