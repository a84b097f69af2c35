"""Managers of association A (manager_a) and staff; manager_b manages B only."""

from conftest import ASSOCIATION_A_SLUG
from tests.matrix import LOGIN, Row, expect

MANAGERS_OF_A = expect(403, anonymous=LOGIN, manager_a=200, staff=200, superuser=200)
# POST-only endpoints check permission first: who may act gets 405 on GET, the others 403.
MANAGERS_OF_A_POST = expect(403, anonymous=LOGIN, manager_a=405, staff=405, superuser=405)


def _association_a(personas):
    return {"args": [ASSOCIATION_A_SLUG]}


def _membership_in_a(personas):
    from tissu.directory.models import Membership

    membership = Membership.objects.get(association__slug=ASSOCIATION_A_SLUG, user=personas["manager_a"])
    return {"args": [ASSOCIATION_A_SLUG, membership.pk]}


def _invitation_in_a(personas):
    from tissu.directory.models import Association, Invitation

    invitation = Invitation.objects.create(
        association=Association.objects.get(slug=ASSOCIATION_A_SLUG), email="someone@example.org", role="member"
    )
    return {"args": [ASSOCIATION_A_SLUG, invitation.pk]}


ROWS = [
    Row("directory:association-edit", MANAGERS_OF_A, setup=_association_a),
    Row(
        "directory:association-field-reset",
        expect(403, anonymous=LOGIN, staff=405, superuser=405),
        setup=_association_a,
        browse=False,
        note="staff only: managers edit, only the office hands a field back to the register",
    ),
    Row("directory:members", MANAGERS_OF_A, setup=_association_a),
    Row("directory:invitation-create", MANAGERS_OF_A, setup=_association_a),
    Row("directory:membership-remove", MANAGERS_OF_A_POST, setup=_membership_in_a, browse=False),
    Row("directory:membership-role", MANAGERS_OF_A_POST, setup=_membership_in_a, browse=False),
    Row("directory:representative-designate", MANAGERS_OF_A_POST, setup=_membership_in_a, browse=False),
    Row("directory:invitation-revoke", MANAGERS_OF_A_POST, setup=_invitation_in_a, browse=False),
]
