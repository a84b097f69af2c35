"""Invitations: a manager invites by email, the invitee accepts signed in with any account, managers revoke."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from tissu.directory import claims
from tissu.directory.models import Invitation, Membership
from tissu.directory.tests.claims_helpers import (  # noqa: F401
    audit_actions,
    links_in,
    media_root,
    messages_of,
)

pytestmark = pytest.mark.django_db


def accept_url(invitation):
    return reverse("directory:invitation-accept", args=[invitation.token])


@pytest.fixture
def invitation(manager_a, association_a):
    return claims.invitation_create(
        actor=manager_a, association=association_a, email="vera@elsewhere.org", role="member"
    )


class TestInvite:
    URL_NAME = "directory:invitation-create"

    def test_a_manager_invites_someone(self, client_for, manager_a, association_a, django_capture_on_commit_callbacks):
        url = reverse(self.URL_NAME, args=[association_a.slug])
        with django_capture_on_commit_callbacks(execute=True):
            response = client_for(manager_a).post(url, {"email": " Newcomer@Example.org ", "role": "treasurer"})
        assert response.status_code == 302
        assert response["Location"] == reverse("directory:members", args=[association_a.slug])
        invitation = Invitation.objects.get()
        assert (invitation.email, invitation.role, invitation.invited_by) == (
            "newcomer@example.org",
            "treasurer",
            manager_a,
        )
        assert invitation.is_open
        assert len(mail.outbox) == 1
        assert "directory.invitation.created" in audit_actions(association_a)

    def test_inviting_a_member_again_gets_a_clear_message(self, client_for, manager_a, association_a):
        url = reverse(self.URL_NAME, args=[association_a.slug])
        response = client_for(manager_a).post(url, {"email": manager_a.email.upper(), "role": "member"})
        assert response.status_code == 400
        assert response.context["form"].errors["email"] == ["This person is already a member of the association."]
        assert not Invitation.objects.exists()

    def test_a_second_open_invitation_to_the_same_address_is_refused(self, client_for, manager_a, invitation):
        url = reverse(self.URL_NAME, args=[invitation.association.slug])
        response = client_for(manager_a).post(url, {"email": invitation.email, "role": "secretary"})
        assert response.status_code == 400
        assert "already open" in response.context["form"].errors["email"][0]
        assert Invitation.objects.count() == 1

    def test_a_bad_address_is_refused(self, client_for, manager_a, association_a):
        url = reverse(self.URL_NAME, args=[association_a.slug])
        response = client_for(manager_a).post(url, {"email": "not an address", "role": "member"})
        assert response.status_code == 400
        assert not Invitation.objects.exists()

    def test_another_associations_manager_cannot_invite(self, client_for, manager_b, association_a):
        url = reverse(self.URL_NAME, args=[association_a.slug])
        response = client_for(manager_b).post(url, {"email": "x@example.org", "role": "president"})
        assert response.status_code == 403
        assert not Invitation.objects.exists()

    def test_a_failing_email_leaves_no_invitation(self, manager_a, association_a, monkeypatch):
        def broken(**kwargs):
            raise RuntimeError("template missing")

        monkeypatch.setattr("tissu.directory.emails.send_invitation", broken)
        with pytest.raises(RuntimeError):
            claims.invitation_create(actor=manager_a, association=association_a, email="x@example.org", role="member")
        assert not Invitation.objects.exists()
        assert audit_actions() == []


class TestAccept:
    def test_anonymous_visitors_sign_in_first_and_come_back(self, client, invitation):
        response = client.get(accept_url(invitation))
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('accounts:login')}?next={accept_url(invitation)}"

    def test_the_page_shows_who_invited_to_what(self, client_for, volunteer, invitation):
        response = client_for(volunteer).get(accept_url(invitation))
        page = response.content.decode()
        assert response.status_code == 200
        assert "Invitation to join Association A" in page
        assert "Alice Manager invited you on" in page
        assert "as member." in page
        assert "The invitation was sent to vera@elsewhere.org. You are signed in as volunteer@example.org" in page

    def test_any_signed_in_account_may_accept(self, client_for, volunteer, invitation):
        # Sent to vera@elsewhere.org, accepted by the account volunteer@example.org.
        response = client_for(volunteer).post(accept_url(invitation))
        assert response.status_code == 302
        assert response["Location"] == reverse("directory:my-associations")
        membership = Membership.objects.get(user=volunteer)
        assert (membership.association, membership.role) == (invitation.association, "member")
        invitation.refresh_from_db()
        assert invitation.accepted_by == volunteer
        assert invitation.accepted_at is not None
        assert "directory.invitation.accepted" in audit_actions(invitation.association)
        assert "Welcome to Association A: you are now member." in messages_of(response)

    def test_a_managing_role_leads_to_the_profile(self, client_for, manager_a, volunteer, association_a):
        invitation = claims.invitation_create(
            actor=manager_a, association=association_a, email=volunteer.email, role="secretary"
        )
        response = client_for(volunteer).post(accept_url(invitation))
        assert response["Location"] == reverse("directory:association-edit", args=[association_a.slug])

    def test_a_member_already_gets_a_clear_message(self, client_for, manager_a, invitation):
        response = client_for(manager_a).get(accept_url(invitation))
        assert response.status_code == 200
        assert "You are already a member of this association." in response.content.decode()
        response = client_for(manager_a).post(accept_url(invitation))
        assert response.status_code == 200
        assert Membership.objects.filter(user=manager_a).count() == 1
        invitation.refresh_from_db()
        assert invitation.is_open

    @pytest.mark.parametrize("state", ["used", "revoked", "unknown"])
    def test_a_used_revoked_or_unknown_link_is_a_400_page(self, client_for, volunteer, manager_b, invitation, state):
        if state == "used":
            claims.invitation_accept(user=manager_b, invitation=invitation)
        elif state == "revoked":
            claims.invitation_revoke(actor=invitation.invited_by, invitation=invitation)
        url = accept_url(invitation) if state != "unknown" else reverse("directory:invitation-accept", args=["nope"])
        for method in ("get", "post"):
            response = getattr(client_for(volunteer), method)(url)
            assert response.status_code == 400
            assert "Invitation no longer valid" in response.content.decode()
        assert not Membership.objects.filter(user=volunteer).exists()

    def test_the_service_refuses_a_second_use(self, volunteer, manager_b, invitation):
        claims.invitation_accept(user=volunteer, invitation=invitation)
        with pytest.raises(ValidationError, match="no longer valid"):
            claims.invitation_accept(user=manager_b, invitation=invitation)
        assert not Membership.objects.filter(user=manager_b, association=invitation.association).exists()

    def test_open_invitations_appear_on_my_associations(self, client_for, manager_a, volunteer, association_a):
        invitation = claims.invitation_create(
            actor=manager_a, association=association_a, email=volunteer.email, role="member"
        )
        page = client_for(volunteer).get(reverse("directory:my-associations")).content.decode()
        assert accept_url(invitation) in page


class TestSignUpThenBack:
    def test_sign_up_from_an_invitation_returns_to_it_after_confirmation(
        self, client, invitation, django_capture_on_commit_callbacks
    ):
        accept = accept_url(invitation)
        sign_up = reverse("accounts:sign-up")
        page = client.get(sign_up, {"next": accept}).content.decode()
        assert f'name="next" value="{accept}"' in page
        with django_capture_on_commit_callbacks(execute=True):
            client.post(
                sign_up,
                {"full_name": "Vera Nouvelle", "email": "vera@elsewhere.org", "password": "a-Long-passphrase-42",
                 "language": "en", "accept_terms": "on", "next": accept},
            )  # fmt: skip
        [message] = mail.outbox
        [verify] = links_in(message)
        response = client.get(verify)
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('accounts:login')}?next={accept.replace('/', '%2F')}"

    def test_an_outside_next_is_ignored(self, client):
        response = client.get(reverse("accounts:sign-up"), {"next": "https://evil.example/"})
        assert response.context["next"] == ""

    def test_the_login_page_passes_the_invitation_on_to_sign_up(self, client, invitation):
        response = client.get(accept_url(invitation), follow=True)
        assert f"{reverse('accounts:sign-up')}?next={accept_url(invitation)}" in response.content.decode()


class TestRevoke:
    def test_a_manager_revokes_an_open_invitation(self, client_for, manager_a, invitation):
        url = reverse("directory:invitation-revoke", args=[invitation.association.slug, invitation.pk])
        response = client_for(manager_a).post(url)
        assert response.status_code == 302
        invitation.refresh_from_db()
        assert invitation.revoked_at is not None
        assert "directory.invitation.revoked" in audit_actions(invitation.association)
        # Revoking twice says so.
        response = client_for(manager_a).post(url)
        assert any("no longer valid" in text for text in messages_of(response))

    def test_an_invitation_of_another_association_is_a_404(self, client_for, manager_b, invitation, association_b):
        url = reverse("directory:invitation-revoke", args=[association_b.slug, invitation.pk])
        assert client_for(manager_b).post(url).status_code == 404
        invitation.refresh_from_db()
        assert invitation.is_open
