"""Offers and wants: small ads between associations (give, lend or seek material, share premises or an
employee's time, co-organise an event). Writes, reads and the gateway of listings, kept apart from the
equipment pool. Listings expire; anyone signed in may report one; the associations office hides or
restores it.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from tissu.audit.services import audit_log
from tissu.directory.models import Association
from tissu.directory.permissions import can_edit, is_manager
from tissu.sharing.models import Listing, ListingReport, ListingStatus

LONGEST = datetime.timedelta(days=183)


# Reads


def listing_list(*, kind: str = "") -> QuerySet[Listing]:
    """Published listings not expired, latest first."""
    listings = Listing.objects.filter(
        status=ListingStatus.PUBLISHED, expires_on__gte=timezone.localdate()
    ).select_related("association")
    if kind:
        listings = listings.filter(kind=kind)
    return listings.order_by("-created_at", "-id")


def listings_reported() -> QuerySet[Listing]:
    """Listings with reports not yet resolved, for the office."""
    return (
        Listing.objects.filter(reports__resolved_at__isnull=True)
        .annotate(open_reports=Count("reports", filter=Q(reports__resolved_at__isnull=True)))
        .select_related("association")
        .prefetch_related(
            Prefetch("reports", queryset=ListingReport.objects.filter(resolved_at__isnull=True), to_attr="open")
        )
        .order_by("-open_reports", "-id")
    )


def listings_of_user(user) -> QuerySet[Listing]:
    from tissu.directory.models import MANAGER_ROLES

    return (
        Listing.objects.filter(association__memberships__user=user, association__memberships__role__in=MANAGER_ROLES)
        .select_related("association")
        .distinct()
        .order_by("-created_at", "-id")
    )


# Gateway


def can_manage_listing(user, listing: Listing) -> bool:
    return user.is_authenticated and can_edit(user, listing.association)


def is_visible(listing: Listing) -> bool:
    return listing.status == ListingStatus.PUBLISHED and listing.expires_on >= timezone.localdate()


def get_listing_for_user(user, pk: int, *, write: bool = False) -> Listing:
    """The listing, or 404 (unknown, or closed, hidden or expired for people who do not manage it);
    with write=True, PermissionDenied unless one of the association's managers or the office."""
    try:
        listing = Listing.objects.select_related("association").get(pk=pk)
    except Listing.DoesNotExist:
        raise Http404 from None
    manages = can_manage_listing(user, listing)
    if write and not manages:
        raise PermissionDenied
    if not is_visible(listing) and not manages:
        raise Http404
    return listing


# Writes


@transaction.atomic
def listing_create(
    *, actor, association: Association, kind: str, title: str, body: str, expires_on: datetime.date
) -> Listing:
    if not is_manager(actor, association):
        raise PermissionDenied
    today = timezone.localdate()
    if expires_on < today:
        raise ValidationError({"expires_on": _("Choose a date from today on.")})
    if expires_on > today + LONGEST:
        raise ValidationError({"expires_on": _("A listing stays published six months at most.")})
    listing = Listing(
        association=association, created_by=actor, kind=kind, title=title, body=body, expires_on=expires_on
    )
    listing.full_clean()
    listing.save()
    audit_log(actor=actor, action="sharing.listing.created", target=listing, data={"association": association.pk})
    return listing


@transaction.atomic
def listing_close(*, actor, listing: Listing) -> Listing:
    current = Listing.objects.select_for_update().get(pk=listing.pk)
    if not can_manage_listing(actor, current):
        raise PermissionDenied
    if current.status != ListingStatus.PUBLISHED:
        raise ValidationError(_("This listing is no longer published."))
    current.status = ListingStatus.CLOSED
    current.save(update_fields=["status", "updated_at"])
    audit_log(actor=actor, action="sharing.listing.closed", target=current)
    return current


@transaction.atomic
def listing_report(*, actor, listing: Listing, reason: str) -> ListingReport:
    if not reason.strip():
        raise ValidationError({"reason": _("Say what is wrong with this listing.")})
    report = ListingReport(listing=listing, reporter=actor, reason=reason)
    report.full_clean(exclude=["reporter", "listing"])
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:
        raise ValidationError(
            _("You already reported this listing: the associations office will look at it.")
        ) from None
    audit_log(actor=actor, action="sharing.listing.reported", target=listing, data={"report": report.pk})
    return report


@transaction.atomic
def listing_moderate(*, actor, listing: Listing, hide: bool) -> Listing:
    """The office hides a listing (or publishes it again); its open reports are resolved either way."""
    if not actor.is_associations_office:
        raise PermissionDenied
    current = Listing.objects.select_for_update().get(pk=listing.pk)
    current.status = ListingStatus.HIDDEN if hide else ListingStatus.PUBLISHED
    current.save(update_fields=["status", "updated_at"])
    current.reports.filter(resolved_at__isnull=True).update(resolved_at=timezone.now())
    audit_log(actor=actor, action="sharing.listing.hidden" if hide else "sharing.listing.restored", target=current)
    return current
