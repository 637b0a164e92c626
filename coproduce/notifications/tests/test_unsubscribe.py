"""One-click unsubscribe: the signed token, the headers on every email, and the page that needs no
sign-in (GET asks, POST stops the emails, with or without a CSRF token)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import mail, signing
from django.test import Client
from django.urls import reverse

from coproduce.accounts.tests.factories import UserFactory
from coproduce.notifications import actions, queries
from coproduce.notifications.emails import (
    SALT,
    read_unsubscribe_token,
    unsubscribe_path,
    unsubscribe_token,
)
from coproduce.notifications.models import Event, Frequency, NotificationSettings

pytestmark = pytest.mark.django_db


def _token_of(path: str) -> str:
    return parse_qs(urlsplit(path).query)["token"][0]


def test_a_token_names_the_person_and_the_topics() -> None:
    jo = UserFactory()
    found = read_unsubscribe_token(unsubscribe_token(jo, [Event.DECISION, Event.RESPONSE]))
    assert found is not None
    assert found.user == jo
    assert found.topics == [Event.RESPONSE, Event.DECISION]


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),  # the signature
        lambda token: "x" + token,  # the payload
        lambda token: token.split(":")[0],  # no signature at all
        lambda token: "",
        lambda token: "not-a-token",
    ],
)
def test_an_altered_token_is_refused(tamper: Any) -> None:
    jo = UserFactory()
    assert read_unsubscribe_token(tamper(unsubscribe_token(jo, [Event.RESPONSE]))) is None


def test_tokens_signed_for_something_else_are_refused() -> None:
    jo = UserFactory()
    payload = {"u": jo.pk, "t": [Event.RESPONSE]}
    assert read_unsubscribe_token(signing.Signer(salt="another.salt").sign_object(payload)) is None
    assert read_unsubscribe_token(signing.dumps(payload)) is None  # no salt
    # Ours, but naming no topic, an unknown topic, or nobody.
    for bad in [
        {"u": jo.pk, "t": []},
        {"u": jo.pk, "t": ["gossip"]},
        {"u": jo.pk + 1000, "t": [Event.RESPONSE]},
        {"u": str(jo.pk), "t": [Event.RESPONSE]},
        [jo.pk],
    ]:
        assert read_unsubscribe_token(signing.Signer(salt=SALT).sign_object(bad)) is None


def test_the_page_asks_first_and_changes_nothing_on_get(client: Client) -> None:
    jo = UserFactory()
    path = unsubscribe_path(jo, [Event.RESPONSE])
    response = client.get(path)
    assert response.status_code == 200
    assert b"Stop these emails" in response.content
    assert b"Answers" in response.content
    assert not NotificationSettings.objects.exists()


def test_post_unsubscribes_without_signing_in_or_a_csrf_token() -> None:
    jo = UserFactory()
    path = unsubscribe_path(jo, [Event.RESPONSE, Event.STATUS])
    client = Client(enforce_csrf_checks=True)  # as a mail client: no cookie, no CSRF token
    response = client.post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert b"You will not get these emails" in response.content
    current = queries.settings_of(jo)
    assert current.frequency(Event.RESPONSE) == Frequency.NEVER
    assert current.frequency(Event.STATUS) == Frequency.NEVER
    assert current.frequency(Event.DECISION) == Frequency.AT_ONCE
    # Again (a second click, a refreshed page): the same answer, nothing else changes.
    assert client.post(path, {"List-Unsubscribe": "One-Click"}).status_code == 200
    # And the link now says the emails are off.
    assert b"You will not get these emails" in client.get(path).content


def test_the_pages_button_posts_the_token_in_the_form() -> None:
    jo = UserFactory()
    token = unsubscribe_token(jo, [Event.DECISION])
    response = Client().post(reverse("notifications:unsubscribe"), {"token": token})
    assert response.status_code == 200
    assert queries.settings_of(jo).frequency(Event.DECISION) == Frequency.NEVER


def test_a_bad_link_says_so_and_changes_nothing(client: Client) -> None:
    jo = UserFactory()
    path = unsubscribe_path(jo, [Event.RESPONSE])
    bad = path[:-2]
    assert client.get(bad).status_code == 404
    response = client.post(bad)
    assert response.status_code == 404
    assert b"This link does not work" in response.content
    assert client.get(reverse("notifications:unsubscribe")).status_code == 404
    assert not NotificationSettings.objects.exists()


def test_other_methods_are_refused(client: Client) -> None:
    path = unsubscribe_path(UserFactory(), [Event.RESPONSE])
    assert client.put(path).status_code == 405


def test_every_immediate_email_carries_the_headers_and_both_links(
    django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    settings.SITE_URL = "https://coproduce.example"
    jo = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        for topic in [Event.RESPONSE, Event.STATUS, Event.DECISION]:
            actions.notify(users=[jo], event=topic, message="News.", url="/x/", service=None)
        actions.notification_settings_set(
            user=jo, frequencies={Event.NEW_ACTIVITY: Frequency.AT_ONCE}
        )
        actions.notify(
            users=[jo], event=Event.NEW_ACTIVITY, message="Open.", url="/x/", service=None
        )
    assert len(mail.outbox) == 4
    for email, event in zip(mail.outbox, Event.values, strict=True):
        header = email.extra_headers["List-Unsubscribe"]
        assert header.startswith("<https://coproduce.example/email/unsubscribe/?token=")
        assert header.endswith(">")
        assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        link = header.strip("<>")
        assert link in email.body.split()  # the same link in the body
        assert "https://coproduce.example/account/notifications/" in email.body.split()
        found = read_unsubscribe_token(_token_of(link))
        assert found is not None
        assert (found.user, found.topics) == (jo, [event])
        message = email.message()
        assert message["List-Unsubscribe"] == header
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_the_link_of_an_email_turns_its_topic_off(
    django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    settings.SITE_URL = "https://coproduce.example"
    jo = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        actions.notify(users=[jo], event=Event.STATUS, message="News.", url="/x/", service=None)
    link = mail.outbox[0].extra_headers["List-Unsubscribe"].strip("<>")
    path = link.removeprefix("https://coproduce.example")
    Client().post(path, {"List-Unsubscribe": "One-Click"})
    assert queries.settings_of(jo).frequencies == {
        Event.RESPONSE: Frequency.AT_ONCE,
        Event.STATUS: Frequency.NEVER,
        Event.DECISION: Frequency.AT_ONCE,
        Event.NEW_ACTIVITY: Frequency.DAILY,
    }


# Where the project builds emails. Only the news (notifications.emails) is something a person can
# unsubscribe from; the others answer what the person just did (decision 0024, point 7).
SENDERS = {
    "notifications/emails.py": "news: at once and in digests, with the unsubscribe headers",
    "insight/tasks.py": "the confirmation of an answer given without an account",
    "panels/tasks.py": "the confirmation of a registration for a citizen panel",
    "commissioning/actions_evaluation.py": "the letter to a person chosen to evaluate bids",
    "privacy/tasks.py": "the link to a person's own data, ready to download (they asked for it)",
}


def test_every_email_about_news_is_built_with_the_unsubscribe_headers() -> None:
    root = Path(__file__).resolve().parents[2]
    building = re.compile(r"\b(send_mail|send_mass_mail|EmailMessage|EmailMultiAlternatives)\(")
    found = {
        path.relative_to(root).as_posix()
        for path in root.rglob("*.py")
        if "tests" not in path.parts and building.search(path.read_text(encoding="utf-8"))
    }
    assert found == set(SENDERS), (
        "A module builds emails: about news, use notifications.emails.email_message; otherwise "
        "add it to SENDERS and to decision 0024."
    )
