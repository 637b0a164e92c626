"""Notifications: recorded for active people, emailed once after the commit, read, listed."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from coproduce.accounts.tests.factories import UserFactory
from coproduce.notifications import actions, queries, tasks
from coproduce.notifications.models import Event, Notification
from coproduce.services.tests.factories import ServiceFactory

pytestmark = pytest.mark.django_db

URL = "/codesign/ideas/7/"


def _tell(users: list[Any], message: str = "Your idea has an answer.", **kwargs: Any) -> list[Any]:
    defaults: dict[str, Any] = {"event": Event.RESPONSE, "url": URL, "service": None}
    return actions.notify(users=users, message=message, **{**defaults, **kwargs})


def test_notify_records_one_notification_per_active_person() -> None:
    service = ServiceFactory(name="Library opening hours")
    jo, sam, gone = UserFactory(), UserFactory(), UserFactory(is_active=False)
    created = actions.notify(
        users=[jo, sam, gone],
        event=Event.STATUS,
        message="“Later hours” is now: adopted.",
        url=URL,
        service=service,
    )
    stored = Notification.objects.order_by("user_id")
    assert [n.pk for n in created] == sorted(n.pk for n in stored)
    assert [(n.user, n.service, n.url, n.event) for n in stored] == [
        (jo, service, URL, Event.STATUS),
        (sam, service, URL, Event.STATUS),
    ]
    assert all(n.message == "“Later hours” is now: adopted." for n in stored)
    assert all(n.emailed_at is None and n.read_at is None for n in stored)
    assert not Notification.objects.filter(user=gone).exists()


def test_notify_cuts_the_message_to_500_characters() -> None:
    message = "".join(str(n % 10) for n in range(600))
    _tell([UserFactory()], message=message)
    assert Notification.objects.get().message == message[:500]


def test_the_email_task_is_enqueued_only_after_the_commit(
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _tell([UserFactory(), UserFactory()])
    assert len(callbacks) == 1  # one task for everyone told
    assert mail.outbox == []  # recorded, but nothing sent before the commit
    assert Notification.objects.filter(emailed_at__isnull=True).count() == 2
    callbacks[0]()
    assert len(mail.outbox) == 2
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()


def test_after_the_commit_each_person_gets_one_email_with_the_link(
    django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    settings.SITE_URL = "https://coproduce.example"
    service = ServiceFactory(name="Library opening hours")
    jo, sam = UserFactory(name="Jo Bennett"), UserFactory(name="Sam Okafor")
    with django_capture_on_commit_callbacks(execute=True):
        _tell([jo, sam], message="Your idea has an answer.", service=service)
    assert sorted(m.to for m in mail.outbox) == sorted([[jo.email], [sam.email]])
    for message in mail.outbox:
        assert "Library opening hours" in message.subject
        assert "\n" not in message.subject
        assert "Your idea has an answer." in message.body
        assert f"https://coproduce.example{URL}" in message.body.split()
    assert "Hello Jo," in next(m.body for m in mail.outbox if m.to == [jo.email])


def test_nothing_is_enqueued_when_there_is_nobody_to_tell(
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert _tell([]) == []
        assert _tell([UserFactory(is_active=False)]) == []
    assert callbacks == []
    assert mail.outbox == []
    assert not Notification.objects.exists()


def test_the_email_task_sends_each_notification_once() -> None:
    created = _tell([UserFactory(), UserFactory()])  # never committed: no email yet
    ids = [n.pk for n in created]
    assert tasks.send_notification_emails.call(ids) == 2
    assert len(mail.outbox) == 2
    assert not Notification.objects.filter(pk__in=ids, emailed_at__isnull=True).exists()
    # Run again (a retry, or an overlapping job): nothing more goes out.
    assert tasks.send_notification_emails.call(ids) == 0
    assert len(mail.outbox) == 2


def test_the_email_task_skips_notifications_that_no_longer_exist() -> None:
    kept, deleted = _tell([UserFactory(), UserFactory()])
    ids = [kept.pk, deleted.pk]
    deleted.delete()
    assert tasks.send_notification_emails.call([*ids, max(ids) + 1000]) == 1
    assert [m.to for m in mail.outbox] == [[kept.user.email]]


def test_mark_read_marks_only_that_persons_unread_news() -> None:
    jo, sam = UserFactory(), UserFactory()
    read_before = timezone.now() - dt.timedelta(days=3)
    _tell([jo, jo, jo, sam])
    old = Notification.objects.filter(user=jo).first()
    assert old is not None
    Notification.objects.filter(pk=old.pk).update(read_at=read_before)

    assert actions.notifications_mark_read(user=jo) == 2
    assert not Notification.objects.filter(user=jo, read_at__isnull=True).exists()
    old.refresh_from_db()
    assert old.read_at == read_before  # what was read stays read when it was
    assert Notification.objects.get(user=sam).read_at is None
    assert actions.notifications_mark_read(user=jo) == 0


def test_recent_notifications_are_that_persons_newest_first_up_to_the_limit() -> None:
    jo, sam = UserFactory(), UserFactory()
    now = timezone.now()
    mine = [_tell([jo], message=f"News {n}")[0] for n in range(4)]
    _tell([sam], message="Not for Jo")
    # Ages that do not follow the order of creation: the newest is listed first, not the last made.
    for notification, days_ago in zip(mine, [2, 0, 3, 1], strict=True):
        Notification.objects.filter(pk=notification.pk).update(
            created_at=now - dt.timedelta(days=days_ago)
        )

    assert [n.message for n in queries.recent_notifications(jo)] == [
        "News 1",
        "News 3",
        "News 0",
        "News 2",
    ]
    assert [n.message for n in queries.recent_notifications(jo, limit=2)] == ["News 1", "News 3"]
    assert [n.message for n in queries.recent_notifications(sam)] == ["Not for Jo"]
    assert queries.recent_notifications(UserFactory()) == []
