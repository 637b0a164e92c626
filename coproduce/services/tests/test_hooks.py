"""The "activity opened" hook: called once, the first time an activity opens, in its transaction."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from coproduce.services import hooks
from coproduce.services.actions import activity_transition
from coproduce.services.models import Activity, ActivityState
from coproduce.services.tests.factories import ActivityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def opened(monkeypatch: Any) -> list[Activity]:
    """The activities the hook was called with, during one test."""
    seen: list[Activity] = []
    moment: hooks.Hooks[Activity] = hooks.Hooks("An activity opened (test)")
    moment.register(seen.append)
    monkeypatch.setattr(hooks, "ACTIVITY_OPENED", moment)
    return seen


def test_the_hook_runs_when_a_draft_opens(opened: list[Activity]) -> None:
    activity = ActivityFactory()
    activity_transition(activity=activity, to_state=ActivityState.OPEN)
    assert [a.pk for a in opened] == [activity.pk]
    assert opened[0].state == ActivityState.OPEN


def test_closing_reporting_and_opening_again_do_not_run_it(opened: list[Activity]) -> None:
    activity = ActivityFactory(state=ActivityState.OPEN)
    opened.clear()
    activity_transition(activity=activity, to_state=ActivityState.CLOSED)
    activity_transition(activity=activity, to_state=ActivityState.OPEN)
    activity_transition(activity=activity, to_state=ActivityState.CLOSED)
    activity_transition(activity=activity, to_state=ActivityState.REPORTED, outcome="Done.")
    assert opened == []


def test_a_refused_transition_does_not_run_it(opened: list[Activity]) -> None:
    activity = ActivityFactory(state=ActivityState.OPEN)
    opened.clear()
    with pytest.raises(ValidationError):
        activity_transition(activity=activity, to_state=ActivityState.OPEN)
    assert opened == []


def test_a_failing_callback_rolls_the_opening_back(monkeypatch: Any) -> None:
    def broken(activity: Activity) -> None:
        raise RuntimeError("the callback failed")

    moment: hooks.Hooks[Activity] = hooks.Hooks("An activity opened (test)")
    moment.register(broken)
    monkeypatch.setattr(hooks, "ACTIVITY_OPENED", moment)
    activity = ActivityFactory()
    with pytest.raises(RuntimeError):
        activity_transition(activity=activity, to_state=ActivityState.OPEN)
    activity.refresh_from_db()
    assert activity.state == ActivityState.DRAFT


def test_a_callback_is_registered_once() -> None:
    moment: hooks.Hooks[Activity] = hooks.Hooks("An activity opened (test)")

    def callback(activity: Activity) -> None: ...

    moment.register(callback)
    with pytest.raises(ValueError, match="already calls"):
        moment.register(callback)
    assert moment.callbacks == [callback]
