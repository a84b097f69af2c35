"""The sharing module's one permission gateway: items and loans reach the views through here.

- The catalogue is public: anyone may see what the city and the associations lend.
- The city's items are managed by the associations office; an association's items by its managers
  (the directory's gateway says who they are).
- An association's managers borrow for it, from items whose policy lets it borrow.
- A loan is seen by the managers of both sides (and the office); the owner's side decides, checks out and
  takes back; the borrower's side may cancel until check-out.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from tissu.directory.models import Association
from tissu.directory.permissions import can_edit, is_manager, managed_associations
from tissu.sharing.models import BorrowerPolicy, Item, Loan


def can_manage_item(user, item: Item) -> bool:
    if not user.is_authenticated:
        return False
    if item.owner_id is None:
        return user.is_associations_office
    return can_edit(user, item.owner)


def can_lend_as(user, owner: Association | None) -> bool:
    """May this person offer items in the name of this owner (None: the city)?"""
    if not user.is_authenticated:
        return False
    return user.is_associations_office if owner is None else can_edit(user, owner)


def may_borrow(association: Association, item: Item) -> bool:
    """The item's policy lets this association borrow it (owners do not borrow their own items)."""
    if item.owner_id == association.pk or not item.is_active:
        return False
    if item.borrower_policy == BorrowerPolicy.VERIFIED:
        return association.verified_at is not None
    if item.borrower_policy == BorrowerPolicy.LIST:
        return item.allowed_borrowers.filter(pk=association.pk).exists()
    return True


def borrowing_associations(user, item: Item) -> list[Association]:
    """The associations in whose name this person may ask to borrow the item."""
    return [association for association in managed_associations(user) if may_borrow(association, item)]


def get_item_for_user(user, pk: int, *, write: bool = False) -> Item:
    """The item, or 404 (unknown, or withdrawn from loan and not managed by this person); with write=True,
    PermissionDenied unless this person manages it."""
    try:
        item = Item.objects.select_related("owner").get(pk=pk)
    except Item.DoesNotExist:
        raise Http404 from None
    manages = can_manage_item(user, item)
    if write and not manages:
        raise PermissionDenied
    if not item.is_active and not manages:
        raise Http404
    return item


def can_edit_borrower(user, association: Association) -> bool:
    """May this person ask to borrow in the name of this association? Its managers only: the office lends."""
    return is_manager(user, association)


def is_lender(user, loan: Loan) -> bool:
    return can_manage_item(user, loan.item)


def is_borrower(user, loan: Loan) -> bool:
    return user.is_authenticated and can_edit(user, loan.borrower)


def get_loan_for_user(user, pk: int) -> Loan:
    """The loan, for the managers of either side or the office; 404 if unknown, else PermissionDenied."""
    try:
        loan = Loan.objects.select_related(
            "item", "item__owner", "borrower", "requested_by", "pickup_slot", "return_slot"
        ).get(pk=pk)
    except Loan.DoesNotExist:
        raise Http404 from None
    if not (is_lender(user, loan) or is_borrower(user, loan)):
        raise PermissionDenied
    return loan


def get_borrower_for_user(user, slug: str) -> Association:
    """An association whose borrowing history this person may read: its managers and the office."""
    from tissu.directory.permissions import get_association_for_user

    return get_association_for_user(user, slug, write=True)
