"""Emails about news carry an idempotency key: a task run again sends nothing twice (decision 0901)."""

from __future__ import annotations

import pytest
from django.core import mail

from coproduce.accounts.models import User
from coproduce.accounts.tests.factories import UserFactory
from coproduce.common.email_once import message_id
from coproduce.common.models import SentEmail
from coproduce.notifications import actions, tasks
from coproduce.notifications.models import Event, Frequency, Notification

pytestmark = pytest.mark.django_db


def _tell(user: User) -> Notification:
    (made,) = actions.notify(
        users=[user],
        event=Event.RESPONSE,
        message="Your idea has an answer.",
        url="/ideas/7/",
        service=None,
    )
    return made


def test_an_email_sent_at_once_goes_once_with_its_key_as_message_id() -> None:
    jo = UserFactory()
    news = _tell(jo)
    assert tasks.send_notification_emails.call([news.pk]) == 1
    assert tasks.send_notification_emails.call([news.pk]) == 0
    [message] = mail.outbox
    key = f"notifications.at-once:{news.pk}:{jo.pk}"
    assert message.extra_headers["Message-ID"] == message_id(key)
    assert list(SentEmail.objects.values_list("key", flat=True)) == [key]


def test_a_notification_whose_email_went_is_not_emailed_again_even_if_unmarked() -> None:
    news = _tell(UserFactory())
    tasks.send_notification_emails.call([news.pk])
    Notification.objects.filter(pk=news.pk).update(emailed_at=None)  # the mark lost, the key kept
    tasks.send_notification_emails.call([news.pk])
    assert len(mail.outbox) == 1


def test_a_digest_run_twice_goes_once_with_the_same_message_id_for_the_same_news() -> None:
    jo = UserFactory()
    actions.notification_settings_set(user=jo, frequencies={Event.RESPONSE: Frequency.DAILY})
    first, second = _tell(jo), _tell(jo)
    assert tasks.send_digests.call("daily") == 1
    assert tasks.send_digests.call("daily") == 0
    [message] = mail.outbox
    key = tasks._digest_key(jo.pk, "daily", [second.pk, first.pk])
    assert message.extra_headers["Message-ID"] == message_id(key)
    assert key != tasks._digest_key(jo.pk, "daily", [first.pk])
    assert key != tasks._digest_key(jo.pk, "weekly", [first.pk, second.pk])
