"""Who hears what: the spine tells followers when an activity of their service opens, and the news
about what people said goes by email as each person chose (docs/decisions/0024)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from coproduce.accounts.tests.factories import UserFactory
from coproduce.contributions import actions
from coproduce.contributions.kinds import get_kind
from coproduce.contributions.models import Contribution
from coproduce.notifications.actions import notification_settings_set
from coproduce.notifications.models import Event, Frequency, Notification
from coproduce.notifications.tasks import send_digests
from coproduce.services import hooks
from coproduce.services.actions import activity_transition
from coproduce.services.models import Activity, ActivityState, Service
from coproduce.services.tests.factories import ActivityFactory, ServiceFactory, staff_of

pytestmark = pytest.mark.django_db


def _follow(user: Any, service: Service) -> None:
    actions.follow_set(user=user, target=service, follow=True)


def _open(activity: Activity) -> Activity:
    return activity_transition(activity=activity, to_state=ActivityState.OPEN)


def test_the_spine_listens_for_activities_that_open() -> None:
    assert actions.activity_opened_notify in hooks.ACTIVITY_OPENED.callbacks


def test_followers_of_the_service_hear_once_when_an_activity_opens(
    django_capture_on_commit_callbacks: Any,
) -> None:
    service = ServiceFactory(name="Library opening hours")
    other = ServiceFactory(name="Bin collections")
    jo, sam, elsewhere, gone = UserFactory(), UserFactory(), UserFactory(), UserFactory()
    for person in (jo, sam, gone):
        _follow(person, service)
    _follow(elsewhere, other)
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    activity = ActivityFactory(service=service, title="Evening opening survey")

    with django_capture_on_commit_callbacks(execute=True):
        _open(activity)

    told = Notification.objects.filter(event=Event.NEW_ACTIVITY)
    assert sorted(n.user_id for n in told) == sorted([jo.pk, sam.pk])
    for notification in told:
        assert notification.url == activity.get_absolute_url()
        assert notification.service == service
        assert "Evening opening survey" in notification.message
        assert "Library opening hours" in notification.message
        assert notification.delivery == Frequency.DAILY  # the default for new activities
    assert mail.outbox == []  # they wait for the daily digest

    # Closing and opening again is not a new activity: nobody is told twice.
    activity_transition(activity=activity, to_state=ActivityState.CLOSED)
    _open(activity)
    assert told.count() == 2

    assert send_digests.call("daily") == 2
    assert send_digests.call("daily") == 0
    assert sorted(m.to[0] for m in mail.outbox) == sorted([jo.email, sam.email])
    assert all("Evening opening survey" in m.body for m in mail.outbox)


def test_followers_who_want_it_at_once_are_emailed_after_the_commit(
    django_capture_on_commit_callbacks: Any,
) -> None:
    service = ServiceFactory(name="Library opening hours")
    jo = UserFactory()
    _follow(jo, service)
    notification_settings_set(user=jo, frequencies={Event.NEW_ACTIVITY: Frequency.AT_ONCE})
    activity = ActivityFactory(service=service, title="Evening opening survey")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _open(activity)
    assert mail.outbox == []  # nothing before the commit
    for callback in callbacks:
        callback()
    (email,) = mail.outbox
    assert email.to == [jo.email]
    assert email.subject == "A new activity is open: Library opening hours"
    assert "Evening opening survey" in email.body


def test_nobody_is_told_about_a_draft_service_or_who_chose_never() -> None:
    draft = ServiceFactory(status="draft")
    service = ServiceFactory()
    staff, quiet = UserFactory(), UserFactory()
    _follow(quiet, service)
    notification_settings_set(user=quiet, frequencies={Event.NEW_ACTIVITY: Frequency.NEVER})
    from coproduce.contributions.models import Follow

    Follow.objects.create(user=staff, service=draft)
    _open(ActivityFactory(service=draft))
    assert not Notification.objects.filter(user=staff).exists()
    _open(ActivityFactory(service=service))
    (news,) = Notification.objects.filter(user=quiet)
    assert news.delivery == Frequency.NEVER  # listed on the site, never emailed
    assert send_digests.call("daily") == 0


def test_an_activity_that_fails_to_open_tells_nobody() -> None:
    service = ServiceFactory()
    jo = UserFactory()
    _follow(jo, service)
    activity = ActivityFactory(service=service, state=ActivityState.OPEN)
    Notification.objects.all().delete()
    with pytest.raises(ValidationError):  # an open activity cannot open again
        _open(activity)
    assert not Notification.objects.exists()


def _idea(activity: Activity, author: Any) -> Contribution:
    contribution = actions.contribution_start(
        activity=activity, kind="idea", author=author, text="Later hours"
    )
    row: Any = Contribution._meta.get_field(get_kind("idea").detail).related_model
    row._default_manager.create(contribution=contribution, title="Later hours", description="Why.")
    contribution.refresh_from_db()
    return contribution


@pytest.mark.parametrize(
    ("frequency", "emailed_at_once"),
    [(Frequency.AT_ONCE, True), (Frequency.WEEKLY, False), (Frequency.NEVER, False)],
)
def test_answers_go_to_the_author_as_they_chose(
    frequency: str, emailed_at_once: bool, django_capture_on_commit_callbacks: Any
) -> None:
    activity = ActivityFactory(state=ActivityState.OPEN)
    author = UserFactory()
    notification_settings_set(user=author, frequencies={Event.RESPONSE: frequency})
    idea = _idea(activity, author)
    with django_capture_on_commit_callbacks(execute=True):
        actions.response_create(contribution=idea, author=staff_of(activity), body="Yes.")
    (news,) = Notification.objects.filter(user=author, event=Event.RESPONSE)
    assert news.delivery == frequency
    assert bool(mail.outbox) == emailed_at_once
    assert send_digests.call("weekly") == (1 if frequency == Frequency.WEEKLY else 0)
