"""Reminders before the last day and once overdue (idempotent command); history per item and per borrower."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tissu.sharing import services
from tissu.sharing.models import LoanStatus
from tissu.sharing.tests.factories import make_item, make_loan

pytestmark = pytest.mark.django_db


def out_until(association, *, last_day_in: int, item=None, by=None):
    """A checked-out loan whose last day is last_day_in days from today (negative: in the past)."""
    return make_loan(
        item=item or make_item(), borrower=association, by=by, start=last_day_in - 2, days=3,
        status=LoanStatus.CHECKED_OUT,
    )  # fmt: skip


def test_the_borrower_is_reminded_before_the_last_day_once(
    manager_b, association_b, django_capture_on_commit_callbacks
):
    loan = out_until(association_b, last_day_in=1, by=manager_b)
    out_until(association_b, last_day_in=6)  # too early to remind
    make_loan(item=make_item(), borrower=association_b, start=0, days=2, status=LoanStatus.ACCEPTED)  # not out
    with django_capture_on_commit_callbacks(execute=True):
        first, second = io.StringIO(), io.StringIO()
        call_command("sharing_send_loan_reminders", stdout=first)
        call_command("sharing_send_loan_reminders", stdout=second)
    assert first.getvalue().startswith("1 loan(s) due soon")
    assert second.getvalue().startswith("0 loan(s) due soon")
    [email] = mail.outbox
    assert email.to == [manager_b.email]
    assert "Rappel" in email.subject  # in the recipient's language
    assert reverse("sharing:loan-detail", args=[loan.pk]) in email.body
    assert loan.item.name in email.alternatives[0][0]
    loan.refresh_from_db()
    assert loan.due_reminder_sent_at is not None


def test_an_overdue_loan_reminds_both_sides_then_weekly(
    manager_a, manager_b, association_a, association_b, django_capture_on_commit_callbacks
):
    item = make_item(owner=association_a)
    loan = out_until(association_b, last_day_in=-2, item=item)
    assert loan.is_overdue
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.loans_send_reminders(now=now) == {"due": 0, "overdue": 1}
    assert sorted(email.to[0] for email in mail.outbox) == sorted([manager_a.email, manager_b.email])
    assert all("2 jours de retard" in email.body for email in mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.loans_send_reminders(now=now + datetime.timedelta(days=3)) == {"due": 0, "overdue": 0}
        assert services.loans_send_reminders(now=now + datetime.timedelta(days=7)) == {"due": 0, "overdue": 1}
    assert len(mail.outbox) == 4


def test_a_returned_loan_is_neither_reminded_nor_overdue(association_b):
    loan = out_until(association_b, last_day_in=-2)
    loan.status = LoanStatus.RETURNED
    loan.save(update_fields=["status"])
    assert not loan.is_overdue
    assert services.loans_send_reminders() == {"due": 0, "overdue": 0}


def test_the_loan_page_and_lists_say_overdue(client_for, staff, manager_b, association_b):
    loan = out_until(association_b, last_day_in=-1, by=manager_b)
    html = client_for(manager_b).get(reverse("sharing:loan-detail", args=[loan.pk])).content.decode()
    assert "overdue" in html
    html = client_for(staff).get(reverse("sharing:my-loans")).content.decode()
    assert "overdue" in html


def test_the_item_history_lists_every_loan_and_filters_overdue(client_for, staff, association_a, association_b):
    item = make_item()
    late = out_until(association_b, last_day_in=-1, item=item)
    make_loan(item=item, borrower=association_a, start=10, status=LoanStatus.REFUSED)
    make_loan(item=make_item(name="Autre chose"), borrower=association_a)
    url = reverse("sharing:item-history", args=[item.pk])
    response = client_for(staff).get(url)
    html = response.content.decode()
    assert "Association A" in html and "Association B" in html and "Autre chose" not in html
    summary = response.context["summary"]
    assert (summary["total"], summary["overdue"], summary["refused"], summary["checked_out"]) == (2, 1, 1, 1)
    page = client_for(staff).get(url, {"status": "overdue"}).context["page"]
    assert list(page.object_list) == [late]


def test_the_borrower_history_is_for_its_managers_and_the_office(client_for, personas, association_b):
    make_loan(item=make_item(name="Percolateur"), borrower=association_b)
    url = reverse("sharing:borrower-history", args=[association_b.slug])
    assert "Percolateur" in client_for(personas["manager_b"]).get(url).content.decode()
    assert "Percolateur" in client_for(personas["staff"]).get(url).content.decode()
    assert client_for(personas["manager_a"]).get(url).status_code == 403


@pytest.mark.parametrize("url_name", ["item-history", "borrower-history"])
def test_history_pages_run_the_same_queries_for_1_or_many_loans(
    client_for, staff, association_b, make_association, django_assert_num_queries, url_name
):
    item = make_item(quantity=100)
    make_loan(item=item, borrower=association_b)
    args = [item.pk] if url_name == "item-history" else [association_b.slug]
    url = reverse(f"sharing:{url_name}", args=args)
    client = client_for(staff)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for number in range(12):
        other = make_item(name=f"Objet {number}", owner=make_association(f"Prêteuse {number}"))
        make_loan(item=item if url_name == "item-history" else other, borrower=association_b, start=number,
                  status=[LoanStatus.RETURNED, LoanStatus.CHECKED_OUT][number % 2])  # fmt: skip
    with django_assert_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200
