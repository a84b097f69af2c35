"""Reads of the sharing module: the catalogue, availability, loans lists."""

import calendar
import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from tissu.directory.models import MANAGER_ROLES, Association
from tissu.sharing.models import HOLDING, OPEN, Item, Loan, LoanStatus, overdue_condition


def catalogue(*, q: str = "", category: str = "", owner: str = "") -> QuerySet[Item]:
    """Items offered for loan, filtered; owner is "city", "associations" or an association's slug."""
    items = Item.objects.filter(is_active=True).select_related("owner")
    if q:
        items = items.filter(Q(name__icontains=q) | Q(description__icontains=q))
    if category:
        items = items.filter(category=category)
    if owner == "city":
        items = items.filter(owner__isnull=True)
    elif owner == "associations":
        items = items.filter(owner__isnull=False)
    elif owner:
        items = items.filter(owner__slug=owner)
    return items.order_by("name", "id")


def items_of_association(association: Association, user=None) -> list[Item]:
    """The association's items offered for loan (its public profile lists them)."""
    return list(Item.objects.filter(owner=association, is_active=True).order_by("name", "id"))


def items_managed_by(user) -> QuerySet[Item]:
    """Every item this person manages: the city's for the office, their associations' otherwise."""
    condition = Q(owner__memberships__user=user, owner__memberships__role__in=MANAGER_ROLES)
    if user.is_associations_office:
        condition |= Q(owner__isnull=True)
    return Item.objects.filter(condition).select_related("owner").distinct().order_by("name", "id")


def booked_per_day(item: Item, start: datetime.date, end: datetime.date, *, exclude: Loan | None = None) -> dict:
    """{day: units held by accepted or checked-out loans} for each day of start..end, in one query."""
    loans = Loan.objects.filter(item=item, status__in=HOLDING, start_date__lte=end, end_date__gte=start)
    if exclude is not None and exclude.pk:
        loans = loans.exclude(pk=exclude.pk)
    booked = {start + datetime.timedelta(days=offset): 0 for offset in range((end - start).days + 1)}
    for loan_start, loan_end, quantity in loans.values_list("start_date", "end_date", "quantity"):
        day = max(loan_start, start)
        last = min(loan_end, end)
        while day <= last:
            booked[day] += quantity
            day += datetime.timedelta(days=1)
    return booked


def available_quantity(item: Item, start: datetime.date, end: datetime.date, *, exclude: Loan | None = None) -> int:
    """Units free on every day of start..end (both included)."""
    booked = booked_per_day(item, start, end, exclude=exclude)
    return max(0, item.quantity - max(booked.values(), default=0))


@dataclass
class CalendarDay:
    date: datetime.date
    available: int
    in_month: bool
    is_past: bool


def month_calendar(item: Item, year: int, month: int, *, today: datetime.date) -> list[list[CalendarDay]]:
    """Weeks (Monday first) of the month, each day with the units free that day; one query."""
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    first, last = weeks[0][0], weeks[-1][-1]
    booked = booked_per_day(item, first, last)
    return [
        [
            CalendarDay(
                date=day,
                available=max(0, item.quantity - booked[day]),
                in_month=day.month == month,
                is_past=day < today,
            )
            for day in week
        ]
        for week in weeks
    ]


def loans_borrowed_by(user) -> QuerySet[Loan]:
    """Loans asked by the associations this person manages."""
    return (
        Loan.objects.filter(borrower__memberships__user=user, borrower__memberships__role__in=MANAGER_ROLES)
        .select_related("item", "item__owner", "borrower")
        .distinct()
        .order_by("-start_date", "-id")
    )


def loans_lent_by(user) -> QuerySet[Loan]:
    """Loans of the items this person manages (the city's for the office)."""
    condition = Q(item__owner__memberships__user=user, item__owner__memberships__role__in=MANAGER_ROLES)
    if user.is_associations_office:
        condition |= Q(item__owner__isnull=True)
    return (
        Loan.objects.filter(condition)
        .select_related("item", "item__owner", "borrower")
        .distinct()
        .order_by("-start_date", "-id")
    )


def loans_of_item(item: Item) -> QuerySet[Loan]:
    return item.loans.select_related("borrower").order_by("-start_date", "-id")


OVERDUE = "overdue"  # a filter of the history pages: not a status (see models.overdue_condition)


def loan_history(*, item: Item | None = None, borrower: Association | None = None, status: str = "") -> QuerySet[Loan]:
    """Every loan of an item, or of a borrowing association, latest first; status may be OVERDUE."""
    loans = Loan.objects.select_related("item", "item__owner", "borrower")
    if item is not None:
        loans = loans.filter(item=item)
    if borrower is not None:
        loans = loans.filter(borrower=borrower)
    if status == OVERDUE:
        loans = loans.filter(overdue_condition(timezone.localdate()))
    elif status:
        loans = loans.filter(status=status)
    return loans.order_by("-start_date", "-id")


def loan_summary(loans: QuerySet[Loan]) -> dict:
    """How many loans in each status, units lent, and how many are overdue, in one query."""
    today = timezone.localdate()
    counts = {status.value: Count("pk", filter=Q(status=status)) for status in LoanStatus}
    summary = loans.order_by().aggregate(
        total=Count("pk"), overdue=Count("pk", filter=overdue_condition(today)), **counts
    )
    summary["rows"] = [(status.label, summary[status.value]) for status in LoanStatus]
    return summary


def open_loans_count(item: Item) -> int:
    return item.loans.filter(status__in=OPEN).count()


def loans_export(user) -> dict:
    """The loans this person asked for, the listings they posted and their reports, for their data export."""
    from tissu.sharing.models import Listing, ListingReport

    return {
        "loans": _loans_export(user),
        "listings": [
            {"association": listing.association.name, "title": listing.title, "text": listing.body,
             "until": listing.expires_on.isoformat(), "status": listing.status}
            for listing in Listing.objects.filter(created_by=user).select_related("association")
        ],
        "listing_reports": [
            {"listing": report.listing.title, "reason": report.reason, "at": report.created_at.isoformat()}
            for report in ListingReport.objects.filter(reporter=user).select_related("listing")
        ],
    }  # fmt: skip


def _loans_export(user) -> list[dict]:
    return [
        {
            "item": loan.item.name,
            "association": loan.borrower.name,
            "quantity": loan.quantity,
            "from": loan.start_date.isoformat(),
            "until": loan.end_date.isoformat(),
            "status": loan.status,
            "message": loan.message,
        }
        for loan in Loan.objects.filter(requested_by=user).select_related("item", "borrower")
    ]
