"""schema.org Event (JSON-LD) for an event page, so that search engines and aggregators read it."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from tissu.agenda.models import AttendanceMode, Event, Schedule

STATUS = {
    Schedule.SCHEDULED: "https://schema.org/EventScheduled",
    Schedule.CANCELLED: "https://schema.org/EventCancelled",
    Schedule.POSTPONED: "https://schema.org/EventPostponed",
}
MODE = {
    AttendanceMode.IN_PERSON: "https://schema.org/OfflineEventAttendanceMode",
    AttendanceMode.ONLINE: "https://schema.org/OnlineEventAttendanceMode",
    AttendanceMode.HYBRID: "https://schema.org/MixedEventAttendanceMode",
}


def event_jsonld(event: Event) -> dict:
    url = settings.SITE_URL + reverse("agenda:event-detail", args=[event.slug])
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "url": url,
        "startDate": timezone.localtime(event.starts_at).isoformat(),
        "endDate": timezone.localtime(event.ends_at).isoformat(),
        "eventStatus": STATUS[event.schedule],
        "eventAttendanceMode": MODE[event.attendance_mode],
        "isAccessibleForFree": event.is_free,
        "organizer": {"@type": "Organization", "name": event.organiser_name},
    }
    if event.summary:
        data["description"] = event.summary
    locations = []
    if event.attendance_mode != AttendanceMode.ONLINE:
        place = {"@type": "Place", "name": event.venue_name or event.venue_address, "address": event.venue_address}
        if event.latitude is not None and event.longitude is not None:
            place["geo"] = {
                "@type": "GeoCoordinates",
                "latitude": float(event.latitude),
                "longitude": float(event.longitude),
            }
        locations.append(place)
    if event.attendance_mode != AttendanceMode.IN_PERSON and event.online_url:
        locations.append({"@type": "VirtualLocation", "url": event.online_url})
    if locations:
        data["location"] = locations[0] if len(locations) == 1 else locations
    if event.image:
        data["image"] = settings.SITE_URL + event.image.url
    if event.association_id:
        data["organizer"]["url"] = settings.SITE_URL + reverse(
            "directory:association-detail", args=[event.association.slug]
        )
    return data
