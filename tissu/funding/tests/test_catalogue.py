import datetime

import pytest
from django.urls import reverse

from tissu.funding.tests.factories import make_call, make_scheme

pytestmark = pytest.mark.django_db


def test_the_catalogue_lists_the_city_and_other_funders_schemes(client):
    make_scheme(name="Aide aux projets associatifs")
    make_scheme(slug="caf", name="Fonds CAF", funder_kind="caf", applications_in_tissu=False)
    make_scheme(slug="hidden", name="Ancien dispositif", is_active=False)
    page = client.get(reverse("funding:scheme-list")).content.decode()
    assert "Aide aux projets associatifs" in page and "Fonds CAF" in page
    assert "Ancien dispositif" not in page
    filtered = client.get(reverse("funding:scheme-list"), {"funder": "caf"}).content.decode()
    assert "Fonds CAF" in filtered and "Aide aux projets associatifs" not in filtered


def test_an_inactive_scheme_is_not_found(client):
    make_scheme(slug="hidden", is_active=False)
    assert client.get(reverse("funding:scheme-detail", args=["hidden"])).status_code == 404


def test_the_self_check_says_which_rules_are_met(client):
    scheme = make_scheme(min_age_months=12, local_only=True, qpv_only=True)
    url = reverse("funding:eligibility", args=[scheme.slug])
    young = (datetime.date.today() - datetime.timedelta(days=100)).isoformat()
    page = client.get(url, {"created_on": young, "local": "yes", "in_qpv": "yes"}).content.decode()
    assert "Result: you do not seem eligible" in page
    old = (datetime.date.today() - datetime.timedelta(days=800)).isoformat()
    page = client.get(url, {"created_on": old, "local": "yes", "in_qpv": "yes"}).content.decode()
    assert "Result: you seem eligible" in page
    page = client.get(url, {"created_on": old, "local": "yes"}).content.decode()
    assert "Result: to be confirmed" in page


def test_calls_are_sorted_into_open_coming_and_closed(client):
    make_call(title="Appel ouvert")
    make_call(title="Appel futur", opens_in_days=5, closes_in_days=30)
    make_call(title="Appel clos", opens_in_days=-40, closes_in_days=-10)
    page = client.get(reverse("funding:call-list")).content.decode()
    assert page.index("Appel ouvert") < page.index("Appel futur") < page.index("Appel clos")


def test_a_manager_fills_the_self_check_from_the_directory(client_for, manager_a, association_a):
    from tissu.city.models import CitySettings
    from tissu.directory.models import Association

    CitySettings.objects.update_or_create(pk=1, defaults={"insee_codes": "91999"})
    Association.objects.filter(pk=association_a.pk).update(creation_date=datetime.date(2001, 5, 4))
    scheme = make_scheme(min_age_months=12, local_only=True)
    page = client_for(manager_a).get(
        reverse("funding:eligibility", args=[scheme.slug]), {"association": association_a.pk}
    )
    html = page.content.decode()
    assert "Result: you seem eligible" in html
    assert 'value="2001-05-04"' in html
