"""Parallel requests for the last units: the item lock keeps accepted loans within the stock."""

import pytest
from django.db import connection

from conftest import make_user
from tests.concurrency import run_together
from tissu.directory.models import Membership, MembershipRole
from tissu.sharing import services
from tissu.sharing.models import LoanStatus
from tissu.sharing.tests.factories import days_ahead, make_item, make_loan

PARALLEL = 6
assert connection  # used by the skipif conditions below


def borrowers(make_association, count):
    pairs = []
    for number in range(count):
        association = make_association(f"Emprunteuse {number}")
        user = make_user(f"manager{number}@example.org")
        Membership.objects.create(user=user, association=association, role=MembershipRole.PRESIDENT)
        pairs.append((association, user))
    return pairs


@pytest.mark.skipif("connection.vendor != 'postgresql'")
@pytest.mark.django_db(transaction=True)
def test_parallel_requests_never_book_more_units_than_exist(make_association):
    item = make_item(quantity=4, approval_required=False)

    def request(association, user, start):
        return lambda: services.loan_request(
            actor=user,
            item=item,
            borrower=association,
            quantity=2,
            start_date=days_ahead(start),
            end_date=days_ahead(start + 2),
        )

    # Overlapping ranges (days 5–7 and 6–8 share days 6 and 7): at most two loans of 2 units fit.
    calls = [request(association, user, 5 + number % 2) for number, (association, user) in
             enumerate(borrowers(make_association, PARALLEL))]  # fmt: skip
    errors, _results = run_together(*calls)
    assert item.loans.filter(status=LoanStatus.ACCEPTED).count() == 2
    assert len(errors) == PARALLEL - 2


@pytest.mark.skipif("connection.vendor != 'postgresql'")
@pytest.mark.django_db(transaction=True)
def test_parallel_acceptances_never_book_more_units_than_exist(make_association):
    item = make_item(quantity=4)
    office = make_user("office@example.org", superuser=True)
    loans = [
        make_loan(item=item, borrower=association, by=user, quantity=2, start=5, days=3)
        for association, user in borrowers(make_association, PARALLEL)
    ]
    errors, _results = run_together(
        *[lambda loan=loan: services.loan_accept(actor=office, loan=loan) for loan in loans]
    )
    assert item.loans.filter(status=LoanStatus.ACCEPTED).count() == 2
    assert len(errors) == PARALLEL - 2


@pytest.mark.skipif("connection.vendor != 'postgresql'")
@pytest.mark.django_db(transaction=True)
def test_parallel_check_outs_and_deposits_happen_once(make_association):
    from decimal import Decimal

    from django.utils import timezone

    from tissu.sharing.models import Loan

    ((association, _user),) = borrowers(make_association, 1)
    office = make_user("office@example.org", superuser=True)
    item = make_item(quantity=4, deposit=Decimal("100"))
    loan = make_loan(item=item, borrower=association, status=LoanStatus.ACCEPTED)
    errors, _results = run_together(
        *[lambda: services.loan_check_out(actor=office, loan=loan, note="Complet.") for _ in range(PARALLEL)]
    )
    assert len(errors) == PARALLEL - 1
    # Threads run in the default language (French): "This equipment was already handed over."
    assert {str(error.messages[0]) for error in errors} == {"Ce matériel a déjà été remis."}
    errors, _results = run_together(
        *[
            lambda: services.loan_deposit_receive(
                actor=office, loan=loan, amount=Decimal("100"), received_on=timezone.localdate()
            )
            for _ in range(PARALLEL)
        ]
    )
    assert len(errors) == PARALLEL - 1
    assert Loan.objects.get(pk=loan.pk).deposit_amount == Decimal("100")
