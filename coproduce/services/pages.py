"""Parts other apps add to the service and activity pages.

This app knows services and activities, not what people said in them. An app above it with
something to show on these pages (the answer spine: answer coverage, "You said, we did", follow
buttons, the moderation queue, open data) registers a template for a slot from its
``AppConfig.ready()``. The page includes every template of a slot, in order, with its own context
(``service``, ``activity``, ``request`` …); a part may load its own app's template tags.
"""

from __future__ import annotations

from enum import StrEnum


class Slot(StrEnum):
    SERVICE_MAIN = "service_main"  # the public service page, under the democratisation index
    SERVICE_ASIDE = "service_aside"  # the public service page, in the side column
    STAFF_SERVICE_ROWS = "staff_service_rows"  # rows of the staff service page's summary list
    STAFF_SERVICE_MAIN = "staff_service_main"  # the staff service page, under its summary
    ACTIVITY_MAIN = "activity_main"  # the public activity page, at the end


_PARTS: dict[Slot, list[str]] = {slot: [] for slot in Slot}


def register_part(slot: Slot, template: str) -> None:
    """Show ``template`` in ``slot`` of every page that has it; each template once per slot."""
    if template in _PARTS[slot]:
        raise ValueError(f"{template!r} is already a part of {slot}.")
    _PARTS[slot].append(template)


def parts() -> dict[str, list[str]]:
    """Every slot's templates, by slot name, for a page's context (``parts.service_main``)."""
    return {slot.value: list(templates) for slot, templates in _PARTS.items()}
