"""Factories for surveys, answers, assets and stories; they go through the actions (used by the demo).

Contributions can only be made while an activity is open, so a factory that needs a closed or
reported activity composes and fills it first, then moves it on — as happens in real life.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import factory
from django.contrib.auth.models import AnonymousUser
from factory.django import DjangoModelFactory

from coproduce.accounts.models import User
from coproduce.accounts.tests.factories import UserFactory
from coproduce.contributions import actions as spine_actions
from coproduce.contributions.models import AuthorDisplay, Contribution
from coproduce.insight import actions
from coproduce.insight.models import (
    Asset,
    AssetKind,
    Question,
    QuestionKind,
    Story,
    SurveySubmission,
)
from coproduce.organisations.models import Role
from coproduce.organisations.tests.factories import MembershipFactory
from coproduce.services import actions as service_actions
from coproduce.services.models import Activity, ActivityKind, ActivityState
from coproduce.services.tests.factories import ActivityFactory

# The moves that take a draft activity to each state.
PATHS: dict[str, list[str]] = {
    ActivityState.DRAFT: [],
    ActivityState.OPEN: [ActivityState.OPEN],
    ActivityState.CLOSED: [ActivityState.OPEN, ActivityState.CLOSED],
    ActivityState.REPORTED: [ActivityState.OPEN, ActivityState.CLOSED, ActivityState.REPORTED],
}

QUESTIONS: tuple[dict[str, Any], ...] = (
    {
        "text": "When would you use the service?",
        "kind": QuestionKind.MULTIPLE_CHOICE,
        "options": ["Weekday daytime", "Weekday evenings", "Weekends"],
        "required": True,
    },
    {
        "text": "How easy is it to get help today?",
        "kind": QuestionKind.SCALE,
        "scale_low_label": "Very hard",
        "scale_high_label": "Very easy",
    },
    {
        "text": "Where would you most like to get help?",
        "kind": QuestionKind.SINGLE_CHOICE,
        "options": ["At home", "In a community centre", "Online"],
    },
    {
        "text": "What would make the biggest difference to you?",
        "kind": QuestionKind.FREE_TEXT,
        "help_text": "Tell us in your own words.",
    },
)


def facilitator_of(activity: Activity) -> User:
    """A facilitator of the organisation that runs the activity (made once per organisation)."""
    organisation = activity.service.organisation
    user = UserFactory(email=f"facilitator@{organisation.slug}.example", mfa=True)
    MembershipFactory(user=user, organisation=organisation, role=Role.FACILITATOR)
    return user


def approve(contribution: Contribution) -> Contribution:
    """Publish a held contribution, as a facilitator of the organisation would."""
    return spine_actions.moderation_approve(
        contribution=contribution, moderator=facilitator_of(contribution.activity)
    )


def move_to(activity: Activity, state: str, outcome: str = "") -> Activity:
    """Move an activity on from its current state through the real transitions."""
    path = PATHS[state]
    start = path.index(activity.state) + 1 if activity.state in path else 0
    for step in path[start:]:
        activity = service_actions.activity_transition(
            activity=activity, to_state=step, outcome=outcome or "What people said shaped the plan."
        )
    return activity


@contextmanager
def open_for_seeding(activity: Activity) -> Iterator[Activity]:
    """Demo only: let an activity that has already closed take contributions for a moment.

    The demo's history was written closed; this reopens it in the database (not through the
    transition rules, which never reopen a reported activity), then puts the state back.
    """
    previous = activity.state
    Activity.objects.filter(pk=activity.pk).update(state=ActivityState.OPEN)
    activity.state = ActivityState.OPEN
    try:
        yield activity
    finally:
        Activity.objects.filter(pk=activity.pk).update(state=previous)
        activity.state = previous


class NeedsSurveyFactory(ActivityFactory):
    """An open needs and assets survey with four questions of every kind (unless told otherwise)."""

    if TYPE_CHECKING:  # calling the factory returns the model instance

        def __new__(cls, *args: Any, **kwargs: Any) -> Activity: ...  # type: ignore[misc]

    kind = ActivityKind.NEEDS_SURVEY
    state = ActivityState.OPEN
    anonymous_answers = False
    questions = QUESTIONS
    introduction = "Tell us what would help. It takes about five minutes."

    @classmethod
    def _create(cls, model_class: type[Activity], *args: Any, **kwargs: Any) -> Activity:
        state = kwargs.pop("state")
        questions = kwargs.pop("questions")
        anonymous = kwargs.pop("anonymous_answers")
        introduction = kwargs.pop("introduction")
        outcome = kwargs["outcome"]
        activity = super()._create(model_class, *args, **{**kwargs, "state": "draft"})
        composer = facilitator_of(activity)
        actions.survey_settings_update(
            activity=activity, user=composer, introduction=introduction, anonymous_answers=anonymous
        )
        for question in questions:
            actions.question_create(activity=activity, user=composer, **question)
        return move_to(activity, state, outcome)


class StoryCollectionFactory(ActivityFactory):
    if TYPE_CHECKING:  # calling the factory returns the model instance

        def __new__(cls, *args: Any, **kwargs: Any) -> Activity: ...  # type: ignore[misc]

    kind = ActivityKind.STORY_COLLECTION
    state = ActivityState.OPEN


def sample_answers(questions: Sequence[Question], text: str = "") -> dict[int, Any]:
    """An answer to every question: the first options, a 4, and ``text`` for free text."""
    answers: dict[int, Any] = {}
    for question in questions:
        if question.kind == QuestionKind.FREE_TEXT:
            if text:
                answers[question.pk] = text
        elif question.kind == QuestionKind.SCALE:
            answers[question.pk] = 4
        elif question.kind == QuestionKind.SINGLE_CHOICE:
            answers[question.pk] = question.options[0]
        else:
            answers[question.pk] = question.options[:2]
    return answers


class SubmissionFactory(DjangoModelFactory[SurveySubmission]):
    """One person's answers, through survey_submit. ``author=None`` answers anonymously."""

    if TYPE_CHECKING:  # calling the factory returns the model instance

        def __new__(cls, *args: Any, **kwargs: Any) -> SurveySubmission: ...  # type: ignore[misc]

    class Meta:
        model = SurveySubmission

    activity = factory.SubFactory(NeedsSurveyFactory)
    author = factory.SubFactory(UserFactory)
    answers: Mapping[int, Any] | None = None
    text = ""  # free text for every free-text question, when answers are not given
    email = ""
    author_display = AuthorDisplay.ANONYMOUS

    @classmethod
    def _create(
        cls, model_class: type[SurveySubmission], *args: Any, **kwargs: Any
    ) -> SurveySubmission:
        activity = kwargs["activity"]
        text = kwargs.pop("text")
        if kwargs["answers"] is None:
            kwargs["answers"] = sample_answers(list(activity.survey.questions.all()), text)
        if kwargs["author"] is None:
            kwargs["author"] = AnonymousUser()
        return actions.survey_submit(**kwargs)


class AssetFactory(DjangoModelFactory[Asset]):
    if TYPE_CHECKING:  # calling the factory returns the model instance

        def __new__(cls, *args: Any, **kwargs: Any) -> Asset: ...  # type: ignore[misc]

    class Meta:
        model = Asset

    activity = factory.SubFactory(NeedsSurveyFactory)
    author = factory.SubFactory(UserFactory)
    kind = AssetKind.GROUP
    name = factory.Sequence(lambda n: f"Community group {n}")
    description = "Meets on Tuesday evenings; newcomers are welcome and there is always tea."
    postcode = ""
    place_description = ""
    area = "Westbrook"
    organisation = None
    author_display = AuthorDisplay.FIRST_NAME

    @classmethod
    def _create(cls, model_class: type[Asset], *args: Any, **kwargs: Any) -> Asset:
        return actions.asset_create(**kwargs)


class StoryFactory(DjangoModelFactory[Story]):
    """A story, waiting for moderation (as every new story does). ``approve()`` publishes it."""

    if TYPE_CHECKING:  # calling the factory returns the model instance

        def __new__(cls, *args: Any, **kwargs: Any) -> Story: ...  # type: ignore[misc]

    class Meta:
        model = Story

    activity = factory.SubFactory(StoryCollectionFactory)
    author = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"My story {n}")
    body = "The first time I asked for help I was sent away. The second time someone listened."
    author_display = AuthorDisplay.FIRST_NAME
    consent = True

    @classmethod
    def _create(cls, model_class: type[Story], *args: Any, **kwargs: Any) -> Story:
        return actions.story_create(**kwargs)


CONFIRM_TOKEN = "matrix-confirmation-token"


@dataclass
class InsightWorld:
    """Insight activities and contributions in the shared test world's published service."""

    survey: Activity
    anonymous_survey: Activity
    closed_survey: Activity
    draft_survey: Activity
    question: Question
    submission: SurveySubmission  # published: choices only
    pending_submission: SurveySubmission  # free text, waiting for moderation
    unconfirmed: SurveySubmission  # anonymous, token CONFIRM_TOKEN
    asset: Asset
    stories: Activity
    story: Story  # published
    pending_story: Story


def insight_world(world: Any) -> InsightWorld:
    """Build (once per world) the insight things the permission matrix visits."""
    if getattr(world, "insight", None) is not None:
        return world.insight
    service = world.service
    author = UserFactory(email="insight-author@example.org", name="Sam Taylor")
    other_author = UserFactory(email="insight-other@example.org", name="Ali Rahman")
    survey = NeedsSurveyFactory(service=service, title="Open survey")
    anonymous_survey = NeedsSurveyFactory(
        service=service, title="Survey without accounts", anonymous_answers=True
    )
    closed_survey = NeedsSurveyFactory(
        service=service, title="Closed survey", state=ActivityState.CLOSED
    )
    draft_survey = NeedsSurveyFactory(
        service=service, title="Draft survey", state=ActivityState.DRAFT
    )
    unconfirmed = SubmissionFactory(
        activity=anonymous_survey, author=None, email="someone@example.org", text="Buses."
    )
    SurveySubmission.objects.filter(pk=unconfirmed.pk).update(
        confirmation_token_hash=SurveySubmission.hash_token(CONFIRM_TOKEN)
    )
    stories = StoryCollectionFactory(service=service, title="Open stories")
    story = StoryFactory(activity=stories, author=author, title="Published story")
    approve(story.contribution)
    world.insight = InsightWorld(
        survey=survey,
        anonymous_survey=anonymous_survey,
        closed_survey=closed_survey,
        draft_survey=draft_survey,
        question=survey.survey.questions.order_by("position", "id")[0],
        submission=SubmissionFactory(activity=survey, author=author),
        pending_submission=SubmissionFactory(
            activity=survey, author=other_author, text="Evening drop-ins, please."
        ),
        unconfirmed=unconfirmed,
        asset=AssetFactory(activity=survey, author=author, name="Westbrook tenants' group"),
        stories=stories,
        story=story,
        pending_story=StoryFactory(activity=stories, author=other_author, title="Pending story"),
    )
    return world.insight
