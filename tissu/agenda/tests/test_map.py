"""The agenda's map: coming events that have coordinates, with the same events listed beside it."""

import json
import re

import pytest
from django.urls import reverse

from tissu.agenda.tests.factories import category, make_event

pytestmark = pytest.mark.django_db

URL = reverse("agenda:map")


def markers(response) -> list[dict]:
    found = re.search(
        r'<script id="agenda-map-markers" type="application/json">(.*?)</script>', response.content.decode()
    )
    return json.loads(found.group(1)) if found else []


def located(title, **values):
    return make_event(title, latitude="48.700100", longitude="2.370200", **values)


def test_it_shows_only_coming_events_with_coordinates(client):
    located("Forum des associations")
    make_event("Concert sans adresse connue")
    located("Brouillon", publish=False)
    response = client.get(URL)
    assert [marker["name"] for marker in markers(response)] == ["Forum des associations"]
    html = response.content.decode()
    assert "1 coming event with a known place." in html
    assert 'class="map-list"' in html and "Forum des associations" in html
    assert "Concert sans adresse connue" not in html and "Brouillon" not in html


def test_a_marker_carries_the_event_page_its_date_and_place(client):
    event = located("Forum des associations", venue_name="Gymnase Jean-Moulin", venue_address="2 rue du Stade")
    (marker,) = markers(client.get(URL))
    assert marker["url"] == reverse("agenda:event-detail", args=[event.slug])
    assert marker["address"] == "Gymnase Jean-Moulin, 2 rue du Stade"
    assert marker["lat"] == pytest.approx(48.7001) and marker["when"]


def test_the_list_filters_apply_to_the_map(client):
    located("Forum des associations", category=category("forum"))
    located("Concert solidaire", category=category("culture"))
    response = client.get(URL, {"category": "culture"})
    assert [marker["name"] for marker in markers(response)] == ["Concert solidaire"]
    assert "Filters of your search apply." in response.content.decode()


def test_without_located_events_there_is_no_map_but_a_sentence(client):
    make_event("Concert sans adresse connue")
    html = client.get(URL).content.decode()
    assert 'id="agenda-map"' not in html
    assert "No coming event with a known place matches." in html


def test_the_map_runs_the_same_number_of_queries_whatever_the_data(client, django_assert_num_queries):
    located("Premier")
    client.get(URL)  # warm the city settings cache
    with django_assert_num_queries(2) as first:  # the count and the page
        client.get(URL)
    for number in range(12):
        located(f"Événement {number}")
    with django_assert_num_queries(len(first.captured_queries)):
        assert len(markers(client.get(URL))) == 13
