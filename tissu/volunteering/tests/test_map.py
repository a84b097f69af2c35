"""The missions' map: the search's missions that happen somewhere, at their association's address."""

import json
import re

import pytest
from django.urls import reverse

from tissu.directory.models import Association
from tissu.volunteering.tests.helpers import make_mission

pytestmark = pytest.mark.django_db

URL = reverse("volunteering:mission-map")


def markers(response) -> list[dict]:
    found = re.search(
        r'<script id="mission-map-markers" type="application/json">(.*?)</script>', response.content.decode()
    )
    return json.loads(found.group(1)) if found else []


@pytest.fixture
def located(association_a, association_b):
    Association.objects.filter(pk=association_a.pk).update(latitude="48.700100", longitude="2.330200")
    return association_a


def test_it_places_missions_at_their_associations_address(client, located, association_b):
    mission = make_mission(located, title="Accueil des familles", address="Salle Jean-Jaurès")
    make_mission(located, title="Traduction en ligne", is_remote=True)
    make_mission(association_b, title="Mission d'une association sans coordonnées")
    make_mission(located, title="Brouillon", status="draft")
    response = client.get(URL)
    (marker,) = markers(response)
    assert marker["name"] == "Accueil des familles"
    assert marker["url"] == reverse("volunteering:mission-detail", args=[mission.pk])
    assert marker["lat"] == pytest.approx(48.7001) and marker["address"] == "Salle Jean-Jaurès"
    html = response.content.decode()
    assert "1 mission on the map." in html
    assert "Traduction en ligne" not in html and "Brouillon" not in html


def test_the_search_applies_to_the_map(client, located):
    make_mission(located, title="Accueil des familles")
    make_mission(located, title="Collecte alimentaire", description="Trier les dons")
    assert [marker["name"] for marker in markers(client.get(URL, {"q": "collecte"}))] == ["Collecte alimentaire"]


def test_the_list_links_to_the_map_with_its_search(client, located):
    make_mission(located)
    html = client.get(reverse("volunteering:mission-list"), {"q": "accueil"}).content.decode()
    assert f'href="{URL}?q=accueil"' in html


def test_the_map_runs_the_same_number_of_queries_whatever_the_data(client, located, django_assert_num_queries):
    make_mission(located, title="Première")
    client.get(URL)  # warm the caches
    with django_assert_num_queries(2) as first:  # the count and the page
        client.get(URL)
    for number in range(12):
        make_mission(located, title=f"Mission {number}")
    with django_assert_num_queries(len(first.captured_queries)):
        assert len(markers(client.get(URL))) == 13
