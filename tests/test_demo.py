import pytest
from django.core.management import call_command

from tissu.accounts.models import User
from tissu.city.models import CitySettings

pytestmark = pytest.mark.django_db


def snapshot():
    return {
        "users": sorted(User.objects.values_list("email", "full_name", "is_superuser")),
        "roles": sorted(User.objects.filter(groups__isnull=False).values_list("email", "groups__name")),
        "city": CitySettings.objects.values("name", "insee_codes", "siret").get(),
    }


def test_the_demo_city_has_one_account_per_persona():
    call_command("seed_demo")
    assert CitySettings.objects.get().name == "Bellerive-sur-Orge"
    assert User.objects.filter(email="agent@bellerive.example", groups__name="associations_office").exists()
    assert User.objects.get(email="admin@bellerive.example").is_superuser
    assert User.objects.get(email="benevole@bellerive.example").check_password("tissu-demo-2026")


def test_seeding_twice_changes_nothing():
    call_command("seed_demo")
    first = snapshot()
    call_command("seed_demo")
    assert snapshot() == first


def test_if_empty_leaves_a_configured_city_alone():
    CitySettings.objects.create(pk=1, name="Ville déjà configurée")
    call_command("seed_demo", "--if-empty")
    assert CitySettings.objects.get().name == "Ville déjà configurée"
    assert not User.objects.exists()
