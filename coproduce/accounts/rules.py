"""Account-level rules: your own account pages, API tokens."""

from __future__ import annotations

from typing import Any

from coproduce.accounts.types import Visitor
from coproduce.common.permissions import must_finish_staff_setup


def can_manage_own_account(user: Visitor, obj: Any = None) -> bool:
    """Your account pages are yours alone."""
    return bool(user.is_authenticated)


def can_use_api_tokens(user: Visitor, obj: Any = None) -> bool:
    """API tokens are for signed-in people; staff must have set up two-factor authentication."""
    return bool(user.is_authenticated) and not must_finish_staff_setup(user)
