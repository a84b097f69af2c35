"""Small builders for the sharing tests (and the matrix rows)."""

import datetime

from django.utils import timezone

from tissu.directory.models import Association
from tissu.sharing.models import Category, Item, Loan, LoanStatus


def _association(value):
    if value is None or isinstance(value, Association):
        return value
    return Association.objects.get(slug=value)


def make_item(*, owner=None, name="Barnum 3 × 3 m", quantity=4, **fields) -> Item:
    """An item offered for loan; owner is None (the city), an Association or its slug."""
    fields.setdefault("category", Category.TENTS)
    fields.setdefault("pickup_place", "Centre technique municipal")
    fields.setdefault("notice_days", 0)
    fields.setdefault("max_loan_days", 14)
    return Item.objects.create(owner=_association(owner), name=name, quantity=quantity, **fields)


def days_ahead(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def make_loan(*, item, borrower, by=None, quantity=1, start=5, days=2, status=LoanStatus.REQUESTED) -> Loan:
    """A loan written directly (no checks): start is in days from today."""
    start_date = days_ahead(start)
    return Loan.objects.create(
        item=item,
        borrower=_association(borrower),
        requested_by=by,
        quantity=quantity,
        start_date=start_date,
        end_date=start_date + datetime.timedelta(days=days - 1),
        status=status,
    )


def make_listing(*, association, title="Donne 40 chaises pliantes", kind="give", expires_in=30, **fields):
    from tissu.sharing.models import Listing

    return Listing.objects.create(
        association=_association(association),
        kind=kind,
        title=title,
        body=fields.pop("body", "À venir chercher au local."),
        expires_on=days_ahead(expires_in),
        **fields,
    )


def make_expert(*, user=None, association=None, areas=("accounting",), **fields):
    """An expert profile (a person's, or an association's), available, offering advice by default."""
    from tissu.sharing.models import ExpertArea, ExpertKind, ExpertProfile

    association = _association(association)
    fields.setdefault("kind", ExpertKind.ASSOCIATION if association else ExpertKind.RETIRED)
    fields.setdefault("headline", "Comptable retraitée, j'aide à tenir les comptes")
    fields.setdefault("availability", "Deux soirs par mois")
    fields.setdefault("contact_email", user.email if user else "contact@example.org")
    fields.setdefault("contact_phone", "06 12 34 56 78")
    expert = ExpertProfile.objects.create(user=user, association=association, **fields)
    ExpertArea.objects.bulk_create([ExpertArea(expert=expert, area=area) for area in areas])
    return expert


def make_help_request(*, association, by=None, area="accounting", help_format="advice", **fields):
    from tissu.sharing.models import HelpRequest

    fields.setdefault("title", "Préparer notre premier budget")
    fields.setdefault("description", "Nous n'avons jamais fait de budget prévisionnel.")
    return HelpRequest.objects.create(
        association=_association(association), created_by=by, area=area, format=help_format, **fields
    )


def make_contact(*, expert_user, by, association="association-b", status="proposed"):
    from tissu.sharing.models import ExpertProfile, HelpContact

    expert = ExpertProfile.objects.filter(user=expert_user).first() or make_expert(user=expert_user)
    help_request = make_help_request(association=association, by=by)
    return HelpContact.objects.create(
        request=help_request, expert=expert, proposed_by=by, message="Pouvez-vous nous aider ?", status=status
    )
