"""Sections other apps add to an organisation's public page.

This app knows organisations and their people, not what they do on the platform. An app above it
that has something to show about an organisation (the services it runs, later its boards …)
registers a section from its ``AppConfig.ready()``; the page shows every section in order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from coproduce.organisations.models import Organisation


@dataclass(frozen=True)
class Section:
    """A template included in the organisation page, with the context ``context`` makes."""

    template: str
    context: Callable[[Organisation], dict[str, Any]]


_SECTIONS: list[Section] = []


def register_section(template: str, context: Callable[[Organisation], dict[str, Any]]) -> None:
    """Add a section to every organisation's page; each template once."""
    if any(section.template == template for section in _SECTIONS):
        raise ValueError(f"The organisation page already has the section {template!r}.")
    _SECTIONS.append(Section(template, context))


def sections_for(organisation: Organisation) -> list[tuple[str, dict[str, Any]]]:
    """(template, context) for each registered section, in the order they were registered."""
    return [(section.template, section.context(organisation)) for section in _SECTIONS]
