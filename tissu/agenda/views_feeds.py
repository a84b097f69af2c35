"""The agenda in open formats: RSS, OpenAgenda-style JSON, and each person's private registrations calendar."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from tissu.agenda import ical, openagenda, selectors, services
from tissu.agenda.models import CalendarToken
from tissu.agenda.views import _filters
from tissu.city.selectors import city_settings_get
from tissu.directory.views_common import post_only

FEED_DAYS_BEFORE = 30
FEED_LIMIT = 1000


def _public_events(request):
    """Published public events from a month ago on, narrowed by the list's filters (category, association)."""
    _form, filters = _filters(request)
    events = (
        selectors.visible_events(AnonymousUser())  # a feed's address is public: never internal events
        .filter(occurrences__ends_at__gte=timezone.now() - datetime.timedelta(days=FEED_DAYS_BEFORE))
        .distinct()
        .select_related("category", "association", "neighbourhood")
    )
    if filters.categories:
        events = events.filter(category__slug__in=filters.categories)
    if filters.association:
        events = events.filter(association__slug=filters.association)
    return events.order_by("starts_at")[:FEED_LIMIT]


@require_safe
def openagenda_json(request):
    """The public agenda in OpenAgenda's event structure, for aggregators and other agendas."""
    events = list(_public_events(request).prefetch_related("occurrences", "audiences"))
    data = {"total": len(events), "events": [openagenda.event_data(event) for event in events]}
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


class EventsRss(Feed):
    """The events most recently published, newest first."""

    def __call__(self, request, *args, **kwargs):
        self.request = request
        return super().__call__(request, *args, **kwargs)

    def title(self):
        return _("Agenda of %(city)s") % {"city": city_settings_get().name}

    def link(self):
        return reverse("agenda:event-list")

    def description(self):
        return _("The events of the associations and of the city of %(city)s.") % {"city": city_settings_get().name}

    def items(self):
        return (
            selectors.visible_events(AnonymousUser())
            .select_related("association")
            .order_by("-published_at", "-id")[:50]
        )

    def item_title(self, item):
        prefix = {"cancelled": _("Cancelled"), "postponed": _("Postponed")}.get(item.schedule)
        when = timezone.localtime(item.starts_at).strftime("%d/%m/%Y %H:%M")
        return f"{prefix} – {item.title} ({when})" if prefix else f"{item.title} ({when})"

    def item_description(self, item):
        return item.summary or item.schedule_note

    def item_link(self, item):
        return reverse("agenda:event-detail", args=[item.slug])

    def item_pubdate(self, item):
        return item.published_at


@require_safe
def my_registrations_ics(request, token):
    """A private calendar address (calendar apps cannot sign in): the events the person is registered for."""
    entry = CalendarToken.objects.select_related("user").filter(token=token).first()
    if entry is None or not entry.user.is_active:
        raise Http404
    registrations = selectors.registrations_of_user(entry.user).filter(status="confirmed")
    events = [registration.event for registration in registrations]
    body = ical.agenda_calendar(events, name=_("My registrations – %(city)s") % {"city": city_settings_get().name})
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def calendar_token_reset(request):
    if response := post_only(request):
        return response
    services.calendar_token_reset(user=request.user)
    messages.success(request, _("Your private calendar address is ready. Any previous address no longer works."))
    return redirect(reverse("agenda:my-events") + "#calendar-title")


urlpatterns = [
    path("openagenda.json", openagenda_json, name="openagenda-json"),
    path("rss.xml", EventsRss(), name="rss"),
    path("mes-inscriptions/nouvelle-adresse/", calendar_token_reset, name="calendar-token-reset"),
    path("mes-inscriptions/<str:token>.ics", my_registrations_ics, name="my-registrations-ics"),
]
