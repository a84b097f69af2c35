import pytest
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD

pytestmark = pytest.mark.django_db

URL = reverse("accounts:dashboard")


def test_it_saves_the_name_and_the_language_for_emails(client_for, volunteer):
    response = client_for(volunteer).post(URL, {"full_name": "  Vera V. Volunteer ", "language": "en"})

    assert response.status_code == 302
    volunteer.refresh_from_db()
    assert (volunteer.full_name, volunteer.language) == ("Vera V. Volunteer", "en")


def test_a_name_is_required(client_for, volunteer):
    response = client_for(volunteer).post(URL, {"full_name": "", "language": "fr"})

    assert response.status_code == 400
    volunteer.refresh_from_db()
    assert volunteer.full_name == "Vera Volunteer"


def test_it_shows_the_city_roles_by_their_names(client_for, committee):
    page = client_for(committee).get(URL).content.decode()
    assert "Committee member" in page


def test_changing_the_password_keeps_this_session_and_ends_the_others(client_for, volunteer):
    other_device = Client()
    other_device.force_login(volunteer)
    client = client_for(volunteer)
    new_password = "another-long-passphrase"

    response = client.post(
        reverse("accounts:password-change"),
        {"old_password": PASSWORD, "new_password1": new_password, "new_password2": new_password},
    )

    assert response.status_code == 302
    volunteer.refresh_from_db()
    assert volunteer.check_password(new_password)
    assert client.get(URL).status_code == 200
    assert other_device.get(URL).status_code == 302
