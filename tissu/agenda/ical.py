"""iCalendar (RFC 5545) output with the icalendar library: the agenda feed and one file per event.

A recurring event is one VEVENT with its RRULE and EXDATEs, so that calendar applications show the
series as a series. Cancelled events carry STATUS:CANCELLED; postponed ones STATUS:TENTATIVE with the
organiser's note, so subscribers see the change at their next refresh.
"""

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, vRecur
from icalendar import Event as VEvent

from tissu.agenda.models import Event, Schedule

PRODID = "-//Tissu//Agenda//FR"


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    return calendar


def _vevent(event: Event) -> VEvent:
    url = settings.SITE_URL + reverse("agenda:event-detail", args=[event.slug])
    vevent = VEvent()
    host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0]
    vevent.add("uid", f"event-{event.pk}@{host}")
    vevent.add("dtstamp", event.updated_at or timezone.now())
    vevent.add("dtstart", timezone.localtime(event.starts_at))
    vevent.add("dtend", timezone.localtime(event.ends_at))
    vevent.add("summary", event.title)
    description = "\n\n".join(part for part in [event.summary, event.schedule_note, url] if part)
    vevent.add("description", description)
    vevent.add("url", url)
    location = ", ".join(part for part in [event.venue_name, event.venue_address] if part) or event.online_url
    if location:
        vevent.add("location", location)
    if event.latitude is not None and event.longitude is not None:
        vevent.add("geo", (float(event.latitude), float(event.longitude)))
    if event.category_id:
        vevent.add("categories", [event.category.name])
    if event.recurrence:
        vevent.add("rrule", vRecur.from_ical(event.recurrence))
        for day in event.exception_dates:
            moment = timezone.localtime(event.starts_at)
            excluded = datetime.datetime.combine(datetime.date.fromisoformat(day), moment.time(), tzinfo=moment.tzinfo)
            vevent.add("exdate", excluded)
    if event.schedule == Schedule.CANCELLED:
        vevent.add("status", "CANCELLED")
    elif event.schedule == Schedule.POSTPONED:
        vevent.add("status", "TENTATIVE")
    else:
        vevent.add("status", "CONFIRMED")
    vevent.add("sequence", int(event.updated_at.timestamp()) % 2_000_000_000 if event.updated_at else 0)
    return vevent


def agenda_calendar(events, *, name: str) -> bytes:
    calendar = _calendar(name)
    for event in events:
        calendar.add_component(_vevent(event))
    # VTIMEZONE components for the TZIDs used, so that every client reads the local times right.
    calendar.add_missing_timezones()
    return calendar.to_ical()


def event_calendar(event: Event) -> bytes:
    return agenda_calendar([event], name=event.title)


def programme_calendar(event: Event, sessions) -> bytes:
    """An attendee's personal programme: one VEVENT per session."""
    calendar = _calendar(event.title)
    host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0]
    url = settings.SITE_URL + reverse("agenda:event-detail", args=[event.slug])
    for session in sessions:
        vevent = VEvent()
        vevent.add("uid", f"session-{session.pk}@{host}")
        vevent.add("dtstamp", timezone.now())
        vevent.add("dtstart", timezone.localtime(session.starts_at))
        vevent.add("dtend", timezone.localtime(session.ends_at))
        vevent.add("summary", f"{session.title} – {event.title}")
        vevent.add("description", "\n".join(part for part in [session.speakers, session.description, url] if part))
        location = ", ".join(part for part in [session.room, event.venue_name, event.venue_address] if part)
        if location:
            vevent.add("location", location)
        vevent.add("status", "CANCELLED" if event.schedule == Schedule.CANCELLED else "CONFIRMED")
        calendar.add_component(vevent)
    calendar.add_missing_timezones()
    return calendar.to_ical()
