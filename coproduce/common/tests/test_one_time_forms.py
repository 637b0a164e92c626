"""One-time form tokens: a form that makes something makes it once, however often it is sent.

See docs/decisions/0021-one-time-form-tokens.md. The views are in one_time_urls.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import threading
import time
from typing import Any

import pytest
from django.conf import settings
from django.core import signing
from django.core.management import call_command
from django.db import connection
from django.test import Client, override_settings
from django.utils import timezone

from coproduce.common import forms as common_forms
from coproduce.common.forms import ONE_TIME_DAYS, SAME_CONTENT_MINUTES, new_form_token
from coproduce.common.models import PageVersion, SubmittedForm
from coproduce.common.tests.one_time_urls import RUNS

URLS = "coproduce.common.tests.one_time_urls"
ALREADY = "info: We already have this. You sent it before, so nothing new was added."
OUT_OF_DATE = "This page is out of date. Check what you have written, then send it again."


@pytest.fixture(autouse=True)
def _counts() -> None:
    RUNS.update(count=0, pause=0.0)


def token_on(page: Any) -> str:
    """The one-time token in a page's form."""
    html = page.content.decode() if hasattr(page, "content") else page
    found = re.search(r'name="one_time_token" value="([^"]*)"', html)
    assert found, html
    return found.group(1)


def raw(token: str) -> str:
    """The random part of a token, as SubmittedForm stores it."""
    return signing.TimestampSigner(salt="coproduce.common.forms.OneTimeForm").unsign(token)


def browser(secret: str) -> Client:
    """A visitor's browser, known by its CSRF cookie (as the live site's forms set it)."""
    client = Client()
    client.cookies[settings.CSRF_COOKIE_NAME] = secret * 32
    return client


def notes() -> int:
    return PageVersion.objects.filter(scope__startswith="test.note:").count()


def shown(client: Client, response: Any) -> str:
    """The page a redirect leads to, with the messages it shows."""
    assert response.status_code == 302, response.content.decode()
    return client.get(response["Location"]).content.decode()


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=URLS)
def test_each_form_page_carries_a_fresh_hidden_token() -> None:
    client = Client()
    first, second = client.get("/notes/new/"), client.get("/notes/new/")
    assert 'type="hidden" name="one_time_token"' in first.content.decode()
    assert token_on(first) != token_on(second)
    assert raw(token_on(first))


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=URLS)
def test_a_form_sent_again_runs_nothing_and_goes_to_the_first_result() -> None:
    client = Client()
    token = token_on(client.get("/notes/new/"))

    first = client.post("/notes/new/", {"text": "Hello", "one_time_token": token})
    assert first["Location"] == "/notes/1/"
    assert "success: Noted." in shown(client, first)

    again = client.post("/notes/new/", {"text": "Hello", "one_time_token": token})
    assert again["Location"] == "/notes/1/"
    page = shown(client, again)
    assert ALREADY in page
    assert "Noted." not in page
    assert RUNS["count"] == 1
    assert notes() == 1
    assert SubmittedForm.objects.get().url == "/notes/1/"

    # Sent again with other words (Back, change, submit), or by someone else: still nothing new.
    other = Client().post("/notes/new/", {"text": "Changed", "one_time_token": token})
    assert other["Location"] == "/notes/1/"
    assert RUNS["count"] == 1

    # A new copy of the form makes a new note.
    fresh = token_on(client.get("/notes/new/"))
    assert client.post("/notes/new/", {"text": "Hi", "one_time_token": fresh})["Location"] == (
        "/notes/2/"
    )


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=URLS)
def test_a_form_sent_again_is_recognised_even_when_it_would_no_longer_be_valid() -> None:
    client = Client()
    token = token_on(client.get("/notes/new/"))
    client.post("/notes/new/", {"text": "Hello", "one_time_token": token})
    again = client.post("/notes/new/", {"text": "x" * 51, "one_time_token": token})
    assert again["Location"] == "/notes/1/"
    assert RUNS["count"] == 1


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=URLS)
def test_a_validation_error_leaves_the_token_usable() -> None:
    client = Client()
    token = token_on(client.get("/notes/new/"))

    refused = client.post("/notes/new/", {"text": "wrong", "one_time_token": token})
    assert refused.status_code == 200
    assert "Not that one." in refused.content.decode()
    assert token_on(refused) == token  # the page shown again keeps its token
    assert not SubmittedForm.objects.exists()
    assert notes() == 0  # the action's own write went with the claim

    invalid = client.post("/notes/new/", {"text": "", "one_time_token": token})
    assert invalid.status_code == 200
    assert not SubmittedForm.objects.exists()

    corrected = client.post("/notes/new/", {"text": "right", "one_time_token": token})
    assert corrected["Location"] == "/notes/1/"
    assert SubmittedForm.objects.get(token=raw(token)).url == "/notes/1/"


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=URLS)
def test_the_same_words_from_a_reloaded_copy_of_the_form_are_not_added_again() -> None:
    """A browser that loads the form again on Back gets a new token, and restores the words."""
    client = browser("a")
    first = client.post("/notes/new/", {"text": "Hello", "one_time_token": new_form_token()})
    assert first["Location"] == "/notes/1/"
    again = client.post("/notes/new/", {"text": "Hello", "one_time_token": new_form_token()})
    assert again["Location"] == "/notes/1/"
    assert ALREADY in shown(client, again)
    assert RUNS["count"] == 1
    # Other words, or the same words from someone else, are new.
    other = client.post("/notes/new/", {"text": "Hello!", "one_time_token": new_form_token()})
    assert other["Location"] == "/notes/2/"
    someone = browser("b").post(
        "/notes/new/", {"text": "Hello", "one_time_token": new_form_token()}
    )
    assert someone["Location"] == "/notes/3/"
    # After SAME_CONTENT_MINUTES the same words are new too.
    SubmittedForm.objects.update(
        created_at=timezone.now() - dt.timedelta(minutes=SAME_CONTENT_MINUTES, seconds=1)
    )
    later = client.post("/notes/new/", {"text": "Hello", "one_time_token": new_form_token()})
    assert later["Location"] == "/notes/4/"


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=URLS)
def test_a_post_without_a_token_is_a_normal_post() -> None:
    """Clients that do not send the token (scripts, older tests) are not protected, nor refused."""
    client = browser("a")
    assert client.post("/notes/new/", {"text": "One"})["Location"] == "/notes/1/"
    assert client.post("/notes/new/", {"text": "One"})["Location"] == "/notes/2/"
    assert not SubmittedForm.objects.exists()
    # Shown again with its errors, the form carries a token, so the next post is protected.
    invalid = client.post("/notes/new/", {"text": ""})
    token = token_on(invalid)
    assert client.post("/notes/new/", {"text": "Two", "one_time_token": token})["Location"] == (
        "/notes/3/"
    )
    assert client.post("/notes/new/", {"text": "Two", "one_time_token": token})["Location"] == (
        "/notes/3/"
    )


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=URLS)
@pytest.mark.parametrize("kind", ["not ours", "too long", "bad signature"])
def test_a_token_we_did_not_make_is_refused_with_a_fresh_one(kind: str) -> None:
    token = {
        "not ours": "not-ours",
        "too long": "x" * 5000,
        "bad signature": new_form_token()[:-1] + "!",
    }[kind]
    client = Client()
    refused = client.post("/notes/new/", {"text": "Hello", "one_time_token": token})
    assert refused.status_code == 200
    assert OUT_OF_DATE in refused.content.decode()
    assert RUNS["count"] == 0
    fresh = token_on(refused)
    assert fresh != token
    assert client.post("/notes/new/", {"text": "Hello", "one_time_token": fresh})["Location"] == (
        "/notes/1/"
    )


def _token_made_days_ago(monkeypatch: pytest.MonkeyPatch, days: int) -> str:
    then = int(time.time()) - days * 86400
    with monkeypatch.context() as patch:
        patch.setattr(signing.TimestampSigner, "timestamp", lambda self: signing.b62_encode(then))
        return new_form_token()


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=URLS)
def test_an_old_page_is_refused_unless_it_was_already_sent(monkeypatch: pytest.MonkeyPatch) -> None:
    client = Client()
    recent = _token_made_days_ago(monkeypatch, ONE_TIME_DAYS - 1)
    assert client.post("/notes/new/", {"text": "A", "one_time_token": recent}).status_code == 302

    old = _token_made_days_ago(monkeypatch, ONE_TIME_DAYS + 1)
    refused = client.post("/notes/new/", {"text": "B", "one_time_token": old})
    assert refused.status_code == 200
    assert OUT_OF_DATE in refused.content.decode()
    assert RUNS["count"] == 1

    # A page sent in time and sent again later still goes to what it made.
    SubmittedForm.objects.update(token=raw(old))
    again = client.post("/notes/new/", {"text": "B", "one_time_token": old})
    assert again["Location"] == "/notes/1/"
    assert ALREADY in shown(client, again)


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=URLS)
def test_a_token_claimed_by_another_request_meanwhile_runs_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Simulates the race: another request commits the token after this one's first look."""
    client = Client()
    token = token_on(client.get("/notes/new/"))
    looked_up = common_forms._sent_url
    looks: list[str] = []

    def another_request_wins(value: str) -> str | None:
        looks.append(value)
        if len(looks) == 1:
            SubmittedForm.objects.create(token=value, url="/notes/7/")
            return None
        return looked_up(value)

    monkeypatch.setattr(common_forms, "_sent_url", another_request_wins)
    response = client.post("/notes/new/", {"text": "Hello", "one_time_token": token})
    assert response["Location"] == "/notes/7/"
    assert looks == [raw(token), raw(token)]
    assert RUNS["count"] == 0
    assert notes() == 0
    assert SubmittedForm.objects.count() == 1
    assert ALREADY in shown(client, response)


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite's shared in-memory test database locks tables"
)
@pytest.mark.django_db(transaction=True)
@override_settings(ROOT_URLCONF=URLS)
def test_two_simultaneous_posts_of_one_token_make_one_note() -> None:
    """Two requests at once: the second waits on the unique token, then goes to the first's note."""
    token = token_on(Client().get("/notes/new/"))
    RUNS["pause"] = 0.5  # the first request holds its transaction open for this long
    start = threading.Barrier(2)
    locations: list[str] = []

    def post() -> None:
        try:
            client = Client()
            start.wait()
            response = client.post("/notes/new/", {"text": "Hello", "one_time_token": token})
            locations.append(response["Location"])
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert locations == ["/notes/1/", "/notes/1/"]
    assert RUNS["count"] == 1
    assert notes() == 1
    assert SubmittedForm.objects.count() == 1


@pytest.mark.django_db
def test_tokens_are_forgotten_after_their_lifetime() -> None:
    old = SubmittedForm.objects.create(token="old", url="/notes/1/", content="")
    SubmittedForm.objects.create(token="recent", url="/notes/2/", content="")
    SubmittedForm.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - dt.timedelta(days=ONE_TIME_DAYS, minutes=1)
    )
    out = io.StringIO()
    call_command("purge_submitted_forms", stdout=out)
    assert out.getvalue() == "Deleted 1 used form tokens.\n"
    assert list(SubmittedForm.objects.values_list("token", flat=True)) == ["recent"]
