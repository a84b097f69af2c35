"""One function per message sent by the rooms module (templates in rooms/emails/)."""

from django.conf import settings
from django.urls import reverse

from tissu.directory.emails import association_managers, office_recipients
from tissu.lib.email import send_templated


def _url(name: str, pk: int) -> str:
    return settings.SITE_URL + reverse(name, args=[pk])


def booking_requested(*, booking) -> None:
    """A booking waits for the office's approval."""
    recipients = office_recipients()
    if recipients:
        send_templated(
            template="rooms/emails/booking_requested",
            to=recipients,
            context={"booking": booking, "url": _url("rooms:booking-detail", booking.pk)},
        )


def booking_decided(*, booking) -> None:
    """Approved or refused: to the person who asked (if their account still exists)."""
    person = booking.requested_by
    if person is None or not person.is_active:
        return
    send_templated(
        template="rooms/emails/booking_decided",
        to=person.email,
        context={"booking": booking, "user": person, "url": _url("rooms:booking-detail", booking.pk)},
        language=person.language,
    )


def campaign_published(*, campaign, association, requests) -> None:
    """The season's allocation is published: each association's managers get its decisions with reasons."""
    for person in association_managers(association):
        send_templated(
            template="rooms/emails/campaign_published",
            to=person.email,
            context={
                "campaign": campaign,
                "association": association,
                "requests": requests,
                "user": person,
                "url": _url("rooms:campaign-detail", campaign.pk),
            },
            language=person.language,
        )
