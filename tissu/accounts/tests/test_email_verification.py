from datetime import datetime, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from conftest import PASSWORD, make_user
from tissu.accounts.tests.helpers import link_in, messages_of
from tissu.accounts.tokens import email_verification_token
from tissu.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def newcomer():
    return make_user("nina@example.org", "Nina Newcomer", verified=False)


def verification_link(user) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse("accounts:verify-email", args=[uid, email_verification_token.make_token(user)])


def test_the_link_confirms_the_address_and_sends_to_sign_in(client, newcomer):
    response = client.get(verification_link(newcomer))

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    assert "Thank you, your email address is confirmed. You can now sign in." in messages_of(response)
    newcomer.refresh_from_db()
    assert newcomer.is_email_verified
    assert AuditEntry.objects.filter(action="accounts.user.email_verified", actor=newcomer).count() == 1


def test_the_link_works_only_once(client, newcomer):
    link = verification_link(newcomer)
    client.get(link)
    newcomer.refresh_from_db()
    verified_at = newcomer.email_verified_at

    response = client.get(link)

    assert response.status_code == 400
    assert "invalid, already used or expired" in response.content.decode()
    newcomer.refresh_from_db()
    assert newcomer.email_verified_at == verified_at
    assert AuditEntry.objects.filter(action="accounts.user.email_verified").count() == 1


def test_a_wrong_token_gets_the_error_page(client, newcomer):
    uid = urlsafe_base64_encode(force_bytes(newcomer.pk))

    response = client.get(reverse("accounts:verify-email", args=[uid, "c4k2zz-0123456789abcdef0123456789abcdef"]))

    assert response.status_code == 400
    newcomer.refresh_from_db()
    assert not newcomer.is_email_verified


@pytest.mark.parametrize("uid", ["not-base64!", urlsafe_base64_encode(b"abc"), urlsafe_base64_encode(b"999999")])
def test_an_unknown_or_garbled_account_id_gets_the_error_page(client, newcomer, uid):
    response = client.get(reverse("accounts:verify-email", args=[uid, email_verification_token.make_token(newcomer)]))
    assert response.status_code == 400


def test_a_wrong_token_does_not_reveal_that_an_account_is_already_verified(client, volunteer, newcomer):
    """Anyone may try account ids: a verified and an unverified account must answer alike."""
    for user in (volunteer, newcomer):
        uid = urlsafe_base64_encode(force_bytes(user.pk))
        response = client.get(reverse("accounts:verify-email", args=[uid, "wrong-token"]))
        assert response.status_code == 400


def test_an_expired_link_gets_the_error_page(client, newcomer, settings, monkeypatch):
    link = verification_link(newcomer)
    # Django's token generators count time in naive local datetimes.
    later = datetime.now() + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 60)
    monkeypatch.setattr(email_verification_token, "_now", lambda: later)

    response = client.get(link)

    assert response.status_code == 400
    newcomer.refresh_from_db()
    assert not newcomer.is_email_verified


def test_a_link_sent_to_a_former_address_no_longer_works(client, newcomer):
    link = verification_link(newcomer)
    newcomer.email = "nina.new@example.org"
    newcomer.save(update_fields=["email"])

    assert client.get(link).status_code == 400


def test_signing_in_before_confirming_is_refused_and_a_new_link_is_sent(
    client, newcomer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:login"), {"username": "nina@example.org", "password": PASSWORD})

    assert response.status_code == 400
    assert "Please confirm your email address first" in response.content.decode()
    assert "_auth_user_id" not in client.session
    [message] = mail.outbox
    assert message.to == ["nina@example.org"]

    client.get(link_in(message))
    response = client.post(reverse("accounts:login"), {"username": "nina@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(newcomer.pk)


def test_the_resend_form_answers_alike_whether_or_not_an_account_exists(
    client, newcomer, volunteer, django_capture_on_commit_callbacks
):
    url = reverse("accounts:sign-up-done")
    answers = {}
    with django_capture_on_commit_callbacks(execute=True):
        for email in ("NINA@example.org", "volunteer@example.org", "nobody@example.org"):
            response = client.post(url, {"email": email}, follow=True)
            answers[email] = (response.redirect_chain, [str(m) for m in response.context["messages"]])

    assert answers["NINA@example.org"] == answers["volunteer@example.org"] == answers["nobody@example.org"]
    assert answers["nobody@example.org"][0] == [(url, 302)]
    [message] = mail.outbox  # only the unconfirmed account gets a link
    assert message.to == ["nina@example.org"]
    client.get(link_in(message))
    newcomer.refresh_from_db()
    assert newcomer.is_email_verified
