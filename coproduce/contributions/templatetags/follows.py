"""The follow button, for service, activity and contribution pages."""

from __future__ import annotations

from typing import Any

from django import template

from coproduce.contributions.models import Contribution
from coproduce.contributions.queries import is_following
from coproduce.services.models import Activity, Service

register = template.Library()


@register.inclusion_tag("contributions/_follow_button.html", takes_context=True)
def follow_button(
    context: dict[str, Any], target: Service | Activity | Contribution
) -> dict[str, Any]:
    request = context["request"]
    return {
        "request": request,
        "target": target,
        "target_type": target._meta.model_name,
        "following": is_following(request.user, target),
        "csrf_token": context.get("csrf_token"),
    }
