import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tissu.agenda.models import Event, Publication
from tissu.agenda.tests.factories import category, make_event
from tissu.directory.models import Audience, Neighbourhood

pytestmark = pytest.mark.django_db


def titles(response) -> list[str]:
    return [occurrence.event.title for occurrence in response.context["page"].object_list]


@pytest.fixture
def events(association_a, association_b):
    centre = Neighbourhood.objects.create(name="Centre-ville", slug="centre-ville")
    seniors = Audience.objects.create(name="Seniors", slug="seniors")
    forum = make_event(
        "Forum des associations", category=category("forum"), neighbourhood=centre, step_free=True, days=3
    )
    concert = make_event(
        "Concert solidaire", association=association_a, category=category("culture"), is_free=False, price="5 €"
    )
    concert.audiences.add(seniors)
    sportive = make_event("Journées sportives", association=association_b, category=category("sport"), days=20)
    draft = make_event("Brouillon secret", association=association_a, publish=False)
    past = make_event("Atelier passé", association=association_a, days=-10)
    return {"forum": forum, "concert": concert, "sportive": sportive, "draft": draft, "past": past}


def test_the_list_shows_published_upcoming_events_soonest_first(client, events):
    response = client.get(reverse("agenda:event-list"))
    assert titles(response) == ["Forum des associations", "Concert solidaire", "Journées sportives"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("category=forum", ["Forum des associations"]),
        ("category=forum&category=sport", ["Forum des associations", "Journées sportives"]),
        ("audience=seniors", ["Concert solidaire"]),
        ("neighbourhood=centre-ville", ["Forum des associations"]),
        ("association=association-b", ["Journées sportives"]),
        ("free=1", ["Forum des associations", "Journées sportives"]),
        ("accessible=1", ["Forum des associations"]),
        ("q=sport", ["Journées sportives"]),
        ("q=solidaires", ["Concert solidaire"]),
        ("category=<script>", ["Forum des associations", "Concert solidaire", "Journées sportives"]),
    ],
)
def test_the_list_filters(client, events, query, expected):
    assert titles(client.get(reverse("agenda:event-list") + "?" + query)) == expected


def test_the_list_filters_by_dates(client, events):
    day = timezone.localdate() + datetime.timedelta(days=15)
    assert titles(client.get(reverse("agenda:event-list"), {"date_from": day.isoformat()})) == ["Journées sportives"]
    past = timezone.localdate() - datetime.timedelta(days=11)
    response = client.get(
        reverse("agenda:event-list"), {"date_from": past.isoformat(), "date_to": timezone.localdate().isoformat()}
    )
    assert titles(response) == ["Atelier passé"]


def test_htmx_gets_only_the_results(client, events):
    response = client.get(reverse("agenda:event-list"), {"category": "forum"}, headers={"HX-Request": "true"})
    assert "<html" not in response.text
    assert 'id="agenda-results"' in response.text and "hx-swap-oob" in response.text


def _many(count: int, association) -> None:
    for number in range(count):
        make_event(f"Événement {number}", association=association, category=category("atelier"), days=number + 1)


def test_the_list_runs_the_same_number_of_queries_whatever_the_data(client, association_a, django_assert_num_queries):
    _many(2, association_a)
    client.get(reverse("agenda:event-list"))  # warm the city settings cache
    with django_assert_num_queries(6) as first:
        client.get(reverse("agenda:event-list"))
    _many(15, association_a)
    with django_assert_num_queries(len(first.captured_queries)):
        client.get(reverse("agenda:event-list"))


def test_the_month_grid_runs_the_same_number_of_queries_whatever_the_data(
    client, association_a, django_assert_num_queries
):
    _many(2, association_a)
    client.get(reverse("agenda:month"))
    with django_assert_num_queries(1) as first:
        client.get(reverse("agenda:month"))
    _many(15, association_a)
    with django_assert_num_queries(len(first.captured_queries)):
        client.get(reverse("agenda:month"))


def test_a_multi_day_event_appears_on_each_of_its_days_in_the_week_and_the_month(client, association_a):
    monday = timezone.localdate() + datetime.timedelta(days=7 - timezone.localdate().weekday())
    start = timezone.make_aware(datetime.datetime.combine(monday, datetime.time(9)))
    make_event(
        "Rencontres de la vie associative",
        association=association_a,
        starts_at=start,
        ends_at=start + datetime.timedelta(days=1, hours=8),
    )
    response = client.get(reverse("agenda:week"), {"date": monday.isoformat()})
    days = dict(response.context["days"])
    assert [bool(days[monday + datetime.timedelta(days=n)]) for n in range(7)] == [True, True] + [False] * 5
    assert response.text.count("Rencontres de la vie associative") == 2
    month = client.get(reverse("agenda:month"), {"mois": monday.strftime("%Y-%m")})
    assert month.status_code == 200
    assert "<caption" in month.text and 'scope="col"' in month.text
    assert month.text.count("Rencontres de la vie associative") >= 1


def test_bad_dates_in_the_address_fall_back_to_today(client):
    assert client.get(reverse("agenda:week"), {"date": "not-a-date"}).status_code == 200
    assert client.get(reverse("agenda:month"), {"mois": "2026-13"}).status_code == 200


def test_an_association_profile_lists_its_upcoming_events(client, events, association_a):
    page = client.get(reverse("directory:association-detail", args=[association_a.slug])).text
    assert "Upcoming events" in page
    assert "Concert solidaire" in page
    assert "Brouillon secret" not in page and "Atelier passé" not in page
    assert "Journées sportives" not in page
    feed = f"{reverse('agenda:feed')}?association={association_a.slug}"
    assert f'href="{feed}"' in page and f"Subscribe to the events of {association_a.name} (iCalendar)" in page


def test_a_profile_without_events_has_no_events_section(client, association_b):
    Event.objects.filter(association=association_b).update(publication=Publication.DRAFT)
    page = client.get(reverse("directory:association-detail", args=[association_b.slug])).text
    assert "Upcoming events" not in page


def test_the_main_menu_links_to_the_agenda(client):
    page = client.get(reverse("agenda:event-list")).text
    assert f'href="{reverse("agenda:event-list")}" aria-current="page"' in page
