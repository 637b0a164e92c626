"""The kinds registry: what a method app tells the spine, and what the spine refuses."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.exceptions import ValidationError

from coproduce.accounts.tests.factories import UserFactory
from coproduce.contributions import actions
from coproduce.contributions.kinds import (
    Kind,
    Workflow,
    all_kinds,
    get_kind,
    kinds_for_method,
    register_kind,
    search_lookups,
    unregister_kind,
)
from coproduce.contributions.models import Contribution, Visibility
from coproduce.services.models import ActivityKind, ActivityState
from coproduce.services.tests.factories import ActivityFactory

STEPS = Workflow(
    choices=[("new", "New"), ("done", "Done")],
    initial="new",
    transitions={"new": ["done"]},
    needs_reason={"done"},
)


@pytest.fixture
def finding() -> Iterator[Kind]:
    """A kind of this test's own, taken by service assessments, forgotten afterwards."""
    kind = register_kind(
        Kind(
            code="finding",
            label="Finding",
            detail="finding",
            methods={ActivityKind.ASSESSMENT},
            text=lambda contribution: "",
            answerable=False,
            search=("summary",),
            workflow=STEPS,
        )
    )
    yield kind
    unregister_kind("finding")


def test_a_kind_is_registered_once(finding: Kind) -> None:
    assert get_kind("finding") is finding
    assert "finding" in kinds_for_method(ActivityKind.ASSESSMENT)
    assert "finding__summary" in search_lookups()
    with pytest.raises(ValueError, match="already registered"):
        register_kind(finding)


def test_the_installed_apps_register_every_kind_they_make() -> None:
    assert {kind.code for kind in all_kinds()} >= {"need", "asset", "story", "idea", "comment"}
    assert kinds_for_method(ActivityKind.IDEA_CHALLENGE) == {"idea", "comment"}
    assert kinds_for_method(ActivityKind.OPINION_MAP) == {"opinion_statement"}


def test_unknown_kinds_and_long_codes_are_refused() -> None:
    with pytest.raises(LookupError, match="No app registered"):
        get_kind("ballot")
    with pytest.raises(ValueError, match="32 characters"):
        register_kind(Kind(code="x" * 33, label="", detail="x", methods=(), text=str))


def test_a_workflow_names_only_statuses_it_declares() -> None:
    with pytest.raises(ValueError, match="not declared"):
        Workflow(choices=[("new", "New")], initial="new", transitions={"new": ["gone"]})
    assert STEPS.next_statuses("new") == ["done"]
    assert STEPS.next_statuses("done") == []
    assert STEPS.label("done") == "Done"


@pytest.mark.django_db
def test_a_contribution_starts_as_its_kind_says(finding: Kind) -> None:
    activity = ActivityFactory(kind=ActivityKind.ASSESSMENT, state=ActivityState.OPEN)
    author = UserFactory()
    contribution = actions.contribution_start(activity=activity, kind="finding", author=author)
    assert (contribution.status, contribution.needs_answer) == ("new", False)
    assert contribution.visibility == Visibility.PUBLISHED
    assert contribution.get_status_display() == "New"
    asked = actions.contribution_start(
        activity=activity, kind="finding", author=author, needs_answer=True
    )
    assert asked.needs_answer is True


@pytest.mark.django_db
def test_a_kind_the_activity_does_not_take_is_refused(finding: Kind) -> None:
    survey = ActivityFactory(kind=ActivityKind.NEEDS_SURVEY, state=ActivityState.OPEN)
    with pytest.raises(ValidationError, match="does not take this kind"):
        actions.contribution_start(activity=survey, kind="finding", author=UserFactory())
    with pytest.raises(ValidationError, match="does not take this kind"):
        actions.contribution_start(activity=survey, kind="nothing", author=UserFactory())
    assert not Contribution.objects.exists()
