"""Browsing missions: full text and filters, constant queries, the mission page, the association's profile."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tissu.directory.models import Association, Neighbourhood
from tissu.volunteering.tests.helpers import family, make_application, make_mission, make_skill

pytestmark = pytest.mark.django_db


def titles(response) -> list[str]:
    return sorted(mission.title for mission in response.context["page"].object_list)


@pytest.fixture
def missions(personas):
    plateau = Neighbourhood.objects.create(name="Le Plateau", slug="plateau")
    make_mission(
        title="Entraîneur de football",
        description="Encadrer les jeunes sportifs le samedi.",
        skills=[make_skill("Animation")],
        causes=[family("011000")],
        neighbourhood=plateau,
        publics="students minors",
    )
    make_mission(
        "association-b",
        title="Comptable bénévole",
        description="Tenir les comptes.",
        skills=[make_skill("Comptabilité")],
        is_remote=True,
        mission_type="board",
        board_role="treasurer",
    )
    make_mission(title="Collecte alimentaire", slots=1)
    make_mission(title="Brouillon caché", status="draft")
    make_mission(title="Mission close", status="closed")


def test_only_open_missions_are_listed(client, missions):
    response = client.get(reverse("volunteering:mission-list"))
    assert titles(response) == ["Collecte alimentaire", "Comptable bénévole", "Entraîneur de football"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"q": "sportive"}, ["Entraîneur de football"]),
        ({"q": "comptes"}, ["Comptable bénévole"]),
        ({"skill": "comptabilite"}, ["Comptable bénévole"]),
        ({"cause": "011000"}, ["Entraîneur de football"]),
        ({"type": "board"}, ["Comptable bénévole"]),
        ({"type": ["board", "one_off"]}, ["Collecte alimentaire", "Comptable bénévole"]),
        ({"remote": "on"}, ["Comptable bénévole"]),
        ({"neighbourhood": "plateau"}, ["Entraîneur de football"]),
        ({"public": "minors"}, ["Entraîneur de football"]),
        ({"skill": "<script>"}, ["Collecte alimentaire", "Comptable bénévole", "Entraîneur de football"]),
    ],
)
def test_filters_narrow_the_list(client, missions, query, expected):
    assert titles(client.get(reverse("volunteering:mission-list"), query)) == expected


def test_a_date_keeps_the_one_off_missions_of_that_day_and_the_ongoing_ones(client, missions):
    day = (timezone.localtime() + datetime.timedelta(days=7)).date()
    response = client.get(reverse("volunteering:mission-list"), {"date": day.isoformat(), "type": "one_off"})
    assert titles(response) == ["Collecte alimentaire"]
    response = client.get(
        reverse("volunteering:mission-list"), {"date": (day + datetime.timedelta(days=1)).isoformat()}
    )
    assert "Collecte alimentaire" not in titles(response)
    assert "Comptable bénévole" in titles(response)


def test_missions_of_hidden_associations_are_not_listed(client, missions):
    Association.objects.filter(slug="association-b").update(publish_on_web=False)
    assert "Comptable bénévole" not in titles(client.get(reverse("volunteering:mission-list")))


def test_htmx_gets_only_the_results(client, missions):
    response = client.get(reverse("volunteering:mission-list"), {"q": "football"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert 'id="mission-results"' in html
    assert "<h1>" not in html


def _populate(count: int, offset: int = 0):
    skill = make_skill("Animation")
    for number in range(count):
        make_mission(title=f"Mission {offset + number}", skills=[skill], causes=[family("011000")], slots=2)


@pytest.mark.parametrize("query", [{}, {"skill": "animation", "cause": "011000"}])
def test_the_list_makes_the_same_number_of_queries_whatever_the_data(
    client, personas, django_assert_max_num_queries, query
):
    _populate(2)
    client.get(reverse("volunteering:mission-list"), query)  # warm the session and city caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.get(reverse("volunteering:mission-list"), query)
    _populate(15, offset=2)
    with CaptureQueriesContext(connection) as large:
        response = client.get(reverse("volunteering:mission-list"), query)
    assert len(response.context["page"].object_list) == 17
    assert len(large.captured_queries) == len(small.captured_queries)
    assert len(large.captured_queries) <= 12


def test_the_mission_page_shows_its_details_and_the_response_time(client, personas):
    mission = make_mission(
        title="Aide aux devoirs",
        rhythm="Le mercredi",
        commitment_hours=2,
        publics="students",
        prerequisites="Aimer les maths",
        motivation_required=True,
    )
    application = make_application(mission, personas["volunteer"])
    application.responded_at = application.created_at + datetime.timedelta(days=2)
    application.save(update_fields=["responded_at"])
    html = client.get(reverse("volunteering:mission-detail", args=[mission.pk])).content.decode()
    assert "Aide aux devoirs" in html
    assert "2 hours a week" in html
    assert "students" in html
    assert "Aimer les maths" in html
    assert "Answered 100 % of the 1 application received this year." in html
    assert "Usually answers within 2 days." in html
    assert "a few words of motivation" in html


def test_the_association_profile_lists_its_open_missions(client, personas):
    make_mission(title="Accueil des familles")
    make_mission(title="Brouillon", status="draft")
    response = client.get(reverse("directory:association-detail", args=["association-a"]))
    html = response.content.decode()
    assert "Volunteering missions" in html
    assert "Accueil des familles" in html
    assert "Brouillon" not in html
    assert "volunteering/includes/profile_missions.html" in [template.name for template in response.templates]


def test_the_profile_has_no_missions_section_without_open_missions(client, personas):
    make_mission(title="Close", status="closed")
    html = client.get(reverse("directory:association-detail", args=["association-a"])).content.decode()
    assert "Volunteering missions" not in html
