"""The directory's map: Leaflet with tiles from settings, markers in a data island, and the same list."""

import json
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tissu.directory.tests.test_search import search_queries

pytestmark = pytest.mark.django_db
URL = reverse("directory:association-map")


def located(make_association, name, **fields):
    return make_association(
        name,
        latitude=Decimal("48.650000"),
        longitude=Decimal("2.330000"),
        office_street_number="12",
        office_street_type="RUE",
        office_street_name="Victor Hugo",
        office_postcode="91999",
        **fields,
    )


def markers(response) -> list[dict]:
    island = re.search(
        r'<script id="directory-map-markers" type="application/json">(.*?)</script>', response.content.decode()
    )
    return json.loads(island.group(1)) if island else []


def test_it_shows_the_associations_with_coordinates_on_a_map_and_in_a_list(client, make_association):
    judo = located(make_association, "Club de judo")
    make_association("Chorale without an address")
    response = client.get(URL)
    assert response.status_code == 200
    assert markers(response) == [
        {
            "name": "Club de judo",
            "lat": 48.65,
            "lng": 2.33,
            "url": f"/associations/{judo.slug}/",
            "address": "12 rue Victor Hugo, 91999 Bellerive-sur-Orge",
        }
    ]
    html = response.content.decode()
    list_html = html[html.index('id="map-list-title"') :]
    assert f'<a href="/associations/{judo.slug}/">Club de judo</a>' in list_html
    assert "12 rue Victor Hugo, 91999 Bellerive-sur-Orge" in list_html
    assert "Chorale without an address" not in html


def test_the_map_follows_the_search_filters(client, make_association):
    located(make_association, "Club de judo", theme_1="011140")
    located(make_association, "Chorale", theme_1="006030")
    response = client.get(URL, {"q": "judo"})
    assert [marker["name"] for marker in markers(response)] == ["Club de judo"]
    response = client.get(URL, {"family": "006000"})
    assert [marker["name"] for marker in markers(response)] == ["Chorale"]
    html = response.content.decode()
    assert '<input type="hidden" name="family" value="006000">' in html  # searching again keeps the filter
    assert 'href="/associations/?family=006000"' in html


def test_tiles_come_from_settings_and_scripts_are_files(client, make_association, settings):
    settings.TILE_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    settings.TILE_ATTRIBUTION = "© Example <tiles>"
    located(make_association, "Club de judo")
    html = client.get(URL).content.decode()
    assert 'data-tile-url="https://tiles.example.org/{z}/{x}/{y}.png"' in html
    assert 'data-attribution="© Example &lt;tiles&gt;"' in html
    assert "/static/vendor/leaflet/leaflet.js" in html and "/static/js/map.js" in html
    # No executable inline script (the CSP forbids them): only the JSON data island.
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    assert inline == [' id="directory-map-markers" type="application/json"']


def test_the_map_is_hidden_until_its_script_runs(client, make_association):
    located(make_association, "Club de judo")
    assert re.search(r'<div id="directory-map" class="js-map" hidden', client.get(URL).content.decode())


def test_names_cannot_break_out_of_the_data_island(client, make_association):
    located(make_association, "</script><script>alert(1)</script>")
    response = client.get(URL)
    assert "<script>alert(1)" not in response.content.decode()
    assert markers(response)[0]["name"] == "</script><script>alert(1)</script>"


def test_without_associations_there_is_no_map_but_a_message(client):
    html = client.get(URL).content.decode()
    assert 'id="directory-map"' not in html
    assert "No association with a known address matches this search." in html


def test_the_map_runs_the_same_number_of_queries_whatever_the_data(client, make_association):
    client.get(URL)
    for number in range(5):
        located(make_association, f"Club {number}")
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    for number in range(5, 60):
        located(make_association, f"Club {number}")
    with CaptureQueriesContext(connection) as many:
        client.get(URL)
    # count, page; on PostgreSQL first the search's server settings (work_mem, jit)
    assert len(search_queries(few)) == len(search_queries(many)) == 2 + (connection.vendor == "postgresql")


def test_the_vendored_leaflet_is_complete():
    from pathlib import Path

    from django.conf import settings

    folder = Path(settings.BASE_DIR) / "tissu" / "static" / "vendor" / "leaflet"
    for name in ("leaflet.js", "leaflet.css", "LICENSE", "VERSION", "images/marker-icon.png", "images/layers.png"):
        assert (folder / name).exists(), name
    assert "1.9.4" in (folder / "VERSION").read_text()
