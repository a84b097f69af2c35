import pytest
from django.core import mail
from django.urls import reverse

from conftest import PASSWORD, make_user
from tissu.accounts.models import User
from tissu.accounts.tests.helpers import html_of, link_in, messages_of, outbox_to
from tissu.accounts.tokens import make_email_change_token
from tissu.audit.models import AuditEntry

pytestmark = pytest.mark.django_db

URL = reverse("accounts:email-change")
NEW = "vera.new@example.org"


@pytest.fixture
def volunteer_client(client_for, volunteer):
    return client_for(volunteer)


def ask_for(client, capture, email=NEW, password=PASSWORD):
    with capture(execute=True):
        return client.post(URL, {"email": email, "password": password})


def test_it_sends_a_confirmation_link_to_the_new_address_only(
    volunteer_client, volunteer, django_capture_on_commit_callbacks
):
    response = ask_for(volunteer_client, django_capture_on_commit_callbacks, email="Vera.New@Example.org")

    assert response.status_code == 302
    [message] = mail.outbox
    assert message.to == [NEW]
    assert NEW in message.body and NEW in html_of(message)
    volunteer.refresh_from_db()
    assert volunteer.email == "volunteer@example.org"  # nothing changes before the link is opened


def test_it_requires_the_current_password(volunteer_client, volunteer, django_capture_on_commit_callbacks):
    response = ask_for(volunteer_client, django_capture_on_commit_callbacks, password="not-my-password")

    assert response.status_code == 400
    assert response.context["form"].errors["password"] == ["This is not your current password."]
    assert mail.outbox == []


def test_confirming_changes_the_address_and_warns_the_old_one(
    volunteer_client, volunteer, django_capture_on_commit_callbacks
):
    ask_for(volunteer_client, django_capture_on_commit_callbacks)
    link = link_in(mail.outbox[0])
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = volunteer_client.get(link)

    assert response.status_code == 302
    assert f"Your email address is now {NEW}." in messages_of(response)
    volunteer.refresh_from_db()
    assert volunteer.email == NEW
    assert volunteer.is_email_verified
    assert AuditEntry.objects.filter(action="accounts.user.email_changed", actor=volunteer).count() == 1
    [notice] = mail.outbox
    assert notice.to == ["volunteer@example.org"]
    for body in (notice.body, html_of(notice)):
        assert NEW in body and "volunteer@example.org" in body
    # Still signed in, and the new address signs in.
    assert volunteer_client.get(reverse("accounts:dashboard")).status_code == 200
    volunteer_client.post(reverse("accounts:logout"))
    login = volunteer_client.post(reverse("accounts:login"), {"username": NEW, "password": PASSWORD})
    assert login.status_code == 302


def test_the_link_asks_a_signed_out_person_to_sign_in_first(client, volunteer):
    link = reverse("accounts:email-change-confirm", args=[make_email_change_token(user=volunteer, new_email=NEW)])

    response = client.get(link)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_a_link_made_for_another_person_is_not_found(client_for, volunteer, manager_b):
    link = reverse("accounts:email-change-confirm", args=[make_email_change_token(user=manager_b, new_email=NEW)])

    response = client_for(volunteer).get(link)

    assert response.status_code == 404
    assert not User.objects.filter(email=NEW).exists()


def test_a_forged_link_gets_the_error_page(volunteer_client):
    response = volunteer_client.get(reverse("accounts:email-change-confirm", args=["eyJ1IjoxfQ:forged:sig"]))
    assert response.status_code == 400
    assert "The link is invalid or has expired" in response.content.decode()


def test_a_link_is_dead_once_the_address_has_changed(volunteer_client, volunteer, django_capture_on_commit_callbacks):
    ask_for(volunteer_client, django_capture_on_commit_callbacks, email="first@example.org")
    ask_for(volunteer_client, django_capture_on_commit_callbacks, email="second@example.org")
    first, second = (link_in(message) for message in mail.outbox)
    volunteer_client.get(first)

    for link in (second, first):
        response = volunteer_client.get(link)
        assert response.status_code == 400
        assert "your email address changed since it was sent" in response.content.decode()
    volunteer.refresh_from_db()
    assert volunteer.email == "first@example.org"


@pytest.mark.parametrize("taken", ["alice@example.org", "ALICE@example.org"])
def test_an_address_used_by_another_account_is_refused(
    volunteer_client, manager_a, django_capture_on_commit_callbacks, taken
):
    response = ask_for(volunteer_client, django_capture_on_commit_callbacks, email=taken)

    assert response.status_code == 400
    assert response.context["form"].errors["email"] == ["An account already uses this email address."]
    assert mail.outbox == []


def test_an_address_taken_before_the_link_is_opened_is_refused(
    volunteer_client, volunteer, django_capture_on_commit_callbacks
):
    ask_for(volunteer_client, django_capture_on_commit_callbacks)
    make_user("Vera.New@example.org")

    response = volunteer_client.get(link_in(mail.outbox[0]))

    assert response.status_code == 400
    assert "An account already uses this email address." in response.content.decode()
    volunteer.refresh_from_db()
    assert volunteer.email == "volunteer@example.org"


def test_the_current_address_is_not_a_change(volunteer_client, django_capture_on_commit_callbacks):
    response = ask_for(volunteer_client, django_capture_on_commit_callbacks, email="Volunteer@example.org")

    assert response.status_code == 400
    assert response.context["form"].errors["email"] == ["This is already your email address."]
    assert mail.outbox == []


def test_the_old_address_no_longer_receives_password_reset_links(volunteer_client, django_capture_on_commit_callbacks):
    ask_for(volunteer_client, django_capture_on_commit_callbacks)
    volunteer_client.get(link_in(mail.outbox[0]))
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        volunteer_client.post(reverse("accounts:password-reset"), {"email": "volunteer@example.org"})

    assert outbox_to("volunteer@example.org") == []
