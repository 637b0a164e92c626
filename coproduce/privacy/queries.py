"""Reads for "Download my data": a person's exports, and whether they may ask for another."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from coproduce.accounts.models import User
from coproduce.privacy.models import DataExport

# How many downloads a person may ask for in any 24 hours (decision 0099).
EXPORTS_PER_DAY = 3
DAY = dt.timedelta(hours=24)


def exports_of(user: User) -> QuerySet[DataExport]:
    """The person's requests, newest first."""
    return DataExport.objects.of(user)


def own_export(request: HttpRequest, pk: int) -> DataExport:
    """One of the signed-in person's own exports (404 for anyone else's)."""
    return get_object_or_404(DataExport, pk=pk, user_id=request.user.pk)


def refusal(user: User, *, now: dt.datetime | None = None) -> str:
    """Why the person cannot ask for a download now, in words; empty when they can."""
    now = now or timezone.now()
    mine = DataExport.objects.of(user)
    if mine.waiting().exists():
        return _(
            "We are still preparing your last download. You can ask for another once it is "
            "ready: we will email you."
        )
    recent = list(mine.since(now - DAY).order_by("created_at").values_list("created_at", flat=True))
    if len(recent) >= EXPORTS_PER_DAY:
        again = timezone.localtime(recent[len(recent) - EXPORTS_PER_DAY] + DAY)
        return ngettext(
            "You can ask for your data %(count)d time in 24 hours. You can ask again after "
            "%(time)s on %(date)s.",
            "You can ask for your data %(count)d times in 24 hours. You can ask again after "
            "%(time)s on %(date)s.",
            EXPORTS_PER_DAY,
        ) % {
            "count": EXPORTS_PER_DAY,
            "time": date_format(again, "H:i"),
            "date": date_format(again, "j F Y"),
        }
    return ""
