"""Digests: one email per person with what waits for it, grouped by topic, each item sent once."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone, translation

from coproduce.accounts.tests.factories import UserFactory
from coproduce.notifications import actions, tasks
from coproduce.notifications.models import Event, Frequency, Notification
from coproduce.services.tests.factories import ServiceFactory

pytestmark = pytest.mark.django_db


def _tell(user: Any, event: str, message: str, url: str = "/ideas/7/") -> Notification:
    (made,) = actions.notify(users=[user], event=event, message=message, url=url, service=None)
    return made


def _choose(user: Any, **frequencies: str) -> None:
    actions.notification_settings_set(user=user, frequencies=frequencies)


def test_a_digest_groups_each_persons_news_by_topic_in_one_email(settings: Any) -> None:
    settings.SITE_URL = "https://coproduce.example"
    jo, sam = UserFactory(name="Jo Bennett"), UserFactory()
    _choose(jo, response=Frequency.DAILY, decision=Frequency.DAILY)
    _choose(sam, response=Frequency.DAILY)
    _tell(jo, Event.DECISION, "A decision was informed by “Later hours”.", "/decisions/3/")
    _tell(jo, Event.RESPONSE, "The council answered “Later hours”.", "/ideas/7/")
    _tell(jo, Event.RESPONSE, "The council answered “Quiet room”.", "/ideas/8/")
    _tell(sam, Event.RESPONSE, "The council answered “Bike racks”.")

    assert tasks.send_digests.call("daily") == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted([jo.email, sam.email])
    (email,) = [m for m in mail.outbox if m.to == [jo.email]]
    assert email.subject == "Your daily summary of news"
    body = email.body
    assert body.startswith("Hello Jo,")
    # Topics in their usual order, each item with its link, oldest first within a topic.
    assert body.index("Answers") < body.index("Later hours") < body.index("Quiet room")
    assert body.index("Quiet room") < body.index("Decisions") < body.index("A decision was")
    assert "https://coproduce.example/ideas/8/" in body.split()
    assert "https://coproduce.example/decisions/3/" in body.split()
    assert "Bike racks" not in body
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()


def test_a_digest_is_sent_once_whatever_runs_twice() -> None:
    jo = UserFactory()
    _choose(jo, response=Frequency.WEEKLY)
    _tell(jo, Event.RESPONSE, "First answer.")
    assert tasks.send_digests.call("weekly") == 1
    assert tasks.send_digests.call("weekly") == 0  # a second run, or an overlapping one
    assert len(mail.outbox) == 1
    # Only what happened since: the next digest lists the new news alone.
    _tell(jo, Event.RESPONSE, "Second answer.")
    assert tasks.send_digests.call("weekly") == 1
    assert "Second answer." in mail.outbox[-1].body
    assert "First answer." not in mail.outbox[-1].body


def test_each_period_sends_only_its_own_news() -> None:
    jo = UserFactory()
    _choose(jo, response=Frequency.DAILY, status=Frequency.WEEKLY, decision=Frequency.NEVER)
    _tell(jo, Event.RESPONSE, "Daily news.")
    _tell(jo, Event.STATUS, "Weekly news.")
    _tell(jo, Event.DECISION, "Never emailed.")
    assert tasks.send_digests.call("daily") == 1
    assert "Daily news." in mail.outbox[0].body
    assert "Weekly news." not in mail.outbox[0].body
    assert tasks.send_digests.call("weekly") == 1
    assert "Weekly news." in mail.outbox[1].body
    assert mail.outbox[1].subject == "Your weekly summary of news"
    assert all("Never emailed." not in m.body for m in mail.outbox)
    assert Notification.objects.get(event=Event.DECISION).emailed_at is None


def test_nobody_with_nothing_waiting_gets_a_digest() -> None:
    jo = UserFactory()
    _choose(jo, response=Frequency.DAILY)
    assert tasks.send_digests.call("daily") == 0
    assert mail.outbox == []


def test_deactivated_people_get_no_digest() -> None:
    jo = UserFactory()
    _choose(jo, response=Frequency.DAILY)
    _tell(jo, Event.RESPONSE, "News.")
    jo.is_active = False
    jo.save(update_fields=["is_active"])
    assert tasks.send_digests.call("daily") == 0


def test_a_long_digest_lists_the_first_and_counts_the_rest(monkeypatch: Any) -> None:
    monkeypatch.setattr(tasks, "DIGEST_LIMIT", 3)
    jo = UserFactory()
    _choose(jo, response=Frequency.DAILY)
    for number in range(5):
        _tell(jo, Event.RESPONSE, f"Answer number {number}.")
    assert tasks.send_digests.call("daily") == 1
    body = mail.outbox[0].body
    assert "Answer number 2." in body
    assert "Answer number 3." not in body
    assert "And 2 more" in body
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()


def test_a_digest_carries_the_unsubscribe_headers_and_links(settings: Any) -> None:
    settings.SITE_URL = "https://coproduce.example"
    jo = UserFactory()
    _choose(jo, response=Frequency.DAILY)
    _tell(jo, Event.RESPONSE, "News.")
    tasks.send_digests.call("daily")
    email = mail.outbox[0]
    link = email.extra_headers["List-Unsubscribe"]
    assert link.startswith("<https://coproduce.example/email/unsubscribe/?token=")
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert link.strip("<>") in email.body.split()
    assert "https://coproduce.example/account/notifications/" in email.body.split()


def test_a_digest_is_in_the_persons_language() -> None:
    jo = UserFactory(name="Jo Bennett")
    actions.notification_settings_set(
        user=jo, frequencies={Event.RESPONSE: Frequency.DAILY}, language="cy"
    )
    _tell(jo, Event.RESPONSE, "News.")
    tasks.send_digests.call("daily")
    assert mail.outbox[0].body.startswith("Helo Jo,")
    assert "Popeth rydych chi wedi'i gyfrannu" in mail.outbox[0].body
    assert translation.get_language() == "en"  # the worker's language is left as it was


def test_an_unknown_period_is_refused() -> None:
    with pytest.raises(ValueError, match="no 'hourly' digest"):
        tasks.send_digests.call("hourly")


def test_the_command_sends_a_period(settings: Any) -> None:
    jo = UserFactory()
    _choose(jo, new_activity=Frequency.WEEKLY)
    service = ServiceFactory(name="Library opening hours")
    actions.notify(
        users=[jo], event=Event.NEW_ACTIVITY, message="Open.", url="/a/", service=service
    )
    out = StringIO()
    call_command("send_digests", "--period", "weekly", stdout=out)
    assert len(mail.outbox) == 1
    assert out.getvalue() == "Weekly digests sent: 1.\n"
    call_command("send_digests", "--period", "weekly", stdout=out)
    assert len(mail.outbox) == 1
    assert out.getvalue().endswith("Weekly digests sent: 0.\n")
    with pytest.raises(CommandError):
        call_command("send_digests", "--period", "hourly")


def test_news_dated_in_the_digest_by_when_it_happened() -> None:
    jo = UserFactory()
    _choose(jo, response=Frequency.WEEKLY)
    made = _tell(jo, Event.RESPONSE, "News.")
    when = timezone.make_aware(dt.datetime(2026, 3, 2, 10))
    Notification.objects.filter(pk=made.pk).update(created_at=when)
    tasks.send_digests.call("weekly")
    assert "(2 March 2026)" in mail.outbox[0].body


def test_the_command_can_hand_the_job_to_the_workers(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    from django_tasks import default_task_backend

    jo = UserFactory()
    _choose(jo, response=Frequency.DAILY)
    _tell(jo, Event.RESPONSE, "News.")
    out = StringIO()
    call_command("send_digests", "--period", "daily", "--enqueue", stdout=out)
    assert out.getvalue().startswith("Queued the daily digests (task ")
    assert mail.outbox == []  # the worker sends them, not this process
    (queued,) = default_task_backend.results  # type: ignore[attr-defined]
    assert queued.task.name == "send_digests"
    assert queued.args == ["daily"]
