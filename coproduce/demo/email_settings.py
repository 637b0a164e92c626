"""Jo Bennett's email settings: two services followed, new activities in a weekly summary, and
this week's new activities waiting for it (docs/decisions/0024-notification-settings.md).

Seeding opens every activity before anyone follows a service, so nobody was told. This follows
the services as Jo did, chooses Jo's settings, and tells the followers about the activities that
opened in the last week, dated when each opened and not emailed yet:
``manage.py send_digests --period weekly`` sends Jo's summary.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from coproduce.accounts.models import User
from coproduce.contributions.actions import activity_opened_notify, follow_set
from coproduce.notifications.actions import notification_settings_set
from coproduce.notifications.models import Event, Frequency, Notification
from coproduce.services.models import Activity, ActivityState, Service

RESIDENT = "resident@example.org"  # Jo Bennett
FOLLOWED = ("neighbourhood-policing-in-northfield", "community-transport-scheme")
WEEK = dt.timedelta(days=7)


def add_email_settings() -> int:
    """Jo's follows, settings and waiting news (safe to run again); returns the news waiting."""
    jo = User.objects.get(email=RESIDENT)
    notification_settings_set(user=jo, frequencies={Event.NEW_ACTIVITY: Frequency.WEEKLY})
    services = list(Service.objects.filter(slug__in=FOLLOWED))
    for service in services:
        follow_set(user=jo, target=service, follow=True)
    now = timezone.now()
    recent = Activity.objects.filter(
        service_stage__service__in=services,
        state=ActivityState.OPEN,
        opens_on__gte=timezone.localdate() - WEEK,
    ).select_related("service_stage__service")
    for activity in recent:
        url = activity.get_absolute_url()
        news = Notification.objects.filter(event=Event.NEW_ACTIVITY, url=url)
        if news.exists():
            continue  # told when the demo was seeded before
        activity_opened_notify(activity)
        day = activity.opens_on or timezone.localdate()  # always set: the filter above
        opened = timezone.make_aware(dt.datetime.combine(day, dt.time(9)))
        news.update(created_at=min(opened, now))
    return Notification.objects.filter(
        user=jo, event=Event.NEW_ACTIVITY, emailed_at__isnull=True
    ).count()
