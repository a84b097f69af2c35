"""The associations office: the queue of claims, approving, refusing with a reason, verifying."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import make_user
from tissu.audit.models import AuditEntry
from tissu.directory import claims
from tissu.directory.models import Association, Claim, ClaimStatus, Membership, Origin
from tissu.directory.tests.claims_helpers import (  # noqa: F401
    audit_actions,
    media_root,
    messages_of,
    pdf,
)

pytestmark = pytest.mark.django_db

QUEUE = reverse("directory:staff-claims")


def approve_url(claim):
    return reverse("directory:claim-approve", args=[claim.pk])


def refuse_url(claim):
    return reverse("directory:claim-refuse", args=[claim.pk])


@pytest.fixture
def claim(volunteer, association_b):
    return claims.claim_create(user=volunteer, association=association_b, role="secretary", message="Élue en juin.")


@pytest.fixture
def declared(manager_b):
    _association, claim = claims.association_declare(
        user=manager_b, values={"name": "Jardins partagés", "office_city": "Bellerive"}, role="president"
    )
    return claim


class TestQueue:
    def test_it_lists_pending_claims_by_default(self, client_for, staff, claim, association_a, manager_b):
        decided = claims.claim_create(user=manager_b, association=association_a, role="secretary")
        claims.claim_refuse(actor=staff, claim=decided, reason="Non.")
        response = client_for(staff).get(QUEUE)
        page = response.content.decode()
        assert response.status_code == 200
        assert list(response.context["page"]) == [claim]
        assert "Vera Volunteer" in page and "Élue en juin." in page
        assert approve_url(claim) in page and refuse_url(claim) in page

    def test_filters(self, client_for, staff, claim, declared):
        client = client_for(staff)
        assert list(client.get(QUEUE, {"origin": Origin.DECLARED}).context["page"]) == [declared]
        assert list(client.get(QUEUE, {"origin": Origin.RNA}).context["page"]) == [claim]
        assert list(client.get(QUEUE, {"q": "jardins"}).context["page"]) == [declared]
        assert list(client.get(QUEUE, {"q": "vera"}).context["page"]) == [claim]
        claims.claim_approve(actor=staff, claim=claim)
        assert list(client.get(QUEUE, {"status": "approved"}).context["page"]) == [claim]
        assert list(client.get(QUEUE, {"status": ""}).context["page"]) == [claim, declared]

    def test_a_declared_association_offers_verification(self, client_for, staff, declared):
        page = client_for(staff).get(QUEUE).content.decode()
        assert f'id="verify-{declared.pk}"' in page
        assert "Only once you checked that it exists." in page

    def test_the_number_of_queries_does_not_grow_with_the_claims(self, client_for, staff, make_association):
        client = client_for(staff)

        def add_claims(start, stop):
            for index in range(start, stop):
                user = make_user(f"claimant{index}@example.org", f"Claimant {index}")
                association = make_association(f"Association {index:03d}", rna_id=f"W9130{index:05d}")
                claims.claim_create(user=user, association=association, role="president", document=pdf())

        add_claims(0, 3)
        client.get(QUEUE)
        with CaptureQueriesContext(connection) as few:
            assert len(client.get(QUEUE).context["page"]) == 3
        add_claims(3, 30)
        with CaptureQueriesContext(connection) as many:
            assert len(client.get(QUEUE).context["page"]) == 25  # one page
        assert len(many) == len(few)


class TestApprove:
    def test_it_creates_the_membership_emails_and_audits(
        self, client_for, staff, claim, volunteer, association_b, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            response = client_for(staff).post(approve_url(claim), {"next": f"{QUEUE}?status=pending"})
        assert response.status_code == 302
        assert response["Location"] == f"{QUEUE}?status=pending"
        membership = Membership.objects.get(user=volunteer, association=association_b)
        assert membership.role == "secretary"
        claim.refresh_from_db()
        assert (claim.status, claim.decided_by) == (ClaimStatus.APPROVED, staff)
        assert claim.decided_at is not None
        assert [message.to for message in mail.outbox] == [[volunteer.email]]
        entry = AuditEntry.objects.get(action="directory.claim.approved")
        assert entry.actor == staff
        assert entry.data["role"] == "secretary" and entry.data["verified"] is False
        association_b.refresh_from_db()
        assert not association_b.is_verified  # not ticked

    def test_ticking_verifies_the_association(self, client_for, staff, declared):
        client_for(staff).post(approve_url(declared), {"verify": "on"})
        association = Association.objects.get(pk=declared.association_id)
        assert association.is_verified
        assert association.verified_by == staff
        assert audit_actions(association)[-2:] == ["directory.association.verified", "directory.claim.approved"]

    def test_an_existing_plain_membership_takes_the_claimed_role(self, staff, volunteer, association_b):
        Membership.objects.create(user=volunteer, association=association_b, role="member")
        claim = claims.claim_create(user=volunteer, association=association_b, role="treasurer")
        claims.claim_approve(actor=staff, claim=claim)
        assert Membership.objects.get(user=volunteer, association=association_b).role == "treasurer"

    def test_a_claim_cannot_be_decided_twice(self, client_for, staff, claim):
        claims.claim_approve(actor=staff, claim=claim)
        with pytest.raises(ValidationError, match="already handled"):
            claims.claim_approve(actor=staff, claim=claim)
        response = client_for(staff).post(refuse_url(claim), {"reason": "Trop tard."})
        assert response.status_code == 302
        assert any("already handled" in text for text in messages_of(response))
        claim.refresh_from_db()
        assert claim.status == ClaimStatus.APPROVED

    def test_a_failing_email_leaves_nothing_behind(self, staff, claim, monkeypatch):
        def broken(**kwargs):
            raise RuntimeError("SMTP template broken")

        monkeypatch.setattr("tissu.directory.emails.send_claim_approved", broken)
        with pytest.raises(RuntimeError):
            claims.claim_approve(actor=staff, claim=claim, verify_association=True)
        claim.refresh_from_db()
        assert claim.status == ClaimStatus.PENDING
        assert not Membership.objects.filter(user=claim.user, association=claim.association).exists()
        assert not Association.objects.get(pk=claim.association_id).is_verified
        assert "directory.claim.approved" not in audit_actions()

    def test_others_cannot_approve(self, client_for, manager_b, claim):
        # manager_b manages the claimed association B, yet only the office decides.
        assert client_for(manager_b).post(approve_url(claim)).status_code == 403
        claim.refresh_from_db()
        assert claim.status == ClaimStatus.PENDING


class TestRefuse:
    def test_it_needs_a_reason_and_sends_it(
        self, client_for, staff, claim, volunteer, django_capture_on_commit_callbacks
    ):
        client = client_for(staff)
        response = client.post(refuse_url(claim), {"reason": "   ", "next": QUEUE})
        assert response.status_code == 400
        assert "reason" in response.context["form"].errors
        assert f'value="{QUEUE}"' in response.content.decode()  # the page keeps where to go back
        claim.refresh_from_db()
        assert claim.status == ClaimStatus.PENDING

        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(refuse_url(claim), {"reason": "Personne ne vous connaît au bureau."})
        assert response.status_code == 302
        claim.refresh_from_db()
        assert claim.status == ClaimStatus.REFUSED
        assert claim.refusal_reason == "Personne ne vous connaît au bureau."
        [message] = mail.outbox
        assert message.to == [volunteer.email]
        assert "Personne ne vous connaît au bureau." in message.body
        assert "directory.claim.refused" in audit_actions(claim.association)
        assert not Membership.objects.filter(user=volunteer).exists()

    def test_the_service_refuses_an_empty_reason(self, staff, claim):
        with pytest.raises(ValidationError, match="Give the reason"):
            claims.claim_refuse(actor=staff, claim=claim, reason="")


class TestDocument:
    def test_staff_download_the_supporting_document(self, client_for, staff, volunteer, association_b):
        claim = claims.claim_create(user=volunteer, association=association_b, role="president", document=pdf())
        response = client_for(staff).get(reverse("directory:claim-document", args=[claim.pk]))
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment;")
        assert b"".join(response.streaming_content).startswith(b"%PDF")

    def test_the_claimant_cannot_download_it_either(self, client_for, volunteer, association_b):
        claim = claims.claim_create(user=volunteer, association=association_b, role="president", document=pdf())
        assert client_for(volunteer).get(reverse("directory:claim-document", args=[claim.pk])).status_code == 403


class TestVerify:
    def url(self, association):
        return reverse("directory:staff-association-verify", args=[association.slug])

    def test_staff_verify_and_unverify(self, client_for, staff, association_a):
        client = client_for(staff)
        response = client.post(self.url(association_a), {"action": "verify"})
        assert response["Location"] == reverse("directory:association-edit", args=[association_a.slug])
        association_a.refresh_from_db()
        assert association_a.is_verified and association_a.verified_by == staff
        client.post(self.url(association_a), {"action": "verify"})  # twice: one audit entry
        client.post(self.url(association_a), {"action": "unverify"})
        association_a.refresh_from_db()
        assert not association_a.is_verified
        assert audit_actions(association_a) == ["directory.association.verified", "directory.association.unverified"]

    def test_the_edit_page_offers_it_to_staff_only(self, client_for, staff, manager_a, association_a):
        assert (
            self.url(association_a)
            in client_for(staff).get(reverse("directory:association-edit", args=[association_a.slug])).content.decode()
        )
        assert (
            self.url(association_a)
            not in client_for(manager_a)
            .get(reverse("directory:association-edit", args=[association_a.slug]))
            .content.decode()
        )

    def test_managers_cannot_verify_their_own_association(self, client_for, manager_a, association_a):
        assert client_for(manager_a).post(self.url(association_a), {"action": "verify"}).status_code == 403
        association_a.refresh_from_db()
        assert not association_a.is_verified


def test_the_queue_and_claims_survive_an_unknown_filter(client_for, staff, claim):
    response = client_for(staff).get(QUEUE, {"status": "nonsense"})
    assert response.status_code == 200
    assert list(response.context["page"]) == [claim]


def test_claims_of_one_person_on_two_associations_are_independent(staff, volunteer, association_a, association_b):
    first = claims.claim_create(user=volunteer, association=association_a, role="secretary")
    second = claims.claim_create(user=volunteer, association=association_b, role="president")
    claims.claim_refuse(actor=staff, claim=first, reason="Non.")
    claims.claim_approve(actor=staff, claim=second)
    assert set(Claim.objects.values_list("status", flat=True)) == {"refused", "approved"}


class TestHtmx:
    """With htmx, a decision re-renders the claim's row in place; without, the page reloads (tests above)."""

    HTMX = {"HTTP_HX_REQUEST": "true"}

    def test_approving_returns_the_decided_row(self, client_for, staff, claim):
        response = client_for(staff).post(approve_url(claim), {"next": QUEUE}, **self.HTMX)
        html = response.content.decode()
        assert response.status_code == 200
        assert html.lstrip().startswith("<tr>")
        assert "Vera Volunteer now manages Association B." in html
        assert approve_url(claim) not in html  # decided: no more buttons
        assert messages_of(response) == []  # the notice is in the row, not queued for the next page

    def test_refusing_without_a_reason_returns_the_row_with_the_error(self, client_for, staff, claim):
        response = client_for(staff).post(refuse_url(claim), {"reason": "", "next": QUEUE}, **self.HTMX)
        html = response.content.decode()
        assert response.status_code == 200
        assert 'aria-invalid="true"' in html
        assert f'name="next" value="{QUEUE}"' in html
        claim.refresh_from_db()
        assert claim.status == ClaimStatus.PENDING

    def test_refusing_returns_the_refused_row(self, client_for, staff, claim):
        response = client_for(staff).post(refuse_url(claim), {"reason": "Inconnue."}, **self.HTMX)
        assert "was refused; they were told why." in response.content.decode()
        claim.refresh_from_db()
        assert claim.status == ClaimStatus.REFUSED

    def test_a_claim_decided_meanwhile_says_so_in_its_row(self, client_for, staff, claim):
        claims.claim_refuse(actor=staff, claim=claim, reason="Non.")
        response = client_for(staff).post(approve_url(claim), **self.HTMX)
        assert "already handled" in response.content.decode()

    def test_the_queue_forms_carry_htmx_attributes(self, client_for, staff, claim):
        page = client_for(staff).get(QUEUE).content.decode()
        assert f'hx-post="{approve_url(claim)}"' in page
        assert 'hx-target="closest tr"' in page
