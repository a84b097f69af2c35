"""The sharing module's rows: the catalogue is public; lending and borrowing are for managers and the office.

Fixtures (built by the rows' setup): a city item, an item of association A, and a loan of the city item to
association B (manager_b borrows, the office lends).
"""

from tests.matrix import LOGIN, OFFICE_ONLY, PUBLIC, SIGNED_IN_ONLY, Row, expect

# Who may offer equipment: managers of an association (for it) and the office (for the city).
LENDERS = expect(403, anonymous=LOGIN, manager_a=200, manager_b=200, staff=200, superuser=200)
MANAGERS_OF_A = expect(403, anonymous=LOGIN, manager_a=200, staff=200, superuser=200)
# Borrowing association A's item: B's managers (the office lends; it does not borrow for associations).
BORROWERS_OF_A_ITEM = expect(403, anonymous=LOGIN, manager_b=200)
LOAN_SIDES = expect(403, anonymous=LOGIN, manager_b=200, staff=200, superuser=200)
LOAN_SIDES_POST = expect(403, anonymous=LOGIN, manager_b=405, staff=405, superuser=405)


def _item_of_a(personas):
    from tissu.sharing.tests.factories import make_item

    return {"args": [make_item(owner="association-a").pk]}


def _slot_of_a(personas):
    import datetime

    from tissu.sharing.models import PickupSlot
    from tissu.sharing.tests.factories import make_item

    item = make_item(owner="association-a")
    slot = PickupSlot.objects.create(
        item=item, weekday=1, start_time=datetime.time(8), end_time=datetime.time(11), capacity=2
    )
    return {"args": [item.pk, slot.pk]}


def _loan_of_city_item(personas):
    from tissu.sharing.tests.factories import make_item, make_loan

    loan = make_loan(item=make_item(), borrower="association-b", by=personas["manager_b"])
    return {"args": [loan.pk]}


def _accepted_loan(personas):
    from tissu.sharing.models import LoanStatus
    from tissu.sharing.tests.factories import make_item, make_loan

    loan = make_loan(item=make_item(), borrower="association-b", by=personas["manager_b"], status=LoanStatus.ACCEPTED)
    return {"args": [loan.pk]}


def _loan_action(personas):
    return {"args": [*_loan_of_city_item(personas)["args"], "cancel"]}


def _listing_of_a(personas):
    from tissu.sharing.tests.factories import make_listing

    return {"args": [make_listing(association="association-a").pk]}


MANAGERS = expect(403, anonymous=LOGIN, manager_a=200, manager_b=200)
LISTING_MANAGERS_OF_A_POST = expect(403, anonymous=LOGIN, manager_a=405, staff=405, superuser=405)
OFFICE_POST = expect(403, anonymous=LOGIN, staff=405, superuser=405)

ROWS = [
    Row("sharing:catalogue", PUBLIC),
    Row("sharing:item-detail", PUBLIC, setup=_item_of_a),
    Row("sharing:item-create", LENDERS),
    Row("sharing:item-edit", MANAGERS_OF_A, setup=_item_of_a),
    Row("sharing:loan-request", BORROWERS_OF_A_ITEM, setup=_item_of_a),
    Row("sharing:item-history", MANAGERS_OF_A, setup=_item_of_a),
    Row("sharing:item-slots", MANAGERS_OF_A, setup=_item_of_a),
    Row(
        "sharing:item-slot-remove",
        expect(403, anonymous=LOGIN, manager_a=405, staff=405, superuser=405),
        setup=_slot_of_a,
        browse=False,
    ),
    Row("sharing:my-loans", SIGNED_IN_ONLY),
    # What association B borrowed: its managers and the office.
    Row("sharing:borrower-history", LOAN_SIDES, setup=lambda personas: {"args": ["association-b"]}),
    # An accepted loan: its page carries the check-out form (note, photo) and the deposit form.
    Row("sharing:loan-detail", LOAN_SIDES, setup=_accepted_loan),
    Row("sharing:loan-act", LOAN_SIDES_POST, setup=_loan_action, browse=False),
    Row("sharing:loan-agreement", LOAN_SIDES, setup=_accepted_loan, browse=False),
    # A loan without a photo: 404 for both sides (the photo itself: test_loan_handover.py).
    Row(
        "sharing:loan-photo",
        expect(403, anonymous=LOGIN, manager_b=404, staff=404, superuser=404),
        setup=lambda personas: {"args": [*_loan_of_city_item(personas)["args"], "check-out"]},
        browse=False,
    ),
    # Offers and wants: a public board; managers post for their associations; the office moderates.
    Row("sharing:listing-list", PUBLIC),
    Row("sharing:listing-detail", PUBLIC, setup=_listing_of_a),
    Row("sharing:listing-create", MANAGERS),
    Row("sharing:listing-close", LISTING_MANAGERS_OF_A_POST, setup=_listing_of_a, browse=False),
    Row("sharing:listing-report", SIGNED_IN_ONLY, setup=_listing_of_a),
    Row("sharing:listing-moderation", OFFICE_ONLY),
    Row("sharing:listing-moderate", OFFICE_POST, setup=_listing_of_a, browse=False),
]


# The expert base. Fixtures: manager_a's own expert profile (accounting); a request of association B.


def _expert_a(personas):
    """manager_a's expert profile, made once (the browser walk runs every row's setup in one database)."""
    from tissu.sharing.models import ExpertProfile
    from tissu.sharing.tests.factories import make_expert

    existing = ExpertProfile.objects.filter(user=personas["manager_a"]).first()
    return existing or make_expert(user=personas["manager_a"])


def _expert_of_manager_a(personas):
    return {"args": [_expert_a(personas).pk]}


def _request_of_b(personas):
    from tissu.sharing.tests.factories import make_help_request

    return {"args": [make_help_request(association="association-b", by=personas["manager_b"]).pk]}


def _propose(personas):
    from tissu.sharing.tests.factories import make_help_request

    help_request = make_help_request(association="association-b", by=personas["manager_b"])
    return {"args": [help_request.pk, _expert_a(personas).pk]}


def _contact(personas):
    from tissu.sharing.tests.factories import make_contact

    _expert_a(personas)
    contact = make_contact(expert_user=personas["manager_a"], by=personas["manager_b"], status="accepted")
    return {"args": [contact.pk]}  # accepted: the page shows contacts, messages and the help record form


def _contact_action(personas):
    return {"args": [*_contact(personas)["args"], "accept"]}


# Who may browse experts: association managers, experts (manager_a is one here), the office.
BROWSERS = expect(403, anonymous=LOGIN, manager_a=200, manager_b=200, staff=200, superuser=200)
EXPERT_A_ONLY = expect(403, anonymous=LOGIN, manager_a=200)
EXPERT_A_POST = expect(403, anonymous=LOGIN, manager_a=405)
# A request of B: its managers, the office, and experts of its area (manager_a is not one in this row).
REQUEST_OF_B = expect(403, anonymous=LOGIN, manager_b=200, staff=200, superuser=200)
# An exchange: its two sides only (manager_a the expert, manager_b the association); not the office.
CONTACT_SIDES = expect(403, anonymous=LOGIN, manager_a=200, manager_b=200)
CONTACT_SIDES_POST = expect(403, anonymous=LOGIN, manager_a=405, manager_b=405)

ROWS += [
    Row("sharing:expert-list", SIGNED_IN_ONLY),
    Row("sharing:expert-create", SIGNED_IN_ONLY),
    Row("sharing:expert-detail", BROWSERS, setup=_expert_of_manager_a),
    Row("sharing:expert-edit", EXPERT_A_ONLY, setup=_expert_of_manager_a),
    Row("sharing:expert-withdraw", EXPERT_A_POST, setup=_expert_of_manager_a, browse=False),
    Row("sharing:help-request-list", SIGNED_IN_ONLY),
    Row("sharing:help-request-create", MANAGERS),
    Row("sharing:help-request-detail", REQUEST_OF_B, setup=_request_of_b),
    Row(
        "sharing:help-request-close",
        expect(403, anonymous=LOGIN, manager_b=405),
        setup=_request_of_b,
        browse=False,
    ),
    Row("sharing:help-contact-propose", expect(403, anonymous=LOGIN, manager_b=200), setup=_propose),
    Row("sharing:help-contact-detail", CONTACT_SIDES, setup=_contact),
    Row("sharing:help-contact-act", CONTACT_SIDES_POST, setup=_contact_action, browse=False),
    Row("sharing:help-given", OFFICE_ONLY),
]
