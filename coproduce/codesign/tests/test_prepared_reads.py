"""The challenge and the idea a page is about, read by prepared queries (decision 0924), are the
objects the ORM gives: every column of every row joined, the versions read with them, and no
query when the page follows a relation the read joined."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection, models
from django.http import Http404
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from coproduce.accounts.tests.factories import UserFactory
from coproduce.codesign import actions, queries
from coproduce.codesign.models import Idea
from coproduce.codesign.tests.factories import (
    IdeaCategoryFactory,
    IdeaChallengeFactory,
    IdeaFactory,
)
from coproduce.common import fragments, pagecache
from coproduce.services.models import Activity
from coproduce.services.tests.factories import staff_of

pytestmark = pytest.mark.django_db

IDEA_ROWS = [
    "",
    "contribution",
    "contribution.author",
    "contribution.activity",
    "contribution.activity.service_stage",
    "contribution.activity.service_stage.service",
    "contribution.activity.service_stage.service.organisation",
    "category",
]


def columns(obj: models.Model | None) -> dict[str, Any] | None:
    """Every stored column of a row, as the model gives it (converted: dates are aware)."""
    if obj is None:
        return None
    return {field.attname: getattr(obj, field.attname) for field in obj._meta.concrete_fields}


def follow(obj: Any, path: str) -> Any:
    for name in filter(None, path.split(".")):
        obj = getattr(obj, name)
        if obj is None:
            return None
    return obj


def request_by(user: Any) -> Any:
    request = RequestFactory().get("/")
    request.user = user
    return request


def threshold(activity: Activity) -> Any:
    return columns(queries.threshold_of(activity))


@pytest.mark.parametrize("with_category", [True, False])
@pytest.mark.parametrize("with_threshold", [True, False])
def test_the_idea_of_a_page_is_the_one_the_orm_reads(
    with_category: bool, with_threshold: bool
) -> None:
    challenge = IdeaChallengeFactory()
    category = IdeaCategoryFactory(activity=challenge) if with_category else None
    idea = IdeaFactory(activity=challenge, category=category)
    if with_threshold:
        actions.supports_threshold_set(
            activity=challenge, supports=3, answer_days=10, set_by=staff_of(challenge)
        )
    pagecache.bump(pagecache.scope(Idea, idea.pk))
    expected = fragments.versioned(Idea.objects.all()).get(pk=idea.pk)

    read = queries.visible_idea_for_page(request_by(UserFactory()), idea.pk)

    with CaptureQueriesContext(connection) as followed:
        read_rows = [columns(follow(read, path)) for path in IDEA_ROWS]
        read_threshold = threshold(read.contribution.activity)
    assert len(followed) == 0  # every row above the idea came with it
    assert read_rows == [columns(follow(expected, path)) for path in IDEA_ROWS]
    assert read_threshold == threshold(expected.contribution.activity)
    assert (read_threshold is not None) == with_threshold
    assert (read.category is not None) == with_category
    assert fragments.versions_of(read) == fragments.versions_of(expected)
    assert fragments.versions_of(read)[0] != 0
    assert read._state.db == "default"
    assert not read._state.adding


def test_the_challenge_of_a_page_is_the_one_the_orm_reads() -> None:
    challenge = IdeaChallengeFactory()
    actions.supports_threshold_set(
        activity=challenge, supports=3, answer_days=None, set_by=staff_of(challenge)
    )
    expected = Activity.objects.get(pk=challenge.pk)

    read = queries.visible_challenge(request_by(AnonymousUser()), challenge.pk)

    paths = ["", "service_stage", "service_stage.service", "service_stage.service.organisation"]
    with CaptureQueriesContext(connection) as followed:
        read_rows = [columns(follow(read, path)) for path in paths]
        read_threshold = threshold(read)
    assert len(followed) == 0
    assert read_rows == [columns(follow(expected, path)) for path in paths]
    assert read_threshold == threshold(expected)
    assert read_threshold is not None
    assert read_threshold["supports"] == 3


def test_what_a_visitor_may_not_see_or_that_does_not_exist_is_a_404() -> None:
    idea = IdeaFactory()
    other_kind = IdeaChallengeFactory(kind="needs_survey")
    anonymous = request_by(AnonymousUser())
    with pytest.raises(Http404):
        queries.visible_idea_for_page(anonymous, idea.pk + 1000)
    with pytest.raises(Http404):
        queries.visible_challenge(anonymous, other_kind.pk)  # not an idea challenge
    with pytest.raises(Http404):
        queries.visible_challenge(anonymous, 10**17)
    draft = IdeaChallengeFactory(state="draft")
    with pytest.raises(Http404):
        queries.visible_challenge(anonymous, draft.pk)
    assert queries.visible_challenge(request_by(staff_of(draft)), draft.pk).pk == draft.pk
