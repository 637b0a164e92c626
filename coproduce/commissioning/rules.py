"""Who may see a commissioning round, keep it, and weigh its criteria (decision 0074).

A round is public as its activity is (open activities of published services; drafts for the
organisation's staff). Its set-up, criteria and published weights are kept by the service's
administrators and professionals. Signed-in people weigh the criteria while the activity is
open, until the weighting's closing date and before the weights are published.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from coproduce.accounts.types import Visitor
from coproduce.commissioning.models import Round
from coproduce.services.models import Activity, ActivityKind, ActivityState
from coproduce.services.rules import can_manage_service, can_view_activity


def can_view_round(user: Visitor, round_: Round) -> bool:
    return can_view_activity(user, round_.activity)


def can_keep_round(user: Visitor, round_: Round) -> bool:
    """Change the round's set-up and criteria, publish the weights."""
    return can_manage_service(user, round_.activity.service)


def can_set_up_round(user: Visitor, activity: Activity) -> bool:
    """Give a commissioning-round activity its round."""
    return activity.kind == ActivityKind.COMMISSIONING_ROUND and can_manage_service(
        user, activity.service
    )


def weighting_open(round_: Round, today: dt.date | None = None) -> bool:
    return (
        round_.activity.state == ActivityState.OPEN
        and round_.weights_published_at is None
        and (today or timezone.localdate()) <= round_.weighting_closes_on
    )


def can_weigh(user: Visitor, round_: Round) -> bool:
    """Share out the 100 points: signed in, while the weighting is open."""
    return bool(
        user.is_authenticated
        and weighting_open(round_)
        and round_.criteria.exists()
        and can_view_round(user, round_)
    )
