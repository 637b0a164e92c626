"""Test data for outcomes, made through the real actions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from coproduce.accounts.models import User
from coproduce.accounts.tests.factories import UserFactory
from coproduce.organisations.models import Role
from coproduce.organisations.tests.factories import MembershipFactory
from coproduce.outcomes import actions
from coproduce.outcomes.models import Direction, Frequency, Indicator, Outcome, Pillar
from coproduce.services.models import Service


def keeper_of(service: Service, role: str = Role.PROFESSIONAL) -> User:
    """A member of the service's organisation who may keep its outcomes (two-factor set up)."""
    user = UserFactory(mfa=True)
    MembershipFactory(user=user, organisation=service.organisation, role=role)
    return user


def make_outcome(service: Service, by: User, **extra: Any) -> Outcome:
    fields: dict[str, Any] = {
        "title": "Young people get help before things reach crisis point",
        "description": "In their words: help in weeks, not months.",
        **extra,
    }
    return actions.outcome_create(service=service, by=by, **fields)


def indicator_fields(**extra: Any) -> actions.IndicatorFields:
    """An indicator a year into a two-year target: 40 % to 70 % of young people seen within 4
    weeks, measured every three months."""
    today = timezone.localdate()
    fields: dict[str, Any] = {
        "name": "Young people seen within four weeks of referral",
        "pillar": Pillar.SOCIAL,
        "unit": "%",
        "direction": Direction.HIGHER,
        "baseline": Decimal("40"),
        "baseline_on": today - dt.timedelta(days=365),
        "target": Decimal("70"),
        "target_on": today + dt.timedelta(days=365),
        "data_source": "Referral records of the youth mental health service",
        "frequency": Frequency.QUARTERLY,
        **extra,
    }
    return actions.IndicatorFields(**fields)


def make_indicator(outcome: Outcome, by: User, **extra: Any) -> Indicator:
    return actions.indicator_create(outcome=outcome, by=by, fields=indicator_fields(**extra))


CHECK = {
    "name": "How easy it was to get an appointment",
    "unit": "average out of 5",
    "baseline": Decimal("2.5"),
    "target": Decimal("4"),
    "data_source": "Residents' answers on this page",
    "frequency": Frequency.MONTHLY,
    "check_question": "How easy was it to get an appointment?",
}


def check_fields(**extra: Any) -> actions.IndicatorFields:
    """The fields of an indicator residents report (``make_check_indicator``'s), with ``extra``."""
    return indicator_fields(**{**CHECK, **extra})


def make_check_indicator(outcome: Outcome, by: User, **extra: Any) -> Indicator:
    """An indicator residents report: "How easy was it to get an appointment?" 1–5."""
    return actions.indicator_create(outcome=outcome, by=by, fields=check_fields(**extra))
