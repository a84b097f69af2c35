"""Optional pickup and return slots: chosen on the loan's first and last days, each with a capacity."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from conftest import make_user
from tests.concurrency import run_together
from tissu.directory.models import Membership, MembershipRole
from tissu.sharing import services
from tissu.sharing.models import Loan, LoanStatus, PickupSlot
from tissu.sharing.tests.factories import days_ahead, make_item, make_loan

pytestmark = pytest.mark.django_db
assert connection  # used by the skipif condition below


def next_weekday(weekday: int, *, after: int = 3) -> datetime.date:
    """The first date with this weekday, at least `after` days from today."""
    day = days_ahead(after)
    return day + datetime.timedelta(days=(weekday - day.weekday()) % 7)


def slotted_item(capacity=2, **fields):
    item = make_item(**fields)
    tuesday = PickupSlot.objects.create(
        item=item, weekday=1, start_time=datetime.time(8), end_time=datetime.time(11), capacity=capacity
    )
    thursday = PickupSlot.objects.create(
        item=item, weekday=3, start_time=datetime.time(14), end_time=datetime.time(17), capacity=capacity
    )
    return item, tuesday, thursday


def ask(item, association, user, *, start, end, pickup, back, quantity=1):
    return services.loan_request(
        actor=user, item=item, borrower=association, quantity=quantity, start_date=start, end_date=end,
        pickup_slot=pickup, return_slot=back,
    )  # fmt: skip


def test_a_borrower_picks_up_and_returns_in_the_item_slots(client_for, manager_b, association_b):
    item, tuesday, thursday = slotted_item()
    start = next_weekday(1)
    response = client_for(manager_b).post(
        reverse("sharing:loan-request", args=[item.pk]),
        {
            "borrower": association_b.pk,
            "quantity": "1",
            "start_date": start.isoformat(),
            "pickup_slot": tuesday.pk,
            "end_date": (start + datetime.timedelta(days=2)).isoformat(),
            "return_slot": thursday.pk,
        },
    )
    assert response.status_code == 302
    loan = Loan.objects.get()
    assert (loan.pickup_slot, loan.return_slot) == (tuesday, thursday)
    html = client_for(manager_b).get(reverse("sharing:loan-detail", args=[loan.pk])).content.decode()
    assert "08:00–11:00" in html and "14:00–17:00" in html


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("no slot", "Choose a slot for the pickup"),
        ("wrong day", "choose a date on that day"),
        ("another item's slot", "Choose a slot for the return"),
    ],
)
def test_a_request_outside_the_slots_is_refused_clearly(manager_b, association_b, case, message):
    item, tuesday, thursday = slotted_item()
    start = next_weekday(1)
    end = start + datetime.timedelta(days=2)
    pickup, back = tuesday, thursday
    if case == "no slot":
        pickup = None
    if case == "wrong day":
        start = start + datetime.timedelta(days=1)
    if case == "another item's slot":
        _other, _tuesday, back = slotted_item(name="Autre")
    with pytest.raises(ValidationError, match=message):
        ask(item, association_b, manager_b, start=start, end=end, pickup=pickup, back=back)
    assert not Loan.objects.exists()


def test_a_full_slot_is_refused_and_a_refused_or_cancelled_loan_frees_it(manager_a, manager_b, association_a,
                                                                         association_b):  # fmt: skip
    item, tuesday, thursday = slotted_item(capacity=1, quantity=10)
    start = next_weekday(1)
    end = start + datetime.timedelta(days=2)
    first = ask(item, association_a, manager_a, start=start, end=end, pickup=tuesday, back=thursday)
    with pytest.raises(ValidationError, match="is full"):
        ask(item, association_b, manager_b, start=start, end=end, pickup=tuesday, back=thursday)
    services.loan_cancel(actor=manager_a, loan=first)
    ask(item, association_b, manager_b, start=start, end=end, pickup=tuesday, back=thursday)


def test_a_same_day_loan_takes_two_handovers_of_its_slot(manager_b, association_b):
    item, tuesday, _thursday = slotted_item(capacity=1)
    day = next_weekday(1)
    with pytest.raises(ValidationError, match="is full"):
        ask(item, association_b, manager_b, start=day, end=day, pickup=tuesday, back=tuesday)


def test_an_item_without_slots_is_borrowed_as_before(manager_b, association_b):
    loan = ask(make_item(), association_b, manager_b, start=days_ahead(5), end=days_ahead(6), pickup=None, back=None)
    assert loan.pickup_slot is None


def test_managers_add_and_remove_slots_but_not_one_a_loan_to_come_uses(client_for, staff, association_b):
    item = make_item()
    url = reverse("sharing:item-slots", args=[item.pk])
    client = client_for(staff)
    response = client.post(url, {"weekday": "1", "start_time": "11:00", "end_time": "08:00", "capacity": "2"})
    assert response.status_code == 400
    assert "must end after it starts" in response.content.decode()
    client.post(url, {"weekday": "1", "start_time": "08:00", "end_time": "11:00", "capacity": "2"})
    slot = item.pickup_slots.get()
    loan = make_loan(item=item, borrower=association_b, start=10, status=LoanStatus.ACCEPTED)
    Loan.objects.filter(pk=loan.pk).update(pickup_slot=slot)
    remove = reverse("sharing:item-slot-remove", args=[item.pk, slot.pk])
    response = client.post(remove, follow=True)
    assert "1 loan(s) to come use this slot" in response.content.decode()
    assert item.pickup_slots.exists()
    Loan.objects.filter(pk=loan.pk).update(status=LoanStatus.CANCELLED)
    client.post(remove)
    assert not item.pickup_slots.exists()
    html = client.get(reverse("sharing:item-detail", args=[item.pk])).content.decode()
    assert "Pickup and return slots" not in html


@pytest.mark.skipif("connection.vendor != 'postgresql'")
@pytest.mark.django_db(transaction=True)
def test_parallel_requests_never_overfill_a_slot(make_association):
    item, tuesday, thursday = slotted_item(capacity=2, quantity=50, approval_required=False)
    start = next_weekday(1)
    end = start + datetime.timedelta(days=2)
    calls = []
    for number in range(6):
        association = make_association(f"Emprunteuse {number}")
        user = make_user(f"manager{number}@example.org")
        Membership.objects.create(user=user, association=association, role=MembershipRole.PRESIDENT)
        calls.append(
            lambda association=association, user=user: ask(
                item, association, user, start=start, end=end, pickup=tuesday, back=thursday
            )
        )
    errors, results = run_together(*calls)
    assert (len(results), len(errors)) == (2, 4)
    assert Loan.objects.filter(pickup_slot=tuesday, start_date=start).count() == 2
