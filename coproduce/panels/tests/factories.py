"""Test data for citizen panels, made through the real actions."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from coproduce.accounts.models import User
from coproduce.panels import actions, actions_selection
from coproduce.panels.models import PHASE_ORDER, Panel, Phase, Registrant
from coproduce.services.models import Activity, ActivityKind, ActivityState
from coproduce.services.tests.factories import ActivityFactory, staff_of

# Two categories with their quotas on a panel of 4: (value, minimum, maximum).
QUOTAS: Mapping[str, Sequence[tuple[str, int, int]]] = {
    "Age": (("16-39", 1, 3), ("40+", 1, 3)),
    "Area": (("North", 2, 2), ("South", 2, 2)),
}


@dataclass
class PanelSetup:
    """A panel with the coordinator who runs it."""

    panel: Panel
    staff: User


def make_panel(
    *,
    size: int = 4,
    quotas: Mapping[str, Sequence[tuple[str, int, int]]] = QUOTAS,
    phase: str = Phase.SET_UP,
    activity: Activity | None = None,
    staff: User | None = None,
    **fields: Any,
) -> PanelSetup:
    """A panel with categories, quotas and a coordinator, on ``activity`` (by default a new open
    citizen-panel activity) run by ``staff`` (by default a new member of its organisation)."""
    if activity is None:
        activity = ActivityFactory(kind=ActivityKind.CITIZEN_PANEL, state=ActivityState.OPEN)
    staff = staff or staff_of(activity)
    panel = actions.panel_create(
        activity=activity,
        by=staff,
        question="How should the neighbourhood be policed?",
        size=size,
        **fields,
    )
    for name, values in quotas.items():
        category = actions.category_add(
            panel=panel, by=staff, name=name, values=[value for value, _, _ in values]
        )
        for feature, (_, minimum, maximum) in zip(
            category.features.order_by("position"), values, strict=True
        ):
            actions.quota_set(feature=feature, by=staff, minimum=minimum, maximum=maximum)
    setup = PanelSetup(panel=panel, staff=staff)
    advance(setup, phase)
    return setup


def advance(setup: PanelSetup, phase: str) -> None:
    """Move the panel forward, one phase at a time, to ``phase``."""
    while PHASE_ORDER.index(setup.panel.phase) < PHASE_ORDER.index(phase):
        following = PHASE_ORDER[PHASE_ORDER.index(setup.panel.phase) + 1]
        setup.panel = actions.phase_set(panel=setup.panel, by=setup.staff, phase=following)


def register(setup: PanelSetup, answers: Mapping[str, str], **fields: Any) -> Registrant:
    """A volunteer registers (the panel must be in its registration phase and allow it)."""
    number = setup.panel.registrants.count() + 1
    defaults: dict[str, Any] = {
        "name": f"Resident {number}",
        "email": f"resident{number}@example.org",
        "phone": f"07700 900{number:03d}",
        "access_needs": ["step-free"],
        "consent": True,
    }
    return actions_selection.registrant_register(
        panel=setup.panel, answers=answers, **{**defaults, **fields}
    )


def make_pool(
    pool: Sequence[Mapping[str, str]], **panel_fields: Any
) -> tuple[PanelSetup, list[Registrant]]:
    """A panel at its selection phase whose volunteers answered ``pool``."""
    setup = make_panel(phase=Phase.REGISTRATION, allow_volunteers=True, **panel_fields)
    registrants = [register(setup, answers) for answers in pool]
    advance(setup, Phase.SELECTION)
    return setup, registrants


def small_pool(count: int = 12) -> list[dict[str, str]]:
    """``count`` volunteers spread over the QUOTAS' answers, younger people in the North."""
    return [
        {"Age": "16-39" if n % 3 else "40+", "Area": "North" if n % 2 else "South"}
        for n in range(count)
    ]
