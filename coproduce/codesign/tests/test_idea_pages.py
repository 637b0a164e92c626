"""A challenge's list of ideas and an idea's page: the orders, categories and nonsense query
strings, what held and hidden ideas show to whom, the queries a page costs and the indexes the
orders read, and the challenge's page leading to its ideas."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from coproduce.accounts.tests.factories import UserFactory, client_for
from coproduce.codesign import actions
from coproduce.codesign.models import Idea
from coproduce.codesign.queries import idea_keys
from coproduce.codesign.tests.challenge_pages import close, list_url
from coproduce.codesign.tests.factories import (
    CommentFactory,
    IdeaCategoryFactory,
    IdeaChallengeFactory,
    IdeaFactory,
)
from coproduce.contributions import actions as spine_actions
from coproduce.contributions.models import Contribution
from coproduce.services.tests.factories import staff_of

pytestmark = pytest.mark.django_db


def titles(response: Any) -> list[str]:
    return [idea.title for idea in response.context["ideas"]]


def backdate(idea: Idea, days: int) -> None:
    Contribution.objects.filter(pk=idea.pk).update(
        created_at=timezone.now() - dt.timedelta(days=days)
    )


def test_ideas_sort_by_newest_most_supported_and_recently_answered(client: Client) -> None:
    activity = IdeaChallengeFactory()
    old = IdeaFactory(activity=activity, title="Old but popular")
    middle = IdeaFactory(activity=activity, title="Middle and answered long ago")
    new = IdeaFactory(activity=activity, title="New and answered today")
    backdate(old, 10)
    backdate(middle, 5)
    for _ in range(3):
        actions.support_add(idea=old, user=UserFactory())
    actions.support_add(idea=new, user=UserFactory())
    staff = staff_of(activity)
    spine_actions.response_create(contribution=middle.contribution, author=staff, body="We will.")
    Contribution.objects.filter(pk=middle.pk).update(
        last_response_at=timezone.now() - dt.timedelta(days=2)
    )
    spine_actions.response_create(contribution=new.contribution, author=staff, body="Maybe.")

    assert titles(client.get(list_url(activity))) == [new.title, middle.title, old.title]
    assert titles(client.get(list_url(activity, sort="supported"))) == [
        old.title,
        new.title,
        middle.title,
    ]
    # Recently answered: only ideas with an answer, the latest answer first.
    response = client.get(list_url(activity, sort="answered"))
    assert titles(response) == [new.title, middle.title]
    assert "2 ideas with an answer, latest answer first" in response.content.decode()


def test_category_filter_and_nonsense_query_strings_fall_back_cleanly(client: Client) -> None:
    activity = IdeaChallengeFactory()
    hours = IdeaCategoryFactory(activity=activity, name="Opening hours")
    IdeaFactory(activity=activity, title="Open on Saturdays", category=hours)
    IdeaFactory(activity=activity, title="Paint it green")
    elsewhere = IdeaCategoryFactory(name="Elsewhere")

    assert titles(client.get(list_url(activity, category=str(hours.pk)))) == ["Open on Saturdays"]
    for query in [
        {"sort": "sideways"},
        {"sort": "newest", "category": "abc"},
        {"category": str(elsewhere.pk)},  # another challenge's category is ignored
        {"category": "9" * 30},
        {"page": "-3"},
        {"page": "lots"},
        {"page": "99999"},
        {"sort": "supported", "page": "1.5", "category": ""},
    ]:
        response = client.get(list_url(activity, **query))
        assert response.status_code == 200, query
        assert sorted(titles(response)) == ["Open on Saturdays", "Paint it green"], query


def test_the_list_pages_with_a_fixed_number_of_queries(
    client: Client, django_assert_max_num_queries: Any
) -> None:
    """No query per idea: the count does not grow with ideas, answers, decisions or supports."""
    activity = IdeaChallengeFactory()
    staff = staff_of(activity)
    fan = UserFactory()
    viewer = client_for(fan)

    def add_ideas(n: int) -> None:
        for _ in range(n):
            idea = IdeaFactory(activity=activity, category=IdeaCategoryFactory(activity=activity))
            spine_actions.response_create(
                contribution=idea.contribution, author=staff, body="Thanks."
            )
            actions.support_add(idea=idea, user=fan)
            cache.clear()  # not a rate limit test

    def queries_for(sort: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert viewer.get(list_url(activity, sort=sort)).status_code == 200
        return len(captured)

    add_ideas(2)
    few = {sort: queries_for(sort) for sort in ("newest", "supported", "answered")}
    add_ideas(23)
    for sort in ("newest", "supported", "answered"):
        with django_assert_max_num_queries(few[sort]):
            response = viewer.get(list_url(activity, sort=sort))
        assert len(response.context["ideas"]) == 20
    assert max(few.values()) <= 12
    body = response.content.decode()
    assert "Thanks." in body  # answers are shown in the list
    assert "Withdraw my support" in body  # the viewer's supports are known without a query each


def test_held_and_hidden_ideas_leave_public_lists_but_their_author_still_sees_them(
    client: Client,
) -> None:
    activity = IdeaChallengeFactory()
    author = UserFactory()
    hidden = IdeaFactory(activity=activity, author=author, title="Rude idea")
    held = IdeaFactory(
        activity=activity,
        author=author,
        title="Linky idea",
        description="http://a.example http://b.example http://c.example",
    )
    IdeaFactory(activity=activity, title="Fine idea")
    spine_actions.moderation_hide(contribution=hidden.contribution, moderator=staff_of(activity))

    assert titles(client.get(list_url(activity))) == ["Fine idea"]
    assert client.get(hidden.get_absolute_url()).status_code == 404
    assert client_for(UserFactory()).get(held.get_absolute_url()).status_code == 404

    mine = client_for(author)
    page = mine.get(list_url(activity)).content.decode()
    assert "Only you can see these ideas" in page
    assert "Hidden by a moderator" in page
    assert "Waiting for moderation" in page
    assert titles(mine.get(list_url(activity))) == ["Fine idea"]
    assert "hidden by a moderator" in mine.get(hidden.get_absolute_url()).content.decode()


def test_an_idea_page_has_a_fixed_number_of_queries(django_assert_max_num_queries: Any) -> None:
    """No query per comment, reply, answer or decision."""
    idea = IdeaFactory()
    staff = staff_of(idea.contribution.activity)
    reader = client_for(UserFactory())

    def discuss(n: int) -> None:
        for _ in range(n):
            question = CommentFactory(idea=idea, is_question=True)
            CommentFactory(idea=idea, parent=question)
            spine_actions.response_create(
                contribution=question.contribution, author=staff, body="Yes."
            )

    discuss(1)
    with CaptureQueriesContext(connection) as captured:
        reader.get(idea.get_absolute_url())
    discuss(8)
    with django_assert_max_num_queries(len(captured)):
        response = reader.get(idea.get_absolute_url())
    assert response.content.decode().count("Answer from") == 9


def test_a_removed_comment_with_replies_stays_as_a_placeholder() -> None:
    parent = CommentFactory(body="Something rude")
    CommentFactory(idea=parent.idea, parent=parent, body="Please be kind")
    spine_actions.moderation_hide(
        contribution=parent.contribution, moderator=staff_of(parent.contribution.activity)
    )
    page = Client().get(parent.idea.get_absolute_url()).content.decode()
    assert "Something rude" not in page
    assert "This comment was removed by a moderator." in page
    assert "Please be kind" in page
    author = parent.contribution.author
    assert author is not None
    own = client_for(author).get(parent.idea.get_absolute_url())
    assert "Something rude" in own.content.decode()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="reads SQLite's query plan")
@pytest.mark.parametrize(
    ("sort", "index"),
    [
        ("newest", "contribution_kind_feed"),
        ("supported", "idea_supports_by_pk"),
        ("answered", "contribution_kind_answered"),
    ],
)
def test_each_order_of_the_idea_list_reads_its_index(sort: str, index: str) -> None:
    """The plans measured at 10,000 ideas (decision 0702) keep using the indexes made for them."""
    activity = IdeaChallengeFactory()
    for _ in range(3):
        CommentFactory(idea=IdeaFactory(activity=activity))
    keys = idea_keys(activity, sort, None).values_list("pk", flat=True)[:20]
    sql, params = keys.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # as `PRAGMA optimize` does on a real database
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())
    assert index in plan, plan


def test_the_activity_page_leads_to_the_ideas(client: Client) -> None:
    activity = IdeaChallengeFactory()
    page = client.get(activity.get_absolute_url()).content.decode()
    assert reverse("codesign:idea_list", kwargs={"pk": activity.pk}) in page
    assert reverse("codesign:idea_create", kwargs={"pk": activity.pk}) in page
    close(activity)
    page = client.get(activity.get_absolute_url()).content.decode()
    assert "See the ideas and what happened to them" in page
    assert reverse("codesign:idea_create", kwargs={"pk": activity.pk}) not in page
