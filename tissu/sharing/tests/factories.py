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
