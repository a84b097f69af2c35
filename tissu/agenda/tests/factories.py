"""Events for tests, written through the services (dates expanded as in production)."""

import datetime

from django.utils import timezone

from tissu.agenda import services
from tissu.agenda.models import Category, Event, Publication


def make_event(
    title: str = "Atelier réparation de vélos",
    *,
    association=None,
    actor=None,
    days: int = 7,
    hours: int = 2,
    publish: bool = True,
    categories=(),
    capacity: int | None = None,
    **values,
) -> Event:
    """A published in-person event in `days` days; capacity → registration required with one category."""
    start = timezone.localtime().replace(hour=18, minute=0, second=0, microsecond=0) + datetime.timedelta(days=days)
    defaults = {
        "title": title,
        "starts_at": start,
        "ends_at": start + datetime.timedelta(hours=hours),
        "venue_name": "Salle des fêtes",
        "venue_address": "1 place de la Mairie, Bellerive-sur-Orge",
        "registration_required": capacity is not None,
    }
    defaults.update(values)
    event = services.event_create(actor=actor, association=association, values=defaults)
    if capacity is not None:
        services.ticket_category_add(actor=actor, event=event, name="Participant", capacity=capacity)
    if publish:
        Event.objects.filter(pk=event.pk).update(publication=Publication.PUBLISHED, published_at=timezone.now())
        event.refresh_from_db()
    return event


def category(slug: str = "forum") -> Category:
    return Category.objects.get(slug=slug)
