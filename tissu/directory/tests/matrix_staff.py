"""The associations office's pages: the queue of claims, verification, the city's lists."""

from conftest import ASSOCIATION_B_SLUG
from tests.matrix import LOGIN, OFFICE_ONLY, Row, expect

# POST-only endpoints check the role first: staff get 405 on GET, the others 403.
OFFICE_POST = expect(403, anonymous=LOGIN, staff=405, superuser=405)


def _pending_claim(personas):
    from tissu.directory.models import Association, Claim

    # get_or_create: tests/test_templates.py runs every row's setup in one database.
    claim, _ = Claim.objects.get_or_create(
        user=personas["volunteer"],
        association=Association.objects.get(slug=ASSOCIATION_B_SLUG),
        status="pending",
        defaults={"role": "president"},
    )
    return {"args": [claim.pk]}


def _neighbourhood(personas):
    from tissu.directory.models import Neighbourhood

    entry, _ = Neighbourhood.objects.get_or_create(name="Centre-ville", slug="centre-ville")
    return {"args": ["quartiers", entry.pk]}


ROWS = [
    Row("directory:staff-claims", OFFICE_ONLY),
    Row("directory:claim-approve", OFFICE_POST, setup=_pending_claim, browse=False),
    Row("directory:claim-refuse", OFFICE_POST, setup=_pending_claim, browse=False),
    # A claim without a document: 404 for staff (the download itself: tests/test_staff_claims.py).
    Row(
        "directory:claim-document",
        expect(403, anonymous=LOGIN, staff=404, superuser=404),
        setup=_pending_claim,
        browse=False,
    ),
    Row(
        "directory:staff-association-verify",
        OFFICE_POST,
        setup=lambda personas: {"args": [ASSOCIATION_B_SLUG]},
        browse=False,
    ),
    Row("directory:staff-taxonomies", OFFICE_ONLY),
    Row("directory:staff-taxonomy-add", OFFICE_POST, setup=lambda personas: {"args": ["qpv"]}, browse=False),
    Row("directory:staff-taxonomy-edit", OFFICE_ONLY, setup=_neighbourhood),
    Row("directory:staff-taxonomy-delete", OFFICE_POST, setup=_neighbourhood, browse=False),
]
