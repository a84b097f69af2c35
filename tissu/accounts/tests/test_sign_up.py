import pytest
from django.core import mail
from django.urls import reverse

from conftest import make_user
from tissu.accounts.models import User
from tissu.accounts.tests.helpers import html_of, link_in
from tissu.audit.models import AuditEntry

pytestmark = pytest.mark.django_db

URL = reverse("accounts:sign-up")


def form(**overrides):
    return {
        "full_name": "Nina Newcomer",
        "email": "nina@example.org",
        "password": "a-long-and-unusual-passphrase",
        "language": "en",
        "accept_terms": "on",
        **overrides,
    }


def test_it_creates_an_unverified_account_and_sends_the_confirmation_link(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, form(email="  Nina@Example.org "))

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:sign-up-done")
    user = User.objects.get()
    assert user.email == "nina@example.org"
    assert user.full_name == "Nina Newcomer"
    assert user.language == "en"
    assert not user.is_email_verified
    assert user.check_password("a-long-and-unusual-passphrase")
    assert AuditEntry.objects.filter(action="accounts.user.signed_up", actor=user).exists()
    [message] = mail.outbox
    assert message.to == ["nina@example.org"]
    assert link_in(message).startswith("/compte/confirmer/")


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_confirmation_email_is_written_in_the_chosen_language(client, django_capture_on_commit_callbacks, language):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, form(language=language))

    [message] = mail.outbox
    assert f'<html lang="{language}">' in html_of(message)
    assert "Nina Newcomer" in message.body
    assert "Nina Newcomer" in html_of(message)


def test_it_remembers_the_address_to_offer_a_new_link(client):
    client.post(URL, form())
    page = client.get(reverse("accounts:sign-up-done")).content.decode()
    assert 'value="nina@example.org"' in page


def test_it_refuses_a_duplicate_email_whatever_its_case(client, volunteer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, form(email="VOLUNTEER@example.ORG"))

    assert response.status_code == 400
    assert response.context["form"].errors["email"] == ["An account already uses this email address."]
    assert User.objects.filter(email__iexact="volunteer@example.org").count() == 1
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("short-pw", "too short"),
        ("1234567890123", "entirely numeric"),
        ("password1234", "too common"),
        ("nina.newcomer", "too similar"),
    ],
)
def test_it_refuses_a_weak_password(client, password, reason):
    response = client.post(URL, form(password=password))

    assert response.status_code == 400
    assert reason in " ".join(response.context["form"].errors["password"])
    assert not User.objects.exists()


def test_it_requires_accepting_the_privacy_policy(client):
    data = form()
    del data["accept_terms"]

    response = client.post(URL, data)

    assert response.status_code == 400
    assert "accept_terms" in response.context["form"].errors
    assert not User.objects.exists()


def test_the_form_links_the_privacy_policy(client):
    page = client.get(URL).content.decode()
    assert reverse("city:privacy") in page


def test_it_sends_a_signed_in_person_to_their_account(client_for, volunteer):
    response = client_for(volunteer).post(URL, form())

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:dashboard")
    assert User.objects.count() > 0 and not User.objects.filter(email="nina@example.org").exists()


def test_it_is_closed_when_the_city_turns_sign_up_off(client, settings):
    settings.ACCOUNT_SIGNUP_OPEN = False

    assert client.get(URL).status_code == 403
    assert client.post(URL, form()).status_code == 403
    assert not User.objects.exists()


def test_it_still_refuses_a_duplicate_that_slips_past_the_check(monkeypatch):
    """Two sign-ups at once: the database constraint decides, and the loser gets the same clear error."""
    from django.core.exceptions import ValidationError

    from tissu.accounts import services

    make_user("twin@example.org")
    monkeypatch.setattr(services, "_ensure_email_free", lambda email, exclude=None: None)
    monkeypatch.setattr(User, "full_clean", lambda self, **kwargs: None)

    with pytest.raises(ValidationError) as error:
        services.user_sign_up(email="Twin@example.org", full_name="Twin", password="a-long-passphrase")

    assert error.value.message_dict == {"email": ["An account already uses this email address."]}
    assert User.objects.filter(email__iexact="twin@example.org").count() == 1
