"""A signed-in reader's idea list is counted and its page's keys read once per version of the
challenge, and every write that changes which ideas a list shows, or their order, is seen on the
next request (decision 0926). Counted by queries, not timed."""

from __future__ import annotations

import html
import re

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coproduce.accounts.tests.factories import UserFactory, client_for
from coproduce.codesign import actions
from coproduce.codesign.tests.factories import IdeaChallengeFactory, IdeaFactory
from coproduce.common import pagination
from coproduce.contributions import actions as spine_actions
from coproduce.services.tests.factories import staff_of

pytestmark = pytest.mark.django_db

TITLE = re.compile(r'class="govuk-heading-m[^"]*">\s*<a [^>]*>([^<]+)</a>')


def visit(client: Client, url: str) -> tuple[str, int]:
    """The page, and how many queries it took."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return html.unescape(response.content.decode()), len(queries)


def titles(page: str) -> list[str]:
    return [title.strip() for title in TITLE.findall(page)]


def test_a_repeat_visit_reads_neither_the_count_nor_the_keys() -> None:
    challenge = IdeaChallengeFactory()
    IdeaFactory(activity=challenge, title="Open on Saturdays")
    resident = client_for(UserFactory())
    url = reverse("codesign:idea_list", kwargs={"pk": challenge.pk})
    visit(resident, url)
    page, remembered = visit(resident, url)
    pagination.forget()
    again, read = visit(resident, url)
    assert read - remembered == 2  # the count and the page's keys
    assert titles(page) == titles(again) == ["Open on Saturdays"]


def test_every_order_and_page_follows_the_writes() -> None:
    challenge = IdeaChallengeFactory()
    size = settings.COPRODUCE_PAGE_SIZE
    ideas = [IdeaFactory(activity=challenge, title=f"Idea {n:02}") for n in range(size + 1)]
    resident = client_for(UserFactory())
    url = reverse("codesign:idea_list", kwargs={"pk": challenge.pk})
    newest, _ = visit(resident, url)
    second_page, _ = visit(resident, f"{url}?page=2")
    supported, _ = visit(resident, f"{url}?sort=supported")
    answered, _ = visit(resident, f"{url}?sort=answered")
    assert titles(newest)[0] == f"Idea {size:02}"
    assert titles(second_page) == ["Idea 00"]
    assert f"{size + 1} ideas" in newest
    assert titles(supported)[0] == f"Idea {size:02}"  # no supports yet: the newest first
    assert titles(answered) == []

    actions.support_add(idea=ideas[0], user=UserFactory())
    assert titles(visit(resident, f"{url}?sort=supported")[0])[0] == "Idea 00"

    staff = staff_of(challenge)
    spine_actions.response_create(
        contribution=ideas[3].contribution, author=staff, body="We will try it in May."
    )
    assert titles(visit(resident, f"{url}?sort=answered")[0]) == ["Idea 03"]

    IdeaFactory(activity=challenge, title="The newest idea")
    newest, _ = visit(resident, url)
    assert titles(newest)[0] == "The newest idea"
    assert f"{size + 2} ideas" in newest
    assert titles(visit(resident, f"{url}?page=2")[0]) == ["Idea 01", "Idea 00"]

    spine_actions.moderation_hide(contribution=ideas[0].contribution, moderator=staff)
    newest, _ = visit(resident, url)
    assert f"{size + 1} ideas" in newest
    assert titles(visit(resident, f"{url}?page=2")[0]) == ["Idea 01"]
    assert titles(visit(resident, f"{url}?sort=supported")[0])[0] != "Idea 00"
