import json

import pytest
from django.urls import reverse

from conftest import PASSWORD
from tissu.lib import personal_data

pytestmark = pytest.mark.django_db

URL = reverse("accounts:data-export")


def test_it_downloads_the_account_as_a_json_file(client, staff):
    client.post(reverse("accounts:login"), {"username": staff.email, "password": PASSWORD})

    response = client.get(URL)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    account = json.loads(response.content)["account"]
    assert account["email"] == "sam@example.org"
    assert account["full_name"] == "Sam Staff"
    assert account["language"] == "fr"
    assert account["roles"] == ["associations_office"]
    assert account["email_verified_at"] and account["date_joined"] and account["last_login"]
    [sign_in] = account["sign_ins"]
    assert sign_in["ip_address"] == "127.0.0.1"


def test_it_holds_a_section_for_every_registered_provider(client_for, volunteer, monkeypatch):
    monkeypatch.setitem(
        personal_data._providers,
        "zz_test",
        personal_data.Provider(key="zz_test", export=lambda user: [{"owner": user.email}], erase=lambda user: None),
    )

    payload = json.loads(client_for(volunteer).get(URL).content)

    assert set(payload) == {provider.key for provider in personal_data.providers()}
    assert payload["zz_test"] == [{"owner": "volunteer@example.org"}]


def test_it_holds_only_the_persons_own_data(client_for, volunteer, manager_a):
    content = client_for(volunteer).get(URL).content.decode()
    assert "volunteer@example.org" in content
    assert "alice@example.org" not in content
