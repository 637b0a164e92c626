"""The demo's email page: only in the demo, with DEBUG on; it shows what was sent."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse

from coproduce.common import mail as demo_mail

URL = "/demo/emails/"


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Path]:
    with override_settings(DEBUG=True, EMAIL_BACKEND=demo_mail.BACKEND, VAR_DIR=tmp_path):
        yield tmp_path


@pytest.mark.django_db
def test_sent_emails_are_kept_and_shown_newest_first(demo: Path, client: Client) -> None:
    mail.send_mail("Your code: 123456", "Enter 123456 to confirm.", None, ["jo@example.org"])
    mail.send_mail("Second <b>email</b>", "Hello <script>x</script>", None, ["bo@example.org"])
    page = client.get(URL).content.decode()
    assert page.index("Second &lt;b&gt;email&lt;/b&gt;") < page.index("Your code: 123456")
    assert "jo@example.org" in page
    assert "<script>x</script>" not in page  # escaped like everything else
    assert [e.subject for e in demo_mail.sent_emails()] == [
        "Second <b>email</b>",
        "Your code: 123456",
    ]


@pytest.mark.django_db
def test_the_sign_in_and_sign_up_pages_link_to_it(demo: Path, client: Client) -> None:
    for name in ("account_login", "account_signup"):
        assert URL in client.get(reverse(name)).content.decode(), name


@pytest.mark.django_db
def test_there_is_no_such_page_outside_the_demo(client: Client, tmp_path: Path) -> None:
    assert client.get(URL).status_code == 404  # the tests' settings: DEBUG off
    assert URL not in client.get(reverse("account_login")).content.decode()
    with override_settings(DEBUG=True):  # DEBUG on, but another backend (locmem here)
        assert client.get(URL).status_code == 404
    with override_settings(EMAIL_BACKEND=demo_mail.BACKEND, VAR_DIR=tmp_path):  # DEBUG off
        assert client.get(URL).status_code == 404


def test_only_the_newest_messages_are_kept(demo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(demo_mail, "KEEP", 3)
    for n in range(5):
        mail.send_mail(f"Message {n}", "…", None, ["jo@example.org"])
    assert [e.subject for e in demo_mail.sent_emails()] == ["Message 4", "Message 3", "Message 2"]
