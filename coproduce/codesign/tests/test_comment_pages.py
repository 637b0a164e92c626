"""An idea's comments come a page of threads at a time, replies with their thread (decision 0802)."""

from __future__ import annotations

import html
import re

import pytest
from django.test import Client
from django.urls import reverse

from coproduce.accounts.models import User
from coproduce.accounts.tests.factories import UserFactory
from coproduce.codesign import queries
from coproduce.codesign.models import Comment, Idea
from coproduce.codesign.tests.factories import CommentFactory, IdeaFactory
from coproduce.contributions import actions as spine_actions
from coproduce.contributions.models import Contribution, Visibility
from coproduce.organisations.models import Role
from coproduce.organisations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def two_threads_a_page(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(queries, "THREADS_PER_PAGE", 2)


def comment(
    idea: Idea, body: str, parent: Comment | None = None, author: User | None = None
) -> Comment:
    return CommentFactory(idea=idea, body=body, parent=parent, author=author or UserFactory())


def shown(page: str) -> list[str]:
    """The comment bodies on a page, in order."""
    return re.findall(r'<p class="govuk-body govuk-!-margin-bottom-1">([^<]*)</p>', page)


def get(client: Client, idea: Idea, query: str = "") -> str:
    response = client.get(idea.get_absolute_url() + query)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def test_threads_are_paged_with_their_replies_oldest_first() -> None:
    idea = IdeaFactory()
    first = comment(idea, "First")
    second = comment(idea, "Second")
    reply = comment(idea, "Reply to first", parent=first)
    comment(idea, "Reply to the reply", parent=reply)
    comment(idea, "Third")
    comment(idea, "Fourth")
    comment(idea, "Reply to second", parent=second)
    comment(idea, "Fifth")

    page_one = get(Client(), idea)
    assert shown(page_one) == [
        "First",
        "Reply to first",
        "Reply to the reply",
        "Second",
        "Reply to second",
    ]
    assert "Conversations 1 to 2 of 5" in page_one
    assert 'href="?page=2#comments"' in page_one
    assert shown(get(Client(), idea, "?page=2")) == ["Third", "Fourth"]
    assert shown(get(Client(), idea, "?page=3")) == ["Fifth"]
    assert shown(get(Client(), idea, "?page=99")) == ["Fifth"]  # the nearest real page
    assert shown(get(Client(), idea, "?page=nonsense")) == shown(page_one)


def test_one_page_of_threads_shows_no_pagination() -> None:
    idea = IdeaFactory()
    comment(idea, "Only one")
    page = get(Client(), idea)
    assert "Conversation" not in page
    assert 'class="govuk-pagination"' not in page


def test_hidden_threads_count_only_when_they_hold_replies_people_can_see() -> None:
    idea = IdeaFactory()
    moderator = UserFactory()
    MembershipFactory(
        user=moderator, organisation=idea.contribution.service.organisation, role=Role.FACILITATOR
    )
    rude = comment(idea, "Rude")
    removed = comment(idea, "Removed, with a kind reply")
    comment(idea, "Kind reply", parent=removed)
    comment(idea, "Visible")
    for hidden in (rude, removed):
        spine_actions.moderation_hide(contribution=hidden.contribution, moderator=moderator)
    page = get(Client(), idea)
    assert "Rude" not in page
    assert "This comment was removed by a moderator." in page
    assert shown(page) == ["Kind reply", "Visible"]
    assert "Conversation" not in page  # two threads: one page


def test_people_see_their_own_held_comment_in_its_thread() -> None:
    idea = IdeaFactory()
    author = UserFactory()
    comment(idea, "Published one")
    comment(idea, "Published two")
    held = comment(idea, "Held for a moderator", author=author)
    Contribution.objects.filter(pk=held.pk).update(visibility=Visibility.PENDING)
    own = Client()
    own.force_login(author)
    assert shown(get(own, idea, "?page=2")) == ["Held for a moderator"]
    assert "Held for a moderator" not in get(Client(), idea, "?page=2")


def test_after_posting_people_land_on_the_page_of_their_comment() -> None:
    idea = IdeaFactory()
    first = comment(idea, "First")
    comment(idea, "Second")
    comment(idea, "Third")
    resident = UserFactory()
    web = Client()
    web.force_login(resident)
    url = reverse("codesign:comment_create", kwargs={"pk": idea.pk})

    new = web.post(url, {"body": "Fourth", "author_display": "first_name"})
    fourth = Comment.objects.get(body="Fourth")
    assert new["Location"] == f"{idea.get_absolute_url()}?page=2#comment-{fourth.pk}"
    assert f'id="comment-{fourth.pk}"' in get(Client(), idea, "?page=2")

    reply = web.post(url, {"parent": first.pk, "body": "A reply", "author_display": "first_name"})
    answer = Comment.objects.get(body="A reply")
    assert reply["Location"] == f"{idea.get_absolute_url()}#comment-{answer.pk}"


def test_a_link_to_a_comment_opens_the_page_of_its_conversation() -> None:
    idea = IdeaFactory()
    first = comment(idea, "First")
    comment(idea, "Second")
    third = comment(idea, "Third")
    reply = comment(idea, "Reply to the first", parent=first)
    assert (
        third.get_absolute_url()
        == f"{idea.get_absolute_url()}?comment={third.pk}#comment-{third.pk}"
    )
    assert "Third" in shown(get(Client(), idea, f"?comment={third.pk}"))
    assert "Reply to the first" in shown(get(Client(), idea, f"?comment={reply.pk}"))
    # Nonsense, or a comment of another idea, gives the first page; an explicit page wins.
    other = comment(IdeaFactory(), "Elsewhere")
    for query in (f"?comment={other.pk}", "?comment=x", "?comment=" + "9" * 40):
        assert shown(get(Client(), idea, query))[:1] == ["First"]
    assert shown(get(Client(), idea, f"?comment={third.pk}&page=1"))[:1] == ["First"]


def test_every_page_of_comments_is_cached_for_visitors_and_kept_fresh() -> None:
    idea = IdeaFactory()
    for n in range(5):
        comment(idea, f"Comment {n}")
    visitor = Client()
    assert shown(get(visitor, idea, "?page=3")) == ["Comment 4"]
    comment(idea, "Comment 5")
    assert shown(get(visitor, idea, "?page=3")) == ["Comment 4", "Comment 5"]
