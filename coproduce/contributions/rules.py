"""Who may contribute, answer, change statuses, moderate, decide and follow.

Residents take part only while an activity is open. Official answers, statuses and decisions come
only from administrators and professionals of the organisation that runs the service; facilitators
(and those staff) moderate. Every rule takes the person first and the object second, the shape
``rule_required`` calls.
"""

from __future__ import annotations

from coproduce.accounts.types import Visitor
from coproduce.contributions.kinds import kinds_for_method
from coproduce.contributions.models import Contribution, Decision, Response, Visibility
from coproduce.organisations.models import Role
from coproduce.organisations.rules import role_in
from coproduce.services.models import STAFF_ROLES, Activity, ActivityState, Service
from coproduce.services.rules import can_view_activity, can_view_service


def accepts(activity: Activity, kind: str) -> bool:
    """Whether the activity's method takes this kind of contribution at all."""
    return kind in kinds_for_method(activity.kind)


def is_open_for(activity: Activity, kind: str) -> bool:
    """The activity is open, public and takes this kind of contribution."""
    return (
        activity.state == ActivityState.OPEN
        and activity.service.is_published
        and accepts(activity, kind)
    )


def can_contribute(user: Visitor, activity: Activity, kind: str) -> bool:
    """Signed-in people add contributions while the activity is open."""
    return bool(user.is_authenticated) and is_open_for(activity, kind)


def _is_staff(user: Visitor, service: Service) -> bool:
    return bool(user.is_superuser or role_in(user, service.organisation_id) in STAFF_ROLES)


def can_answer(user: Visitor, contribution: Contribution) -> bool:
    """Official answers: administrators and professionals of the owning organisation."""
    return can_answer_for(user, contribution.service)


def can_translate_answer(user: Visitor, response: Response) -> bool:
    """Write the Welsh of an answer: those who may answer (decision 0025)."""
    return can_answer(user, response.contribution)


def can_answer_for(user: Visitor, service: Service) -> bool:
    """The service's inbox: what waits for an answer, answered there and linked to decisions.
    Facilitators moderate but do not answer, so they have no inbox (decision 0020)."""
    return _is_staff(user, service)


def can_answer_somewhere(user: Visitor, obj: object = None) -> bool:
    """The inbox across services: administrators and professionals of any organisation."""
    if not user.is_authenticated:
        return False
    return bool(user.is_superuser or any(r in STAFF_ROLES for r in user.staff_roles.values()))


def can_set_status(user: Visitor, contribution: Contribution) -> bool:
    """Statuses, for kinds that have them, come from the people who answer."""
    return contribution.has_workflow and can_answer(user, contribution)


def can_record_decision(user: Visitor, service: Service) -> bool:
    return _is_staff(user, service)


def can_link_decision(user: Visitor, decision: Decision) -> bool:
    return can_record_decision(user, decision.service)


def can_moderate_service(user: Visitor, service: Service) -> bool:
    """Facilitators, professionals and administrators of the owning organisation."""
    return bool(
        user.is_superuser
        or role_in(user, service.organisation_id) in {*STAFF_ROLES, Role.FACILITATOR}
    )


def can_moderate(user: Visitor, activity: Activity) -> bool:
    return can_moderate_service(user, activity.service)


def can_moderate_contribution(user: Visitor, contribution: Contribution) -> bool:
    return can_moderate(user, contribution.activity)


def can_view_contribution(user: Visitor, contribution: Contribution) -> bool:
    """Published contributions of public activities; the author and moderators see the rest."""
    activity = contribution.activity
    if not can_view_activity(user, activity):
        return False
    if contribution.visibility == Visibility.PUBLISHED:
        return True
    if user.is_authenticated and contribution.author_id == user.pk:
        return True
    return can_moderate(user, activity)


def can_report(user: Visitor, contribution: Contribution) -> bool:
    """Anyone signed in may ask moderators to look at someone else's published contribution
    that they can see (not one in another organisation's draft activity)."""
    return (
        bool(user.is_authenticated)
        and contribution.visibility == Visibility.PUBLISHED
        and contribution.author_id != user.pk
        and can_view_contribution(user, contribution)
    )


def can_view_service_loop(user: Visitor, service: Service) -> bool:
    """The 'You said, we did' page and answer coverage follow the service page."""
    return can_view_service(user, service)


def can_view_decision(user: Visitor, decision: Decision) -> bool:
    """Decisions are public with their service."""
    return can_view_service(user, decision.service)


def can_follow(user: Visitor, target: Service | Activity | Contribution | None) -> bool:
    """Following is for signed-in people, and only of things they can see."""
    if not user.is_authenticated or target is None:
        return False
    if isinstance(target, Service):
        return can_view_service(user, target)
    if isinstance(target, Activity):
        return can_view_activity(user, target)
    return can_view_contribution(user, target)
