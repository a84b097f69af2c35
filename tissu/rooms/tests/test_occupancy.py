"""Occupancy: booked hours over open hours per room and time of week, declared absences apart."""

import datetime

import pytest
from django.urls import reverse

from tissu.rooms import selectors
from tissu.rooms.models import BookingStatus
from tissu.rooms.tests.factories import make_booking, make_building, make_room, next_working_day

pytestmark = pytest.mark.django_db


def test_rates_count_booked_hours_over_open_hours_and_unused_slots_apart(client_for, staff):
    # Open 17:00–22:00 every day: 5 hours on the Tuesday measured.
    room = make_room(building=make_building(opens=datetime.time(17), closes=datetime.time(22)))
    day = next_working_day()
    make_booking(room=room, day=day, start=18, end=20)
    absent = make_booking(room=room, day=day, start=20, end=21, status=BookingStatus.CANCELLED)
    absent.absence_declared_at = absent.start
    absent.save(update_fields=["absence_declared_at"])
    data = selectors.occupancy(day, day)
    row = data["rooms"][0]
    assert (row["open_hours"], row["booked_hours"], row["unused_hours"]) == (5, 2, 1)
    assert row["rate"] == pytest.approx(0.4)
    tuesday = data["times"][1][1]  # weekday 1; bands: morning, afternoon, evening
    assert tuesday[2] == pytest.approx(2 / 4)  # evening band 18:00–24:00 open 18:00–22:00, booked 18:00–20:00
    page = client_for(staff).get(reverse("rooms:occupancy"), {"du": day.isoformat(), "au": day.isoformat()})
    assert "40 %" in page.content.decode()
