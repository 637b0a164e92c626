"""Who may compose and answer surveys, record assets and tell stories, by role and activity state.

Residents take part only while an activity is open (codesign.rules.is_open_for). Surveys may be
answered without an account where the activity allows it. Staff of the owning organisation
(administrators, professionals, facilitators) compose a survey's questions until it closes.
"""

from __future__ import annotations

from typing import Any

from coproduce.codesign import rules as codesign_rules
from coproduce.codesign.models import Contribution, ContributionKind
from coproduce.insight.models import Asset, Question, Story, SurveySubmission
from coproduce.services.models import Activity, ActivityKind, ActivityState, Service
from coproduce.services.rules import can_run_activities, can_view_activity, can_view_service

COMPOSING_STATES = {ActivityState.DRAFT, ActivityState.OPEN}


def can_view_survey(user: Any, activity: Activity) -> bool:
    """A survey's results and published answers follow its activity page."""
    return activity.kind == ActivityKind.NEEDS_SURVEY and can_view_activity(user, activity)


def can_take_survey(user: Any, activity: Activity) -> bool:
    """Answer while the survey is open: signed in, or anyone where anonymous answers are allowed."""
    return codesign_rules.is_open_for(activity, ContributionKind.NEED) and bool(
        user.is_authenticated or activity.anonymous_answers
    )


def can_manage_survey(user: Any, activity: Activity) -> bool:
    """See a survey's questions as staff: those who run the service's activities."""
    return activity.kind == ActivityKind.NEEDS_SURVEY and can_run_activities(user, activity.service)


def can_compose_survey(user: Any, activity: Activity) -> bool:
    """Add, change, order and remove questions: staff, until the survey closes."""
    return can_manage_survey(user, activity) and activity.state in COMPOSING_STATES


def can_record_asset(user: Any, activity: Activity) -> bool:
    """Signed-in residents and staff record community assets while a needs survey is open."""
    return codesign_rules.can_contribute(user, activity, ContributionKind.ASSET)


def can_tell_story(user: Any, activity: Activity) -> bool:
    """Signed-in people tell stories while a story collection is open."""
    return codesign_rules.can_contribute(user, activity, ContributionKind.STORY)


def can_view_stories(user: Any, activity: Activity) -> bool:
    """The published stories of a story collection follow its activity page."""
    return activity.kind == ActivityKind.STORY_COLLECTION and can_view_activity(user, activity)


def can_view_assets(user: Any, service: Service) -> bool:
    """A service's community assets follow its service page."""
    return can_view_service(user, service)


def can_view_contribution(user: Any, contribution: Contribution) -> bool:
    """Published contributions are public; the author and moderators also see the rest."""
    return codesign_rules.can_view_contribution(user, contribution)


def can_see_every_answer(user: Any, contribution: Contribution) -> bool:
    """One person's choice answers are shown only to them and to moderators; free text is public."""
    if user.is_authenticated and contribution.author_id == user.pk:
        return True
    return codesign_rules.can_moderate(user, contribution.activity)


def can_answer(user: Any, contribution: Contribution) -> bool:
    """Official responses: administrators and professionals of the owning organisation."""
    return codesign_rules.can_answer(user, contribution)


def can_compose_question(user: Any, question: Question) -> bool:
    """Change, move or remove one question: as for the survey it belongs to."""
    return can_compose_survey(user, question.survey.activity)


def can_view_submission(user: Any, submission: SurveySubmission) -> bool:
    return can_view_contribution(user, submission.contribution)


def can_view_asset(user: Any, asset: Asset) -> bool:
    return can_view_contribution(user, asset.contribution)


def can_view_story(user: Any, story: Story) -> bool:
    return can_view_contribution(user, story.contribution)


def can_report(user: Any, contribution: Contribution) -> bool:
    """Ask moderators to look at someone else's published contribution."""
    return codesign_rules.can_report(user, contribution)


def can_moderate(user: Any, contribution: Contribution) -> bool:
    return codesign_rules.can_moderate(user, contribution.activity)
