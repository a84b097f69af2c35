import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from tissu.agenda.models import Schedule
from tissu.agenda.tests.factories import category, make_event

pytestmark = pytest.mark.django_db


def parse(response) -> Calendar:
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def test_the_agenda_feed_parses_back_with_every_public_event(client, association_a):
    year = timezone.localdate().year + 1
    start = timezone.make_aware(datetime.datetime(year, 3, 4, 18, 0))
    make_event(
        "Atelier couture",
        association=association_a,
        category=category("atelier"),
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        recurrence="FREQ=WEEKLY;COUNT=6",
        exception_dates=[f"{year}-03-11"],
        latitude="48.700000",
        longitude="2.330000",
    )
    make_event("Fête du bénévolat", schedule=Schedule.CANCELLED, schedule_note="Alerte météo.")
    make_event("Brouillon", publish=False)
    calendar = parse(client.get(reverse("agenda:feed")))
    events = {str(component["summary"]): component for component in calendar.walk("VEVENT")}
    assert set(events) == {"Atelier couture", "Fête du bénévolat"}
    workshop = events["Atelier couture"]
    assert workshop["rrule"]["FREQ"] == ["WEEKLY"] and workshop["rrule"]["COUNT"] == [6]
    assert workshop.decoded("dtstart") == start
    assert [moment.dt.date().isoformat() for moment in workshop["exdate"].dts] == [f"{year}-03-11"]
    assert str(workshop["categories"].cats[0]) == "Atelier"
    assert str(events["Fête du bénévolat"]["status"]) == "CANCELLED"
    assert "Alerte météo." in str(events["Fête du bénévolat"]["description"])
    assert calendar.walk("VTIMEZONE"), "local times come with their time zone definition"


def test_each_event_has_its_own_calendar_file(client, association_a):
    event = make_event("Forum des associations", association=association_a, schedule=Schedule.POSTPONED)
    response = client.get(reverse("agenda:event-ics", args=[event.slug]))
    assert response["Content-Disposition"] == f'attachment; filename="{event.slug}.ics"'
    (vevent,) = parse(response).walk("VEVENT")
    assert str(vevent["status"]) == "TENTATIVE"
    assert str(vevent["uid"]).startswith(f"event-{event.pk}@")
    page = client.get(reverse("agenda:event-detail", args=[event.slug])).text
    assert reverse("agenda:event-ics", args=[event.slug]) in page


def test_the_feed_filters_by_association(client, association_a, association_b):
    make_event("De A", association=association_a)
    make_event("De B", association=association_b)
    calendar = parse(client.get(reverse("agenda:feed"), {"association": association_b.slug}))
    assert [str(component["summary"]) for component in calendar.walk("VEVENT")] == ["De B"]
