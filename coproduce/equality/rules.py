"""Who may give equality answers, keep population figures and see who took part.

Answers are a person's own: only they see them (``queries.my_answers``). Totals with small numbers
hidden are seen by the staff who run a service's activities (to plan outreach) and, for published
services, by everyone. Population figures are kept by an organisation's administrators and
professionals (decision 0092).
"""

from __future__ import annotations

from typing import Any

from coproduce.accounts.types import Visitor
from coproduce.equality.models import PopulationArea
from coproduce.organisations.models import Organisation
from coproduce.organisations.rules import role_in
from coproduce.services.models import STAFF_ROLES, Service
from coproduce.services.rules import can_manage_service, can_run_activities


def can_answer(user: Visitor, obj: Any = None) -> bool:
    """Give, change or withdraw one's own answers: anyone signed in."""
    return bool(user.is_authenticated)


def can_view_representation(user: Visitor, service: Service) -> bool:
    """The staff table of who took part, per activity: those who run the service's activities."""
    return can_run_activities(user, service)


def can_view_public_summary(user: Visitor, service: Service) -> bool:
    """ "Who has taken part so far": public once the service is published."""
    return bool(service.is_published)


def can_choose_area(user: Visitor, service: Service) -> bool:
    """Choose the area a service is compared with."""
    return can_manage_service(user, service)


def can_keep_population(user: Visitor, organisation: Organisation) -> bool:
    """Add areas and import their population figures: the organisation's admins and
    professionals."""
    return bool(user.is_superuser or role_in(user, organisation.pk) in STAFF_ROLES)


def can_keep_area(user: Visitor, area: PopulationArea) -> bool:
    return can_keep_population(user, area.organisation)
