"""Parts an upper app adds to a lower app's page, without the lower app importing it.

A lower app declares a ``Sections`` for each place on its pages that others may fill (an
organisation's page, the account page, the side column of a service page). An app above it
registers a template there from its ``AppConfig.ready()``, with a function that makes the
template's context from the page's object. The page's view passes ``sections.render_list(obj)``;
its template includes each part, which may load its own app's template tags::

    {% for template, section in parts %}{% include template with section=section %}{% endfor %}
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

T = TypeVar("T")


def _nothing(obj: Any) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class Section(Generic[T]):
    template: str
    context: Callable[[T], dict[str, Any]]


class Sections(Generic[T]):
    """The parts of one place on a page, in the order they were registered."""

    def __init__(self, place: str) -> None:
        self.place = place
        self._sections: list[Section[T]] = []

    def register(self, template: str, context: Callable[[T], dict[str, Any]] = _nothing) -> None:
        """Add a part; each template once (a second registration is a programming error)."""
        if any(section.template == template for section in self._sections):
            raise ValueError(f"{self.place} already has the part {template!r}.")
        self._sections.append(Section(template, context))

    def render_list(self, obj: T) -> list[tuple[str, dict[str, Any]]]:
        """(template, context) for each part, for the page about ``obj``."""
        return [(section.template, section.context(obj)) for section in self._sections]

    @property
    def templates(self) -> list[str]:
        return [section.template for section in self._sections]
