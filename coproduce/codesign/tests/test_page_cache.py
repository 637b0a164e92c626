"""Anonymous visitors get idea pages from the cache, and never a stale one (decision 0801).

A page served from the cache costs one query (the probe of the idea or challenge, with the
versions); a rendered page costs many more. Each write below is made after the pages were cached,
and the next anonymous visitor must see it at once. No test here depends on timing.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.admin.models import LogEntry
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coproduce.accounts import actions as account_actions
from coproduce.accounts.models import User
from coproduce.accounts.tests.factories import UserFactory, client_for
from coproduce.codesign import actions
from coproduce.codesign.models import Comment, Idea, IdeaCategory, IdeaStatus
from coproduce.codesign.tests.factories import (
    CommentFactory,
    IdeaCategoryFactory,
    IdeaChallengeFactory,
    IdeaFactory,
)
from coproduce.common import pagecache
from coproduce.contributions import actions as spine_actions
from coproduce.contributions.models import Contribution, Visibility
from coproduce.organisations.models import Role
from coproduce.organisations.tests.factories import MembershipFactory
from coproduce.services import actions as service_actions
from coproduce.services.models import Activity, ActivityState, Stage

pytestmark = pytest.mark.django_db


@dataclass
class World:
    activity: Activity
    category: IdeaCategory
    author: User
    idea: Idea
    comment: Comment
    staff: User

    @property
    def list_url(self) -> str:
        return reverse("codesign:idea_list", kwargs={"pk": self.activity.pk})

    @property
    def idea_url(self) -> str:
        return self.idea.get_absolute_url()


@pytest.fixture
def world() -> World:
    activity = IdeaChallengeFactory()
    category = IdeaCategoryFactory(activity=activity, name="Opening hours")
    author = UserFactory(name="Priya Sharma")
    idea = IdeaFactory(
        activity=activity, author=author, title="Open on Saturdays", category=category
    )
    commenter = UserFactory(name="Dave Morgan")
    comment = CommentFactory(
        idea=idea, author=commenter, body="When would it open?", is_question=True
    )
    staff = UserFactory(mfa=True, is_superuser=True, is_staff=True)
    MembershipFactory(
        user=staff, organisation=activity.service.organisation, role=Role.PROFESSIONAL
    )
    return World(activity, category, author, idea, comment, staff)


def anonymous(url: str, **headers: str) -> str:
    response = Client().get(url, headers=headers)
    assert response.status_code == 200, (url, response.status_code)
    return html.unescape(response.content.decode())


def served_from_cache(url: str, **headers: str) -> bool:
    """After one visit, the next anonymous visit costs one query: the probe and the versions."""
    client = Client()
    first = client.get(url, headers=headers)
    with CaptureQueriesContext(connection) as queries:
        second = client.get(url, headers=headers)
    assert second.status_code == first.status_code == 200
    return len(queries) == 1 and second.content == first.content


# --- The cache is used ------------------------------------------------------------------------


def test_anonymous_visitors_get_the_idea_pages_from_the_cache(world: World) -> None:
    for url in [
        world.list_url,
        f"{world.list_url}?sort=supported",
        f"{world.list_url}?sort=answered&category={world.category.pk}&page=1",
        f"{world.list_url}?sort=newest&category=",  # what the form sends for "all categories"
        world.idea_url,
        f"{world.idea_url}?page=1",
    ]:
        assert served_from_cache(url), url


def test_sort_category_and_page_each_have_their_own_page(world: World) -> None:
    older = IdeaFactory(activity=world.activity, title="Paint it green")
    Contribution.objects.filter(pk=older.pk).update(
        created_at=world.idea.contribution.created_at - dt.timedelta(days=3)
    )
    actions.support_add(idea=older, user=UserFactory())
    newest = anonymous(world.list_url)
    supported = anonymous(f"{world.list_url}?sort=supported")
    assert newest.index("Open on Saturdays") < newest.index("Paint it green")
    assert supported.index("Paint it green") < supported.index("Open on Saturdays")
    in_category = anonymous(f"{world.list_url}?category={world.category.pk}")
    assert "Paint it green" not in in_category
    assert anonymous(world.list_url) == newest  # from the cache, and still the newest first


def test_addresses_with_other_parameters_are_not_cached(world: World) -> None:
    for url in [
        f"{world.list_url}?utm_source=newsletter",
        f"{world.list_url}?sort=newest&sort=supported",
        f"{world.list_url}?page=" + "9" * 30,
        f"{world.idea_url}?sort=newest",
    ]:
        assert not served_from_cache(url), url
    assert "Open on Saturdays" in anonymous(f"{world.list_url}?utm_source=newsletter")


def test_cached_pages_hold_no_csrf_token_nonce_or_cookie(world: World) -> None:
    for url in [world.list_url, world.idea_url]:
        for _ in range(2):  # rendered, then from the cache
            response = Client().get(url)
            body = response.content.decode()
            assert "csrfmiddlewaretoken" not in body
            assert "nonce" not in body
            assert not response.cookies
            assert "'nonce-" not in response.headers["Content-Security-Policy"]
            assert 'class="app-language-switch" action="/language/" method="get"' in body


# --- Every write is seen at once ---------------------------------------------------------------


@dataclass
class Write:
    """A change made after the pages were cached, and what each page must then show or hide."""

    make: Callable[[World], Any]
    on_list: list[str]
    on_idea: list[str]
    gone_from_list: tuple[str, ...] = ()
    gone_from_idea: tuple[str, ...] = ()
    before: Callable[[World], Any] | None = None


def _decision(w: World) -> None:
    spine_actions.decision_create(
        service=w.activity.service,
        stage=Stage.COMMISSIONING,
        title="Saturday opening from May",
        description="A trial for three months.",
        decided_by="Library board",
        decided_on=dt.date.today(),
        recorded_by=w.staff,
        contributions=[w.idea.contribution],
    )


def _admin_renames_the_idea(w: World) -> None:
    admin = client_for(w.staff)
    response = admin.post(
        reverse("admin:codesign_idea_change", args=[w.idea.pk]),
        {
            "contribution": w.idea.pk,
            "title": "Open on Saturdays and Sundays",
            "description": w.idea.description,
            "category": w.category.pk,
            "status_changes-TOTAL_FORMS": "0",
            "status_changes-INITIAL_FORMS": "0",
            "status_changes-MIN_NUM_FORMS": "0",
            "status_changes-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert LogEntry.objects.exists()


WRITES: dict[str, Write] = {
    "a new idea": Write(
        lambda w: IdeaFactory(activity=w.activity, title="Paint the library green"),
        on_list=["Paint the library green", "2 ideas"],
        on_idea=[],
    ),
    "a comment": Write(
        lambda w: CommentFactory(idea=w.idea, body="Count me in."),
        on_list=["2 comments"],
        on_idea=["Count me in."],
    ),
    "a reply": Write(
        lambda w: CommentFactory(idea=w.idea, parent=w.comment, body="At nine, I hope."),
        on_list=["2 comments"],
        on_idea=["At nine, I hope."],
    ),
    "a support": Write(
        lambda w: actions.support_add(idea=w.idea, user=UserFactory()),
        on_list=["1 supporter"],
        on_idea=["1 supporter"],
    ),
    "a withdrawn support": Write(
        lambda w: actions.support_withdraw(idea=w.idea, user=w.staff),
        before=lambda w: actions.support_add(idea=w.idea, user=w.staff),
        on_list=["0 supporters"],
        on_idea=["0 supporters"],
        gone_from_list=("1 supporter",),
    ),
    "an official answer": Write(
        lambda w: spine_actions.response_create(
            contribution=w.idea.contribution, author=w.staff, body="We will try it in May."
        ),
        on_list=["We will try it in May."],
        on_idea=["We will try it in May."],
        gone_from_idea=("No official answer yet.",),
    ),
    "an answer to a question": Write(
        lambda w: spine_actions.response_create(
            contribution=w.comment.contribution, author=w.staff, body="From nine to one."
        ),
        on_list=[],
        on_idea=["From nine to one."],
    ),
    "a new status": Write(
        lambda w: spine_actions.contribution_set_status(
            contribution=w.idea.contribution,
            to_status=IdeaStatus.UNDER_CONSIDERATION,
            changed_by=w.staff,
        ),
        on_list=["Under consideration"],
        on_idea=["Under consideration"],
    ),
    "a status back to one it had before": Write(
        lambda w: spine_actions.contribution_set_status(
            contribution=w.idea.contribution,
            to_status=IdeaStatus.UNDER_CONSIDERATION,
            changed_by=w.staff,
        ),
        before=lambda w: [
            spine_actions.contribution_set_status(
                contribution=w.idea.contribution,
                to_status=IdeaStatus.UNDER_CONSIDERATION,
                changed_by=w.staff,
            ),
            spine_actions.contribution_set_status(
                contribution=w.idea.contribution,
                to_status=IdeaStatus.NOT_TAKEN_FORWARD,
                changed_by=w.staff,
                reason="No money this year.",
            ),
        ],
        on_list=["Under consideration"],
        on_idea=["No money this year."],  # the history keeps the step it came back from
    ),
    "a linked decision": Write(
        _decision, on_list=["Saturday opening from May"], on_idea=["Saturday opening from May"]
    ),
    "the idea hidden by a moderator": Write(
        lambda w: spine_actions.moderation_hide(
            contribution=w.idea.contribution, moderator=w.staff
        ),
        on_list=["There are no ideas yet."],
        on_idea=[],  # the idea page is gone: see the test
        gone_from_list=("Open on Saturdays",),
    ),
    "a comment hidden by a moderator": Write(
        lambda w: spine_actions.moderation_hide(
            contribution=w.comment.contribution, moderator=w.staff
        ),
        on_list=[],
        on_idea=["No comments yet."],
        gone_from_idea=("When would it open?",),
    ),
    "a held comment approved": Write(
        lambda w: spine_actions.moderation_approve(
            contribution=w.comment.contribution, moderator=w.staff
        ),
        before=lambda w: Contribution.objects.filter(pk=w.comment.pk).update(
            visibility=Visibility.PENDING
        ),
        on_list=[],
        on_idea=["When would it open?"],
    ),
    "a renamed category": Write(
        lambda w: actions.idea_category_rename(
            category=w.category, name="Weekend opening", renamed_by=w.staff
        ),
        on_list=["Weekend opening"],
        on_idea=["Weekend opening"],
        gone_from_list=("Opening hours",),
        gone_from_idea=("Opening hours",),
    ),
    "a new category": Write(
        lambda w: actions.idea_category_create(
            activity=w.activity, name="Transport", created_by=w.staff
        ),
        on_list=["Transport"],
        on_idea=[],
    ),
    "the challenge closed": Write(
        lambda w: service_actions.activity_transition(
            activity=w.activity, to_state=ActivityState.CLOSED
        ),
        on_list=["This challenge is not taking new ideas"],
        on_idea=["This challenge has closed"],
    ),
    "the service renamed": Write(
        lambda w: service_actions.service_update(
            service=w.activity.service, name="Northfield libraries"
        ),
        on_list=["Northfield libraries"],
        on_idea=["Northfield libraries"],
    ),
    "the author renamed": Write(
        lambda w: account_actions.user_update_profile(user=w.author, name="Mina Sharma"),
        on_list=["By Mina"],
        on_idea=["Mina"],
        gone_from_list=("By Priya",),
        gone_from_idea=("Priya",),
    ),
    "the idea edited in the admin": Write(
        _admin_renames_the_idea,
        on_list=["Open on Saturdays and Sundays"],
        on_idea=["Open on Saturdays and Sundays"],
    ),
}


@pytest.mark.parametrize("name", list(WRITES))
def test_anonymous_visitors_see_every_change_at_once(world: World, name: str) -> None:
    write = WRITES[name]
    if write.before is not None:
        write.before(world)
    idea_was_public = Idea.objects.filter(
        pk=world.idea.pk, contribution__visibility=Visibility.PUBLISHED
    ).exists()
    assert served_from_cache(world.list_url)
    if idea_was_public:
        assert served_from_cache(world.idea_url)

    write.make(world)

    listed = anonymous(world.list_url)
    for text in write.on_list:
        assert text in listed, text
    for text in write.gone_from_list:
        assert text not in listed, text
    if name == "the idea hidden by a moderator":
        assert Client().get(world.idea_url).status_code == 404
        return
    page = anonymous(world.idea_url)
    for text in write.on_idea:
        assert text in page, text
    for text in write.gone_from_idea:
        assert text not in page, text
    # … and the new pages are cached in turn.
    assert served_from_cache(world.list_url)
    assert served_from_cache(world.idea_url)


def test_a_draft_service_takes_its_cached_pages_away(world: World) -> None:
    assert served_from_cache(world.list_url)
    assert served_from_cache(world.idea_url)
    service_actions.service_set_status(service=world.activity.service, status="draft")
    assert Client().get(world.list_url).status_code == 404
    assert Client().get(world.idea_url).status_code == 404


def test_an_evicted_page_is_made_again(world: World) -> None:
    assert served_from_cache(world.idea_url)
    pagecache.forget()
    actions.support_add(idea=world.idea, user=UserFactory())
    assert "1 supporter" in anonymous(world.idea_url)


# --- Languages and people ----------------------------------------------------------------------


def test_each_language_has_its_own_cached_pages(world: World) -> None:
    for url in [world.list_url, world.idea_url]:
        english = anonymous(url)
        assert '<html lang="en"' in english
        assert served_from_cache(url)
        welsh = anonymous(url, accept_language="cy")
        assert '<html lang="cy"' in welsh
        assert "Neidio i'r prif gynnwys" in welsh
        assert "Skip to main content" not in welsh
        assert served_from_cache(url, accept_language="cy")
        chosen = Client()
        chosen.get(reverse("set_language"), {"language": "cy", "next": url})
        assert '<html lang="cy"' in html.unescape(chosen.get(url).content.decode())
        assert anonymous(url) == english


def test_signed_in_people_never_get_a_cached_page(world: World) -> None:
    assert served_from_cache(world.list_url)
    assert served_from_cache(world.idea_url)

    resident = client_for(UserFactory())
    listed = resident.get(world.list_url).content.decode()
    assert "Support this idea" in listed
    assert "Sign out" in listed
    assert "Sign in to post or support ideas" not in listed
    page = resident.get(world.idea_url).content.decode()
    assert "Support this idea" in page
    assert "Add a comment" in page
    assert "csrfmiddlewaretoken" in page

    staff = client_for(world.staff).get(world.idea_url).content.decode()
    assert "Answer this idea" in staff
    assert "Change its status" in staff
    assert "Moderation queue" in staff
    with CaptureQueriesContext(connection) as queries:
        resident.get(world.idea_url)
    assert len(queries) > 5  # rendered for them, every time


def test_pages_made_for_signed_in_people_are_never_stored(world: World) -> None:
    resident = client_for(UserFactory())
    resident.get(world.list_url)
    resident.get(world.idea_url)
    for url in [world.list_url, world.idea_url]:
        page = anonymous(url)
        assert "Sign out" not in page
        assert "Support this idea" not in page
        assert "Sign in" in page


def test_the_author_of_a_held_idea_sees_it_while_visitors_do_not(world: World) -> None:
    assert served_from_cache(world.idea_url)
    Contribution.objects.filter(pk=world.idea.pk).update(visibility=Visibility.PENDING)
    assert Client().get(world.idea_url).status_code == 404
    own = client_for(world.author).get(world.idea_url)
    assert own.status_code == 200
    assert "This idea is waiting for a moderator." in own.content.decode()
