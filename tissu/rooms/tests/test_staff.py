"""The office's pages: buildings with opening hours, rooms with equipment, closures; personal data; runs."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tissu.rooms import campaigns, selectors, services
from tissu.rooms.models import Building, Closure, Equipment, Room, RunState
from tissu.rooms.tests.factories import make_booking, make_building, make_campaign, make_room

pytestmark = pytest.mark.django_db


def test_the_office_enters_a_building_with_its_opening_hours(client_for, staff):
    response = client_for(staff).post(
        reverse("rooms:building-create"),
        {"name": "Gymnase Coubertin", "address": "18 avenue du Stade", "hours_1": "09:00-12:00, 17:00-22:30"},
    )
    assert response.status_code == 302
    building = Building.objects.get()
    assert selectors.opening_periods(building.pk) == {
        1: [(datetime.time(9), datetime.time(12)), (datetime.time(17), datetime.time(22, 30))]
    }


def test_badly_written_opening_hours_are_explained(client_for, staff):
    response = client_for(staff).post(
        reverse("rooms:building-create"), {"name": "Gymnase", "address": "rue", "hours_0": "9h-12h"}
    )
    assert response.status_code == 400 and "09:00-12:00, 14:00-22:00" in response.content.decode()
    assert not Building.objects.exists()


def test_the_office_adds_a_room_with_new_equipment(client_for, staff):
    building = make_building()
    mirrors = Equipment.objects.create(name="Miroirs")
    response = client_for(staff).post(
        reverse("rooms:room-create"),
        {"building": building.pk, "name": "Studio", "kind": "workshop", "capacity": 25, "equipment": [mirrors.pk],
         "new_equipment": "Parquet, barres", "notice_days": 2, "max_hours": 4, "booker_policy": "all",
         "buffer_minutes": 15, "is_active": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    room = Room.objects.get()
    assert sorted(e.name for e in room.equipment.all()) == ["Miroirs", "Parquet", "barres"]


def test_the_office_enters_and_deletes_a_closure(client_for, staff):
    client = client_for(staff)
    today = timezone.localdate()
    client.post(
        reverse("rooms:closure-list"),
        {"label": "Travaux", "kind": "building", "start_date": today.isoformat(), "end_date": today.isoformat()},
    )
    closure = Closure.objects.get()
    client.post(reverse("rooms:closure-delete", args=[closure.pk]))
    assert not Closure.objects.exists()


def test_personal_data_export_and_erase(manager_a):
    booking = make_booking(room=make_room(), association_="association-a", by=manager_a)
    exported = selectors.bookings_export(manager_a)
    assert exported["bookings"][0]["purpose"] == booking.purpose
    services.bookings_erase_for_user(manager_a)
    booking.refresh_from_db()
    assert booking.requested_by is None and booking.association is not None


def test_a_run_whose_worker_died_can_be_asked_for_again(staff):
    campaign = make_campaign(rooms=[make_room()], status="review")
    campaign.run_state = RunState.RUNNING
    campaign.run_started_at = timezone.now()
    campaign.save()
    with pytest.raises(Exception, match="already running"):
        campaigns.campaign_run_enqueue(actor=staff, campaign=campaign)
    campaign.run_started_at = timezone.now() - datetime.timedelta(hours=1)
    campaign.save()
    campaigns.campaign_run_enqueue(actor=staff, campaign=campaign)
    campaign.refresh_from_db()
    assert campaign.run_state in (RunState.QUEUED, RunState.DONE)
