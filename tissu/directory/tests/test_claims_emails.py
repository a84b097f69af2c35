"""Every email of claims and memberships: who gets it, what it says, in text and HTML, and its link."""

import pytest
from django.core import mail
from django.urls import reverse

from tissu.city.models import CitySettings
from tissu.directory import claims
from tissu.directory.models import Membership
from tissu.directory.tests.claims_helpers import (  # noqa: F401
    html_of,
    links_in,
    media_root,
    outbox_to,
    pdf,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english_readers(settings, volunteer, manager_a, manager_b, staff, superuser):
    """The assertions read English: every persona reads English, and so does a newcomer without an account."""
    settings.LANGUAGE_CODE = "en"
    for user in (volunteer, manager_a, manager_b, staff, superuser):
        user.language = "en"
        user.save(update_fields=["language"])


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """Run a service and return the emails it sent once its transaction committed."""

    def run(service, **kwargs):
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            result = service(**kwargs)
        return result, list(mail.outbox)

    return run


def test_a_claim_notifies_the_associations_office(send, volunteer, staff, superuser, association_b):
    _claim, [message] = send(
        claims.claim_create,
        user=volunteer,
        association=association_b,
        role="secretary",
        message="Élue secrétaire <en juin> & ravie",
        document=pdf(),
    )
    assert sorted(message.to) == [superuser.email, staff.email]
    assert message.reply_to == [volunteer.email]
    assert message.subject == "Claim to manage Association B"
    for body in (message.body, html_of(message)):
        assert "Vera Volunteer asks to manage the association “Association B” as secretary." in body
        assert "W912000002" in body
        assert "A supporting document is attached to the claim." in body
    assert "Élue secrétaire <en juin> & ravie" in message.body  # plain text is not HTML-escaped
    assert "Élue secrétaire &lt;en juin&gt; &amp; ravie" in html_of(message)
    assert links_in(message) == [reverse("directory:staff-claims")]


def test_the_office_address_of_the_city_takes_precedence(send, volunteer, staff, association_b):
    CitySettings.objects.update_or_create(pk=1, defaults={"office_email": "vie.asso@bellerive.example"})
    from django.core.cache import cache

    cache.clear()
    _claim, [message] = send(claims.claim_create, user=volunteer, association=association_b, role="president")
    assert message.to == ["vie.asso@bellerive.example"]


def test_a_declaration_says_the_association_is_not_in_the_register(send, volunteer, staff):
    values = {"name": "Jardins partagés", "object": "Jardiner ensemble.", "office_city": "Bellerive-sur-Orge"}
    _result, [message] = send(claims.association_declare, user=volunteer, values=values, role="president")
    assert message.subject == "New association declared: Jardins partagés"
    assert "which is not in the national register" in message.body
    assert "Check that it exists before verifying it." in html_of(message)


def test_an_approval_tells_the_claimant_where_to_start(send, volunteer, staff, association_b):
    claim = claims.claim_create(user=volunteer, association=association_b, role="treasurer")
    _membership, [message] = send(claims.claim_approve, actor=staff, claim=claim)
    assert message.to == [volunteer.email]
    assert message.subject == "You now manage Association B"
    assert "you now manage “Association B” as treasurer" in message.body
    assert "you now manage “Association B” as treasurer" in html_of(message)
    assert links_in(message) == [reverse("directory:association-edit", args=[association_b.slug])]


def test_a_refusal_gives_the_reason(send, volunteer, staff, association_b):
    claim = claims.claim_create(user=volunteer, association=association_b, role="treasurer")
    _claim, [message] = send(claims.claim_refuse, actor=staff, claim=claim, reason="Le bureau ne vous connaît pas.")
    assert message.to == [volunteer.email]
    assert message.subject == "Your claim for Association B was not approved"
    assert "Le bureau ne vous connaît pas." in message.body
    assert "Le bureau ne vous connaît pas." in html_of(message)
    assert links_in(message) == [reverse("directory:my-associations")]


def test_an_invitation_to_someone_with_an_account_links_to_the_invitation(send, manager_a, volunteer, association_a):
    invitation, [message] = send(
        claims.invitation_create, actor=manager_a, association=association_a, email=volunteer.email, role="secretary"
    )
    assert message.to == [volunteer.email]
    assert message.subject == "Invitation to join Association A on Tissu"
    for body in (message.body, html_of(message)):
        assert "Alice Manager invites you to join “Association A” on Tissu as secretary." in body
        assert "You do not have an account yet" not in body
    assert links_in(message) == [reverse("directory:invitation-accept", args=[invitation.token])]


def test_an_invitation_to_someone_without_an_account_leads_to_sign_up_then_back(send, manager_a, association_a):
    invitation, [message] = send(
        claims.invitation_create,
        actor=manager_a,
        association=association_a,
        email="newcomer@example.org",
        role="member",
    )
    accept = reverse("directory:invitation-accept", args=[invitation.token])
    sign_up = f"{reverse('accounts:sign-up')}?next={accept.replace('/', '%2F')}"
    assert message.to == ["newcomer@example.org"]
    assert "You do not have an account yet." in message.body
    assert links_in(message) == [sign_up, accept]


def test_a_removed_member_is_told(send, manager_a, volunteer, association_a):
    membership = Membership.objects.create(user=volunteer, association=association_a, role="member")
    _none, [message] = send(claims.membership_remove, actor=manager_a, membership=membership)
    assert message.to == [volunteer.email]
    assert message.subject == "You are no longer a member of Association A on Tissu"
    assert "A manager of “Association A” removed you from the association on Tissu." in message.body
    assert "A manager of “Association A” removed you" in html_of(message)


def test_a_member_removed_by_the_office_is_told_so(send, staff, volunteer, association_a):
    membership = Membership.objects.create(user=volunteer, association=association_a, role="member")
    _none, [message] = send(claims.membership_remove, actor=staff, membership=membership)
    assert "The associations office removed you from “Association A” on Tissu." in message.body


def test_leaving_sends_nothing(send, manager_a, volunteer, association_a):
    membership = Membership.objects.create(user=volunteer, association=association_a, role="member")
    _none, sent = send(claims.membership_remove, actor=volunteer, membership=membership)
    assert sent == []
