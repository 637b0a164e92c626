"""Template helpers for insight pages."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import NoReverseMatch, reverse

register = template.Library()


@register.simple_tag
def optional_url(name: str, **kwargs: Any) -> str:
    """The URL of a named view, or '' when the view does not exist (yet).

    Insight pages link to pages the codesign app owns (the answer form, the moderation queue,
    decision pages). Until those are installed the link is left out instead of breaking the page.
    """
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return ""
