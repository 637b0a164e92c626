"""Emails sent once per idempotency key, whatever runs twice (decision 0901)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.core.management import call_command
from django.utils import timezone

from coproduce.common.email_once import KEEP_DAYS, message_id, send_once
from coproduce.common.models import SentEmail

pytestmark = pytest.mark.django_db


def _message() -> EmailMessage:
    message = EmailMultiAlternatives(subject="Hello", body="Once.", to=["jo@example.org"])
    message.attach_alternative("<p>Once.</p>", "text/html")
    return message


def test_the_second_send_with_a_key_sends_nothing() -> None:
    assert send_once("test:a", _message()) is True
    assert send_once("test:a", _message()) is False
    assert send_once("test:b", _message()) is True
    assert len(mail.outbox) == 2
    assert set(SentEmail.objects.values_list("key", flat=True)) == {"test:a", "test:b"}


def test_the_message_id_comes_from_the_key() -> None:
    send_once("test:a", _message())
    send_once("test:b", _message())
    first, second = mail.outbox
    assert first.extra_headers["Message-ID"] == message_id("test:a")
    assert second.extra_headers["Message-ID"] == message_id("test:b") != message_id("test:a")
    assert message_id("test:a") == message_id("test:a")
    assert "Message-ID: " + message_id("test:a") in first.message().as_string()
    assert isinstance(first, EmailMultiAlternatives)
    assert first.alternatives[0][1] == "text/html"


def test_a_message_built_by_a_callable_is_built_only_when_sent() -> None:
    built: list[str] = []

    def build() -> EmailMessage:
        built.append("built")
        return _message()

    assert send_once("test:a", build) is True
    assert send_once("test:a", build) is False
    assert built == ["built"]


def test_a_failed_send_records_nothing_so_a_retry_sends(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(self: EmailMessage, fail_silently: bool = False) -> int:
        raise ConnectionRefusedError("mail server down")

    with monkeypatch.context() as patch:
        patch.setattr(EmailMessage, "send", refuse)
        with pytest.raises(ConnectionRefusedError):
            send_once("test:a", _message())
    assert not SentEmail.objects.exists()
    assert send_once("test:a", _message()) is True
    assert len(mail.outbox) == 1


def test_a_key_too_long_is_refused() -> None:
    with pytest.raises(ValueError, match="too long"):
        send_once("x" * 201, _message())


def test_keys_are_forgotten_after_the_days_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    send_once("test:old", _message())
    send_once("test:new", _message())
    now = timezone.now()
    SentEmail.objects.filter(key="test:old").update(
        sent_at=now - dt.timedelta(days=KEEP_DAYS, seconds=1)
    )
    SentEmail.objects.filter(key="test:new").update(
        sent_at=now - dt.timedelta(days=KEEP_DAYS, seconds=-1)
    )
    out = io.StringIO()
    monkeypatch.setattr(timezone, "now", lambda: now)
    call_command("purge_sent_emails", stdout=out)
    assert "Deleted 1 keys" in out.getvalue()
    assert list(SentEmail.objects.values_list("key", flat=True)) == ["test:new"]
