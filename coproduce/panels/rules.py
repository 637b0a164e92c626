"""Who may see and run a citizen panel, and who may see registration data.

A panel is seen with its activity. Its coordinators are the people who run the service's
activities (administrators, professionals and facilitators of the organisation): they set up
quotas and invitations, commit seeds, run selections and draw replacements, and they alone see
registration data (answers, contact details, access needs), which are special-category data.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from coproduce.accounts.types import Visitor
from coproduce.panels.models import (
    PHASE_ORDER,
    Panel,
    Phase,
    Recommendation,
    RecommendationStatus,
    SelectionStatus,
    Session,
)
from coproduce.services.models import ActivityState
from coproduce.services.rules import can_manage_activity, can_view_activity


def can_view_panel(user: Visitor, panel: Panel) -> bool:
    return can_view_activity(user, panel.activity)


def can_coordinate(user: Visitor, panel: Panel) -> bool:
    """Set up, invite, select and replace: the panel's coordinators."""
    return can_manage_activity(user, panel.activity)


def can_view_registration_data(user: Visitor, panel: Panel) -> bool:
    """Answers, contact details and access needs: the coordinators only."""
    return can_coordinate(user, panel)


# --- Deliberation: members, the workspace, recommendations and the members' vote ---------------


def is_member(user: Visitor, panel: Panel) -> bool:
    """A selected person the coordinators added as a member (with their account)."""
    if not user.is_authenticated:
        return False
    return panel.members.filter(user=user).exists()


def can_use_workspace(user: Visitor, panel: Panel) -> bool:
    """Sessions, evidence, questions and drafts: the members and the coordinators."""
    return can_view_panel(user, panel) and (is_member(user, panel) or can_coordinate(user, panel))


def can_draft_recommendation(user: Visitor, panel: Panel) -> bool:
    """Members draft recommendations and ask questions while the panel deliberates."""
    return panel.phase == Phase.DELIBERATION and is_member(user, panel)


def can_ask_question(user: Visitor, panel: Panel) -> bool:
    return can_draft_recommendation(user, panel)


def can_vote(user: Visitor, recommendation: Recommendation) -> bool:
    """Members vote on a recommendation while its vote is open."""
    panel = recommendation.panel
    return (
        recommendation.status == RecommendationStatus.VOTING
        and panel.phase == Phase.DELIBERATION
        and is_member(user, panel)
    )


def can_view_recommendations(user: Visitor, panel: Panel) -> bool:
    """Published recommendations, their results and answers are public with the panel."""
    return can_view_panel(user, panel)


def can_view_recommendation(user: Visitor, recommendation: Recommendation) -> bool:
    """One the members voted on (published or not passed): anyone who sees the panel, since
    every result is public; a draft, one in the vote or one never counted (decision 0131): the
    workspace's people."""
    if recommendation.status in (RecommendationStatus.PUBLISHED, RecommendationStatus.NOT_PASSED):
        return can_view_panel(user, recommendation.panel)
    return can_use_workspace(user, recommendation.panel)


def can_manage_session(user: Visitor, session: Session) -> bool:
    """Sessions and their evidence papers: the coordinators."""
    return can_coordinate(user, session.panel)


def size_may_change(panel: Panel) -> bool:
    """The panel's size may change until its selection phase (decision 0062)."""
    return PHASE_ORDER.index(panel.phase) < PHASE_ORDER.index(Phase.SELECTION)


def categories_may_change(panel: Panel) -> bool:
    """Quota categories are the questions people answer when they register: they are added
    until registration opens, so that every registrant has answered every one (decision 0120)."""
    return PHASE_ORDER.index(panel.phase) < PHASE_ORDER.index(Phase.REGISTRATION)


DRAWING = [SelectionStatus.QUEUED, SelectionStatus.RUNNING, SelectionStatus.DONE]


def quotas_may_change(panel: Panel) -> bool:
    """Quotas change until the panel's draw starts: the public pool files hold them, and anyone
    re-running the draw from those files must get the same panel (decision 0120)."""
    return not panel.selections.filter(replaces=None, status__in=DRAWING).exists()


def may_end(panel: Panel) -> bool:
    """The panel may close only when no members' vote is open: closing stops the vote, so its
    recommendations would never be counted and its votes never deleted (decision 0124)."""
    return not panel.voting_rounds.filter(closed_at__isnull=True).exists()


def pool_files_kept(panel: Panel) -> bool:
    """The anonymised pool files are built from the registration data: once those are deleted
    (the panel's retention days after it closed), so are the files (decision 0124)."""
    return panel.registration_data_deleted_on is None


def registration_open(panel: Panel) -> bool:
    """People may register now: the panel is at registration and its activity open."""
    return panel.phase == Phase.REGISTRATION and panel.activity.state == ActivityState.OPEN


def require(by: Visitor | None, allowed: bool) -> None:
    """An action's own check: PermissionDenied unless allowed. ``by=None`` is the platform
    itself (a task, a management command, the demo), which is not checked."""
    if by is not None and not allowed:
        raise PermissionDenied
