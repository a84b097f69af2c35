import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from tissu.audit.models import AuditEntry
from tissu.sharing import selectors, services
from tissu.sharing.models import BorrowerPolicy, Loan, LoanStatus
from tissu.sharing.tests.factories import days_ahead, make_item, make_loan

pytestmark = pytest.mark.django_db


def request_data(association, **overrides):
    data = {
        "borrower": association.pk,
        "quantity": "2",
        "start_date": days_ahead(5).isoformat(),
        "end_date": days_ahead(6).isoformat(),
        "message": "Pour notre fête de quartier.",
    }
    data.update(overrides)
    return data


def ask(item, borrower, actor, *, quantity=1, start=5, days=2):
    return services.loan_request(
        actor=actor,
        item=item,
        borrower=borrower,
        quantity=quantity,
        start_date=days_ahead(start),
        end_date=days_ahead(start + days - 1),
    )


def test_a_manager_asks_to_borrow_and_the_owners_are_told(
    client_for, manager_a, manager_b, association_a, association_b, django_capture_on_commit_callbacks
):
    item = make_item(owner=association_a, name="Percolateur", quantity=3)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(manager_b).post(
            reverse("sharing:loan-request", args=[item.pk]), request_data(association_b)
        )
    loan = Loan.objects.get()
    assert response.status_code == 302
    assert (loan.status, loan.quantity, loan.borrower, loan.requested_by) == ("requested", 2, association_b, manager_b)
    [email] = mail.outbox
    assert email.to == [manager_a.email]
    assert "Association B" in email.subject
    assert reverse("sharing:loan-detail", args=[loan.pk]) in email.body
    assert "Pour notre fête de quartier." in email.alternatives[0][0]
    assert AuditEntry.objects.filter(action="sharing.loan.requested", target_id=str(loan.pk)).exists()


def test_an_item_without_approval_is_reserved_at_once(association_b, manager_b):
    item = make_item(approval_required=False)
    assert ask(item, association_b, manager_b).status == LoanStatus.ACCEPTED


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"start_date": days_ahead(6).isoformat(), "end_date": days_ahead(5).isoformat()}, "cannot end before"),
        ({"quantity": "9"}, "Only 3 units of this item exist"),
        ({"start_date": days_ahead(0).isoformat()}, "at least 2 days ahead"),
        ({"end_date": days_ahead(30).isoformat()}, "14 days at most"),
    ],
)
def test_a_bad_request_is_refused_with_a_clear_message(client_for, manager_b, association_b, overrides, message):
    item = make_item(quantity=3, notice_days=2)
    response = client_for(manager_b).post(
        reverse("sharing:loan-request", args=[item.pk]), request_data(association_b, **overrides)
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Loan.objects.exists()


def test_only_the_associations_the_item_allows_may_borrow(manager_a, manager_b, association_a, association_b):
    listed = make_item(borrower_policy=BorrowerPolicy.LIST)
    listed.allowed_borrowers.set([association_a])
    with pytest.raises(ValidationError, match="may not borrow"):
        ask(listed, association_b, manager_b)
    ask(listed, association_a, manager_a)
    verified_only = make_item(borrower_policy=BorrowerPolicy.VERIFIED)
    with pytest.raises(ValidationError, match="may not borrow"):
        ask(verified_only, association_b, manager_b)


def test_a_manager_cannot_borrow_in_the_name_of_another_association(client_for, manager_a, association_b):
    item = make_item()
    response = client_for(manager_a).post(reverse("sharing:loan-request", args=[item.pk]), request_data(association_b))
    assert response.status_code == 400
    assert not Loan.objects.exists()


def test_accepted_loans_never_exceed_the_stock_on_overlapping_days(manager_a, manager_b, association_a, association_b):
    item = make_item(quantity=4, approval_required=False)
    ask(item, association_a, manager_a, quantity=3, start=5, days=3)
    with pytest.raises(ValidationError, match="Only 1 units are free"):
        ask(item, association_b, manager_b, quantity=2, start=7, days=2)
    ask(item, association_b, manager_b, quantity=2, start=8, days=2)  # the day after: free again
    assert selectors.available_quantity(item, days_ahead(5), days_ahead(9)) == 1


def test_accepting_checks_the_stock_again(staff, manager_a, manager_b, association_a, association_b):
    item = make_item(quantity=2)
    first = ask(item, association_a, manager_a, quantity=2)
    second = ask(item, association_b, manager_b, quantity=1)
    services.loan_accept(actor=staff, loan=first)
    with pytest.raises(ValidationError, match="Only 0 units are free"):
        services.loan_accept(actor=staff, loan=second)
    second.refresh_from_db()
    assert second.status == LoanStatus.REQUESTED


def test_the_owner_accepts_hands_over_and_takes_back(
    client_for, staff, manager_b, association_b, django_capture_on_commit_callbacks
):
    item = make_item()
    loan = make_loan(item=item, borrower=association_b, by=manager_b)
    client = client_for(staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("sharing:loan-act", args=[loan.pk, "accept"]), {"answer": "Retrait jeudi à 9 h."})
    loan.refresh_from_db()
    assert loan.status == LoanStatus.ACCEPTED
    [email] = mail.outbox
    assert email.to == [manager_b.email]
    assert "Retrait jeudi à 9 h." in email.body
    client.post(reverse("sharing:loan-act", args=[loan.pk, "check-out"]), {"note": "Complet, bâche propre."})
    response = client.post(reverse("sharing:loan-act", args=[loan.pk, "check-out"]), {"note": "encore"}, follow=True)
    assert "already handed over" in response.content.decode()
    client.post(reverse("sharing:loan-act", args=[loan.pk, "return"]), {"note": "Un piquet manquant."})
    loan.refresh_from_db()
    assert (loan.status, loan.checkout_note, loan.return_note) == (
        LoanStatus.RETURNED, "Complet, bâche propre.", "Un piquet manquant."
    )  # fmt: skip
    actions = set(AuditEntry.objects.filter(target_id=str(loan.pk)).values_list("action", flat=True))
    assert {"sharing.loan.accepted", "sharing.loan.checked_out", "sharing.loan.returned"} <= actions


def test_returning_what_was_never_lent_is_refused(client_for, staff, association_b):
    loan = make_loan(item=make_item(), borrower=association_b, status=LoanStatus.ACCEPTED)
    response = client_for(staff).post(reverse("sharing:loan-act", args=[loan.pk, "return"]), follow=True)
    assert "never handed over" in response.content.decode()
    loan.refresh_from_db()
    assert loan.status == LoanStatus.ACCEPTED


def test_a_refusal_needs_a_reason_and_is_sent_to_the_borrower(
    client_for, staff, manager_b, association_b, django_capture_on_commit_callbacks
):
    loan = make_loan(item=make_item(), borrower=association_b, by=manager_b)
    client = client_for(staff)
    response = client.post(reverse("sharing:loan-act", args=[loan.pk, "refuse"]), {"answer": " "}, follow=True)
    assert "why you refuse" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("sharing:loan-act", args=[loan.pk, "refuse"]), {"answer": "Déjà réservé."})
    loan.refresh_from_db()
    assert loan.status == LoanStatus.REFUSED
    [email] = mail.outbox
    assert "refusé" in email.subject  # in the recipient's language (French by default)
    assert "Déjà réservé." in email.alternatives[0][0]


def test_the_borrower_cancels_and_the_units_are_free_again(
    client_for, manager_a, manager_b, association_a, association_b, django_capture_on_commit_callbacks
):
    item = make_item(owner=association_a, quantity=1)
    loan = make_loan(item=item, borrower=association_b, by=manager_b, status=LoanStatus.ACCEPTED)
    with django_capture_on_commit_callbacks(execute=True):
        client_for(manager_b).post(reverse("sharing:loan-act", args=[loan.pk, "cancel"]))
    loan.refresh_from_db()
    assert loan.status == LoanStatus.CANCELLED
    [email] = mail.outbox
    assert email.to == [manager_a.email]
    assert "annulé" in email.subject
    assert selectors.available_quantity(item, loan.start_date, loan.end_date) == 1


def test_the_borrower_cannot_decide_for_the_owner(client_for, manager_b, association_b):
    loan = make_loan(item=make_item(), borrower=association_b, by=manager_b)
    response = client_for(manager_b).post(reverse("sharing:loan-act", args=[loan.pk, "accept"]))
    assert response.status_code == 403
    loan.refresh_from_db()
    assert loan.status == LoanStatus.REQUESTED


def test_the_loan_page_offers_the_owner_the_next_step(client_for, staff, manager_b, association_b):
    loan = make_loan(item=make_item(), borrower=association_b, by=manager_b)
    html = client_for(staff).get(reverse("sharing:loan-detail", args=[loan.pk])).content.decode()
    assert "Answer the request" in html
    html = client_for(manager_b).get(reverse("sharing:loan-detail", args=[loan.pk])).content.decode()
    assert "Answer the request" not in html
    assert "Cancel this loan" in html


def test_account_deletion_keeps_the_loan_without_the_person(manager_b, association_b):
    loan = make_loan(item=make_item(), borrower=association_b, by=manager_b)
    services.loans_erase_for_user(manager_b)
    loan.refresh_from_db()
    assert loan.requested_by is None


def test_the_data_export_lists_the_loans_a_person_asked_for(manager_b, association_b):
    make_loan(item=make_item(name="Barnum"), borrower=association_b, by=manager_b)
    exported = selectors.loans_export(manager_b)
    assert [loan["item"] for loan in exported["loans"]] == ["Barnum"]
    assert exported["listings"] == [] and exported["listing_reports"] == []
