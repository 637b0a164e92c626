"""Template tags of the methods registry (services.methods)."""

from __future__ import annotations

from typing import Any

from django import template
from django.contrib.auth.models import AnonymousUser

from coproduce.services.methods import method_for
from coproduce.services.models import Activity

register = template.Library()


@register.simple_tag(takes_context=True)
def may_open(context: dict[str, Any], url_name: str, activity: Activity) -> bool:
    """Whether the reader (the context's ``user``; nobody signed in without one) may open the
    method's staff page ``url_name`` for ``activity``, by the rule it was registered with:
    ``{% may_open 'budgeting:manage' activity as can_set_up %}``. A URL name the activity's method
    did not register is a programming error."""
    method = method_for(activity.kind)
    if method is None:
        raise template.TemplateSyntaxError(f"No app runs {activity.kind!r} activities.")
    try:
        return method.may_open(url_name, activity, context.get("user") or AnonymousUser())
    except LookupError as error:
        raise template.TemplateSyntaxError(str(error)) from error
