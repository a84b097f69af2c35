"""One function per message the agenda sends (templates in agenda/emails/)."""

from django.conf import settings
from django.urls import reverse

from tissu.lib.email import send_templated


def _url(name: str, *args) -> str:
    return settings.SITE_URL + reverse(name, args=args)


def _send(template: str, registration, attachments=(), **extra) -> None:
    event = registration.event
    send_templated(
        attachments=attachments,
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


def _event_ics(event) -> tuple[str, str, str]:
    from tissu.agenda.ical import event_calendar

    return ("evenement.ics", event_calendar(event).decode(), "text/calendar")


def send_registration_confirmed(*, registration) -> None:
    """With the event as an .ics attachment, which calendar applications offer to add."""
    _send("registration_confirmed", registration, attachments=[_event_ics(registration.event)])


def send_organiser_notice(*, registration, organiser, cancelled: bool) -> None:
    event = registration.event
    send_templated(
        template="agenda/emails/organiser_notice",
        to=organiser.email,
        language=organiser.language,
        context={
            "registration": registration,
            "event": event,
            "user": organiser,
            "attendee": registration.user,
            "cancelled": cancelled,
            "url": _url("agenda:registration-list", event.slug),
        },
    )


def send_attendee_message(*, registration, subject: str, body: str, sender) -> None:
    _send(
        "attendee_message",
        registration,
        message_subject=subject,
        message_body=body,
        sender=sender,
    )


def send_registration_waiting(*, registration) -> None:
    _send("registration_waiting", registration)


def send_place_offered(*, registration) -> None:
    _send("place_offered", registration)


def send_schedule_changed(*, registration) -> None:
    _send("schedule_changed", registration)


def send_reminder(*, registration) -> None:
    _send("reminder", registration)
