"""The lifecycle and activity actions: transitions, cycles, validation."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from coproduce.common.dates import years_after
from coproduce.common.tests.concurrency import Behind, in_progress, only_on_postgresql
from coproduce.organisations.tests.factories import OrganisationFactory
from coproduce.services import actions
from coproduce.services.models import (
    STAGE_ORDER,
    ActivityState,
    InvolvementLevel,
    Service,
    ServiceStage,
    ServiceStatus,
    Stage,
)
from coproduce.services.tests.factories import ActivityFactory, ServiceFactory

pytestmark = pytest.mark.django_db


def test_a_new_service_is_a_draft_at_commissioning_with_five_stages() -> None:
    service = ServiceFactory(status=ServiceStatus.DRAFT)
    stages = list(service.stages.order_by("position"))
    assert service.current_stage == Stage.COMMISSIONING
    assert service.current_cycle == 1
    assert [s.stage for s in stages] == STAGE_ORDER
    assert stages[0].started_at is not None
    assert all(s.started_at is None for s in stages[1:])
    assert not service.is_published


def test_slugs_stay_unique() -> None:
    first = ServiceFactory(name="Meals on wheels")
    second = ServiceFactory(name="Meals on wheels")
    assert first.slug == "meals-on-wheels"
    assert second.slug == "meals-on-wheels-2"


def test_advancing_walks_the_stages_then_starts_a_new_cycle() -> None:
    service = ServiceFactory()
    actions.involvement_set(service=service, levels={Stage.DESIGN: InvolvementLevel.EMPOWER})
    seen = []
    for n in range(len(STAGE_ORDER)):
        actions.service_advance_stage(service=service, summary=f"Stage {n} done.")
        service.refresh_from_db()
        seen.append((service.current_cycle, service.current_stage))
    assert seen == [
        (1, Stage.DESIGN),
        (1, Stage.DELIVERY),
        (1, Stage.IMPLEMENTATION),
        (1, Stage.ASSESSMENT),
        (2, Stage.COMMISSIONING),
    ]
    first_cycle = ServiceStage.objects.filter(service=service, cycle=1)
    assert all(s.started_at and s.ended_at for s in first_cycle)
    assert first_cycle.get(stage=Stage.ASSESSMENT).summary == "Stage 4 done."
    # The new cycle starts from the plan of the last one, and keeps the old history.
    second = ServiceStage.objects.get(service=service, cycle=2, stage=Stage.DESIGN)
    assert second.planned_level == InvolvementLevel.EMPOWER
    assert ServiceStage.objects.filter(service=service).count() == 10


def test_involvement_rejects_unknown_levels_and_stages() -> None:
    service = ServiceFactory()
    with pytest.raises(ValidationError) as error:
        actions.involvement_set(service=service, levels={Stage.DESIGN: "rule"})
    assert "planned_level" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        actions.involvement_set(service=service, levels={"nonsense": InvolvementLevel.INFORM})
    assert "nonsense" in error.value.message_dict


def test_an_ended_stage_keeps_the_involvement_it_promised() -> None:
    """Decision 0128: lowering it afterwards changed whether the promise was kept."""
    service = ServiceFactory()
    plan: dict[str, str] = {
        Stage.COMMISSIONING: InvolvementLevel.CONSULT,
        Stage.DESIGN: InvolvementLevel.INVOLVE,
    }
    actions.involvement_set(service=service, levels=plan)
    actions.service_advance_stage(service=service, summary="Commissioned with residents.")
    for level in ("", InvolvementLevel.INFORM):
        with pytest.raises(ValidationError) as error:
            actions.involvement_set(service=service, levels={Stage.COMMISSIONING: level})
        assert "has ended" in error.value.message_dict[Stage.COMMISSIONING][0]
    # The ended stage as it was, with the current one changed: saved.
    plan[Stage.DESIGN] = InvolvementLevel.EMPOWER
    actions.involvement_set(service=service, levels=plan)
    stages = ServiceStage.objects.filter(service=service, cycle=1)
    assert dict(stages.values_list("stage", "planned_level")) == {
        **dict.fromkeys(Stage.values, ""),
        Stage.COMMISSIONING: InvolvementLevel.CONSULT,
        Stage.DESIGN: InvolvementLevel.EMPOWER,
    }


def test_activity_moves_through_its_states_and_needs_an_outcome_to_report() -> None:
    activity = ActivityFactory(state=ActivityState.CLOSED)
    with pytest.raises(ValidationError) as error:
        actions.activity_transition(activity=activity, to_state=ActivityState.REPORTED, outcome=" ")
    assert "outcome" in error.value.message_dict
    reported = actions.activity_transition(
        activity=activity, to_state=ActivityState.REPORTED, outcome="We added evening sessions."
    )
    assert reported.state == ActivityState.REPORTED
    with pytest.raises(ValidationError) as error:
        actions.activity_transition(activity=reported, to_state=ActivityState.OPEN)
    assert "to_state" in error.value.message_dict


def test_closed_activities_can_reopen_but_drafts_cannot_close() -> None:
    closed = ActivityFactory(state=ActivityState.CLOSED)
    assert actions.activity_transition(activity=closed, to_state=ActivityState.OPEN).state == "open"
    draft = ActivityFactory()
    with pytest.raises(ValidationError):
        actions.activity_transition(activity=draft, to_state=ActivityState.CLOSED)


def test_an_activity_cannot_open_before_its_stage_starts() -> None:
    service = ServiceFactory()
    later = ActivityFactory(service=service, stage=Stage.ASSESSMENT)
    with pytest.raises(ValidationError) as error:
        actions.activity_transition(activity=later, to_state=ActivityState.OPEN)
    assert "has not started yet" in error.value.message_dict["to_state"][0]


def test_activity_dates_must_be_in_order() -> None:
    service = ServiceFactory()
    with pytest.raises(ValidationError) as error:
        actions.activity_create(
            service=service,
            stage=Stage.COMMISSIONING,
            kind="meeting",
            title="Meeting",
            summary="A meeting.",
            opens_on=dt.date(2027, 3, 2),
            closes_on=dt.date(2027, 3, 1),
        )
    assert "closes_on" in error.value.message_dict


def test_activities_only_join_the_current_cycle() -> None:
    service = ServiceFactory()
    activity = actions.activity_create(
        service=service,
        stage=Stage.DELIVERY,
        kind="meeting",
        title="Later",
        summary="Planned ahead.",
    )
    assert activity.service_stage.cycle == 1
    with pytest.raises(ValidationError) as error:
        actions.activity_create(
            service=service, stage="bogus", kind="meeting", title="x", summary="y"
        )
    assert "stage" in error.value.message_dict


def test_method_is_fixed_once_open() -> None:
    activity = ActivityFactory(state=ActivityState.OPEN)
    with pytest.raises(ValidationError):
        actions.activity_update(activity=activity, kind="participatory_budget")
    assert actions.activity_update(activity=activity, title=" New title ").title == "New title"


def test_activity_dates_are_from_2000_to_ten_years_ahead() -> None:
    """The action checks the range itself, since the API calls it too (decision 0019)."""
    service = ServiceFactory()
    today = timezone.localdate()
    latest = years_after(today, 10)
    fields: dict[str, Any] = {
        "service": service,
        "stage": Stage.COMMISSIONING,
        "kind": "meeting",
        "summary": "S",
    }
    made = actions.activity_create(
        **fields, title="Edges", opens_on=dt.date(2000, 1, 1), closes_on=latest
    )
    assert (made.opens_on, made.closes_on) == (dt.date(2000, 1, 1), latest)
    for opens_on, closes_on in (
        (dt.date(1, 1, 1), None),
        (dt.date(1999, 12, 31), today),
        (today, latest + dt.timedelta(days=1)),
        (None, dt.date(9999, 12, 31)),
    ):
        with pytest.raises(ValidationError) as error:
            actions.activity_create(**fields, title="Out", opens_on=opens_on, closes_on=closes_on)
        wrong = "opens_on" if opens_on and opens_on.year < 2000 else "closes_on"
        (message,) = error.value.message_dict[wrong]
        assert message.startswith(
            f"The {'opening' if wrong == 'opens_on' else 'closing'} date must be between "
            "1 January 2000 and "
        )
    with pytest.raises(ValidationError) as error:
        actions.activity_update(activity=made, opens_on=dt.date(1026, 1, 1))
    assert list(error.value.message_dict) == ["opens_on"]


@only_on_postgresql
@pytest.mark.django_db(transaction=True)
def test_two_services_of_one_name_made_at_once_get_their_own_slugs() -> None:
    """Decision 0140: the second waits for the first's slug, then takes the next one."""
    organisation = OrganisationFactory()

    def make() -> Service:
        return actions.service_create(
            organisation=organisation,
            name="Youth clubs",
            summary="Clubs.",
            policy_area="education",
            area_served="Northfield",
        )

    with in_progress(make):
        second = Behind(make)
    made = second.result()
    assert isinstance(made, Service)
    assert sorted(Service.objects.values_list("slug", flat=True)) == [
        "youth-clubs",
        "youth-clubs-2",
    ]
