"""An event in OpenAgenda's structure, the de facto exchange format of French agendas.

Multilingual fields are objects keyed by language ({"fr": "…"}); status and attendance mode use
OpenAgenda's codes; accessibility uses its disability keys (hi: hearing, ii: intellectual, mi: mental,
pi: physical/motor, vi: visual).
"""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from tissu.agenda.models import AttendanceMode, Event, Schedule

STATUS = {Schedule.SCHEDULED: 1, Schedule.POSTPONED: 4, Schedule.CANCELLED: 6}
ATTENDANCE = {AttendanceMode.IN_PERSON: 1, AttendanceMode.ONLINE: 2, AttendanceMode.HYBRID: 3}


def _text(value: str) -> dict:
    return {settings.LANGUAGE_CODE: value} if value else {}


def event_data(event: Event) -> dict:
    url = settings.SITE_URL + reverse("agenda:event-detail", args=[event.slug])
    host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0]
    data = {
        "uid": f"event-{event.pk}@{host}",
        "slug": event.slug,
        "title": _text(event.title),
        "description": _text(event.summary),
        "longDescription": _text(event.description),
        "conditions": _text(event.price if event.price else ("Gratuit" if event.is_free else "")),
        "keywords": {settings.LANGUAGE_CODE: [event.category.name]} if event.category_id else {},
        "image": {"url": settings.SITE_URL + event.image.url, "alt": event.image_alt} if event.image else None,
        "registration": [{"type": "link", "value": url}] if event.registration_required else [],
        "accessibility": {
            "hi": event.sign_language or event.hearing_loop,
            "ii": event.easy_read,
            "mi": False,
            "pi": event.step_free,
            "vi": event.audio_description,
        },
        "timings": [
            {"begin": timezone.localtime(o.starts_at).isoformat(), "end": timezone.localtime(o.ends_at).isoformat()}
            for o in event.occurrences.all()
        ],
        "attendanceMode": ATTENDANCE[event.attendance_mode],
        "onlineAccessLink": event.online_url or None,
        "location": None,
        "timezone": settings.TIME_ZONE,
        "status": STATUS[event.schedule],
        "links": [{"link": url}],
        "organizer": event.association.name if event.association_id else None,
        "audiences": [audience.name for audience in event.audiences.all()],
    }
    if event.attendance_mode != AttendanceMode.ONLINE:
        data["location"] = {
            "name": event.venue_name,
            "address": event.venue_address,
            "latitude": float(event.latitude) if event.latitude is not None else None,
            "longitude": float(event.longitude) if event.longitude is not None else None,
        }
    return data
