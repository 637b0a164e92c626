"""Factories for ideas, comments and the rest of the co-design loop (used by the demo too)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

import factory
from factory.django import DjangoModelFactory

from coproduce.accounts.tests.factories import UserFactory
from coproduce.codesign import actions
from coproduce.codesign.models import Comment, Idea, IdeaCategory
from coproduce.services import actions as service_actions
from coproduce.services.models import Activity, ActivityKind, ActivityState
from coproduce.services.tests.factories import ActivityFactory


class IdeaChallengeFactory(ActivityFactory):
    """An open idea challenge; ``premoderation=True`` holds every contribution for a moderator."""

    if TYPE_CHECKING:  # calling the factory returns the model instance

        def __new__(cls, *args: Any, **kwargs: Any) -> Activity: ...  # type: ignore[misc]

    kind = ActivityKind.IDEA_CHALLENGE
    state = ActivityState.OPEN
    premoderation = False

    @classmethod
    def _create(cls, model_class: type[Activity], *args: Any, **kwargs: Any) -> Activity:
        premoderation = kwargs.pop("premoderation")
        activity = super()._create(model_class, *args, **kwargs)
        if premoderation:  # a method setting with no action of its own yet
            Activity.objects.filter(pk=activity.pk).update(premoderation=True)
            activity.premoderation = True
        return activity


class IdeaCategoryFactory(DjangoModelFactory[IdeaCategory]):
    """A category staff offer in an idea challenge (no side effects, so no action needed)."""

    if TYPE_CHECKING:  # calling the factory returns the model instance

        def __new__(cls, *args: Any, **kwargs: Any) -> IdeaCategory: ...  # type: ignore[misc]

    class Meta:
        model = IdeaCategory
        django_get_or_create = ("activity", "name")

    activity = factory.SubFactory(IdeaChallengeFactory)
    name = factory.Sequence(lambda n: f"Category {n}")


class IdeaFactory(DjangoModelFactory[Idea]):
    """An idea posted through idea_create, by a resident."""

    if TYPE_CHECKING:  # calling the factory returns the model instance

        def __new__(cls, *args: Any, **kwargs: Any) -> Idea: ...  # type: ignore[misc]

    class Meta:
        model = Idea

    activity = factory.SubFactory(IdeaChallengeFactory)
    author = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Idea {n}")
    description = "Open the drop-in centre on Saturday mornings so working parents can come."
    author_display = "first_name"

    @classmethod
    def _create(cls, model_class: type[Idea], *args: Any, **kwargs: Any) -> Idea:
        return actions.idea_create(**kwargs)


class CommentFactory(DjangoModelFactory[Comment]):
    """A comment posted through comment_create."""

    if TYPE_CHECKING:  # calling the factory returns the model instance

        def __new__(cls, *args: Any, **kwargs: Any) -> Comment: ...  # type: ignore[misc]

    class Meta:
        model = Comment

    idea = factory.SubFactory(IdeaFactory)
    author = factory.SubFactory(UserFactory)
    body = "I would come on Saturdays too, if there were a crèche."
    is_question = False

    @classmethod
    def _create(cls, model_class: type[Comment], *args: Any, **kwargs: Any) -> Comment:
        return actions.comment_create(**kwargs)


def codesign_world(world: Any) -> Any:
    """Ideas for the permission matrix, built once per world (``world.codesign``).

    A published and a held idea, a comment and a category in the world's open challenge, and an
    idea with a comment in a challenge of the same service that has since closed. A resident
    outside the matrix's roles wrote them all, so nobody in the matrix is their author.
    """
    if getattr(world, "codesign", None) is None:
        author = UserFactory(email="idea-author@example.org")
        closed = IdeaChallengeFactory(service=world.service, title="Closed challenge")
        closed_idea = IdeaFactory(activity=closed, author=author, title="Posted before closing")
        closed_comment = CommentFactory(idea=closed_idea, author=author, body="Said before closing")
        service_actions.activity_transition(activity=closed, to_state=ActivityState.CLOSED)
        idea = IdeaFactory(activity=world.open_activity, author=author, title="Matrix idea")
        world.codesign = SimpleNamespace(
            idea=idea,
            comment=CommentFactory(idea=idea, author=author, body="Matrix comment"),
            closed_comment=closed_comment,
            held_idea=IdeaFactory(
                activity=world.open_activity,
                author=author,
                title="Held idea",
                description="http://a.example http://b.example http://c.example",
            ),
            category=IdeaCategoryFactory(activity=world.open_activity, name="Matrix category"),
            closed=closed,
            closed_idea=closed_idea,
        )
    return world.codesign
