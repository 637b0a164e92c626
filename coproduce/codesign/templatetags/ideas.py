"""Template helpers for idea challenge pages: status colours and links that never fail."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import NoReverseMatch

from coproduce.codesign.models import IdeaStatus

register = template.Library()

STATUS_TAG: dict[str, str] = {
    IdeaStatus.RECEIVED: "govuk-tag--grey",
    IdeaStatus.UNDER_CONSIDERATION: "govuk-tag--blue",
    IdeaStatus.ADOPTED: "govuk-tag--green",
    IdeaStatus.ADAPTED: "govuk-tag--turquoise",
    IdeaStatus.NOT_TAKEN_FORWARD: "govuk-tag--orange",
    IdeaStatus.IN_DELIVERY: "govuk-tag--purple",
    IdeaStatus.DELIVERED: "govuk-tag--green",
}


@register.filter
def status_tag(status: str) -> str:
    """The GOV.UK tag colour class for an idea status."""
    return STATUS_TAG.get(status, "govuk-tag--grey")


@register.filter
def link_to(obj: Any) -> str:
    """``obj.get_absolute_url()``; while that page does not exist (yet), its activity's page or ''."""
    try:
        return str(obj.get_absolute_url())
    except NoReverseMatch:
        activity = getattr(obj, "activity", None)
        return str(activity.get_absolute_url()) if activity is not None else ""
