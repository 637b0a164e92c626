"""Signed-in people's idea pages reuse the parts that are the same for everyone, and never a
stale or someone else's part (decision 0806).

Whether a page reused its parts is read from how many it had to render (``Fragments.put``); no
test here depends on timing.
"""

from __future__ import annotations

import html
import re

import pytest
from django.template import RequestContext, Template
from django.test import Client, RequestFactory
from django.urls import reverse

from coproduce.accounts.tests.factories import UserFactory, client_for
from coproduce.codesign import actions
from coproduce.codesign.models import Idea
from coproduce.codesign.tests import test_page_cache
from coproduce.codesign.tests.factories import CommentFactory
from coproduce.codesign.tests.test_page_cache import WRITES, World
from coproduce.common import fragments
from coproduce.contributions.models import Contribution, Visibility

pytestmark = pytest.mark.django_db

world = test_page_cache.world  # the same challenge, idea, comment and staff member

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]*)"')
VALUES = re.compile(r'value="[^"]*"')  # CSRF tokens and the comment form's signed timestamp


def same(first: str, second: str) -> bool:
    """The same page, but for the values that change with every request."""
    return VALUES.sub("", first) == VALUES.sub("", second)


@pytest.fixture
def renders(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The keys of the fragments rendered (not found in the cache) since the test began."""
    made: list[str] = []
    put = fragments.Fragments.put

    def counting(self: fragments.Fragments, key: str, text: str) -> None:
        made.append(key)
        put(self, key, text)

    monkeypatch.setattr(fragments.Fragments, "put", counting)
    return made


def page(client: Client, url: str, **headers: str) -> str:
    response = client.get(url, headers=headers)
    assert response.status_code == 200, (url, response.status_code)
    return html.unescape(response.content.decode())


def reused(client: Client, url: str, renders: list[str], **headers: str) -> bool:
    """After one visit, the next one renders none of the page's fragments."""
    page(client, url, **headers)
    before = len(renders)
    page(client, url, **headers)
    return len(renders) == before


def test_signed_in_pages_reuse_their_fragments(world: World, renders: list[str]) -> None:
    resident = client_for(UserFactory())
    first = page(resident, world.idea_url)
    made = len(renders)
    assert made >= 4  # the idea, its answers, its history and its comment
    second = page(resident, world.idea_url)
    assert len(renders) == made
    assert same(first, second)
    assert reused(resident, world.list_url, renders)
    # Another resident with the same buttons gets the same fragments.
    other = client_for(UserFactory())
    before = len(renders)
    page(other, world.list_url)
    page(other, world.idea_url)
    assert len(renders) == before


@pytest.mark.parametrize("name", list(WRITES))
def test_signed_in_people_see_every_change_on_the_next_request(
    world: World, renders: list[str], name: str
) -> None:
    write = WRITES[name]
    if write.before is not None:
        write.before(world)
    resident = client_for(UserFactory())
    assert reused(resident, world.list_url, renders)
    idea_was_public = Idea.objects.filter(
        pk=world.idea.pk, contribution__visibility=Visibility.PUBLISHED
    ).exists()
    if idea_was_public:
        assert reused(resident, world.idea_url, renders)

    write.make(world)

    listed = page(resident, world.list_url)
    for text in write.on_list:
        assert text in listed, text
    for text in write.gone_from_list:
        assert text not in listed, text
    if name == "the idea hidden by a moderator":
        assert resident.get(world.idea_url).status_code == 404
        return
    shown = page(resident, world.idea_url)
    for text in write.on_idea:
        assert text in shown, text
    for text in write.gone_from_idea:
        assert text not in shown, text


def test_an_agreement_is_seen_on_the_next_request(world: World, renders: list[str]) -> None:
    resident = client_for(UserFactory())
    assert reused(resident, world.idea_url, renders)
    assert "0 people agree" in page(resident, world.idea_url)
    actions.agreement_add(comment=world.comment, user=UserFactory())
    assert "1 person agrees" in page(resident, world.idea_url)


def test_each_person_sees_their_own_support_and_buttons(world: World) -> None:
    supporter, other = UserFactory(), UserFactory()
    actions.support_add(idea=world.idea, user=supporter)
    actions.agreement_add(comment=world.comment, user=supporter)
    clients = {user: client_for(user) for user in (supporter, other, world.author)}
    for url in [world.list_url, world.idea_url]:  # each fills the cache for the next
        for _round in range(2):
            mine = page(clients[supporter], url)
            assert "You support this" in mine
            assert "Withdraw my support" in mine
            theirs = page(clients[other], url)
            assert "You support this" not in theirs
            assert "Withdraw my support" not in theirs
            assert "Support this idea" in theirs
            authors = page(clients[world.author], url)
            assert "Support this idea" not in authors
            assert "Withdraw my support" not in authors
    assert "You agree" in page(clients[supporter], world.idea_url)
    assert "You agree" not in page(clients[other], world.idea_url)
    assert "Withdraw my agreement" not in page(clients[other], world.idea_url)
    assert "You posted this idea" in page(clients[world.author], world.idea_url)
    assert "You posted this idea" not in page(clients[other], world.idea_url)


def test_each_person_gets_their_own_csrf_token_in_a_cached_fragment(world: World) -> None:
    first, second = UserFactory(), UserFactory()
    page(client_for(first), world.idea_url)  # fills the cache
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(second)
    page(strict, world.list_url)
    shown = page(strict, world.idea_url)
    tokens = set(CSRF_INPUT.findall(shown))
    assert fragments.CSRF_PLACEHOLDER not in tokens
    agree = reverse("codesign:agree", kwargs={"pk": world.comment.pk})
    response = strict.post(
        agree, {"agree": "add", "csrfmiddlewaretoken": CSRF_INPUT.findall(shown)[-1]}
    )
    assert response.status_code == 302  # a 403 would mean another person's token
    assert "You agree" in page(strict, world.idea_url)


ONE_TIME_INPUT = re.compile(r'name="one_time_token" value="([^"]*)"')


def test_each_page_gets_a_fresh_one_time_token_in_the_cached_comment_form(
    world: World, renders: list[str]
) -> None:
    resident = client_for(UserFactory())
    first = page(resident, world.idea_url)  # fills the cache, the comment form too
    made = len(renders)
    second = page(resident, world.idea_url)
    assert len(renders) == made  # the form came from the cache …
    tokens = ONE_TIME_INPUT.findall(first) + ONE_TIME_INPUT.findall(second)
    assert len(tokens) == 2
    assert len(set(tokens)) == 2  # … with a token of its own each time
    assert fragments.ONE_TIME_PLACEHOLDER not in tokens
    stored = "".join(fragments.recent.pages.values())
    assert set(ONE_TIME_INPUT.findall(stored)) == {fragments.ONE_TIME_PLACEHOLDER}
    # The token works: the comment is made once, however often the form is sent.
    create = reverse("codesign:comment_create", kwargs={"pk": world.idea.pk})
    sent = {
        "body": "Cached forms work",
        "author_display": "first_name",
        "one_time_token": tokens[1],
    }
    for _ in range(2):
        assert resident.post(create, sent).status_code == 302
    assert Contribution.objects.filter(comment__body="Cached forms work").count() == 1


def test_stored_fragments_hold_nothing_personal(world: World) -> None:
    resident = client_for(UserFactory())
    actions.support_add(idea=world.idea, user=world.staff)
    for url in [world.list_url, world.idea_url]:
        assert "csrfmiddlewaretoken" in page(resident, url)
    stored = "".join(fragments.recent.pages.values())
    assert "Support this idea" in stored  # the buttons are in the fragments …
    assert "Sign out" not in stored
    assert set(CSRF_INPUT.findall(stored)) == {fragments.CSRF_PLACEHOLDER}  # … not the tokens


def test_a_fragment_cannot_read_who_is_asking(rf: RequestFactory) -> None:
    request = rf.get("/somewhere/")
    request.user = UserFactory(name="Zebedee Quill")
    text = (
        "{% load fragments %}{% fragment store key %}[{{ user.name }}|{{ request.path }}|"
        "{% csrf_token %}]{% endfragment %}"
    )
    store = fragments.Fragments([])
    shown = Template(text).render(
        RequestContext(request, {"store": store, "key": fragments.key("test", 1)})
    )
    assert "Zebedee" not in shown
    assert "/somewhere/" not in shown
    assert fragments.CSRF_PLACEHOLDER not in shown
    assert CSRF_INPUT.search(shown)  # the reader's own token, put back
    assert list(store.found.values()) == [
        f'[||<input type="hidden" name="csrfmiddlewaretoken" value="{fragments.CSRF_PLACEHOLDER}">]'
    ]


STAFF_ONLY = ["Answer this question", "Answer this idea", "Change its status", "Moderation queue"]


@pytest.mark.parametrize("staff_first", [True, False])
def test_staff_controls_stay_with_staff(world: World, staff_first: bool) -> None:
    staff, resident = client_for(world.staff), client_for(UserFactory())
    order = [(staff, True), (resident, False)]
    for client, is_staff in order if staff_first else order[::-1]:
        shown = page(client, world.idea_url)
        for text in STAFF_ONLY:
            assert (text in shown) is is_staff, (text, is_staff)
        listed = page(client, world.list_url)
        assert ("Moderation queue" in listed) is is_staff
    # And the other way round, now that both are cached.
    for client, is_staff in order:
        shown = page(client, world.idea_url)
        for text in STAFF_ONLY:
            assert (text in shown) is is_staff, (text, is_staff)


def test_a_held_comment_is_shown_to_its_author_alone(world: World) -> None:
    author = UserFactory()
    held = CommentFactory(idea=world.idea, author=author, body="Only I can read this yet.")
    other = client_for(UserFactory())
    assert "Only I can read this yet." in page(other, world.idea_url)
    # Held without a new version (as the page cache's tests do): the comment's own visibility
    # is part of its fragment's key.
    Contribution.objects.filter(pk=held.pk).update(visibility=Visibility.PENDING)
    for _round in range(2):
        assert "Only I can read this yet." in page(client_for(author), world.idea_url)
        assert "Only I can read this yet." not in page(other, world.idea_url)


def test_a_removed_comment_with_replies_is_a_placeholder_for_everyone(world: World) -> None:
    reply = CommentFactory(idea=world.idea, parent=world.comment, body="A reply stays.")
    readers = [client_for(UserFactory()), client_for(UserFactory())]
    for reader in readers:
        assert world.comment.body in page(reader, world.idea_url)  # the threads are cached
    # Hidden without a new version (as above): the comments' visibility is in the key.
    Contribution.objects.filter(pk=world.comment.pk).update(visibility=Visibility.HIDDEN)
    for reader in readers:
        shown = page(reader, world.idea_url)
        assert world.comment.body not in shown
        assert "This comment was removed by a moderator." in shown
        assert reply.body in shown


def test_welsh_and_english_fragments_are_kept_apart(world: World, renders: list[str]) -> None:
    resident = client_for(UserFactory())
    for url, english_text, welsh_text in [
        (world.idea_url, "Question for the team", "Cwestiwn i'r tîm"),
        (world.idea_url, "Posted by", "Postiwyd gan"),
        (world.list_url, "By Priya", "Gan Priya"),
    ]:
        english = page(resident, url)
        assert english_text in english
        assert reused(resident, url, renders)
        welsh = page(resident, url, accept_language="cy")
        assert welsh_text in welsh
        assert english_text not in welsh
        assert reused(resident, url, renders, accept_language="cy")
        assert same(page(resident, url), english)


def test_another_process_finds_the_fragments_in_the_shared_cache(
    world: World, renders: list[str]
) -> None:
    resident = client_for(UserFactory())
    page(resident, world.idea_url)
    assert renders
    fragments.forget()  # what another process holds: nothing of its own yet
    before = len(renders)
    page(resident, world.idea_url)
    assert len(renders) == before


def test_with_the_database_cache_each_process_keeps_its_own(
    world: World, renders: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fragments, "_shared", lambda: None)
    resident = client_for(UserFactory())
    assert reused(resident, world.idea_url, renders)
    fragments.forget()
    before = len(renders)
    page(resident, world.idea_url)
    assert len(renders) > before  # nothing was written to the shared cache
