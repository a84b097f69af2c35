"""The volunteer's data in the account export, and gone with the account."""

import json

import pytest
from django.urls import reverse

from conftest import make_user
from tissu.accounts.services import user_delete
from tissu.volunteering.models import Application, ApplicationMessage, MissionStatus, VolunteerProfile
from tissu.volunteering.tests.helpers import make_application, make_mission, make_profile, make_skill

pytestmark = pytest.mark.django_db


def test_the_export_holds_the_profile_and_the_applications(client_for, volunteer, manager_a):
    make_profile(volunteer, skills=[make_skill("Cuisine")], phone="06 00 00 00 00", availability="sat-morning")
    application = make_application(make_mission(title="Collecte"), volunteer, message="Motivée")
    ApplicationMessage.objects.create(application=application, author=manager_a, from_association=True, body="Merci")
    application.hours.create(day="2026-01-10", hours=2)
    make_application(make_mission(title="Pas à moi"), make_user("x@example.org"))

    payload = json.loads(client_for(volunteer).get(reverse("accounts:data-export")).content)["volunteering"]

    assert payload["profile"]["skills"] == ["Cuisine"]
    assert payload["profile"]["phone"] == "06 00 00 00 00"
    [exported] = payload["applications"]
    assert exported["mission"] == "Collecte"
    assert exported["messages"] == [{"from_association": True, "body": "Merci", "at": exported["messages"][0]["at"]}]
    assert exported["hours"][0]["hours"] == "2.00"


def test_deleting_the_account_erases_everything_and_frees_the_place(volunteer):
    make_profile(volunteer, phone="06 00 00 00 00")
    mission = make_mission(places=1, status="full")
    make_application(mission, volunteer, status="accepted")
    waiting = make_application(mission, make_user("w@example.org"), status="waitlisted")

    user_delete(user=volunteer)

    assert not VolunteerProfile.objects.exists()
    assert not Application.objects.filter(volunteer=volunteer).exists()
    mission.refresh_from_db()
    waiting.refresh_from_db()
    assert mission.status == MissionStatus.PUBLISHED
    assert waiting.status == "new"


def test_invitations_are_exported_and_erased_with_the_account(client_for, volunteer, manager_a):
    from tissu.volunteering.models import Invitation

    Invitation.objects.create(mission=make_mission(title="Atelier"), volunteer=volunteer, message="Bonjour")
    payload = json.loads(client_for(volunteer).get(reverse("accounts:data-export")).content)["volunteering"]
    [exported] = payload["invitations"]
    assert (exported["mission"], exported["message"], exported["status"]) == ("Atelier", "Bonjour", "pending")
    user_delete(user=volunteer)
    assert not Invitation.objects.exists()
