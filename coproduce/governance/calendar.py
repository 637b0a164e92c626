"""The iCalendar feed of a service's public meetings (RFC 5545, made with ``icalendar``). Links and
event ids are made from the site's address (SITE_URL), never the request's: a subscribed calendar
keeps them, and an event must keep its id whichever address the feed was fetched from."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from coproduce.governance.models import Meeting
from coproduce.services.models import Service


def feed(service: Service, meetings: Iterable[Meeting]) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//coproduce//governance//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{service.name}: meetings")
    host = urlsplit(settings.SITE_URL).hostname or "coproduce.invalid"
    stamp = timezone.now()
    for meeting in meetings:
        event = Event()
        event.add("uid", f"meeting-{meeting.pk}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", meeting.starts_at)
        event.add("dtend", meeting.ends_at)
        event.add("summary", f"{meeting.board.name}: {meeting.title}")
        event.add("location", meeting.place or meeting.link)
        event.add("url", settings.SITE_URL + meeting.get_absolute_url())
        event.add("description", meeting.get_format_display())
        calendar.add_component(event)
    return calendar.to_ical()
