"""No double booking under parallel requests: on PostgreSQL the exclusion constraint refuses the overlap that
the services' check cannot see (each request checks, then inserts, without locking anything)."""

import threading

import pytest
from django.db import IntegrityError, connection, transaction

from conftest import make_user
from tests.concurrency import run_together
from tissu.directory.models import Membership, MembershipRole
from tissu.rooms import services
from tissu.rooms.models import Booking, BookingStatus
from tissu.rooms.tests.factories import at, make_booking, make_room, next_working_day

PARALLEL = 6
assert connection  # used by the skipif conditions below


@pytest.mark.skipif("connection.vendor != 'postgresql'")
@pytest.mark.django_db(transaction=True)
def test_parallel_requests_for_one_evening_book_the_room_once(make_association, monkeypatch):
    room = make_room(approval_required=False)
    # The worst interleaving, every time: each request has checked that the room is free before any of them
    # inserts. Only the database can then refuse the overlaps (remove the constraint: this test fails).
    all_checked = threading.Barrier(PARALLEL)
    check_free = services._check_free

    def check_then_wait(booking):
        check_free(booking)
        all_checked.wait(timeout=20)

    monkeypatch.setattr(services, "_check_free", check_then_wait)
    day = next_working_day()
    calls = []
    for number in range(PARALLEL):
        association = make_association(f"Club {number}")
        user = make_user(f"manager{number}@example.org")
        Membership.objects.create(user=user, association=association, role=MembershipRole.PRESIDENT)
        # Overlapping ranges: 18:00–20:00 and 19:00–21:00 alternate; only one of them can hold the room.
        start = 18 + number % 2
        calls.append(
            lambda user=user, association=association, start=start: services.booking_request(
                actor=user,
                room=room,
                association=association,
                start=at(day, start),
                end=at(day, start + 2),
                purpose="Répétition",
                attendees=10,
            )
        )
    errors, results = run_together(*calls)
    assert Booking.objects.filter(room=room, status__in=[BookingStatus.APPROVED, BookingStatus.PENDING]).count() == 1
    assert len(results) == 1 and len(errors) == PARALLEL - 1
    assert all(isinstance(error, services.BookingConflict) for error in errors)


@pytest.mark.skipif("connection.vendor != 'postgresql'")
@pytest.mark.django_db(transaction=True)
def test_the_database_refuses_an_overlap_written_around_the_services():
    room = make_room()
    first = make_booking(room=room, start=18, end=20)
    with pytest.raises(IntegrityError, match="rooms_booking_no_overlap"), transaction.atomic():
        make_booking(room=room, day=first.start.date(), start=19, end=21, status=BookingStatus.PENDING)
    # Refused and cancelled bookings hold nothing: they may overlap.
    make_booking(room=room, day=first.start.date(), start=19, end=21, status=BookingStatus.CANCELLED)
