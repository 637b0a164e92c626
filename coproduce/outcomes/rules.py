"""Who may see a service's outcomes, keep its framework and measurements, and answer its checks.

Outcomes are public with their service. The framework and its measurements are kept by the
service's administrators and professionals (those who may edit the service). A resident check is
answered by signed-in people, on a published service (decision 0071).
"""

from __future__ import annotations

from coproduce.accounts.types import Visitor
from coproduce.outcomes.models import CheckAnswer, Indicator, Measurement, Outcome, Source
from coproduce.services.models import Service, ServiceStatus
from coproduce.services.rules import can_manage_service, can_view_service


def can_view_outcomes(user: Visitor, service: Service) -> bool:
    return can_view_service(user, service)


def can_view_indicator(user: Visitor, indicator: Indicator) -> bool:
    return can_view_service(user, indicator.outcome.service)


def can_keep_outcomes(user: Visitor, service: Service) -> bool:
    """Write the framework, record and import measurements."""
    return can_manage_service(user, service)


def can_keep_outcome(user: Visitor, outcome: Outcome) -> bool:
    return can_keep_outcomes(user, outcome.service)


def can_keep_indicator(user: Visitor, indicator: Indicator) -> bool:
    return can_keep_outcomes(user, indicator.outcome.service)


def check_may_change(indicator: Indicator) -> bool:
    """The residents' question and how often it is asked change only until someone answers:
    each period's value is the average of answers to that question, for that period (decision
    0123). Answered means an answer is stored, or a value was made from answers (it stays when the
    people who gave them delete their accounts)."""
    if CheckAnswer.objects.filter(indicator=indicator).exists():
        return False
    return not Measurement.objects.filter(indicator=indicator, source=Source.RESIDENTS).exists()


def can_answer_check(user: Visitor, indicator: Indicator) -> bool:
    """Answer the indicator's recurring question: signed in, on a published service."""
    service = indicator.outcome.service
    return bool(
        user.is_authenticated
        and indicator.reported_by_residents
        and service.status == ServiceStatus.PUBLISHED
    )
