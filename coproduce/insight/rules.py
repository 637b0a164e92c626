"""Who may compose and answer surveys, record assets and tell stories, by role and activity state.

Residents take part only while an activity is open (contributions.rules.is_open_for). Surveys may be
answered without an account where the activity allows it. Staff of the owning organisation
(administrators, professionals, facilitators) compose a survey's questions until it closes.
"""

from __future__ import annotations

from coproduce.accounts.types import Visitor
from coproduce.contributions.models import Contribution
from coproduce.contributions.rules import (
    can_contribute,
    can_moderate_contribution,
    can_view_contribution,
    is_open_for,
)
from coproduce.insight.models import Asset, InsightKind, Question, Story, SurveySubmission
from coproduce.services.models import Activity, ActivityKind, ActivityState, Service
from coproduce.services.rules import can_run_activities, can_view_activity, can_view_service

COMPOSING_STATES = {ActivityState.DRAFT, ActivityState.OPEN}


def can_view_survey(user: Visitor, activity: Activity) -> bool:
    """A survey's results and published answers follow its activity page."""
    return activity.kind == ActivityKind.NEEDS_SURVEY and can_view_activity(user, activity)


def can_take_survey(user: Visitor, activity: Activity) -> bool:
    """Answer while the survey is open: signed in, or anyone where anonymous answers are allowed."""
    return is_open_for(activity, InsightKind.NEED) and bool(
        user.is_authenticated or activity.anonymous_answers
    )


def can_manage_survey(user: Visitor, activity: Activity) -> bool:
    """See a survey's questions as staff: those who run the service's activities."""
    return activity.kind == ActivityKind.NEEDS_SURVEY and can_run_activities(user, activity.service)


def can_compose_survey(user: Visitor, activity: Activity) -> bool:
    """Add, change, order and remove questions: staff, until the survey closes."""
    return can_manage_survey(user, activity) and activity.state in COMPOSING_STATES


def can_record_asset(user: Visitor, activity: Activity) -> bool:
    """Signed-in residents and staff record community assets while a needs survey is open."""
    return can_contribute(user, activity, InsightKind.ASSET)


def can_tell_story(user: Visitor, activity: Activity) -> bool:
    """Signed-in people tell stories while a story collection is open."""
    return can_contribute(user, activity, InsightKind.STORY)


def can_view_stories(user: Visitor, activity: Activity) -> bool:
    """The published stories of a story collection follow its activity page."""
    return activity.kind == ActivityKind.STORY_COLLECTION and can_view_activity(user, activity)


def can_view_assets(user: Visitor, service: Service) -> bool:
    """A service's community assets follow its service page."""
    return can_view_service(user, service)


def can_see_every_answer(user: Visitor, contribution: Contribution) -> bool:
    """One person's choice answers are shown only to them and to moderators; free text is public."""
    if user.is_authenticated and contribution.author_id == user.pk:
        return True
    return can_moderate_contribution(user, contribution)


def can_translate_question(user: Visitor, question: Question) -> bool:
    """Write the Welsh of a question: those who manage the survey, also once it has closed (its
    results still show the question: decision 0025)."""
    return can_manage_survey(user, question.survey.activity)


def can_compose_question(user: Visitor, question: Question) -> bool:
    """Change, move or remove one question: as for the survey it belongs to."""
    return can_compose_survey(user, question.survey.activity)


def can_view_submission(user: Visitor, submission: SurveySubmission) -> bool:
    return can_view_contribution(user, submission.contribution)


def can_view_asset(user: Visitor, asset: Asset) -> bool:
    return can_view_contribution(user, asset.contribution)


def can_view_story(user: Visitor, story: Story) -> bool:
    return can_view_contribution(user, story.contribution)
