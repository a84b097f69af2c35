"""Reads of the agenda: the public list, the week and month grids, an association's upcoming events."""

import datetime
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from tissu.agenda import permissions
from tissu.agenda.models import (
    ACTIVE_STATUSES,
    HOLDING_STATUSES,
    CalendarToken,
    Category,
    Event,
    Occurrence,
    Publication,
    Registration,
    RegistrationStatus,
    Session,
    TicketCategory,
    Visibility,
)
from tissu.directory import search
from tissu.directory.models import Association, Audience, Neighbourhood

PAGE_SIZE = 20


@dataclass(frozen=True)
class AgendaFilters:
    q: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    categories: tuple[str, ...] = ()
    audiences: tuple[str, ...] = ()
    neighbourhoods: tuple[str, ...] = ()
    association: str = ""
    free: bool = False
    accessible: bool = False

    @property
    def is_filtered(self) -> bool:
        return any(
            [self.q, self.date_from, self.date_to, self.categories, self.audiences, self.neighbourhoods,
             self.association, self.free, self.accessible]
        )  # fmt: skip


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def visible_events(user) -> QuerySet[Event]:
    """Published events this person may see (internal ones for association members and staff)."""
    events = Event.objects.filter(publication=Publication.PUBLISHED)
    if not permissions.can_see_internal(user):
        events = events.filter(visibility=Visibility.PUBLIC)
    return events


def _occurrences(user, filters: AgendaFilters) -> QuerySet[Occurrence]:
    occurrences = Occurrence.objects.filter(event__in=visible_events(user))
    if filters.q:
        for term in search.query_terms(filters.q):
            occurrences = occurrences.filter(event__search_text__contains=term)
    if filters.categories:
        occurrences = occurrences.filter(event__category__slug__in=filters.categories)
    if filters.audiences:
        tagged = Event.audiences.through.objects.filter(audience__slug__in=filters.audiences).values("event_id")
        occurrences = occurrences.filter(event_id__in=tagged)
    if filters.neighbourhoods:
        occurrences = occurrences.filter(event__neighbourhood__slug__in=filters.neighbourhoods)
    if filters.association:
        occurrences = occurrences.filter(event__association__slug=filters.association)
    if filters.free:
        occurrences = occurrences.filter(event__is_free=True)
    if filters.accessible:
        occurrences = occurrences.filter(event__step_free=True)
    return occurrences.select_related("event", "event__category", "event__association", "event__neighbourhood")


def occurrence_page(*, user, filters: AgendaFilters, page_number=None):
    """The list view: occurrences from the chosen day (today by default), soonest first, paginated."""
    start = _day_start(filters.date_from) if filters.date_from else timezone.now()
    occurrences = _occurrences(user, filters).filter(ends_at__gte=start)
    if filters.date_to:
        occurrences = occurrences.filter(starts_at__lt=_day_start(filters.date_to + datetime.timedelta(days=1)))
    paginator = Paginator(occurrences.order_by("starts_at", "id"), PAGE_SIZE)
    return paginator.get_page(page_number)


def located_occurrence_page(*, user, filters: AgendaFilters, page_number=None, per_page: int = 100):
    """The map view: the list's occurrences that have coordinates, soonest first, a page at a time."""
    start = _day_start(filters.date_from) if filters.date_from else timezone.now()
    occurrences = _occurrences(user, filters).filter(
        ends_at__gte=start, event__latitude__isnull=False, event__longitude__isnull=False
    )
    if filters.date_to:
        occurrences = occurrences.filter(starts_at__lt=_day_start(filters.date_to + datetime.timedelta(days=1)))
    return Paginator(occurrences.order_by("starts_at", "id"), per_page).get_page(page_number)


def occurrences_by_day(*, user, filters: AgendaFilters, first: datetime.date, last: datetime.date) -> dict:
    """{date: [occurrence, …]} for every day from first to last; a multi-day event appears on each of its days."""
    days = {first + datetime.timedelta(days=n): [] for n in range((last - first).days + 1)}
    occurrences = (
        _occurrences(user, filters)
        .filter(starts_at__lt=_day_start(last + datetime.timedelta(days=1)), ends_at__gte=_day_start(first))
        .order_by("starts_at", "id")
    )
    for occurrence in occurrences:
        day = max(timezone.localtime(occurrence.starts_at).date(), first)
        end = min(timezone.localtime(occurrence.ends_at).date(), last)
        while day <= end:
            days[day].append(occurrence)
            day += datetime.timedelta(days=1)
    return days


def filter_choices() -> dict:
    """The values of the filter form (four queries, whatever the number of events)."""
    return {
        "categories": list(Category.objects.values_list("slug", "name")),
        "audiences": list(Audience.objects.values_list("slug", "name")),
        "neighbourhoods": list(Neighbourhood.objects.values_list("slug", "name")),
        "associations": list(
            Association.objects.filter(events__publication=Publication.PUBLISHED, events__visibility=Visibility.PUBLIC)
            .distinct()
            .order_by("name")
            .values_list("slug", "name")
        ),
    }


def upcoming_events_of(association, user, *, limit: int = 5) -> list[Occurrence]:
    """For the association's public profile: its next dates, in one query."""
    return list(
        Occurrence.objects.filter(
            event__in=visible_events(user).filter(association=association), ends_at__gte=timezone.now()
        )
        .select_related("event", "event__category")
        .order_by("starts_at", "id")[:limit]
    )


def event_occurrences(event: Event, *, upcoming_only: bool = True, limit: int = 50) -> list[Occurrence]:
    occurrences = event.occurrences.all()
    if upcoming_only:
        occurrences = occurrences.filter(ends_at__gte=timezone.now())
    return list(occurrences.order_by("starts_at")[:limit])


def ticket_categories_with_counts(event: Event) -> list[TicketCategory]:
    """Each category with `held` (confirmed or offered places) and `waiting` counts, in one query."""
    categories = list(
        event.ticket_categories.annotate(
            held=Count("registrations", filter=Q(registrations__status__in=HOLDING_STATUSES)),
            waiting=Count("registrations", filter=Q(registrations__status=RegistrationStatus.WAITING)),
        )
    )
    for category in categories:
        category.remaining = max(category.capacity - category.held, 0)
    return categories


def registration_of(user, event: Event) -> Registration | None:
    if not user.is_authenticated:
        return None
    return (
        Registration.objects.filter(user=user, event=event, status__in=ACTIVE_STATUSES)
        .select_related("category")
        .first()
    )


def waiting_position(registration: Registration) -> int:
    return (
        Registration.objects.filter(
            category=registration.category_id,
            status=RegistrationStatus.WAITING,
            created_at__lte=registration.created_at,
        )
        .exclude(pk=registration.pk)
        .count()
        + 1
    )


def registrations_of_event(event: Event) -> QuerySet[Registration]:
    return event.registrations.select_related("user", "category").order_by("category__position", "created_at", "id")


def events_managed_by(user) -> QuerySet[Event]:
    """Events of the associations this person manages, and the city's own events for staff."""
    managed = Q(association__in=permissions.associations_published_for(user))
    if permissions.is_office(user):
        managed |= Q(association__isnull=True)
    return Event.objects.filter(managed).select_related("association").order_by("-starts_at")


def registrations_of_user(user) -> QuerySet[Registration]:
    return (
        Registration.objects.filter(user=user)
        .select_related("event", "category")
        .order_by("-event__starts_at", "-created_at")
    )


def events_pending_approval() -> QuerySet[Event]:
    return Event.objects.filter(publication=Publication.PENDING).select_related("association").order_by("starts_at")


def registrations_export(user) -> list[dict]:
    """The person's registrations, for the personal data export."""
    return [
        {
            "event": registration.event.title,
            "starts_at": registration.event.starts_at.isoformat(),
            "category": registration.category.name,
            "status": registration.status,
            "answers": registration.answers,
            "registered_at": registration.created_at.isoformat(),
        }
        for registration in registrations_of_user(user)
    ]


def programme(event: Event, registration: Registration | None = None) -> list[tuple[datetime.date, list[Session]]]:
    """The sessions by day, each with `taken` places, `remaining` and `chosen` (for this registration)."""
    sessions = list(event.sessions.annotate(taken=Count("choices")))
    chosen = set()
    if registration is not None and registration.status == RegistrationStatus.CONFIRMED:
        chosen = set(registration.session_choices.values_list("session_id", flat=True))
    days: dict[datetime.date, list[Session]] = {}
    for session in sessions:
        session.remaining = None if session.capacity is None else max(session.capacity - session.taken, 0)
        session.chosen = session.pk in chosen
        days.setdefault(timezone.localtime(session.starts_at).date(), []).append(session)
    return list(days.items())


def personal_programme(registration: Registration) -> list[Session]:
    """The sessions everyone attends, and those the attendee chose."""
    return list(
        registration.event.sessions.filter(Q(capacity__isnull=True) | Q(choices__registration=registration))
        .distinct()
        .order_by("starts_at")
    )


@dataclass
class PlanningDay:
    day: datetime.date
    occurrences: list
    clashes: int


def planning(*, first: datetime.date, last: datetime.date) -> list[PlanningDay]:
    """For the office: every event planned (all but refused or cancelled ones, drafts included), day by day,
    each occurrence with its overlaps (the titles of the others at the same time that day)."""
    occurrences = (
        Occurrence.objects.filter(
            starts_at__lt=_day_start(last + datetime.timedelta(days=1)), ends_at__gte=_day_start(first)
        )
        .exclude(event__publication=Publication.REFUSED)
        .exclude(event__schedule="cancelled")
        .select_related("event", "event__association", "event__neighbourhood")
        .order_by("starts_at", "id")
    )
    by_day: dict[datetime.date, list] = {}
    for occurrence in occurrences:
        day = max(timezone.localtime(occurrence.starts_at).date(), first)
        end = min(timezone.localtime(occurrence.ends_at).date(), last)
        while day <= end:
            by_day.setdefault(day, []).append(occurrence)
            day += datetime.timedelta(days=1)
    days = []
    for day, items in sorted(by_day.items()):
        clashes = 0
        annotated = []
        for occurrence in items:
            overlaps = [
                other.event.title
                for other in items
                if other is not occurrence
                and other.starts_at < occurrence.ends_at
                and other.ends_at > occurrence.starts_at
            ]
            clashes += bool(overlaps)
            annotated.append((occurrence, overlaps))
        days.append(PlanningDay(day=day, occurrences=annotated, clashes=clashes))
    return days


def calendar_token_of(user) -> str:
    return CalendarToken.objects.filter(user=user).values_list("token", flat=True).first() or ""
