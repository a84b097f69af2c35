import pytest
from django.urls import reverse

from conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
LOGOUT = reverse("accounts:logout")


def sign_in(client, username, password=PASSWORD, **extra):
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def signed_in_as(client):
    return client.session.get("_auth_user_id")


@pytest.mark.parametrize("typed", ["volunteer@example.org", "Volunteer@Example.ORG", "  VOLUNTEER@example.org "])
def test_it_signs_in_with_the_email_in_any_case(client, volunteer, typed):
    response = sign_in(client, typed)

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:dashboard")
    assert signed_in_as(client) == str(volunteer.pk)


def test_it_goes_on_to_the_page_asked_for(client, volunteer):
    response = client.post(LOGIN + "?next=/compte/adresse/", {"username": volunteer.email, "password": PASSWORD})
    assert response["Location"] == "/compte/adresse/"


def test_it_refuses_a_wrong_password(client, volunteer):
    response = sign_in(client, volunteer.email, "not-the-password")

    assert response.status_code == 400
    assert "Wrong email address or password." in response.content.decode()
    assert signed_in_as(client) is None


def test_it_refuses_a_deleted_account(client, volunteer):
    from tissu.accounts.services import user_delete

    user_delete(user=volunteer)

    assert sign_in(client, "volunteer@example.org").status_code == 400
    assert signed_in_as(client) is None


def test_the_sign_in_page_sends_a_signed_in_person_on(client_for, volunteer):
    response = client_for(volunteer).get(LOGIN)
    assert response.status_code == 302


def test_signing_out_takes_a_post(client_for, volunteer):
    client = client_for(volunteer)

    assert client.get(LOGOUT).status_code == 405
    assert signed_in_as(client) == str(volunteer.pk)

    response = client.post(LOGOUT)
    assert response.status_code == 302
    assert response["Location"] == reverse("city:home")
    assert signed_in_as(client) is None


class TestThrottling:
    """django-axes locks a (username, IP address) pair after AXES_FAILURE_LIMIT failures in a row."""

    def test_the_limit_is_five(self, settings):
        assert settings.AXES_FAILURE_LIMIT == 5

    def test_it_locks_the_account_from_this_address_after_five_failures(self, client, volunteer, settings):
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            assert sign_in(client, volunteer.email, "wrong-password").status_code == 400

        fifth = sign_in(client, volunteer.email, "wrong-password")

        assert fifth.status_code == 429
        assert "Too many attempts" in fifth.content.decode()
        assert f"locked for {round(settings.AXES_COOLOFF_TIME * 60)} minutes" in fifth.content.decode()
        assert reverse("accounts:password-reset") in fifth.content.decode()
        # Even the right password is refused while locked.
        right = sign_in(client, volunteer.email)
        assert right.status_code == 429
        assert signed_in_as(client) is None

    def test_changing_the_case_of_the_address_does_not_buy_more_attempts(self, client, volunteer, settings):
        spellings = ["volunteer@example.org", "Volunteer@example.org", "VOLUNTEER@example.org"]
        for attempt in range(settings.AXES_FAILURE_LIMIT - 1):
            assert sign_in(client, spellings[attempt % 3], "wrong-password").status_code == 400

        assert sign_in(client, "VoLuNtEeR@example.org", "wrong-password").status_code == 429
        assert sign_in(client, "volunteer@example.org").status_code == 429

    def test_the_lock_holds_for_one_address_only(self, client, volunteer, manager_a, settings):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            sign_in(client, volunteer.email, "wrong-password")

        # Another person from the same connection, and the same person from elsewhere, may still sign in.
        assert sign_in(client, manager_a.email).status_code == 302
        client.post(LOGOUT)
        assert sign_in(client, volunteer.email, REMOTE_ADDR="192.0.2.44").status_code == 302

    def test_a_success_resets_the_count(self, client, volunteer, settings):
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            sign_in(client, volunteer.email, "wrong-password")
        assert sign_in(client, volunteer.email).status_code == 302
        client.post(LOGOUT)

        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            assert sign_in(client, volunteer.email, "wrong-password").status_code == 400
        assert sign_in(client, volunteer.email).status_code == 302

    def test_failures_for_an_unknown_address_are_throttled_too(self, client, settings):
        make_user("someone@example.org")
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            assert sign_in(client, "nobody@example.org", "guess").status_code == 400
        assert sign_in(client, "nobody@example.org", "guess").status_code == 429
