"""Who may post ideas, comment, support, agree with comments, manage a challenge's categories
and supports threshold, and take opinion-map statements forward into it.

Residents take part only while a challenge is open. Answers, statuses, decisions and moderation
follow the answer spine's rules (``contributions.rules``). Every rule takes the person first and
the object second, the shape ``rule_required`` calls.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from coproduce.accounts.types import Visitor
from coproduce.codesign.models import CodesignKind, Comment, Idea, IdeaCategory
from coproduce.contributions.models import Visibility
from coproduce.contributions.rules import can_answer_for, can_contribute, can_view_contribution
from coproduce.services.models import Activity, ActivityState
from coproduce.services.rules import can_manage_activity


def can_post_idea(user: Visitor, activity: Activity) -> bool:
    return can_contribute(user, activity, CodesignKind.IDEA)


def can_view_idea(user: Visitor, idea: Idea) -> bool:
    return can_view_contribution(user, idea.contribution)


def can_comment(user: Visitor, idea: Idea) -> bool:
    contribution = idea.contribution
    return (
        can_contribute(user, contribution.activity, CodesignKind.COMMENT)
        and contribution.visibility == Visibility.PUBLISHED
    )


def can_support(user: Visitor, idea: Idea) -> bool:
    """Supports are like votes: one per person, only while the challenge is open, and not by
    the idea's author, whose backing posting it already says (decision 0022)."""
    return can_comment(user, idea) and idea.contribution.author_id != user.pk


def can_agree(user: Visitor, comment: Comment) -> bool:
    """Agreeing with a comment is like supporting an idea: one per person, only while the
    challenge is open, only with a published comment on a published idea, and not with one's own
    comment (decisions 0022 and 0026)."""
    contribution = comment.contribution
    return (
        can_comment(user, comment.idea)
        and contribution.visibility == Visibility.PUBLISHED
        and contribution.author_id != user.pk
    )


def can_manage_categories(user: Visitor, category: IdeaCategory) -> bool:
    return can_manage_activity(user, category.activity)


def can_set_threshold(user: Visitor, activity: Activity) -> bool:
    """A challenge's supports threshold is set by the people who run it, as its categories are."""
    return can_manage_activity(user, activity)


CLOSED_TO_IDEAS = gettext_lazy("This challenge has closed, so it takes no new ideas.")


def takes_ideas_forward(activity: Activity) -> bool:
    """Statements are taken forward into a challenge before and while it is open; once it has
    closed, nobody could support or comment on them (as seed statements, decision 0126)."""
    return activity.state in (ActivityState.DRAFT, ActivityState.OPEN)


def can_take_forward(user: Visitor, activity: Activity) -> bool:
    """Take an agreed opinion-map statement forward as an idea of the challenge: the people who
    run it and who may also answer the statement, which is told where it went — administrators
    and professionals, not facilitators (decisions 0020 and 0111)."""
    return can_manage_activity(user, activity) and can_answer_for(user, activity.service)
