"""What an idea challenge shows on pages the services app renders (the activity's take-part box)."""

from __future__ import annotations

from django import template

from coproduce.codesign import queries
from coproduce.codesign.models import SupportsThreshold
from coproduce.services.models import Activity

register = template.Library()


@register.simple_tag
def supports_threshold(activity: Activity) -> SupportsThreshold | None:
    """The challenge's supports threshold, if it has one."""
    return queries.threshold_of(activity)
