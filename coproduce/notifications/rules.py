"""Who may change notification settings: each person their own; an emailed link needs no sign-in."""

from __future__ import annotations

from typing import Any

from coproduce.accounts.types import Visitor


def can_change_notification_settings(user: Visitor, obj: Any = None) -> bool:
    """Your email settings are yours alone (the unsubscribe link carries its own proof)."""
    return bool(user.is_authenticated)
