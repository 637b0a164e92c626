"""Lifecycle timeline and the democratisation index."""

from __future__ import annotations

import pytest

from coproduce.services import actions, queries
from coproduce.services.models import (
    KIND_LEVEL,
    ActivityKind,
    ActivityState,
    InvolvementLevel,
    Stage,
)
from coproduce.services.tests.factories import ActivityFactory, ServiceFactory

pytestmark = pytest.mark.django_db


def test_every_method_has_a_level() -> None:
    assert set(KIND_LEVEL) == set(ActivityKind.values)


def test_delivered_level_is_the_highest_level_among_activities_that_ran() -> None:
    service = ServiceFactory()
    ActivityFactory(service=service, kind=ActivityKind.MEETING, state=ActivityState.REPORTED)
    ActivityFactory(service=service, kind=ActivityKind.OPINION_MAP, state=ActivityState.OPEN)
    ActivityFactory(service=service, kind=ActivityKind.PARTICIPATORY_BUDGET)  # a draft: not yet
    cycle = queries.lifecycle(service)[0]
    commissioning = cycle.stages[0]
    assert commissioning.delivered_level == InvolvementLevel.INVOLVE
    assert [s.delivered_level for s in cycle.stages[1:]] == ["", "", "", ""]


def test_drafts_are_hidden_from_the_public_timeline_but_not_from_staff() -> None:
    service = ServiceFactory()
    ActivityFactory(service=service, title="Secret plan")
    public = queries.lifecycle(service)[0].stages[0].activities
    staff = queries.lifecycle(service, include_drafts=True)[0].stages[0].activities
    assert public == []
    assert [a.title for a in staff] == ["Secret plan"]


def test_index_compares_plan_and_delivery() -> None:
    service = ServiceFactory()
    actions.involvement_set(
        service=service,
        levels={
            Stage.COMMISSIONING: InvolvementLevel.CONSULT,
            Stage.DESIGN: InvolvementLevel.EMPOWER,
        },
    )
    ActivityFactory(service=service, kind=ActivityKind.CITIZEN_PANEL, state=ActivityState.OPEN)
    index = queries.democratisation_index(queries.lifecycle(service)[0])
    rows = {r.stage: r for r in index.rows}
    assert rows[Stage.COMMISSIONING].delivered_rank == 4  # collaborate
    assert rows[Stage.COMMISSIONING].promise_kept is True
    assert rows[Stage.DESIGN].promise_kept is False
    assert rows[Stage.DELIVERY].promise_kept is None
    assert index.score == round(100 * 4 / 25)
    assert index.planned_score == round(100 * (2 + 5) / 25)


def test_cycles_come_newest_first_with_history_kept() -> None:
    service = ServiceFactory()
    ActivityFactory(service=service, state=ActivityState.REPORTED, title="Cycle one survey")
    for _ in range(5):
        actions.service_advance_stage(service=service, summary="Done.")
    cycles = queries.lifecycle(service)
    assert [c.number for c in cycles] == [2, 1]
    assert cycles[0].is_current
    assert not cycles[1].is_current
    assert cycles[1].stages[0].activities[0].title == "Cycle one survey"
    assert all(s.status == "past" for s in cycles[1].stages)
    assert cycles[0].stages[0].status == "current"
