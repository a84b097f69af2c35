"""Matching: missions for a volunteer, volunteers for a mission, each with its reasons in words."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from conftest import make_user
from tissu.directory.models import Neighbourhood
from tissu.volunteering import matching
from tissu.volunteering.tests.helpers import family, make_application, make_mission, make_profile, make_skill

pytestmark = pytest.mark.django_db


@pytest.fixture
def skills():
    return [make_skill(name) for name in ("Animation", "Cuisine", "Informatique", "Comptabilité")]


def test_missions_are_ranked_with_their_reasons(personas, skills):
    plateau = Neighbourhood.objects.create(name="Le Plateau", slug="plateau")
    profile = make_profile(
        personas["volunteer"],
        skills=skills[:3],
        interests=[family("011000")],
        availability="sat-morning wed-afternoon",
        neighbourhood=plateau,
    )
    best = make_mission(
        title="Best",
        skills=skills[:3],
        causes=[family("011000")],
        schedule="sat-morning",
        neighbourhood=plateau,
    )
    some = make_mission(title="Some", skills=skills[:1])
    make_mission(title="Nothing in common", skills=skills[3:])
    matches = matching.recommended_missions(profile=profile)
    assert [match.mission for match in matches] == [best, some]
    assert matches[0].reasons == [
        "3 skills in common",
        "cares about sports, activités de plein air",
        "available on Saturday morning",
        "in the same neighbourhood",
    ]
    assert matches[1].reasons_text == "1 skill in common"


def test_the_reasons_read_in_french(personas, skills):
    profile = make_profile(personas["volunteer"], skills=skills[:3], availability="sat-morning wed-afternoon")
    make_mission(skills=skills[:3], schedule="sat-morning wed-afternoon")
    with translation.override("fr"):
        [match] = matching.recommended_missions(profile=profile)
        assert match.reasons_text == "3 compétences en commun, disponible le mercredi après-midi et le samedi matin"


def test_one_off_slots_count_as_availability(personas):
    profile = make_profile(personas["volunteer"], availability="sat-morning sun-morning")
    mission = make_mission(slots=1, is_remote=True)
    slot = mission.slots.get()
    start = timezone.localtime(slot.starts_at).replace(hour=10)
    slot.starts_at, slot.ends_at = start, start + datetime.timedelta(hours=2)
    slot.save()
    code = matching.slot_code(start)
    profile.availability = code
    profile.save()
    [match] = matching.recommended_missions(profile=profile)
    assert any(reason.startswith("available on") for reason in match.reasons)
    assert "can be done remotely" in match.reasons


def test_missions_already_applied_to_are_left_out(personas, skills):
    profile = make_profile(personas["volunteer"], skills=skills[:1])
    mission = make_mission(skills=skills[:1])
    make_application(mission, personas["volunteer"])
    assert matching.recommended_missions(profile=profile) == []


def test_only_opted_in_volunteers_are_suggested(personas, skills):
    mission = make_mission(skills=skills[:2], causes=[family("011000")])
    opted = make_profile(make_user("in@example.org", "Ines In"), skills=skills[:2], contact_opt_in=True)
    make_profile(make_user("out@example.org", "Omar Out"), skills=skills[:2], contact_opt_in=False)
    minor = make_profile(make_user("young@example.org"), skills=skills, contact_opt_in=True, is_minor=True)
    applied = make_profile(make_user("applied@example.org"), skills=skills, contact_opt_in=True)
    make_application(mission, applied.user)
    matches = matching.suggested_volunteers(mission=mission)
    assert [match.profile for match in matches] == [opted]
    assert matches[0].reasons == ["2 skills in common"]
    assert minor not in [match.profile for match in matches]


def test_the_page_of_suggestions_shows_the_reasons(client_for, personas, skills):
    mission = make_mission(skills=skills[:2])
    make_profile(make_user("in@example.org", "Ines In"), skills=skills[:2], contact_opt_in=True)
    make_profile(personas["volunteer"], skills=skills[:2])
    html = client_for(personas["manager_a"]).get(reverse("volunteering:mission-applications", args=[mission.pk]))
    html = html.content.decode()
    assert "Ines In" in html and "2 skills in common" in html
    assert "Vera Volunteer" not in html
    recommended = client_for(personas["volunteer"]).get(reverse("volunteering:recommended")).content.decode()
    assert mission.title in recommended and "2 skills in common" in recommended


def test_the_profile_form_saves_the_grid_of_availability(client_for, volunteer, skills):
    response = client_for(volunteer).post(
        reverse("volunteering:volunteer-profile"),
        {"skills": [skills[0].pk], "interests": ["011000"], "availability": ["sat-morning", "mon-evening"],
         "languages": "français, arabe", "contact_opt_in": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    profile = volunteer.volunteer_profile
    assert set(profile.availability_codes) == {"sat-morning", "mon-evening"}
    assert profile.contact_opt_in
    assert list(profile.skills.all()) == [skills[0]]
    page = client_for(volunteer).get(reverse("volunteering:volunteer-profile")).content.decode()
    assert re.search(r'value="sat-morning"[^>]*checked', page)
    assert not re.search(r'value="sat-evening"[^>]*checked', page)


def test_suggestion_pages_make_the_same_number_of_queries_whatever_the_data(client_for, personas, skills):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make_profile(personas["volunteer"], skills=skills[:2], availability="sat-morning", contact_opt_in=True)
    mission = make_mission(title="Référence", skills=skills[:2], slots=1)

    def add(count, offset):
        for number in range(count):
            make_mission(title=f"Mission {offset + number}", skills=skills[:2], causes=[family("011000")], slots=2)
            make_profile(make_user(f"v{offset + number}@example.org"), skills=skills[:2], contact_opt_in=True)

    pages = [
        (personas["volunteer"], reverse("volunteering:recommended")),
        (personas["manager_a"], reverse("volunteering:mission-applications", args=[mission.pk])),
    ]
    add(2, 0)
    small = []
    for user, url in pages:
        client = client_for(user)
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        small.append(len(queries.captured_queries))
    add(8, 2)
    for (user, url), before in zip(pages, small, strict=True):
        client = client_for(user)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        assert len(queries.captured_queries) == before, url
