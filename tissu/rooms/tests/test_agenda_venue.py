"""An agenda event may take place in a room of the city: the room fills the venue and the event links to it."""

import pytest
from django.urls import reverse

from tissu.agenda import services as agenda_services
from tissu.agenda.tests.factories import make_event
from tissu.rooms.tests.factories import make_room

pytestmark = pytest.mark.django_db


def test_a_room_fills_an_empty_venue_and_the_event_links_to_it(client, manager_a, association_a):
    room = make_room()
    event = make_event(actor=manager_a, association=association_a, room=room, venue_name="", venue_address="")
    assert event.venue_name == "Salle Jean Moulin, Maison des associations"
    assert event.venue_address == room.building.address
    page = client.get(reverse("agenda:event-detail", args=[event.slug])).content.decode()
    assert reverse("rooms:room-detail", args=[room.pk]) in page


def test_a_venue_given_stays_and_an_edit_can_add_a_room(manager_a, association_a):
    event = make_event(actor=manager_a, association=association_a)
    room = make_room()
    changed = agenda_services.event_update(
        actor=manager_a, event=event, values={"room": room, "venue_name": "", "venue_address": ""}
    )
    event.refresh_from_db()
    assert event.room == room and event.venue_name.startswith("Salle Jean Moulin")
    assert {"room", "venue_name", "venue_address"} <= set(changed)
