"""Every insight rule × every role × every activity state (draft, open, closed, reported)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from coproduce.accounts.types import Visitor
from coproduce.contributions import rules as spine_rules
from coproduce.contributions.tests.world import ROLES, World, build_world
from coproduce.insight import rules
from coproduce.insight.tests.factories import (
    AssetFactory,
    NeedsSurveyFactory,
    StoryCollectionFactory,
    StoryFactory,
    approve,
)
from coproduce.services.models import ActivityState

pytestmark = pytest.mark.django_db

STATES = [ActivityState.DRAFT, ActivityState.OPEN, ActivityState.CLOSED, ActivityState.REPORTED]
NOBODY: set[str] = set()
EVERYONE = set(ROLES)
SIGNED_IN = EVERYONE - {"anonymous"}
OWNER_STAFF = {"facilitator", "professional", "org_admin", "superuser"}
ANSWERERS = {"professional", "org_admin", "superuser"}  # facilitators moderate, but do not answer


def by_state(draft: set[str], open_: set[str], closed: set[str], reported: set[str]) -> dict:
    return dict(zip(STATES, [draft, open_, closed, reported], strict=True))


# rule name → who may, in each state of the activity
SURVEY_MATRIX: dict[str, dict[str, set[str]]] = {
    "can_view_survey": by_state(OWNER_STAFF, EVERYONE, EVERYONE, EVERYONE),
    "can_take_survey": by_state(NOBODY, SIGNED_IN, NOBODY, NOBODY),
    "can_manage_survey": by_state(OWNER_STAFF, OWNER_STAFF, OWNER_STAFF, OWNER_STAFF),
    "can_compose_survey": by_state(OWNER_STAFF, OWNER_STAFF, NOBODY, NOBODY),
    "can_record_asset": by_state(NOBODY, SIGNED_IN, NOBODY, NOBODY),
    "can_view_stories": by_state(NOBODY, NOBODY, NOBODY, NOBODY),  # not a story collection
    "can_tell_story": by_state(NOBODY, NOBODY, NOBODY, NOBODY),
}
ANONYMOUS_SURVEY_MATRIX = {
    "can_take_survey": by_state(NOBODY, EVERYONE, NOBODY, NOBODY),
}
STORIES_MATRIX: dict[str, dict[str, set[str]]] = {
    "can_view_stories": by_state(OWNER_STAFF, EVERYONE, EVERYONE, EVERYONE),
    "can_tell_story": by_state(NOBODY, SIGNED_IN, NOBODY, NOBODY),
    "can_view_survey": by_state(NOBODY, NOBODY, NOBODY, NOBODY),  # not a survey
    "can_take_survey": by_state(NOBODY, NOBODY, NOBODY, NOBODY),
    "can_compose_survey": by_state(NOBODY, NOBODY, NOBODY, NOBODY),
    "can_record_asset": by_state(NOBODY, NOBODY, NOBODY, NOBODY),
}


@pytest.fixture
def world(db: Any) -> World:
    return build_world()


def person(world: World, role: str) -> Visitor:
    return world.people[role] or AnonymousUser()


def check(
    world: World, make: Callable[[str], Any], matrix: dict[str, dict[str, set[str]]]
) -> list[str]:
    """Compare every rule in ``matrix`` with the expected roles, for an activity in each state."""
    mismatches = []
    for state in STATES:
        activity = make(state)
        for rule_name, expected in matrix.items():
            rule = getattr(rules, rule_name)
            allowed = {role for role in ROLES if rule(person(world, role), activity)}
            if allowed != expected[state]:
                mismatches.append(
                    f"{rule_name} [{state}]: expected {sorted(expected[state])}, got {sorted(allowed)}"
                )
    return mismatches


def test_survey_rules_by_role_and_state(world: World) -> None:
    mismatches = check(
        world, lambda state: NeedsSurveyFactory(service=world.service, state=state), SURVEY_MATRIX
    )
    assert not mismatches, "\n".join(mismatches)


def test_anonymous_answers_open_the_survey_to_visitors_only_while_open(world: World) -> None:
    mismatches = check(
        world,
        lambda state: NeedsSurveyFactory(
            service=world.service, state=state, anonymous_answers=True
        ),
        ANONYMOUS_SURVEY_MATRIX,
    )
    assert not mismatches, "\n".join(mismatches)


def test_story_rules_by_role_and_state(world: World) -> None:
    mismatches = check(
        world,
        lambda state: StoryCollectionFactory(service=world.service, state=state),
        STORIES_MATRIX,
    )
    assert not mismatches, "\n".join(mismatches)


def test_nobody_takes_part_in_a_draft_service(world: World) -> None:
    survey = NeedsSurveyFactory(service=world.draft_service, anonymous_answers=True)
    stories = StoryCollectionFactory(service=world.draft_service)
    for role in ROLES:
        user = person(world, role)
        assert not rules.can_take_survey(user, survey), role
        assert not rules.can_record_asset(user, survey), role
        assert not rules.can_tell_story(user, stories), role
    viewers = {r for r in ROLES if rules.can_view_survey(person(world, r), survey)}
    assert viewers == OWNER_STAFF


def test_contributions_are_seen_answered_and_reported_by_the_right_people(world: World) -> None:
    survey = NeedsSurveyFactory(service=world.service)
    stories = StoryCollectionFactory(service=world.service)
    asset = AssetFactory(activity=survey, author=world.people["resident"])
    pending = StoryFactory(activity=stories, author=world.people["resident"])
    published = StoryFactory(activity=stories)
    approve(published.contribution)

    def who(rule: Callable[[Visitor, Any], bool], obj: Any) -> set[str]:
        return {role for role in ROLES if rule(person(world, role), obj)}

    assert who(rules.can_view_asset, asset) == EVERYONE
    assert who(rules.can_view_story, published) == EVERYONE
    assert who(rules.can_view_story, pending) == OWNER_STAFF | {"resident"}  # author + moderators
    assert who(spine_rules.can_answer, asset.contribution) == ANSWERERS
    assert who(spine_rules.can_moderate_contribution, pending.contribution) == OWNER_STAFF
    assert who(spine_rules.can_report, asset.contribution) == SIGNED_IN - {"resident"}  # not author
    assert who(spine_rules.can_report, pending.contribution) == NOBODY  # not published yet
    assert who(rules.can_see_every_answer, asset.contribution) == OWNER_STAFF | {"resident"}


def test_composing_a_question_follows_its_survey(world: World) -> None:
    open_survey = NeedsSurveyFactory(service=world.service)
    closed = NeedsSurveyFactory(service=world.service, state=ActivityState.CLOSED)
    for activity, expected in ((open_survey, OWNER_STAFF), (closed, NOBODY)):
        question = activity.survey.questions.order_by("position")[0]
        allowed = {r for r in ROLES if rules.can_compose_question(person(world, r), question)}
        assert allowed == expected, activity.state


def test_assets_follow_the_service_page(world: World) -> None:
    for service, expected in ((world.service, EVERYONE), (world.draft_service, OWNER_STAFF)):
        allowed = {r for r in ROLES if rules.can_view_assets(person(world, r), service)}
        assert allowed == expected, service.status
