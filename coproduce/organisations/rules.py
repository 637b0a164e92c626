"""Who may do what with organisations and their memberships."""

from __future__ import annotations

from allauth.mfa.models import Authenticator

from coproduce.accounts.types import Visitor
from coproduce.organisations.models import Membership, Organisation, Role

MFA_ROLES = {Role.ADMIN, Role.PROFESSIONAL}


def role_in(user: Visitor, organisation_id: int) -> str | None:
    """The person's role in an organisation, or None (anonymous visitors have none)."""
    if not user.is_authenticated:
        return None
    return user.staff_roles.get(organisation_id)


def must_set_up_mfa(user: Visitor) -> bool:
    """Organisation admins, professionals and superusers need TOTP before staff pages.

    Registered with ``common.permissions`` as the staff set-up check (apps.py).
    """
    if not user.is_authenticated:
        return False
    needs = user.is_superuser or any(role in MFA_ROLES for role in user.staff_roles.values())
    if not needs:
        return False
    return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def can_view_organisation(user: Visitor, organisation: Organisation) -> bool:
    """Organisation pages are public."""
    return True


def can_manage_members(user: Visitor, organisation: Organisation) -> bool:
    """Only the organisation's administrators (and platform superusers) manage its people."""
    return bool(user.is_superuser or role_in(user, organisation.pk) == Role.ADMIN)


def can_remove_member(user: Visitor, membership: Membership) -> bool:
    """Removing someone is managing the organisation's people."""
    return can_manage_members(user, membership.organisation)
