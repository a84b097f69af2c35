import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.core import mail
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD
from tissu.accounts.models import StaffRole
from tissu.accounts.services import user_set_roles
from tissu.accounts.tests.helpers import html_of, messages_of
from tissu.audit.models import AuditEntry
from tissu.lib import personal_data

pytestmark = pytest.mark.django_db

URL = reverse("accounts:delete")
CONFIRMED = {"password": PASSWORD, "confirm": "on"}


def delete_account(client, capture, data=CONFIRMED):
    with capture(execute=True):
        return client.post(URL, data)


@pytest.mark.parametrize(
    ("data", "field"),
    [({"password": PASSWORD}, "confirm"), ({"password": "not-my-password", "confirm": "on"}, "password")],
)
def test_it_requires_the_password_and_the_confirmation(
    client_for, volunteer, django_capture_on_commit_callbacks, data, field
):
    response = delete_account(client_for(volunteer), django_capture_on_commit_callbacks, data)

    assert response.status_code == 400
    assert field in response.context["form"].errors
    volunteer.refresh_from_db()
    assert not volunteer.is_deleted
    assert mail.outbox == []


def test_it_erases_the_personal_data_and_keeps_an_anonymous_row(client_for, staff, django_capture_on_commit_callbacks):
    response = delete_account(client_for(staff), django_capture_on_commit_callbacks)

    assert response.status_code == 302
    assert response["Location"] == reverse("city:home")
    assert "Your account was deleted and your personal data erased." in messages_of(response)
    staff.refresh_from_db()
    assert staff.email.startswith("deleted-") and staff.email.endswith("@invalid.tissu")
    assert staff.full_name == ""
    assert not staff.has_usable_password()
    assert not staff.is_active
    assert staff.last_login is None
    assert staff.deleted_at is not None
    assert not staff.groups.exists()
    assert not staff.is_associations_office


def test_two_deleted_accounts_get_different_anonymous_addresses(
    client_for, volunteer, manager_a, django_capture_on_commit_callbacks
):
    for user in (volunteer, manager_a):
        delete_account(client_for(user), django_capture_on_commit_callbacks)
        user.refresh_from_db()
    assert volunteer.email != manager_a.email


def test_it_signs_the_person_out_everywhere(client_for, volunteer, django_capture_on_commit_callbacks):
    phone = Client(HTTP_ACCEPT_LANGUAGE="en")
    phone.force_login(volunteer)
    browser = client_for(volunteer)

    delete_account(browser, django_capture_on_commit_callbacks)

    assert browser.session.get("_auth_user_id") is None
    for client in (browser, phone):
        response = client.get(reverse("accounts:dashboard"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_the_old_address_can_no_longer_sign_in_but_may_sign_up_again(
    client_for, volunteer, django_capture_on_commit_callbacks
):
    client = client_for(volunteer)
    delete_account(client, django_capture_on_commit_callbacks)

    login = client.post(reverse("accounts:login"), {"username": "volunteer@example.org", "password": PASSWORD})
    assert login.status_code == 400
    sign_up = client.post(
        reverse("accounts:sign-up"),
        {
            "full_name": "Vera Again",
            "email": "volunteer@example.org",
            "password": "a-long-and-unusual-passphrase",
            "language": "fr",
            "accept_terms": "on",
        },
    )
    assert sign_up.status_code == 302


def test_it_is_written_to_the_audit_log_and_past_entries_keep_their_actor(
    client_for, staff, volunteer, django_capture_on_commit_callbacks
):
    user_set_roles(actor=staff, user=volunteer, roles=[StaffRole.COMMITTEE_MEMBER])
    earlier = AuditEntry.objects.get(action="accounts.user.roles_changed")

    delete_account(client_for(staff), django_capture_on_commit_callbacks)

    entry = AuditEntry.objects.get(action="accounts.user.deleted")
    assert entry.target_type == "accounts.user"
    assert entry.target_id == str(staff.pk)
    assert "sam@example.org" not in str(entry.data) + entry.target_repr
    earlier.refresh_from_db()
    assert earlier.actor_id == staff.pk


def test_it_sends_a_notice_to_the_old_address(client_for, volunteer, django_capture_on_commit_callbacks):
    delete_account(client_for(volunteer), django_capture_on_commit_callbacks)

    [notice] = mail.outbox
    assert notice.to == ["volunteer@example.org"]
    assert notice.body.strip()
    assert '<html lang="fr">' in html_of(notice)


def test_it_forgets_the_sign_in_records(client, volunteer, django_capture_on_commit_callbacks):
    login = reverse("accounts:login")
    client.post(login, {"username": "volunteer@example.org", "password": "wrong-password"})
    client.post(login, {"username": "volunteer@example.org", "password": PASSWORD})
    assert AccessLog.objects.filter(username="volunteer@example.org").exists()
    assert AccessFailureLog.objects.filter(username="volunteer@example.org").exists()

    delete_account(client, django_capture_on_commit_callbacks)

    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        assert not model.objects.filter(username__iexact="volunteer@example.org").exists()


def test_it_calls_every_registered_personal_data_provider(
    client_for, volunteer, monkeypatch, django_capture_on_commit_callbacks
):
    erased = []
    monkeypatch.setitem(
        personal_data._providers,
        "zz_test",
        personal_data.Provider(key="zz_test", export=lambda user: {}, erase=lambda user: erased.append(user.email)),
    )

    delete_account(client_for(volunteer), django_capture_on_commit_callbacks)

    assert erased == ["volunteer@example.org"]  # called while the data still names the person


def test_nothing_is_erased_when_a_provider_fails(
    client_for, volunteer, monkeypatch, django_capture_on_commit_callbacks
):
    def fail(user):
        raise RuntimeError("storage unavailable")

    monkeypatch.setitem(personal_data._providers, "zz_test", personal_data.Provider("zz_test", lambda user: {}, fail))

    with pytest.raises(RuntimeError):
        delete_account(client_for(volunteer), django_capture_on_commit_callbacks)

    volunteer.refresh_from_db()
    assert volunteer.email == "volunteer@example.org"
    assert not AuditEntry.objects.filter(action="accounts.user.deleted").exists()
    assert mail.outbox == []
