"""Volunteering in figures: yearly counts for the office and elected officials, with no personal data."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import make_user
from tissu.volunteering.figures import volunteering_figures
from tissu.volunteering.models import Mission
from tissu.volunteering.tests.helpers import make_application, make_mission, make_profile

pytestmark = pytest.mark.django_db

URL = reverse("volunteering:figures")
THIS_YEAR = timezone.localdate().year


def test_it_counts_missions_applications_and_confirmed_hours_of_the_year(volunteer, association_b):
    make_mission(title="Collecte", places=10)
    make_mission(association_b, title="Trésorier·e", mission_type="board", places=1)
    old = make_mission(title="Ancienne")
    Mission.objects.filter(pk=old.pk).update(published_at=timezone.now() - datetime.timedelta(days=800))
    make_profile(volunteer, contact_opt_in=True)
    make_profile(make_user("closed@example.org"))
    accepted = make_application(Mission.objects.get(title="Collecte"), volunteer, status="accepted")
    make_application(Mission.objects.get(title="Trésorier·e"), volunteer, status="declined")
    make_application(Mission.objects.get(title="Trésorier·e"), make_user("x@example.org"), status="new")
    accepted.hours.create(day=timezone.localdate(), hours="3.5", status="confirmed")
    accepted.hours.create(day=timezone.localdate(), hours=2, status="declared")

    figures = volunteering_figures(year=THIS_YEAR)

    assert figures.missions_total == 2 and figures.places_offered == 11 and figures.associations_recruiting == 2
    assert dict(figures.missions_by_type)["board role"] == 1
    assert figures.applications_total == 3 and figures.volunteers_applying == 2
    assert figures.acceptance_rate == 50.0  # one accepted, one declined, one not answered yet
    assert figures.hours_confirmed == 3.5 and figures.volunteers_with_hours == 1
    assert (figures.profiles_total, figures.profiles_open_to_suggestions) == (2, 1)
    assert THIS_YEAR - 2 in figures.years or THIS_YEAR - 3 in figures.years


def test_the_page_shows_counts_to_elected_officials_and_the_office_only(client_for, elected, manager_a, volunteer):
    make_application(make_mission(title="Collecte"), volunteer, status="accepted")
    html = client_for(elected).get(URL).content.decode()
    assert f"Volunteering in figures, {THIS_YEAR}" in html
    assert volunteer.full_name not in html and volunteer.email not in html
    assert client_for(manager_a).get(URL).status_code == 403
    assert client_for(elected).get(URL, {"annee": "nonsense"}).status_code == 200


def test_the_page_runs_the_same_number_of_queries_whatever_the_data(client_for, elected, django_assert_num_queries):
    make_mission(title="Première")
    client = client_for(elected)
    client.get(URL)
    with django_assert_num_queries(10) as few:  # session, user and roles, then seven aggregates
        client.get(URL)
    for number in range(10):
        mission = make_mission(title=f"Mission {number}")
        make_application(mission, make_user(f"v{number}@example.org"), status="accepted")
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(URL)
