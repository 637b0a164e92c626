"""Notification settings: the defaults, each topic and frequency honoured, and news that waits for a
digest following a change of mind."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from coproduce.accounts.tests.factories import UserFactory
from coproduce.notifications import actions, queries
from coproduce.notifications.models import (
    DEFAULT_FREQUENCIES,
    Event,
    Frequency,
    Notification,
    NotificationSettings,
)

pytestmark = pytest.mark.django_db

URL = "/ideas/7/"


def _tell(users: list[Any], event: str = Event.RESPONSE) -> list[Notification]:
    return actions.notify(users=users, event=event, message="News.", url=URL, service=None)


def _choose(user: Any, **frequencies: str) -> NotificationSettings:
    return actions.notification_settings_set(user=user, frequencies=frequencies)


def test_people_who_never_chose_have_the_defaults() -> None:
    jo = UserFactory()
    current = queries.settings_of(jo)
    assert current.pk is None  # nothing is stored until the person chooses
    assert current.frequencies == {
        Event.RESPONSE: Frequency.AT_ONCE,
        Event.STATUS: Frequency.AT_ONCE,
        Event.DECISION: Frequency.AT_ONCE,
        Event.NEW_ACTIVITY: Frequency.DAILY,
    }
    assert current.frequencies == DEFAULT_FREQUENCIES
    assert queries.frequencies([jo], Event.NEW_ACTIVITY) == {jo.pk: Frequency.DAILY}


def test_a_choice_is_saved_and_topics_left_out_keep_theirs() -> None:
    jo = UserFactory()
    _choose(jo, response=Frequency.WEEKLY, decision=Frequency.NEVER)
    actions.notification_settings_set(
        user=jo, frequencies={Event.STATUS: Frequency.DAILY}, language="cy"
    )
    stored = NotificationSettings.objects.get(user=jo)
    assert stored.frequencies == {
        Event.RESPONSE: Frequency.WEEKLY,
        Event.STATUS: Frequency.DAILY,
        Event.DECISION: Frequency.NEVER,
        Event.NEW_ACTIVITY: Frequency.DAILY,
    }
    assert stored.language == "cy"


def test_unknown_frequencies_and_languages_are_refused() -> None:
    jo = UserFactory()
    with pytest.raises(ValidationError) as refused:
        actions.notification_settings_set(
            user=jo, frequencies={Event.RESPONSE: "hourly"}, language="fr"
        )
    assert set(refused.value.message_dict) == {Event.RESPONSE, "language"}
    with pytest.raises(TypeError):
        actions.notification_settings_set(user=jo, frequencies={"gossip": Frequency.NEVER})
    assert not NotificationSettings.objects.exists()


@pytest.mark.parametrize("topic", Event.values)
@pytest.mark.parametrize("frequency", Frequency.values)
def test_each_topic_goes_as_chosen(
    topic: str, frequency: str, django_capture_on_commit_callbacks: Any
) -> None:
    """At once: emailed after the commit. Digests: waiting for theirs. Never: not emailed."""
    jo, sam = UserFactory(), UserFactory()  # Sam keeps the defaults
    _choose(jo, **{topic: frequency})
    with django_capture_on_commit_callbacks(execute=True):
        _tell([jo, sam], event=topic)
    mine = Notification.objects.get(user=jo)
    assert mine.event == topic
    assert mine.delivery == frequency
    assert (mine.emailed_at is not None) == (frequency == Frequency.AT_ONCE)
    assert [m.to for m in mail.outbox if m.to == [jo.email]] == (
        [[jo.email]] if frequency == Frequency.AT_ONCE else []
    )
    theirs = Notification.objects.get(user=sam)
    assert theirs.delivery == DEFAULT_FREQUENCIES[topic]


def test_nothing_is_enqueued_for_people_who_do_not_want_it_at_once(
    django_capture_on_commit_callbacks: Any,
) -> None:
    weekly, never = UserFactory(), UserFactory()
    _choose(weekly, response=Frequency.WEEKLY)
    _choose(never, response=Frequency.NEVER)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert len(_tell([weekly, never])) == 2
    assert callbacks == []
    assert mail.outbox == []


def test_the_email_task_sends_only_what_goes_at_once() -> None:
    """The task checks again: a notification meant for a digest is not sent at once."""
    from coproduce.notifications.tasks import send_notification_emails

    jo = UserFactory()
    _choose(jo, response=Frequency.DAILY)
    (waiting,) = _tell([jo])
    assert send_notification_emails.call([waiting.pk]) == 0
    assert mail.outbox == []


def test_waiting_news_follows_a_change_to_another_digest() -> None:
    jo = UserFactory()
    _choose(jo, response=Frequency.WEEKLY, status=Frequency.WEEKLY)
    answer, status = _tell([jo])[0], _tell([jo], event=Event.STATUS)[0]
    _choose(jo, response=Frequency.DAILY)
    answer.refresh_from_db()
    status.refresh_from_db()
    assert (answer.delivery, status.delivery) == (Frequency.DAILY, Frequency.WEEKLY)


def test_waiting_news_goes_at_once_when_that_is_the_new_choice(
    django_capture_on_commit_callbacks: Any,
) -> None:
    jo = UserFactory()
    _choose(jo, response=Frequency.WEEKLY)
    (waiting,) = _tell([jo])
    with django_capture_on_commit_callbacks(execute=True):
        _choose(jo, response=Frequency.AT_ONCE)
    waiting.refresh_from_db()
    assert waiting.delivery == Frequency.AT_ONCE
    assert waiting.emailed_at is not None
    assert [m.to for m in mail.outbox] == [[jo.email]]


def test_news_set_never_to_be_emailed_stays_so() -> None:
    """Choosing a digest after "never" does not send a year of news nobody asked for."""
    jo = UserFactory()
    _choose(jo, response=Frequency.NEVER)
    (quiet,) = _tell([jo])
    _choose(jo, response=Frequency.DAILY)
    quiet.refresh_from_db()
    assert quiet.delivery == Frequency.NEVER


def test_unsubscribing_stops_the_topics_and_what_waits_for_them() -> None:
    jo = UserFactory()
    _choose(jo, response=Frequency.DAILY, decision=Frequency.DAILY)
    answer, decision = _tell([jo])[0], _tell([jo], event=Event.DECISION)[0]
    actions.notifications_unsubscribe(user=jo, topics=[Event.RESPONSE])
    assert queries.settings_of(jo).frequency(Event.RESPONSE) == Frequency.NEVER
    assert queries.settings_of(jo).frequency(Event.DECISION) == Frequency.DAILY
    answer.refresh_from_db()
    decision.refresh_from_db()
    assert (answer.delivery, decision.delivery) == (Frequency.NEVER, Frequency.DAILY)
    assert answer.emailed_at is None  # emailed_at stays the truth: it was never sent
