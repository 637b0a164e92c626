"""The iCalendar feed of a service's public meetings (RFC 5545, made with ``icalendar``)."""

from __future__ import annotations

from collections.abc import Iterable

from django.http import HttpRequest
from django.utils import timezone
from icalendar import Calendar, Event

from coproduce.governance.models import Meeting
from coproduce.services.models import Service


def feed(request: HttpRequest, service: Service, meetings: Iterable[Meeting]) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//coproduce//governance//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{service.name}: meetings")
    host = request.get_host().split(":")[0]
    stamp = timezone.now()
    for meeting in meetings:
        event = Event()
        event.add("uid", f"meeting-{meeting.pk}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", meeting.starts_at)
        event.add("dtend", meeting.ends_at)
        event.add("summary", f"{meeting.board.name}: {meeting.title}")
        event.add("location", meeting.place or meeting.link)
        event.add("url", request.build_absolute_uri(meeting.get_absolute_url()))
        event.add("description", meeting.get_format_display())
        calendar.add_component(event)
    return calendar.to_ical()
