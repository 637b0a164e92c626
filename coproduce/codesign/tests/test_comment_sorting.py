"""An idea's conversations, oldest first (the default), newest first or most agreed first (decision
0026), paged by thread as decision 0802 says, with the order kept by links, pages and the cache."""

from __future__ import annotations

import html
import re

import pytest
from django.test import Client

from coproduce.accounts.tests.factories import UserFactory, client_for
from coproduce.codesign import actions, queries
from coproduce.codesign.models import Comment, Idea
from coproduce.codesign.tests.factories import CommentFactory, IdeaFactory
from coproduce.contributions import actions as spine_actions
from coproduce.services.tests.factories import staff_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def two_threads_a_page(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(queries, "THREADS_PER_PAGE", 2)


def comment(idea: Idea, body: str, parent: Comment | None = None, agreed: int = 0) -> Comment:
    made = CommentFactory(idea=idea, body=body, parent=parent)
    for _ in range(agreed):
        actions.agreement_add(comment=made, user=UserFactory())
    return made


def shown(page: str) -> list[str]:
    return re.findall(r'<p class="govuk-body govuk-!-margin-bottom-1">([^<]*)</p>', page)


def get(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


@pytest.fixture
def discussed() -> Idea:
    """Four conversations: the third most agreed, then the first and the fourth (a tie), then the
    second; the first's reply is agreed with more than anything, but replies do not move."""
    idea = IdeaFactory()
    first = comment(idea, "First", agreed=1)
    comment(idea, "Reply to first", parent=first, agreed=5)
    comment(idea, "Reply to the reply", parent=Comment.objects.get(body="Reply to first"))
    comment(idea, "Second")
    comment(idea, "Third", agreed=3)
    comment(idea, "Reply to third", parent=Comment.objects.get(body="Third"))
    comment(idea, "Fourth", agreed=1)
    return idea


def test_most_agreed_first_keeps_replies_with_their_conversation(discussed: Idea) -> None:
    url = discussed.get_absolute_url()
    page_one = get(Client(), f"{url}?comments=agreed")
    assert shown(page_one) == [
        "Third",
        "Reply to third",
        "First",
        "Reply to first",
        "Reply to the reply",
    ]
    page_two = get(Client(), f"{url}?comments=agreed&page=2")
    assert shown(page_two) == ["Fourth", "Second"]  # a tie stays oldest first
    # The pagination links keep the order.
    assert (
        "?comments=agreed&amp;page=2#comments"
        in Client().get(f"{url}?comments=agreed").content.decode()
    )


def test_oldest_first_is_the_default_and_nonsense_falls_back_to_it(discussed: Idea) -> None:
    url = discussed.get_absolute_url()
    oldest = shown(get(Client(), url))
    assert oldest == ["First", "Reply to first", "Reply to the reply", "Second"]
    for query in [
        "?comments=oldest",
        "?comments=NEWEST",
        "?comments=",
        "?comments=%00",
        "?comments=x" * 3,
    ]:
        assert shown(get(Client(), url + query)) == oldest, query


def test_newest_first_turns_the_conversations_round_but_not_their_replies(discussed: Idea) -> None:
    url = discussed.get_absolute_url()
    assert shown(get(Client(), f"{url}?comments=newest")) == ["Fourth", "Third", "Reply to third"]
    page_two = get(Client(), f"{url}?comments=newest&page=2")
    assert shown(page_two) == ["Second", "First", "Reply to first", "Reply to the reply"]
    first = Comment.objects.get(body="First")
    assert queries.comment_page_number(discussed, first, UserFactory(), "newest") == 2


def test_the_sort_form_shows_the_order_chosen(discussed: Idea) -> None:
    page = get(Client(), f"{discussed.get_absolute_url()}?comments=agreed")
    assert '<label class="govuk-label" for="comment-order">Sort comments by</label>' in page
    assert '<option value="agreed" selected>Most agreed</option>' in page
    assert f'action="{discussed.get_absolute_url()}#comments"' in page
    assert ">Sort comments</button>" in page


def test_a_link_to_a_comment_opens_its_page_in_either_order(discussed: Idea) -> None:
    url = discussed.get_absolute_url()
    second = Comment.objects.get(body="Second")
    assert "Second" in shown(get(Client(), f"{url}?comment={second.pk}"))  # page 1, oldest first
    assert "Second" in shown(get(Client(), f"{url}?comments=agreed&comment={second.pk}"))
    assert queries.comment_page_number(discussed, second, UserFactory()) == 1
    assert queries.comment_page_number(discussed, second, UserFactory(), "agreed") == 2
    reply = Comment.objects.get(body="Reply to the reply")
    assert queries.comment_page_number(discussed, reply, UserFactory(), "agreed") == 1


def test_agreeing_without_javascript_lands_where_the_comment_now_is(discussed: Idea) -> None:
    second = Comment.objects.get(body="Second")
    fans = [UserFactory() for _ in range(4)]
    for fan in fans[:3]:
        actions.agreement_add(comment=second, user=fan)
    response = client_for(fans[3]).post(
        f"/comments/{second.pk}/agree/", {"agree": "add", "comments": "agreed"}
    )
    # Four agree now: its conversation moved to the top of the first page.
    assert (
        response["Location"]
        == f"{discussed.get_absolute_url()}?comments=agreed#comment-{second.pk}"
    )
    assert shown(get(Client(), f"{discussed.get_absolute_url()}?comments=agreed"))[0] == "Second"


def test_a_removed_conversation_counts_as_no_agreement(discussed: Idea) -> None:
    third = Comment.objects.get(body="Third")
    spine_actions.moderation_hide(
        contribution=third.contribution, moderator=staff_of(discussed.contribution.activity)
    )
    page = get(Client(), f"{discussed.get_absolute_url()}?comments=agreed")
    assert shown(page) == ["First", "Reply to first", "Reply to the reply", "Fourth"]
    last = get(Client(), f"{discussed.get_absolute_url()}?comments=agreed&page=2")
    assert "This comment was removed by a moderator." in last
    assert shown(last) == ["Second", "Reply to third"]  # tied at none: oldest first


def test_each_order_is_cached_for_visitors_and_kept_fresh(discussed: Idea) -> None:
    url = f"{discussed.get_absolute_url()}?comments=agreed"
    assert shown(get(Client(), url))[0] == "Third"
    assert shown(get(Client(), url))[0] == "Third"  # from the cache
    fourth = Comment.objects.get(body="Fourth")
    for _ in range(3):
        actions.agreement_add(comment=fourth, user=UserFactory())
    assert shown(get(Client(), url))[0] == "Fourth"
