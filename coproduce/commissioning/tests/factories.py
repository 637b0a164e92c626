"""Test data for commissioning rounds, made through the real actions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.utils import timezone

from coproduce.accounts.models import User
from coproduce.accounts.tests.factories import UserFactory
from coproduce.commissioning import actions
from coproduce.commissioning.models import Criterion, CriterionKind, Round, Weighting
from coproduce.outcomes.tests.factories import keeper_of
from coproduce.services.models import Activity, ActivityKind, ActivityState
from coproduce.services.tests.factories import ActivityFactory, staff_of

__all__ = [
    "keeper_of",
    "make_criteria",
    "make_round",
    "make_social_value_criterion",
    "make_weighting",
    "round_fields",
]


def round_fields(**extra: Any) -> actions.RoundFields:
    """A three-year contract of £1.2 million: residents weigh for two weeks, bids close in six,
    price counts for 40 % of the award."""
    today = timezone.localdate()
    fields: dict[str, Any] = {
        "specification": "A youth mental health service that sees young people within weeks.",
        "contract_value": Decimal("1200000"),
        "contract_months": 36,
        "weighting_closes_on": today + dt.timedelta(days=14),
        "questions_close_on": today + dt.timedelta(days=30),
        "bids_close_at": timezone.now() + dt.timedelta(days=42),
        "evaluation_on": today + dt.timedelta(days=50),
        "award_on": today + dt.timedelta(days=70),
        "price_weight": 40,
        **extra,
    }
    return actions.RoundFields(**fields)


def make_round(activity: Activity | None = None, staff: User | None = None, **fields: Any) -> Round:
    """A round on an open commissioning-round activity (a new one unless given), set up by a
    member of its organisation's staff (a new one unless given)."""
    if activity is None:
        activity = ActivityFactory(kind=ActivityKind.COMMISSIONING_ROUND, state=ActivityState.OPEN)
    if staff is None:
        staff = staff_of(activity)
    return actions.round_save(activity=activity, by=staff, fields=round_fields(**fields))


def make_criteria(round_: Round, staff: User) -> list[Criterion]:
    """Two quality criteria and one social-value criterion, in that order."""
    return [
        actions.criterion_add(
            round_=round_,
            by=staff,
            kind=CriterionKind.QUALITY,
            name="Seen within four weeks",
            description="How you will see young people within four weeks of referral.",
        ),
        actions.criterion_add(
            round_=round_,
            by=staff,
            kind=CriterionKind.QUALITY,
            name="Staff young people trust",
            description="How you will keep the same worker with each young person.",
        ),
        actions.criterion_add(
            round_=round_,
            by=staff,
            kind=CriterionKind.SOCIAL_VALUE,
            name="Local jobs",
            description="How many jobs you will fill with people who live here.",
        ),
    ]


def make_social_value_criterion(round_: Round, staff: User, **extra: Any) -> Criterion:
    """A second social-value criterion (``make_criteria`` gives one), added before anyone weighs."""
    fields: dict[str, Any] = {
        "kind": CriterionKind.SOCIAL_VALUE,
        "name": "Volunteering with young people",
        "description": "How your staff will give time to local youth groups.",
        **extra,
    }
    return actions.criterion_add(round_=round_, by=staff, **fields)


def make_weighting(
    round_: Round, points: Mapping[int, int], person: User | None = None
) -> Weighting:
    """A resident's weighting (a new resident unless given), saved through the real action."""
    return actions.weighting_save(round_=round_, person=person or UserFactory(), points=points)
