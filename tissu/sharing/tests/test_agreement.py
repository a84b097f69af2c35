"""The loan agreement PDF: both sides download it; it names the parties, item, dates, conditions, deposit."""

from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from tissu.sharing.models import LoanStatus
from tissu.sharing.tests.factories import make_item, make_loan
from tissu.sharing.views import AGREEMENT_TEMPLATE, agreement_context

pytestmark = pytest.mark.django_db


def test_both_sides_download_the_agreement_of_an_accepted_loan(client_for, personas, association_a, association_b):
    item = make_item(owner=association_a, name="Percolateur 100 tasses")
    loan = make_loan(item=item, borrower=association_b, by=personas["manager_b"], status=LoanStatus.ACCEPTED)
    url = reverse("sharing:loan-agreement", args=[loan.pk])
    for persona in ("manager_a", "manager_b"):
        response = client_for(personas[persona]).get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF-")
        assert f"{loan.pk}-percolateur-100-tasses.pdf" in response["Content-Disposition"]
    assert client_for(personas["volunteer"]).get(url).status_code == 403
    html = client_for(personas["manager_b"]).get(reverse("sharing:loan-detail", args=[loan.pk])).content.decode()
    assert url in html


@pytest.mark.parametrize("status", [LoanStatus.REQUESTED, LoanStatus.REFUSED, LoanStatus.CANCELLED])
def test_a_loan_not_agreed_has_no_agreement(client_for, staff, association_b, status):
    loan = make_loan(item=make_item(), borrower=association_b, status=status)
    assert client_for(staff).get(reverse("sharing:loan-agreement", args=[loan.pk])).status_code == 404


def test_the_agreement_names_parties_item_dates_conditions_deposit_and_signatures(
    manager_b, association_a, association_b
):
    association_b.office_postcode, association_b.office_city = "91200", "Bellerive-sur-Orge"
    association_b.save(update_fields=["office_postcode", "office_city"])
    item = make_item(
        owner=association_a, name="Vidéoprojecteur", deposit=Decimal("200"), conditions="Rendu avec ses câbles."
    )
    loan = make_loan(item=item, borrower=association_b, by=manager_b, quantity=1, status=LoanStatus.CHECKED_OUT)
    loan.deposit_amount, loan.deposit_received_on = Decimal("200"), loan.start_date
    loan.checkout_note = "Lampe neuve."
    html = render_to_string(AGREEMENT_TEMPLATE, {"city": None, **agreement_context(loan)})
    for expected in (
        "Association A", "W912000001", "Association B", "91200 Bellerive-sur-Orge", manager_b.full_name,
        "Vidéoprojecteur", "Rendu avec ses câbles.", "200 €", "Lampe neuve.", "Signature",
    ):  # fmt: skip
        assert expected in html, expected
