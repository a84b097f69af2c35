import pytest
from django.core.management import call_command
from django.urls import reverse

from tissu.agenda.models import Event, Publication, Registration, RegistrationStatus

pytestmark = pytest.mark.django_db


def test_the_demo_city_has_an_agenda_with_a_full_training_and_the_rencontres(client):
    call_command("seed_demo")
    slugs = set(Event.objects.values_list("slug", flat=True))
    assert {"forum-des-associations", "formation-tresorerie-associative", "rencontres-de-la-vie-associative",
            "fete-du-benevolat", "atelier-reparation-velos"} <= slugs  # fmt: skip
    training = Event.objects.get(slug="formation-tresorerie-associative")
    statuses = sorted(training.registrations.values_list("status", flat=True))
    assert statuses == ["confirmed", "confirmed", "confirmed", "waiting"]
    rencontres = Event.objects.get(slug="rencontres-de-la-vie-associative")
    assert rencontres.is_multi_day
    assert rencontres.ticket_categories.get(name="Agent territorial").access_code == "46 SXRVA 002"
    assert rencontres.sessions.count() == 10 and rencontres.sessions.filter(choices__isnull=False).count() == 1
    assert Event.objects.get(slug="atelier-reparation-velos").occurrences.count() == 11
    assert Event.objects.filter(publication=Publication.PENDING).exists()
    page = client.get(reverse("agenda:event-list"))
    assert page.status_code == 200 and "Forum des associations" in page.text
    counts = (Event.objects.count(), Registration.objects.count())
    call_command("seed_demo")
    assert (Event.objects.count(), Registration.objects.count()) == counts
    assert Registration.objects.filter(status=RegistrationStatus.WAITING).count() == 1
