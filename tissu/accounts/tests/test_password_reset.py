import pytest
from django.core import mail
from django.urls import reverse

from conftest import PASSWORD
from tissu.accounts.tests.helpers import html_of, link_in

pytestmark = pytest.mark.django_db

URL = reverse("accounts:password-reset")
NEW_PASSWORD = "a-brand-new-passphrase"


def ask_for_a_link(client, email, capture):
    with capture(execute=True):
        return client.post(URL, {"email": email})


def test_it_emails_a_link_that_sets_a_new_password(client, volunteer, django_capture_on_commit_callbacks):
    response = ask_for_a_link(client, "Volunteer@Example.org", django_capture_on_commit_callbacks)

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password-reset-done")
    [message] = mail.outbox
    assert message.to == ["volunteer@example.org"]
    assert '<html lang="fr">' in html_of(message)  # the volunteer's language, not the page's

    form_page = client.get(link_in(message), follow=True)
    assert form_page.status_code == 200
    assert form_page.context["validlink"]
    set_password_url = form_page.redirect_chain[-1][0]
    response = client.post(set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password-reset-complete")
    volunteer.refresh_from_db()
    assert volunteer.check_password(NEW_PASSWORD)
    assert (
        client.post(reverse("accounts:login"), {"username": volunteer.email, "password": NEW_PASSWORD}).status_code
        == 302
    )


def test_the_link_works_only_once(client, volunteer, django_capture_on_commit_callbacks):
    ask_for_a_link(client, volunteer.email, django_capture_on_commit_callbacks)
    link = link_in(mail.outbox[0])
    set_password_url = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    again = client.get(link, follow=True)

    assert not again.context["validlink"]
    assert "The link is invalid, already used or expired." in again.content.decode()


def test_the_new_password_must_be_strong(client, volunteer, django_capture_on_commit_callbacks):
    ask_for_a_link(client, volunteer.email, django_capture_on_commit_callbacks)
    set_password_url = client.get(link_in(mail.outbox[0]), follow=True).redirect_chain[-1][0]

    response = client.post(set_password_url, {"new_password1": "1234567890", "new_password2": "1234567890"})

    assert response.status_code == 200
    assert response.context["form"].errors["new_password2"]
    volunteer.refresh_from_db()
    assert volunteer.check_password(PASSWORD)


def test_an_unknown_address_gets_the_same_answer_and_no_email(client, volunteer, django_capture_on_commit_callbacks):
    known = ask_for_a_link(client, volunteer.email, django_capture_on_commit_callbacks)
    mail.outbox.clear()

    unknown = ask_for_a_link(client, "nobody@example.org", django_capture_on_commit_callbacks)

    assert (unknown.status_code, unknown["Location"]) == (known.status_code, known["Location"])
    assert mail.outbox == []


def test_a_deleted_account_gets_no_link(client, volunteer, django_capture_on_commit_callbacks):
    from tissu.accounts.services import user_delete

    with django_capture_on_commit_callbacks(execute=True):
        user_delete(user=volunteer)
    mail.outbox.clear()

    ask_for_a_link(client, "volunteer@example.org", django_capture_on_commit_callbacks)

    assert mail.outbox == []
