"""Account-level rules: two-factor authentication for staff, API tokens."""

from __future__ import annotations

from typing import Any

from allauth.mfa.models import Authenticator

from coproduce.organisations.models import Role

MFA_ROLES = {Role.ADMIN, Role.PROFESSIONAL}


def must_set_up_mfa(user: Any) -> bool:
    """Organisation admins, professionals and superusers need TOTP before staff pages."""
    if not user.is_authenticated:
        return False
    needs = user.is_superuser or any(role in MFA_ROLES for role in user.staff_roles.values())
    if not needs:
        return False
    return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def can_manage_own_account(user: Any, obj: Any = None) -> bool:
    """Your account pages are yours alone."""
    return bool(user.is_authenticated)


def can_use_api_tokens(user: Any, obj: Any = None) -> bool:
    """API tokens are for signed-in people; staff must have set up two-factor authentication."""
    return bool(user.is_authenticated) and not must_set_up_mfa(user)
