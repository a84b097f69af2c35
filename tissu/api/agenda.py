"""The agenda's endpoints: public events and their dates, and the event categories.

Only published public events are served, whoever asks (``selectors.visible_events`` for an anonymous
person): internal meetings between associations never leave Tissu through the API, as through the
feeds. Each event lists its dates (a recurring event has several) within the asked period.
"""

import datetime

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import Prefetch, Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import Field, Path, Query, Router, Schema
from ninja.errors import HttpError

from tissu.agenda import selectors
from tissu.agenda.models import AttendanceMode, Category, Event, Occurrence, Schedule
from tissu.api.directory import DEFAULT_LIMIT, MAX_LIMIT, Error, _page_url
from tissu.city.selectors import city_settings_get

router = Router(tags=["agenda"])

MAX_DATES = 100  # per event and period: a weekly event over ten years would otherwise send 500 dates


class DateOut(Schema):
    starts_at: datetime.datetime = Field(description="Start, ISO 8601 with the city's offset.")
    ends_at: datetime.datetime = Field(description="End, ISO 8601 with the city's offset.")


class VenueOut(Schema):
    name: str | None = Field(description="Name of the place (a hall, a park…).")
    address: str | None = Field(description="Postal address, in words.")
    latitude: float | None = Field(description="WGS 84 latitude, when the organiser gave it.")
    longitude: float | None = Field(description="WGS 84 longitude, when the organiser gave it.")


class OrganiserOut(Schema):
    name: str = Field(description="The association's name, or the city's for its own events.")
    association: str | None = Field(description="Slug of the association in the directory (/api/associations/…).")


class EventOut(Schema):
    slug: str = Field(description="Identifier, also the address of the event's page.")
    title: str = Field(description="Title of the event.")
    summary: str | None = Field(description="One or two sentences.")
    description: str | None = Field(description="Markdown, as the organiser typed it.")
    category: str | None = Field(description="Slug of the category (see /api/event-categories).")
    organiser: OrganiserOut
    status: str = Field(description=f"One of {', '.join(Schedule.values)}; a cancelled event stays listed.")
    status_note: str | None = Field(description="What the organiser said about a cancellation or postponement.")
    attendance_mode: str = Field(description=f"One of {', '.join(AttendanceMode.values)}.")
    online_url: str | None = Field(description="Link to follow an online or hybrid event.")
    venue: VenueOut | None = Field(description="null for an online event.")
    is_free: bool = Field(description="true when the event costs nothing.")
    price: str | None = Field(description="Price, in words, for a paid event.")
    audiences: list[str] = Field(description="Names of the audiences the event is meant for.")
    accessibility: list[str] = Field(
        description="Among step_free, sign_language, audio_description, hearing_loop, easy_read."
    )
    accessibility_details: str | None = Field(description="The organiser's details on access.")
    registration_required: bool = Field(description="true when people register on the event's page.")
    url: str = Field(description="The event's page.")
    ics: str = Field(description="The event as an iCalendar file.")
    dates: list[DateOut] = Field(description=f"Its dates in the asked period, soonest first (at most {MAX_DATES}).")


class EventPage(Schema):
    count: int = Field(description="Number of events matching the filters, all pages together.")
    limit: int = Field(description="Page size asked for.")
    offset: int = Field(description="Position of the first result of this page in the whole list (from 0).")
    next: str | None = Field(description="Address of the next page, null on the last one.")
    previous: str | None = Field(description="Address of the previous page, null on the first one.")
    results: list[EventOut] = Field(description="The events of this page.")


class EventQuery(Schema):
    start: datetime.date | None = Field(None, description="Events with a date ending on or after this day (today).")
    end: datetime.date | None = Field(None, description="Events with a date starting on or before this day.")
    category: str | None = Field(None, description="Category slug.")
    association: str | None = Field(None, description="Slug of the organising association.")
    free: bool | None = Field(None, description="true: free events only.")
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=f"Page size, 1 to {MAX_LIMIT}.")
    offset: int = Field(0, ge=0, description="Number of results to skip.")


class CategoryOut(Schema):
    slug: str = Field(description="Identifier, used by the category filter.")
    name: str = Field(description="Name of the category.")


ACCESSIBILITY = ["step_free", "sign_language", "audio_description", "hearing_loop", "easy_read"]


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _period(start: datetime.date | None, end: datetime.date | None) -> Q:
    since = _day_start(start) if start else timezone.now()
    period = Q(ends_at__gte=since)
    if end:
        period &= Q(starts_at__lt=_day_start(end + datetime.timedelta(days=1)))
    return period


def _events(period: Q):
    return (
        selectors.visible_events(AnonymousUser())
        .select_related("category", "association")
        .prefetch_related(
            "audiences", Prefetch("occurrences", queryset=Occurrence.objects.filter(period).order_by("starts_at"))
        )
    )


def _event_out(event: Event) -> dict:
    organiser = event.association
    return {
        "slug": event.slug,
        "title": event.title,
        "summary": event.summary or None,
        "description": event.description or None,
        "category": event.category.slug if event.category_id else None,
        "organiser": {
            "name": organiser.name if organiser else city_settings_get().name,
            "association": organiser.slug if organiser else None,
        },
        "status": event.schedule,
        "status_note": event.schedule_note or None,
        "attendance_mode": event.attendance_mode,
        "online_url": event.online_url or None,
        "venue": None
        if event.attendance_mode == AttendanceMode.ONLINE
        else {
            "name": event.venue_name or None,
            "address": event.venue_address or None,
            "latitude": float(event.latitude) if event.latitude is not None else None,
            "longitude": float(event.longitude) if event.longitude is not None else None,
        },
        "is_free": event.is_free,
        "price": event.price or None,
        "audiences": [audience.name for audience in event.audiences.all()],
        "accessibility": [name for name in ACCESSIBILITY if getattr(event, name)],
        "accessibility_details": event.accessibility_details or None,
        "registration_required": event.registration_required,
        "url": settings.SITE_URL + reverse("agenda:event-detail", args=[event.slug]),
        "ics": settings.SITE_URL + reverse("agenda:event-ics", args=[event.slug]),
        "dates": [
            {"starts_at": timezone.localtime(o.starts_at), "ends_at": timezone.localtime(o.ends_at)}
            for o in list(event.occurrences.all())[:MAX_DATES]
        ],
    }


@router.get("/events", response=EventPage, url_name="event-list", summary="List public events")
def event_list(request: HttpRequest, params: Query[EventQuery]):
    """Published public events with a date in the period (from today by default), by their first date in it."""
    if params.start and params.end and params.end < params.start:
        raise HttpError(422, "The end of the period is before its start.")
    period = _period(params.start, params.end)
    matching = Occurrence.objects.filter(period).values("event_id")
    events = _events(period).filter(pk__in=matching)
    if params.category:
        events = events.filter(category__slug=params.category)
    if params.association:
        events = events.filter(association__slug=params.association)
    if params.free:
        events = events.filter(is_free=True)
    count = events.count()
    page = list(events.order_by("starts_at", "id")[params.offset : params.offset + params.limit])
    has_next = params.offset + params.limit < count
    return {
        "count": count,
        "limit": params.limit,
        "offset": params.offset,
        "next": _page_url(request, params.offset + params.limit if has_next else None),
        "previous": _page_url(request, max(params.offset - params.limit, 0) if params.offset else None),
        "results": [_event_out(event) for event in page],
    }


@router.get("/events/{slug}", response={200: EventOut, 404: Error}, url_name="event-detail", summary="One public event")
def event_detail(request: HttpRequest, slug: str = Path(..., description="The event's slug.")):
    """A published public event, with its coming dates. Drafts and internal events answer 404."""
    event = _events(_period(None, None)).filter(slug=slug).first()
    if event is None:
        raise HttpError(404, "No public event has this address.")
    return _event_out(event)


@router.get("/event-categories", response=list[CategoryOut], url_name="event-category-list", summary="Categories")
def category_list(request: HttpRequest):
    """The kinds of events, used by the category filter."""
    return list(Category.objects.order_by("name").values("slug", "name"))


def index_urls() -> dict[str, str]:
    return {
        "events": reverse("api:event-list"),
        "event_categories": reverse("api:event-category-list"),
        "agenda_ics": reverse("agenda:feed"),
        "agenda_openagenda_json": reverse("agenda:openagenda-json"),
    }
