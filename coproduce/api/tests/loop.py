"""The co-production loop in the API tests' world: contributions of every kind and state."""

from __future__ import annotations

from dataclasses import dataclass

from coproduce.accounts.models import User
from coproduce.accounts.tests.factories import UserFactory
from coproduce.codesign.models import Comment, Idea, IdeaCategory
from coproduce.codesign.tests.factories import (
    CommentFactory,
    IdeaCategoryFactory,
    IdeaChallengeFactory,
    IdeaFactory,
)
from coproduce.contributions import actions as spine_actions
from coproduce.contributions.models import AuthorDisplay
from coproduce.contributions.tests.world import World
from coproduce.insight.models import Asset, Story, SurveySubmission
from coproduce.insight.tests.factories import (
    AssetFactory,
    NeedsSurveyFactory,
    StoryCollectionFactory,
    StoryFactory,
    SubmissionFactory,
)
from coproduce.services import actions as service_actions
from coproduce.services.models import Activity, ActivityState

LINKS = "See http://a.example, http://b.example and http://c.example"  # held by the spam guard


@dataclass
class Loop:
    """One resident (``author``, outside the matrix roles) wrote everything here."""

    author: User
    idea: Idea  # published, author named
    pending_idea: Idea  # held by the spam guard
    hidden_idea: Idea  # hidden by a moderator
    question: Comment  # a published question on ``idea``
    category: IdeaCategory
    closed: Activity  # an idea challenge that has closed
    closed_idea: Idea
    closed_comment: Comment  # on ``closed_idea``, made before the challenge closed
    survey: Activity  # an open needs and assets survey
    submission: SurveySubmission  # published, with free text and choices
    asset: Asset  # published, author shown by first name
    stories: Activity
    story: Story  # published, author anonymous
    pending_story: Story


def loop_world(world: World) -> Loop:
    """Build (once per world) the contributions the API tests read and write."""
    existing: Loop | None = getattr(world, "api_loop", None)
    if existing is not None:
        return existing
    moderator = world.people["facilitator"]
    author = UserFactory(email="author@example.org", name="Robin Ashdown")
    idea = IdeaFactory(
        activity=world.open_activity,
        author=author,
        title="Saturday opening",
        author_display=AuthorDisplay.NAMED,
    )
    pending_idea = IdeaFactory(
        activity=world.open_activity, author=author, title="Held idea", description=LINKS
    )
    hidden_idea = IdeaFactory(activity=world.open_activity, author=author, title="Hidden idea")
    spine_actions.moderation_hide(contribution=hidden_idea.contribution, moderator=moderator)
    question = CommentFactory(idea=idea, author=author, body="Which Saturdays?", is_question=True)
    closed = IdeaChallengeFactory(service=world.service, title="Closed challenge")
    closed_idea = IdeaFactory(activity=closed, author=author, title="Posted before closing")
    closed_comment = CommentFactory(idea=closed_idea, author=author, body="Before closing.")
    service_actions.activity_transition(activity=closed, to_state=ActivityState.CLOSED)
    survey = NeedsSurveyFactory(service=world.service, title="Open survey")
    submission = SubmissionFactory(
        activity=survey, author=author, text="Evening drop-ins, please.", author_display="named"
    )
    spine_actions.moderation_approve(contribution=submission.contribution, moderator=moderator)
    stories = StoryCollectionFactory(service=world.service, title="Open stories")
    story = StoryFactory(
        activity=stories, author=author, title="Published story", author_display="anonymous"
    )
    spine_actions.moderation_approve(contribution=story.contribution, moderator=moderator)
    loop = Loop(
        author=author,
        idea=idea,
        pending_idea=pending_idea,
        hidden_idea=hidden_idea,
        question=question,
        category=IdeaCategoryFactory(activity=world.open_activity, name="Opening hours"),
        closed=closed,
        closed_idea=closed_idea,
        closed_comment=closed_comment,
        survey=survey,
        submission=submission,
        asset=AssetFactory(activity=survey, author=author, name="Tenants' group", postcode=""),
        stories=stories,
        story=story,
        pending_story=StoryFactory(activity=stories, author=author, title="Pending story"),
    )
    world.api_loop = loop  # type: ignore[attr-defined]
    return loop
