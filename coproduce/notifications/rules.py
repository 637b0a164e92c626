"""Following is for signed-in people, and only of things they can see."""

from __future__ import annotations

from typing import Any

from coproduce.codesign.rules import can_view_contribution
from coproduce.services.rules import can_view_activity, can_view_service


def can_follow(user: Any, target: Any) -> bool:
    if not user.is_authenticated or target is None:
        return False
    model = target._meta.model_name
    if model == "service":
        return can_view_service(user, target)
    if model == "activity":
        return can_view_activity(user, target)
    return can_view_contribution(user, target)
