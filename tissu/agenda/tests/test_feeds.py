import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from tissu.agenda import services
from tissu.agenda.models import CalendarToken, Registration, RegistrationStatus, Schedule, Visibility
from tissu.agenda.tests.factories import category, make_event

pytestmark = pytest.mark.django_db


def test_the_openagenda_export_follows_its_structure(client, association_a):
    event = make_event(
        "Forum des associations",
        association=association_a,
        category=category("forum"),
        step_free=True,
        sign_language=True,
        schedule=Schedule.POSTPONED,
        latitude="48.700000",
        longitude="2.330000",
        recurrence="FREQ=DAILY;COUNT=2",
    )
    make_event("Réunion interne", visibility=Visibility.MEMBERS)
    data = client.get(reverse("agenda:openagenda-json")).json()
    assert data["total"] == 1
    (item,) = data["events"]
    assert item["slug"] == event.slug and item["title"] == {"fr": "Forum des associations"}
    assert item["status"] == 4 and item["attendanceMode"] == 1
    assert item["accessibility"] == {"hi": True, "ii": False, "mi": False, "pi": True, "vi": False}
    assert len(item["timings"]) == 2 and item["timings"][0]["begin"].startswith(
        timezone.localtime(event.starts_at).date().isoformat()
    )
    assert item["location"]["latitude"] == 48.7 and item["keywords"] == {"fr": ["Forum"]}
    assert item["timezone"] == "Europe/Paris"


def test_the_rss_feed_lists_published_events_with_their_status(client, association_a):
    make_event("Concert solidaire", association=association_a, schedule=Schedule.CANCELLED)
    make_event("Brouillon", publish=False)
    response = client.get(reverse("agenda:rss"))
    assert response["Content-Type"].startswith("application/rss+xml")
    assert "Concert solidaire" in response.text and "Brouillon" not in response.text
    assert "Cancelled – Concert solidaire" in response.text


def test_a_private_address_gives_the_persons_registrations(volunteer, client_for, association_a):
    event = make_event("Formation", association=association_a, capacity=5)
    other = make_event("Autre", association=association_a, capacity=5)
    services.registration_create(user=volunteer, event=event, category=event.ticket_categories.get())
    client = client_for(volunteer)
    client.post(reverse("agenda:calendar-token-reset"))
    token = CalendarToken.objects.get(user=volunteer).token
    assert token in client.get(reverse("agenda:my-events")).text
    feed = client_for(None).get(reverse("agenda:my-registrations-ics", args=[token]))
    titles = [str(vevent["summary"]) for vevent in Calendar.from_ical(feed.content).walk("VEVENT")]
    assert titles == ["Formation"] and other.title not in titles
    assert feed["Cache-Control"] == "private, no-store"
    client_for(volunteer).post(reverse("agenda:calendar-token-reset"))
    assert client_for(None).get(reverse("agenda:my-registrations-ics", args=[token])).status_code == 404
    assert client_for(None).get(reverse("agenda:my-registrations-ics", args=["nope"])).status_code == 404


def test_reminders_go_once_the_day_before_to_confirmed_attendees(
    personas, association_a, django_capture_on_commit_callbacks
):
    tomorrow = make_event("Formation de demain", association=association_a, days=1, capacity=1)
    later = make_event("Formation plus tard", association=association_a, days=5, capacity=5)
    category = tomorrow.ticket_categories.get()
    volunteer, manager_b = personas["volunteer"], personas["manager_b"]
    volunteer.language = "en"
    volunteer.save(update_fields=["language"])
    services.registration_create(user=volunteer, event=tomorrow, category=category)
    services.registration_create(user=manager_b, event=tomorrow, category=category)  # waiting list
    services.registration_create(user=manager_b, event=later, category=later.ticket_categories.get())
    mail.outbox.clear()
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("agenda_send_reminders", stdout=out)
    assert "1 reminder(s) sent." in out.getvalue()
    assert [message.to for message in mail.outbox] == [[volunteer.email]]
    assert mail.outbox[0].subject == "Tomorrow: Formation de demain"
    assert Registration.objects.get(user=volunteer).reminded_at is not None
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_send() == 0
    assert Registration.objects.get(user=manager_b, event=tomorrow).status == RegistrationStatus.WAITING
    assert len(mail.outbox) == 1
    assert services.reminders_send(now=timezone.now() + datetime.timedelta(days=4)) == 1
