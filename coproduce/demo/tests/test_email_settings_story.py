"""The demo's resident chose a weekly summary of new activities in the two services they follow,
and this week's wait for it (decision 0024)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from coproduce.accounts.models import User
from coproduce.contributions.models import Follow
from coproduce.demo.story import seed
from coproduce.notifications import queries
from coproduce.notifications.models import Event, Frequency, Notification
from coproduce.notifications.tasks import send_digests

pytestmark = [pytest.mark.slow, pytest.mark.demo_content]

RESIDENT = "resident@example.org"
NEWS = {
    "Passengers assess the scheme",
    "How should the team tackle e-bike theft?",
}


def _waiting() -> list[Notification]:
    return list(Notification.objects.filter(emailed_at__isnull=True).select_related("user"))


def test_the_residents_weekly_summary_waits_with_this_weeks_new_activities(
    demo_story: None,
) -> None:
    mail.outbox.clear()  # what seeding sent, when this test was the process's first to seed
    seed()  # safe to run again: nothing is followed or told twice
    assert mail.outbox == []
    jo = User.objects.get(email=RESIDENT)
    assert set(Follow.objects.filter(user=jo).values_list("service__slug", flat=True)) == {
        "neighbourhood-policing-in-northfield",
        "community-transport-scheme",
    }
    choices = queries.settings_of(jo)
    assert choices.pk is not None
    assert choices.frequency(Event.NEW_ACTIVITY) == Frequency.WEEKLY
    assert choices.frequency(Event.RESPONSE) == Frequency.AT_ONCE

    waiting = _waiting()  # the rest of the demo's news went when it happened
    assert {n.user.email for n in waiting} == {RESIDENT}
    assert {n.event for n in waiting} == {Event.NEW_ACTIVITY}
    assert {n.delivery for n in waiting} == {Frequency.WEEKLY}
    assert len(waiting) == len(NEWS)
    week_ago = timezone.now() - dt.timedelta(days=8)
    for notification in waiting:
        assert any(title in notification.message for title in NEWS), notification.message
        assert week_ago < notification.created_at < timezone.now()  # dated when it opened

    assert send_digests.call("weekly") == 1
    (summary,) = mail.outbox
    assert summary.to == [RESIDENT]
    assert all(title in summary.body for title in NEWS)
    assert "List-Unsubscribe" in summary.extra_headers
    assert _waiting() == []
