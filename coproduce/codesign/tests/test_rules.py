"""Who may do what in an idea challenge: every rule × activity state × role, as a matrix.

Roles come from coproduce.common.testing: anonymous, a resident, a facilitator, a professional and an
administrator of the organisation that runs the service, a professional of another organisation,
and a platform superuser. Each idea is posted by a separate resident (the author).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from coproduce.accounts.tests.factories import UserFactory
from coproduce.accounts.types import Visitor
from coproduce.codesign import rules
from coproduce.codesign.models import Idea
from coproduce.codesign.tests.factories import CommentFactory, IdeaChallengeFactory, IdeaFactory
from coproduce.contributions import actions as spine_actions
from coproduce.contributions import rules as spine_rules
from coproduce.contributions.tests.world import ROLES, World, build_world
from coproduce.services import actions as service_actions
from coproduce.services import rules as service_rules
from coproduce.services.models import Activity, ActivityState, Service, ServiceStatus

pytestmark = pytest.mark.django_db

STATES = [ActivityState.DRAFT, ActivityState.OPEN, ActivityState.CLOSED, ActivityState.REPORTED]

NOBODY: frozenset[str] = frozenset()
EVERYONE = frozenset(ROLES)
SIGNED_IN = EVERYONE - {"anonymous"}
# Staff of the organisation that runs the service (and superusers).
OWNER_MEMBERS = frozenset({"facilitator", "professional", "org_admin", "superuser"})
ANSWERERS = frozenset({"professional", "org_admin", "superuser"})  # facilitators do not answer
MODERATORS = OWNER_MEMBERS


@dataclass
class Challenge:
    activity: Activity
    idea: Idea
    question: Any


def challenge_in(world: World, state: str) -> Challenge:
    """An idea challenge of the world's service with an idea and a question, moved to ``state``.

    Ideas can only be posted while a challenge is open, so it opens first and then moves on. A
    challenge never goes back to draft; the draft row is forced, so the rules are checked even
    for content that could only be there by mistake.
    """
    activity = IdeaChallengeFactory(service=world.service, title=f"Challenge ({state})")
    idea = IdeaFactory(activity=activity, author=UserFactory(email=f"author-{state}@example.org"))
    question = CommentFactory(idea=idea, is_question=True)
    if state == ActivityState.DRAFT:
        Activity.objects.filter(pk=activity.pk).update(state=ActivityState.DRAFT)
    steps: dict[str, list[str]] = {
        ActivityState.CLOSED: [ActivityState.CLOSED],
        ActivityState.REPORTED: [ActivityState.CLOSED, ActivityState.REPORTED],
    }
    for step in steps.get(state, []):
        service_actions.activity_transition(activity=activity, to_state=step, outcome="Done.")
    activity.refresh_from_db()
    idea = Idea.objects.select_related("contribution__activity").get(pk=idea.pk)
    question.contribution.refresh_from_db()
    return Challenge(activity, idea, question)


RULES: dict[str, Callable[[Visitor, Challenge], bool]] = {
    "view the ideas": lambda u, c: service_rules.can_view_activity(u, c.activity),
    "view an idea": lambda u, c: spine_rules.can_view_contribution(u, c.idea.contribution),
    "post an idea": lambda u, c: rules.can_post_idea(u, c.activity),
    "comment": lambda u, c: rules.can_comment(u, c.idea),
    "support": lambda u, c: rules.can_support(u, c.idea),
    "agree with a comment": lambda u, c: rules.can_agree(u, c.question),
    "report": lambda u, c: spine_rules.can_report(u, c.idea.contribution),
    "answer an idea": lambda u, c: spine_rules.can_answer(u, c.idea.contribution),
    "answer a question": lambda u, c: spine_rules.can_answer(u, c.question.contribution),
    "set the status": lambda u, c: spine_rules.can_set_status(u, c.idea.contribution),
    "record a decision": lambda u, c: spine_rules.can_record_decision(u, c.activity.service),
    "moderate": lambda u, c: spine_rules.can_moderate(u, c.activity),
    "see the moderation queue": lambda u, c: spine_rules.can_moderate_service(
        u, c.activity.service
    ),
    "manage categories": lambda u, c: service_rules.can_manage_activity(u, c.activity),
    "set the supports threshold": lambda u, c: rules.can_set_threshold(u, c.activity),
}

OPEN_ONLY: dict[str, frozenset[str]] = {ActivityState.OPEN: SIGNED_IN}
EXPECTED: dict[str, dict[str, frozenset[str]]] = {
    "view the ideas": {ActivityState.DRAFT: OWNER_MEMBERS},
    "view an idea": {ActivityState.DRAFT: OWNER_MEMBERS},
    "post an idea": OPEN_ONLY,
    "comment": OPEN_ONLY,
    "support": OPEN_ONLY,
    "agree with a comment": OPEN_ONLY,
    "report": {ActivityState.DRAFT: OWNER_MEMBERS},
    "answer an idea": {},
    "answer a question": {},
    "set the status": {},
    "record a decision": {},
    "moderate": {},
    "see the moderation queue": {},
    "manage categories": {},
    "set the supports threshold": {},
}
# What each rule allows in states not listed above.
DEFAULT: dict[str, frozenset[str]] = {
    "view the ideas": EVERYONE,
    "view an idea": EVERYONE,
    "post an idea": NOBODY,
    "comment": NOBODY,
    "support": NOBODY,
    "agree with a comment": NOBODY,
    "report": SIGNED_IN,
    "answer an idea": ANSWERERS,
    "answer a question": ANSWERERS,
    "set the status": ANSWERERS,
    "record a decision": ANSWERERS,
    "moderate": MODERATORS,
    "see the moderation queue": MODERATORS,
    "manage categories": MODERATORS,
    # The people who run the challenge, as for its categories (decision 0026).
    "set the supports threshold": MODERATORS,
}


def person(world: World, role: str) -> Visitor:
    return world.people[role] or AnonymousUser()


@pytest.mark.parametrize("state", STATES)
def test_rule_matrix(state: str) -> None:
    """Every rule × role in one activity state; the failure lists every cell that differs."""
    world = build_world()
    challenge = challenge_in(world, state)
    mismatches = []
    for name, rule in RULES.items():
        allowed = EXPECTED[name].get(state, DEFAULT[name])
        for role in ROLES:
            got = rule(person(world, role), challenge)
            if got != (role in allowed):
                mismatches.append(f"{name} / {role}: expected {role in allowed}, got {got}")
    assert not mismatches, f"state {state}:\n" + "\n".join(mismatches)


def test_the_matrix_covers_every_rule_in_every_state() -> None:
    assert set(EXPECTED) == set(RULES) == set(DEFAULT)


@pytest.mark.parametrize("how", ["held", "hidden"])
def test_held_and_hidden_ideas_are_seen_by_their_author_and_moderators_only(how: str) -> None:
    world = build_world()
    challenge = challenge_in(world, ActivityState.OPEN)
    contribution = challenge.idea.contribution
    if how == "hidden":
        spine_actions.moderation_hide(
            contribution=contribution, moderator=world.people["facilitator"]
        )
    else:
        contribution.visibility = "pending"
        contribution.save(update_fields=["visibility"])
    author = contribution.author
    assert author is not None
    for role in ROLES:
        user = person(world, role)
        assert spine_rules.can_view_contribution(user, contribution) == (role in MODERATORS), role
        # Nobody comments on, supports or reports what is not published, even while open.
        assert not rules.can_comment(user, challenge.idea), role
        assert not rules.can_support(user, challenge.idea), role
        assert not spine_rules.can_report(user, contribution), role
    assert spine_rules.can_view_contribution(author, contribution)


def test_nobody_reports_their_own_contribution() -> None:
    world = build_world()
    challenge = challenge_in(world, ActivityState.OPEN)
    contribution = challenge.idea.contribution
    author = contribution.author
    assert author is not None
    assert not spine_rules.can_report(author, contribution)
    assert spine_rules.can_report(world.people["resident"], contribution)


def test_staff_of_another_organisation_are_residents_here() -> None:
    """A professional elsewhere takes part like anyone, but neither answers nor moderates here."""
    world = build_world()
    challenge = challenge_in(world, ActivityState.OPEN)
    outsider = world.people["other_professional"]
    assert rules.can_post_idea(outsider, challenge.activity)
    assert rules.can_support(outsider, challenge.idea)
    assert not spine_rules.can_answer(outsider, challenge.idea.contribution)
    assert not spine_rules.can_moderate(outsider, challenge.activity)


def test_a_draft_service_hides_its_open_challenge_from_outsiders() -> None:
    world = build_world()
    challenge = challenge_in(world, ActivityState.OPEN)
    # Forced: the world's service has a decision on the ledger, so the action keeps it published
    # (decision 0137); the rules are checked for a draft service all the same.
    Service.objects.filter(pk=world.service.pk).update(status=ServiceStatus.DRAFT)
    challenge.activity.refresh_from_db()
    for role in ROLES:
        user = person(world, role)
        assert service_rules.can_view_activity(user, challenge.activity) == (
            role in OWNER_MEMBERS
        ), role
        assert not rules.can_post_idea(user, challenge.activity), role
