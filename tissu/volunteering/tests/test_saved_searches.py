"""Saved searches: kept from the list page, new matching missions emailed once a day, in the personal data."""

import datetime
import json

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tissu.accounts.services import user_delete
from tissu.volunteering import saved_searches
from tissu.volunteering.models import Mission, SavedSearch
from tissu.volunteering.tests.helpers import make_mission, make_skill

pytestmark = pytest.mark.django_db


def test_a_search_is_saved_from_the_list_once(client_for, volunteer):
    make_skill("Cuisine")
    client = client_for(volunteer)
    page = client.get(reverse("volunteering:mission-list"), {"skill": "cuisine", "q": "repas"}).content.decode()
    assert "Email me the new missions of this search" in page
    for query in ("skill=cuisine&q=repas&page=2", "q=repas&skill=cuisine"):
        client.post(reverse("volunteering:saved-search-list"), {"query": query})
    saved = SavedSearch.objects.get()
    assert saved.query == "q=repas&skill=cuisine"
    listing = client.get(reverse("volunteering:saved-search-list")).content.decode()
    assert "« repas » · Cuisine" in listing


def test_ten_saved_searches_at_most(volunteer):
    for number in range(10):
        saved_searches.saved_search_create(user=volunteer, query=f"q=mot{number}")
    with pytest.raises(Exception, match="Ten saved searches"):
        saved_searches.saved_search_create(user=volunteer, query="q=encore")


def test_new_matching_missions_are_emailed_once(volunteer, django_capture_on_commit_callbacks):
    skill = make_skill("Cuisine")
    make_mission(title="Déjà là", skills=[skill])
    saved = saved_searches.saved_search_create(user=volunteer, query="skill=cuisine")
    SavedSearch.objects.filter(pk=saved.pk).update(notified_until=timezone.now() - datetime.timedelta(minutes=1))
    Mission.objects.update(published_at=timezone.now() - datetime.timedelta(days=2))
    make_mission(title="Repas solidaire", skills=[skill])
    make_mission(title="Sans rapport")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("volunteering_send_saved_searches")
        call_command("volunteering_send_saved_searches")
    [email] = mail.outbox
    assert email.to == [volunteer.email]
    assert "Repas solidaire" in email.body
    assert "Déjà là" not in email.body and "Sans rapport" not in email.body
    assert "skill=cuisine" in email.body


def test_someone_else_cannot_delete_my_search(client_for, volunteer, manager_a):
    saved = saved_searches.saved_search_create(user=volunteer, query="q=repas")
    url = reverse("volunteering:saved-search-delete", args=[saved.pk])
    assert client_for(manager_a).post(url).status_code == 404
    client_for(volunteer).post(url)
    assert not SavedSearch.objects.exists()


def test_saved_searches_are_exported_and_erased(client_for, volunteer):
    saved_searches.saved_search_create(user=volunteer, query="q=repas")
    payload = json.loads(client_for(volunteer).get(reverse("accounts:data-export")).content)
    assert payload["volunteering_saved_searches"][0]["search"] == "q=repas"
    user_delete(user=volunteer)
    assert not SavedSearch.objects.exists()
