"""Test data for the framework of standards, made through the real actions."""

from __future__ import annotations

from collections.abc import Iterable

from coproduce.accounts.models import User
from coproduce.assessment import actions_framework as actions
from coproduce.assessment.models import FrameworkVersion, Standard
from coproduce.outcomes.tests.factories import keeper_of
from coproduce.services.models import Service

__all__ = ["STANDARDS", "add_standard", "keeper_of", "make_draft", "make_framework", "next_draft"]

# Standards a community transport scheme's passengers might write, in two themes (taken in turn).
STANDARDS: dict[str, list[tuple[str, str]]] = {
    "Booking a journey": [
        ("I can book a journey without help", "Think about the last time you booked."),
        ("I can book by phone, online or in person, as I choose", ""),
        ("I know when the bus will come for me", "Were you told a time, and was it kept?"),
        ("I can change or cancel a journey easily", ""),
    ],
    "On the journey": [
        ("Staff treat me with respect", "Think about the driver and the people on the phone."),
        ("I feel safe on the bus", ""),
        ("I get help on and off the bus when I need it", ""),
        ("I arrive in time for what I travel for", "Appointments, shops, meeting friends."),
    ],
}


def _standards(count: int) -> list[tuple[str, str, str]]:
    """``count`` (theme, statement, prompt) rows, the two themes taken in turn."""
    themes = list(STANDARDS)
    rows = [
        (themes[i % 2], *STANDARDS[themes[i % 2]][i // 2])
        for i in range(2 * len(STANDARDS[themes[0]]))
    ]
    if count > len(rows):
        raise ValueError(f"At most {len(rows)} standards.")
    return rows[:count]


def add_standard(version: FrameworkVersion, by: User, statement: str, **extra: str) -> Standard:
    fields = {"theme": "Booking a journey", "evidence_prompt": "", **extra}
    return actions.standard_add(version=version, by=by, statement=statement, **fields)


def make_draft(service: Service, by: User | None = None, *, count: int = 4) -> FrameworkVersion:
    """The service's framework, started, with a draft version 1 of ``count`` standards."""
    by = by or keeper_of(service)
    draft = actions.framework_start(service=service, by=by)
    for theme, statement, prompt in _standards(count):
        add_standard(draft, by, statement, theme=theme, evidence_prompt=prompt)
    return draft


def make_framework(
    service: Service,
    by: User | None = None,
    *,
    count: int = 4,
    co_authors: Iterable[User] = (),
) -> FrameworkVersion:
    """The service's framework with an agreed version 1 of ``count`` standards in two themes."""
    by = by or keeper_of(service)
    draft = make_draft(service, by, count=count)
    return actions.version_agree(
        version=draft,
        by=by,
        change_note="Written with passengers at two workshops in the spring.",
        co_authors=co_authors,
    )


def next_draft(version: FrameworkVersion, by: User) -> FrameworkVersion:
    """A new draft of the version's framework: a copy of its latest agreed version."""
    return actions.version_start(framework=version.framework, by=by)
