"""One function per message sent by the council module (templates in council/emails/)."""

from django.conf import settings
from django.urls import reverse

from tissu.lib.email import send_templated


def _url(name: str, *args) -> str:
    return settings.SITE_URL + reverse(name, args=args)


def send_convocation(*, meeting, user) -> None:
    send_templated(
        template="council/emails/convocation",
        to=user.email,
        context={"meeting": meeting, "user": user, "url": _url("council:meeting-detail", meeting.pk)},
        language=user.language,
    )


def send_minutes_published(*, meeting, user) -> None:
    send_templated(
        template="council/emails/minutes_published",
        to=user.email,
        context={"meeting": meeting, "user": user, "url": _url("council:meeting-detail", meeting.pk)},
        language=user.language,
    )


def send_consultation_asked(*, consultation, user) -> None:
    send_templated(
        template="council/emails/consultation_asked",
        to=user.email,
        context={
            "consultation": consultation,
            "user": user,
            "url": _url("council:consultation-detail", consultation.pk),
        },
        language=user.language,
    )


def send_consultation_answered(*, consultation) -> None:
    """To the person of the city who asked (if their account still exists)."""
    person = consultation.asked_by
    if person is None or not person.is_active:
        return
    send_templated(
        template="council/emails/consultation_answered",
        to=person.email,
        context={
            "consultation": consultation,
            "user": person,
            "url": _url("council:consultation-detail", consultation.pk),
        },
        language=person.language,
    )
