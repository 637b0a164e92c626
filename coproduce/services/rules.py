"""Who may see and change services and activities, in which stage and state.

Roles come from memberships of the service's owning organisation: administrators and
professionals manage the service; facilitators run its activities; partners see drafts.
"""

from __future__ import annotations

from typing import Any

from coproduce.accounts.types import Visitor
from coproduce.organisations.models import Organisation, Role
from coproduce.organisations.rules import role_in
from coproduce.services.models import STAFF_ROLES, Activity, ActivityState, Service


def _is_member(user: Visitor, service: Service) -> bool:
    return role_in(user, service.organisation_id) is not None


def can_view_service(user: Visitor, service: Service) -> bool:
    """Published services are public; drafts only for staff of the owning organisation."""
    return bool(service.is_published or user.is_superuser or _is_member(user, service))


def can_use_staff_pages(user: Visitor, obj: Any = None) -> bool:
    """Anyone who works for an organisation on the platform."""
    return bool(user.is_authenticated and user.is_staff_member)


def can_create_service(user: Visitor, obj: Any = None) -> bool:
    """Administrators and professionals of at least one organisation."""
    if not user.is_authenticated:
        return False
    return bool(user.is_superuser or any(r in STAFF_ROLES for r in user.staff_roles.values()))


def can_create_service_in(user: Visitor, organisation: Organisation) -> bool:
    """Create a service for this organisation: its admins and professionals."""
    return bool(user.is_superuser or role_in(user, organisation.pk) in STAFF_ROLES)


def can_manage_service(user: Visitor, service: Service) -> bool:
    """Edit the service, set involvement, advance its stage: admins and professionals."""
    return bool(user.is_superuser or role_in(user, service.organisation_id) in STAFF_ROLES)


def can_run_activities(user: Visitor, service: Service) -> bool:
    """Add and run activities: admins, professionals and facilitators of the owning organisation."""
    return bool(
        user.is_superuser
        or role_in(user, service.organisation_id) in {*STAFF_ROLES, Role.FACILITATOR}
    )


def can_view_activity(user: Visitor, activity: Activity) -> bool:
    """Activities are public once opened; drafts only for staff of the owning organisation."""
    service = activity.service
    if not can_view_service(user, service):
        return False
    return activity.state != ActivityState.DRAFT or user.is_superuser or _is_member(user, service)


def can_manage_activity(user: Visitor, activity: Activity) -> bool:
    """Edit an activity or move it between states."""
    return can_run_activities(user, activity.service)
