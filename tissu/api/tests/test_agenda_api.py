"""The REST API's agenda endpoints: public events only, their dates in a period, filters, constant queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tissu.agenda.models import Visibility
from tissu.agenda.tests.factories import category, make_event

pytestmark = pytest.mark.django_db

LIST_URL = "/api/events"


def slugs(client, **params):
    response = client.get(LIST_URL, params)
    assert response.status_code == 200, response.content
    return [item["slug"] for item in response.json()["results"]]


def test_the_urls_live_under_api():
    assert reverse("api:event-list") == LIST_URL
    assert reverse("api:event-detail", args=["forum"]) == "/api/events/forum"
    assert reverse("api:event-category-list") == "/api/event-categories"


def test_only_published_public_events_are_served(client, association_a):
    forum = make_event("Forum des associations", association=association_a)
    make_event("Brouillon", association=association_a, publish=False)
    make_event("Réunion inter-associations", association=association_a, visibility=Visibility.MEMBERS)
    assert slugs(client) == [forum.slug]
    data = client.get(f"{LIST_URL}/{forum.slug}").json()
    assert data["title"] == "Forum des associations"
    assert data["organiser"] == {"name": association_a.name, "association": association_a.slug}
    assert data["venue"]["name"] == "Salle des fêtes"
    assert data["url"].endswith(reverse("agenda:event-detail", args=[forum.slug]))
    assert len(data["dates"]) == 1
    internal = make_event("Autre réunion interne", visibility=Visibility.MEMBERS)
    assert client.get(f"{LIST_URL}/{internal.slug}").status_code == 404
    assert client.get(f"{LIST_URL}/nope").json() == {"detail": "No public event has this address."}


def test_the_period_and_filters_narrow_the_list(client, association_a, association_b):
    soon = make_event("Atelier vélo", association=association_a, days=3, category=category("atelier"))
    later = make_event("Concert", association=association_b, days=40, is_free=False, price="5 €")
    today = datetime.date.today()
    assert slugs(client) == [soon.slug, later.slug]
    assert slugs(client, end=(today + datetime.timedelta(days=10)).isoformat()) == [soon.slug]
    assert slugs(client, start=(today + datetime.timedelta(days=10)).isoformat()) == [later.slug]
    assert slugs(client, category="atelier") == [soon.slug]
    assert slugs(client, association=association_b.slug) == [later.slug]
    assert slugs(client, free="true") == [soon.slug]
    response = client.get(LIST_URL, {"start": "2027-02-01", "end": "2027-01-01"})
    assert response.status_code == 422


def test_a_recurring_event_lists_its_dates_in_the_period(client):
    weekly = make_event("Permanence", days=1, recurrence="FREQ=WEEKLY;COUNT=6")
    today = datetime.date.today()
    data = client.get(LIST_URL, {"end": (today + datetime.timedelta(days=16)).isoformat()}).json()
    (event,) = data["results"]
    assert event["slug"] == weekly.slug and len(event["dates"]) == 3


def test_the_list_runs_the_same_number_of_queries_whatever_the_data(client):
    make_event("Premier")
    client.get(LIST_URL)  # warm the city settings cache
    with CaptureQueriesContext(connection) as few:
        client.get(LIST_URL)
    for number in range(15):
        make_event(f"Événement {number}", category=category("forum"))
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(LIST_URL).json()["results"]) == 16
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_openapi_description_documents_the_events():
    from tissu.api.api import api

    schema = api.get_openapi_schema()
    assert "/api/events" in schema["paths"] and "/api/events/{slug}" in schema["paths"]
