"""One function per message the agenda sends (templates in agenda/emails/)."""

from django.conf import settings
from django.urls import reverse

from tissu.lib.email import send_templated


def _url(name: str, *args) -> str:
    return settings.SITE_URL + reverse(name, args=args)


def _send(template: str, registration, **extra) -> None:
    event = registration.event
    send_templated(
        template=f"agenda/emails/{template}",
        to=registration.user.email,
        language=registration.user.language,
        context={
            "registration": registration,
            "event": event,
            "user": registration.user,
            "url": _url("agenda:event-detail", event.slug),
            "ics_url": _url("agenda:event-ics", event.slug),
            **extra,
        },
    )


def send_registration_confirmed(*, registration) -> None:
    _send("registration_confirmed", registration)


def send_registration_waiting(*, registration) -> None:
    _send("registration_waiting", registration)


def send_place_offered(*, registration) -> None:
    _send("place_offered", registration)


def send_schedule_changed(*, registration) -> None:
    _send("schedule_changed", registration)


def send_reminder(*, registration) -> None:
    _send("reminder", registration)
