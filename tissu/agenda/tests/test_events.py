import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tissu.agenda.models import Event, Occurrence, Publication, Registration, RegistrationStatus, Schedule, Visibility
from tissu.agenda.tests.factories import category, make_event
from tissu.audit.models import AuditEntry
from tissu.city.models import CitySettings

pytestmark = pytest.mark.django_db


def _local(days: int, hour: int) -> datetime.datetime:
    moment = timezone.localtime() + datetime.timedelta(days=days)
    return moment.replace(hour=hour, minute=0, second=0, microsecond=0)


def event_data(**overrides) -> dict:
    start = _local(10, 14)
    data = {
        "organiser": "association-a",
        "title": "Forum des associations",
        "summary": "Venez rencontrer les associations.",
        "category": category("forum").pk,
        "visibility": "public",
        "schedule": "scheduled",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + datetime.timedelta(hours=4)).strftime("%Y-%m-%dT%H:%M"),
        "attendance_mode": "in_person",
        "venue_name": "Gymnase Jean-Moulin",
        "venue_address": "12 rue des Écoles",
        "is_free": "on",
        "step_free": "on",
        "offer_hours": "48",
        "waiting_list": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_a_manager_creates_a_draft_then_publishes_it(manager_a, client_for, association_a):
    client = client_for(manager_a)
    response = client.post(reverse("agenda:event-create"), event_data())
    event = Event.objects.get()
    assert response.status_code == 302
    assert response.headers["Location"] == reverse("agenda:event-detail", args=[event.slug])
    assert event.association == association_a and event.publication == Publication.DRAFT
    assert event.occurrences.count() == 1
    assert client_for(None).get(reverse("agenda:event-detail", args=[event.slug])).status_code == 404
    client = client_for(manager_a)
    client.post(reverse("agenda:event-publish", args=[event.slug]))
    event.refresh_from_db()
    assert event.publication == Publication.PUBLISHED
    page = client_for(None).get(reverse("agenda:event-detail", args=[event.slug]))
    assert page.status_code == 200
    assert "Gymnase Jean-Moulin" in page.text and "Step-free access" in page.text


def test_a_manager_cannot_publish_for_another_association(manager_a, client_for, association_b):
    response = client_for(manager_a).post(reverse("agenda:event-create"), event_data(organiser="association-b"))
    assert response.status_code == 400
    assert not Event.objects.exists()


def test_staff_publish_for_the_city(staff, client_for):
    response = client_for(staff).post(reverse("agenda:event-create"), event_data(organiser=""))
    assert response.status_code == 302
    assert Event.objects.get().association is None


def test_an_event_cannot_end_before_it_starts(manager_a, client_for):
    start = _local(10, 14)
    data = event_data(ends_at=(start - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"))
    response = client_for(manager_a).post(reverse("agenda:event-create"), data)
    assert response.status_code == 400
    assert "cannot end before it starts" in response.text
    assert not Event.objects.exists() and not Occurrence.objects.exists()


def test_a_paid_event_says_its_price_and_an_online_one_its_link(manager_a, client_for):
    response = client_for(manager_a).post(
        reverse("agenda:event-create"), event_data(is_free=None, attendance_mode="online")
    )
    assert response.status_code == 400
    assert not Event.objects.exists()
    assert "Say what the event costs" in response.text
    assert "link to follow the event online" in response.text


def test_a_weekly_event_with_exceptions_keeps_its_local_time_across_summer_time(manager_a, client_for):
    # Wednesdays at 18:00 from mid-October: the clocks change on the last Sunday of October.
    year = timezone.localdate().year + 1
    start = datetime.datetime(year, 10, 14, 18, 0)
    data = event_data(
        starts_at=start.strftime("%Y-%m-%dT%H:%M"),
        ends_at=(start + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        recurrence="FREQ=WEEKLY;COUNT=4",
        exception_dates=f"{year}-10-21",
    )
    response = client_for(manager_a).post(reverse("agenda:event-create"), data)
    assert response.status_code == 302
    starts = [timezone.localtime(o.starts_at) for o in Occurrence.objects.order_by("starts_at")]
    assert [moment.date().isoformat() for moment in starts] == [f"{year}-10-14", f"{year}-10-28", f"{year}-11-04"]
    assert {moment.hour for moment in starts} == {18}


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ("FREQ=WEEKLY", "A recurrence must end"),
        ("FREQ=DAILY;COUNT=5000", "more than 200 dates"),
        ("FREQ=SOMETIMES;COUNT=3", "This recurrence rule is not valid"),
    ],
)
def test_a_recurrence_must_end_and_stay_reasonable(manager_a, client_for, rule, message):
    response = client_for(manager_a).post(reverse("agenda:event-create"), event_data(recurrence=rule))
    assert response.status_code == 400
    assert message in response.text
    assert not Event.objects.exists() and not Occurrence.objects.exists()


def test_with_moderation_an_association_event_waits_for_the_office(manager_a, staff, client_for, association_a):
    CitySettings.objects.update_or_create(pk=1, defaults={"events_need_moderation": True})
    event = make_event(association=association_a, publish=False)
    client_for(manager_a).post(reverse("agenda:event-publish", args=[event.slug]))
    event.refresh_from_db()
    assert event.publication == Publication.PENDING
    assert client_for(None).get(reverse("agenda:event-detail", args=[event.slug])).status_code == 404
    client = client_for(staff)
    assert event.title in client.get(reverse("agenda:moderation")).text
    client.post(reverse("agenda:event-moderate", args=[event.slug]), {"decision": "refuse", "reason": ""})
    event.refresh_from_db()
    assert event.publication == Publication.PENDING  # a refusal needs a reason
    client.post(reverse("agenda:event-moderate", args=[event.slug]), {"decision": "approve"})
    event.refresh_from_db()
    assert event.publication == Publication.PUBLISHED
    assert AuditEntry.objects.filter(action="agenda.event.approved").exists()
    assert client_for(None).get(reverse("agenda:event-detail", args=[event.slug])).status_code == 200


def test_a_refused_event_shows_the_reason_to_its_organiser(manager_a, staff, client_for, association_a):
    event = make_event(association=association_a, publish=False)
    Event.objects.filter(pk=event.pk).update(publication=Publication.PENDING)
    client_for(staff).post(
        reverse("agenda:event-moderate", args=[event.slug]), {"decision": "refuse", "reason": "Date déjà prise."}
    )
    event.refresh_from_db()
    assert event.publication == Publication.REFUSED
    assert "Date déjà prise." in client_for(manager_a).get(reverse("agenda:event-detail", args=[event.slug])).text


def test_a_cancellation_is_shown_and_sent_to_attendees(
    manager_a, volunteer, client_for, association_a, django_capture_on_commit_callbacks
):
    volunteer.language = "en"
    volunteer.save(update_fields=["language"])
    event = make_event(association=association_a, capacity=5)
    Registration.objects.create(
        event=event, user=volunteer, category=event.ticket_categories.get(), status=RegistrationStatus.CONFIRMED
    )
    data = event_data(schedule="cancelled", schedule_note="Gymnase en travaux.", title=event.title)
    data.pop("organiser")
    data["starts_at"] = timezone.localtime(event.starts_at).strftime("%Y-%m-%dT%H:%M")
    data["ends_at"] = timezone.localtime(event.ends_at).strftime("%Y-%m-%dT%H:%M")
    data["registration_required"] = "on"
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(manager_a).post(reverse("agenda:event-edit", args=[event.slug]), data)
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.schedule == Schedule.CANCELLED
    assert AuditEntry.objects.filter(action="agenda.event.rescheduled").exists()
    assert len(mail.outbox) == 1 and volunteer.email in mail.outbox[0].to
    assert "cancelled" in mail.outbox[0].subject.lower()
    assert "Gymnase en travaux." in mail.outbox[0].body
    assert "Gymnase en travaux." in mail.outbox[0].alternatives[0][0]
    page = client_for(None).get(reverse("agenda:event-detail", args=[event.slug])).text
    assert "This event is cancelled." in page and "Gymnase en travaux." in page
    assert "Cancelled" in client_for(None).get(reverse("agenda:event-list")).text


def test_postponed_emails_say_so(volunteer, association_a, django_capture_on_commit_callbacks):
    from tissu.agenda import services

    volunteer.language = "en"
    volunteer.save(update_fields=["language"])
    event = make_event(association=association_a, capacity=5)
    Registration.objects.create(
        event=event, user=volunteer, category=event.ticket_categories.get(), status=RegistrationStatus.CONFIRMED
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.event_update(actor=None, event=event, values={"schedule": Schedule.POSTPONED})
    assert "postponed" in mail.outbox[0].subject.lower()


def test_internal_events_are_for_association_members_and_staff(personas, client_for, association_a):
    event = make_event("Réunion inter-associations", association=association_a, visibility=Visibility.MEMBERS)
    url = reverse("agenda:event-detail", args=[event.slug])
    assert client_for(None).get(url).status_code == 404
    assert client_for(personas["volunteer"]).get(url).status_code == 404
    assert client_for(personas["manager_b"]).get(url).status_code == 200
    assert client_for(personas["committee"]).get(url).status_code == 200
    assert event.title not in client_for(None).get(reverse("agenda:event-list")).text
    assert event.title in client_for(personas["manager_b"]).get(reverse("agenda:event-list")).text


def test_the_event_page_carries_schema_org_jsonld(association_a, client):
    event = make_event(association=association_a, schedule=Schedule.POSTPONED)
    page = client.get(reverse("agenda:event-detail", args=[event.slug])).text
    assert '"@type": "Event"' in page
    assert "https://schema.org/EventPostponed" in page
    assert "https://schema.org/OfflineEventAttendanceMode" in page
