"""Claims, declarations, my associations, invitations (manager_a manages association A, manager_b association B)."""

from conftest import ASSOCIATION_A_SLUG, ASSOCIATION_B_SLUG
from tests.matrix import LOGIN, SIGNED_IN_ONLY, Row, expect


def _association_a(personas):
    return {"args": [ASSOCIATION_A_SLUG]}


def _volunteer_claim(personas):
    from tissu.directory.models import Association, Claim

    # get_or_create: tests/test_templates.py runs every row's setup in one database.
    claim, _ = Claim.objects.get_or_create(
        user=personas["volunteer"],
        association=Association.objects.get(slug=ASSOCIATION_B_SLUG),
        status="pending",
        defaults={"role": "secretary"},
    )
    return {"args": [claim.pk]}


def _invitation_to_a(personas):
    from tissu.directory.models import Association, Invitation

    invitation = Invitation.objects.create(
        association=Association.objects.get(slug=ASSOCIATION_A_SLUG),
        email="newcomer@example.org",
        role="member",
        invited_by=personas["manager_a"],
    )
    return {"args": [invitation.token]}


ROWS = [
    # Everyone signed in sees the page; manager_a (who manages A) gets a message instead of the form.
    Row("directory:claim-create", SIGNED_IN_ONLY, setup=_association_a),
    # POST only; a claim of someone else is a 404 on POST (tests/test_claims.py).
    Row("directory:claim-withdraw", expect(405, anonymous=LOGIN), setup=_volunteer_claim, browse=False),
    Row("directory:association-declare", SIGNED_IN_ONLY),
    Row("directory:my-associations", SIGNED_IN_ONLY),
    # The link is the proof: any signed-in account may open it (manager_a, already a member, gets a message).
    Row("directory:invitation-accept", SIGNED_IN_ONLY, setup=_invitation_to_a),
]
