import pytest
from django.core.management import call_command

from tissu.volunteering.models import Application, ApplicationStatus, Mission, MissionStatus, VolunteerProfile

pytestmark = pytest.mark.django_db


def counts():
    return (Mission.objects.count(), Application.objects.count(), VolunteerProfile.objects.count())


def test_the_demo_city_has_missions_and_applications_in_every_state():
    call_command("seed_demo")
    assert set(Mission.objects.values_list("status", flat=True)) == set(MissionStatus.values)
    assert set(Application.objects.values_list("status", flat=True)) == set(ApplicationStatus.values)
    assert set(Mission.objects.values_list("mission_type", flat=True)) == {"one_off", "recurring", "board"}
    profile = VolunteerProfile.objects.get(user__email="benevole@bellerive.example")
    assert profile.skills.exists() and profile.availability_codes
    first = counts()
    call_command("seed_demo")
    assert counts() == first
