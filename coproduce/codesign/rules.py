"""Who may contribute, support, answer and moderate, by role and activity state.

Residents take part only while an activity is open. Official answers, idea statuses and decisions
come only from administrators and professionals of the organisation that runs the service;
facilitators (and those staff) moderate.
"""

from __future__ import annotations

from typing import Any

from coproduce.codesign.models import Contribution, ContributionKind, Decision, Idea, Visibility
from coproduce.organisations.models import Role
from coproduce.organisations.rules import role_in
from coproduce.services.models import STAFF_ROLES, Activity, ActivityKind, ActivityState, Service
from coproduce.services.rules import can_view_activity, can_view_service

# Which contributions each method takes.
KINDS_BY_METHOD: dict[str, set[str]] = {
    ActivityKind.NEEDS_SURVEY: {ContributionKind.NEED, ContributionKind.ASSET},
    ActivityKind.STORY_COLLECTION: {ContributionKind.STORY},
    ActivityKind.IDEA_CHALLENGE: {ContributionKind.IDEA, ContributionKind.COMMENT},
}


def _role(user: Any, service: Service) -> str | None:
    return role_in(user, service.organisation_id)


def accepts(activity: Activity, kind: str) -> bool:
    """Whether the activity's method takes this kind of contribution at all."""
    return kind in KINDS_BY_METHOD.get(activity.kind, set())


def is_open_for(activity: Activity, kind: str) -> bool:
    """The activity is open, public and takes this kind of contribution."""
    return (
        activity.state == ActivityState.OPEN
        and activity.service.is_published
        and accepts(activity, kind)
    )


def can_contribute(user: Any, activity: Activity, kind: str) -> bool:
    """Signed-in people add contributions while the activity is open."""
    return bool(user.is_authenticated) and is_open_for(activity, kind)


def can_post_idea(user: Any, activity: Activity) -> bool:
    return can_contribute(user, activity, ContributionKind.IDEA)


def can_comment(user: Any, idea: Idea) -> bool:
    contribution = idea.contribution
    return (
        can_contribute(user, contribution.activity, ContributionKind.COMMENT)
        and contribution.visibility == Visibility.PUBLISHED
    )


def can_support(user: Any, idea: Idea) -> bool:
    """Supports are like votes: one per person, only while the challenge is open."""
    return can_comment(user, idea)


def can_answer(user: Any, contribution: Contribution) -> bool:
    """Official answers: administrators and professionals of the owning organisation."""
    return bool(user.is_superuser or _role(user, contribution.service) in STAFF_ROLES)


def can_set_idea_status(user: Any, idea: Idea) -> bool:
    return can_answer(user, idea.contribution)


def can_record_decision(user: Any, service: Service) -> bool:
    return bool(user.is_superuser or _role(user, service) in STAFF_ROLES)


def can_moderate(user: Any, activity: Activity) -> bool:
    """Facilitators, professionals and administrators of the owning organisation."""
    return bool(
        user.is_superuser or _role(user, activity.service) in {*STAFF_ROLES, Role.FACILITATOR}
    )


def can_moderate_service(user: Any, service: Service) -> bool:
    return bool(user.is_superuser or _role(user, service) in {*STAFF_ROLES, Role.FACILITATOR})


def can_view_contribution(user: Any, contribution: Contribution) -> bool:
    """Published contributions of public activities; the author and moderators see the rest."""
    activity = contribution.activity
    if not can_view_activity(user, activity):
        return False
    if contribution.visibility == Visibility.PUBLISHED:
        return True
    if user.is_authenticated and contribution.author_id == user.pk:
        return True
    return can_moderate(user, activity)


def can_report(user: Any, contribution: Contribution) -> bool:
    """Anyone signed in may ask moderators to look at someone else's published contribution
    that they can see (not one in another organisation's draft activity)."""
    return (
        bool(user.is_authenticated)
        and contribution.visibility == Visibility.PUBLISHED
        and contribution.author_id != user.pk
        and can_view_contribution(user, contribution)
    )


def can_view_service_loop(user: Any, service: Service) -> bool:
    """The 'You said, we did' page and answer coverage follow the service page."""
    return can_view_service(user, service)


def can_view_decision(user: Any, decision: Decision) -> bool:
    """Decisions are public with their service."""
    return can_view_service(user, decision.service)


def can_link_decision(user: Any, decision: Decision) -> bool:
    return can_record_decision(user, decision.service)
