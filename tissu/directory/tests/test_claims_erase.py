"""Account deletion: the person leaves their associations, their requests and invitations lose their data."""

import pytest

from tissu.accounts.services import user_delete
from tissu.directory import claims, selectors
from tissu.directory.models import Claim, ClaimStatus, Invitation, Membership
from tissu.directory.tests.claims_helpers import media_root, pdf  # noqa: F401 (autouse fixture)

pytestmark = pytest.mark.django_db


def test_deleting_an_account_removes_memberships_and_withdraws_pending_claims(
    manager_a,
    staff,
    volunteer,
    association_a,
    association_b,
    make_association,
    settings,
    django_capture_on_commit_callbacks,
):
    pending = claims.claim_create(
        user=manager_a,
        association=association_b,
        role="treasurer",
        message="Mon numéro : 06 12 34 56 78",
        document=pdf(),
    )
    third = make_association("Club de judo")
    refused = claims.claim_create(user=manager_a, association=third, role="president")
    claims.claim_refuse(actor=staff, claim=refused, reason="Inconnue.")
    document = settings.MEDIA_ROOT / pending.document.name
    assert document.exists()
    others_claim = claims.claim_create(user=volunteer, association=association_b, role="president")
    invited = claims.invitation_create(actor=staff, association=third, email=manager_a.email, role="member")

    with django_capture_on_commit_callbacks(execute=True):
        user_delete(user=manager_a)

    assert not Membership.objects.filter(user=manager_a).exists()
    assert selectors.memberships_export(manager_a) == []
    pending.refresh_from_db()
    assert pending.status == ClaimStatus.WITHDRAWN
    assert pending.message == ""
    assert not pending.document
    assert not document.exists()
    refused.refresh_from_db()
    assert refused.status == ClaimStatus.REFUSED  # decided claims keep their status, for the office's history
    others_claim.refresh_from_db()
    assert others_claim.status == ClaimStatus.PENDING
    invited.refresh_from_db()
    assert invited.revoked_at is not None
    assert invited.email == ""
    # The association itself stays, without its former manager.
    assert association_a.memberships.count() == 0
    assert Claim.objects.filter(user=manager_a).count() == 2
    assert not Invitation.objects.filter(email__iexact="alice@example.org").exists()


def test_the_deleted_person_no_longer_appears_in_the_queue_as_pending(client_for, staff, volunteer, association_b):
    claims.claim_create(user=volunteer, association=association_b, role="president")
    user_delete(user=volunteer)
    response = client_for(staff).get("/associations/gestion/revendications/")
    assert list(response.context["page"]) == []
