"""One-off bookings: the rules, conflicts with alternatives, decisions, cancellation, absences."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tissu.rooms import selectors, services
from tissu.rooms.models import Booking, BookingStatus, Closure, ClosureKind
from tissu.rooms.tests.factories import at, make_booking, make_building, make_room, next_working_day

pytestmark = pytest.mark.django_db


def book(client, room, day, start="18:00", end="20:00", booker=None, attendees=10):
    return client.post(
        reverse("rooms:booking-create", args=[room.pk]),
        {"booker": booker, "date": day.isoformat(), "start": start, "end": end, "attendees": attendees,
         "purpose": "Assemblée générale"},
    )  # fmt: skip


def test_a_manager_asks_for_a_room_and_the_office_is_told(
    client_for, manager_a, association_a, staff, django_capture_on_commit_callbacks
):
    room = make_room()
    with django_capture_on_commit_callbacks(execute=True):
        response = book(client_for(manager_a), room, next_working_day(), booker=association_a.pk)
    booking = Booking.objects.get()
    assert response.status_code == 302 and response.url == reverse("rooms:booking-detail", args=[booking.pk])
    assert booking.status == BookingStatus.PENDING and booking.association == association_a
    assert mail.outbox and staff.email in mail.outbox[0].to


def test_a_room_without_approval_is_booked_at_once(client_for, manager_a, association_a):
    room = make_room(approval_required=False)
    book(client_for(manager_a), room, next_working_day(), booker=association_a.pk)
    assert Booking.objects.get().status == BookingStatus.APPROVED


def test_it_refuses_an_overlap_and_offers_other_rooms_and_times(client_for, manager_a, association_a):
    building = make_building()
    room = make_room(building=building)
    other = make_room(building=building, name="Salle Lucie Aubrac", capacity=40)
    make_room(building=building, name="Petit bureau", capacity=4)
    day = next_working_day()
    make_booking(room=room, day=day, start=18, end=20)
    response = book(client_for(manager_a), room, day, start="19:00", end="21:00", booker=association_a.pk)
    assert response.status_code == 400
    page = response.content.decode()
    assert "already booked at that time" in page
    assert other.name in page and "Petit bureau" not in page  # too small for 10 people
    # The next free times of the same length in this room: 20:00–22:00 the same evening comes first.
    assert "20:00–22:00" in page
    assert Booking.objects.count() == 1


def test_it_keeps_the_gap_the_room_requires(manager_a, association_a):
    room = make_room(buffer_minutes=30)
    day = next_working_day()
    make_booking(room=room, day=day, start=18, end=20)
    with pytest.raises(services.BookingConflict, match="30 minutes"):
        services.booking_request(
            actor=manager_a, room=room, association=association_a, start=at(day, 20, 15), end=at(day, 21),
            purpose="Réunion", attendees=5,
        )  # fmt: skip
    booking = services.booking_request(
        actor=manager_a, room=room, association=association_a, start=at(day, 20, 30), end=at(day, 21),
        purpose="Réunion", attendees=5,
    )  # fmt: skip
    assert booking.pk


def test_back_to_back_bookings_do_not_overlap(manager_a, association_a):
    room = make_room()
    day = next_working_day()
    make_booking(room=room, day=day, start=18, end=20)
    booking = services.booking_request(
        actor=manager_a, room=room, association=association_a, start=at(day, 20), end=at(day, 22),
        purpose="Réunion", attendees=5,
    )  # fmt: skip
    assert booking.pk


@pytest.mark.parametrize(
    ("start", "end", "attendees", "message"),
    [
        (7, 9, 5, "not open at that time"),
        (18, 20, 31, "holds 30 people at most"),
        (8, 22, 5, "12 hours at most"),
    ],
)
def test_it_explains_bookings_against_the_rules(manager_a, association_a, start, end, attendees, message):
    room = make_room()
    day = next_working_day()
    with pytest.raises(ValidationError, match=message):
        services.booking_request(
            actor=manager_a, room=room, association=association_a, start=at(day, start), end=at(day, end),
            purpose="Réunion", attendees=attendees,
        )  # fmt: skip


def test_it_refuses_bookings_without_enough_notice(manager_a, association_a):
    room = make_room(notice_days=30)
    day = next_working_day(10)
    with pytest.raises(ValidationError, match="30 days ahead"):
        services.booking_request(
            actor=manager_a, room=room, association=association_a, start=at(day, 18), end=at(day, 20),
            purpose="Réunion", attendees=5,
        )  # fmt: skip


def test_it_refuses_a_public_holiday_and_a_staff_closure(manager_a, association_a):
    room = make_room()
    # 14 July, next year: a public holiday every year.
    holiday = datetime.date(next_working_day().year + 1, 7, 14)
    with pytest.raises(ValidationError, match="closed that day"):
        services.booking_request(
            actor=manager_a, room=room, association=association_a, start=at(holiday, 18), end=at(holiday, 20),
            purpose="Bal", attendees=5,
        )  # fmt: skip
    day = next_working_day()
    Closure.objects.create(
        building=room.building, kind=ClosureKind.BUILDING, start_date=day, end_date=day, label="Travaux"
    )
    with pytest.raises(ValidationError, match="Travaux"):
        services.booking_request(
            actor=manager_a, room=room, association=association_a, start=at(day, 18), end=at(day, 20),
            purpose="Réunion", attendees=5,
        )  # fmt: skip


def test_a_manager_books_only_for_associations_allowed_by_the_room(manager_a, association_a):
    room = make_room(booker_policy="verified")
    day = next_working_day()
    with pytest.raises(PermissionDenied):
        services.booking_request(
            actor=manager_a, room=room, association=association_a, start=at(day, 18), end=at(day, 20),
            purpose="Réunion", attendees=5,
        )  # fmt: skip


def test_the_office_refuses_with_a_reason_and_the_requester_reads_it(
    client_for, manager_a, staff, association_a, django_capture_on_commit_callbacks
):
    room = make_room()
    booking = make_booking(room=room, association_="association-a", status=BookingStatus.PENDING, by=manager_a)
    client = client_for(staff)
    response = client.post(reverse("rooms:booking-act", args=[booking.pk, "refuse"]), {"answer": ""})
    booking.refresh_from_db()
    assert booking.status == BookingStatus.PENDING  # a refusal needs its reason
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("rooms:booking-act", args=[booking.pk, "refuse"]), {"answer": "Salle en travaux."})
    booking.refresh_from_db()
    assert booking.status == BookingStatus.REFUSED and booking.answer == "Salle en travaux."
    assert response.status_code == 302
    assert mail.outbox[-1].to == [manager_a.email] and "Salle en travaux." in mail.outbox[-1].body


def test_a_manager_cannot_decide(client_for, manager_a):
    booking = make_booking(room=make_room(), association_="association-a", status=BookingStatus.PENDING)
    response = client_for(manager_a).post(reverse("rooms:booking-act", args=[booking.pk, "approve"]))
    assert response.status_code == 403
    booking.refresh_from_db()
    assert booking.status == BookingStatus.PENDING


def test_a_cancelled_booking_frees_the_room(client_for, manager_a, association_a):
    room = make_room()
    booking = make_booking(room=room, association_="association-a")
    client_for(manager_a).post(reverse("rooms:booking-act", args=[booking.pk, "cancel"]))
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert selectors.is_free(room, booking.start, booking.end)


def test_an_absence_is_declared_on_a_weekly_slot(manager_a, association_a):
    booking = make_booking(room=make_room(), association_="association-a")
    services.booking_declare_absence(actor=manager_a, booking=booking)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED and booking.absence_declared_at is not None


def test_the_calendars_show_the_week(client, manager_a):
    room = make_room()
    day = next_working_day()
    make_booking(room=room, association_="association-a", day=day)
    page = client.get(reverse("rooms:room-detail", args=[room.pk]), {"semaine": day.isoformat()}).content.decode()
    assert "Association A" in page and "18:00–20:00" in page
    page = client.get(
        reverse("rooms:building-calendar", args=[room.building.pk]), {"semaine": day.isoformat()}
    ).content.decode()
    assert "Association A" in page


def test_the_room_list_has_a_constant_query_count(client, django_assert_num_queries):
    building = make_building()
    make_room(building=building)
    client.get(reverse("rooms:room-list"))  # warms the city settings' cache
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("rooms:room-list"))
    for number in range(5):
        make_room(building=make_building(name=f"Gymnase {number}"), name=f"Salle {number}")
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(reverse("rooms:room-list"))
