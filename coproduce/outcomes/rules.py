"""Who may see a service's outcomes, keep its framework and measurements, and answer its checks.

Outcomes are public with their service. The framework and its measurements are kept by the
service's administrators and professionals (those who may edit the service). A resident check is
answered by signed-in people, on a published service (decision 0071).
"""

from __future__ import annotations

from coproduce.accounts.types import Visitor
from coproduce.outcomes.models import Indicator, Outcome
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


def can_answer_check(user: Visitor, indicator: Indicator) -> bool:
    """Answer the indicator's recurring question: signed in, on a published service."""
    service = indicator.outcome.service
    return bool(
        user.is_authenticated
        and indicator.reported_by_residents
        and service.status == ServiceStatus.PUBLISHED
    )
