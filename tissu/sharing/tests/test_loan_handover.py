"""Check-out and return with a condition note and photo; the deposit received and given back."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from tissu.audit.models import AuditEntry
from tissu.sharing import services
from tissu.sharing.models import Loan, LoanStatus
from tissu.sharing.tests.factories import days_ahead, make_item, make_loan

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def png(name="tente.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "green").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def accepted_loan(association_b, manager_b, **item_fields):
    item_fields.setdefault("deposit", Decimal("100"))
    return make_loan(item=make_item(**item_fields), borrower=association_b, by=manager_b, status=LoanStatus.ACCEPTED)


def test_the_owner_hands_over_with_a_note_and_a_photo_only_both_sides_see(
    client_for, personas, staff, manager_b, association_b
):
    loan = accepted_loan(association_b, manager_b)
    response = client_for(staff).post(
        reverse("sharing:loan-act", args=[loan.pk, "check-out"]),
        {"note": "Bâche propre, 4 poids.", "photo": png(), "photo_alt": "Le barnum plié dans sa housse verte."},
    )
    assert response.status_code == 302
    loan.refresh_from_db()
    assert (loan.status, loan.checkout_note, loan.checked_out_by) == (
        LoanStatus.CHECKED_OUT,
        "Bâche propre, 4 poids.",
        staff,
    )
    assert loan.checkout_photo.name.startswith("sharing/loans/") and "tente" not in loan.checkout_photo.name
    url = reverse("sharing:loan-photo", args=[loan.pk, "check-out"])
    html = client_for(manager_b).get(reverse("sharing:loan-detail", args=[loan.pk])).content.decode()
    assert f'src="{url}" alt="Le barnum plié dans sa housse verte."' in html
    for persona in ("manager_b", "staff"):
        response = client_for(personas[persona]).get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "image/png"
        assert response["Cache-Control"] == "private, max-age=3600"
    assert client_for(personas["manager_a"]).get(url).status_code == 403
    assert client_for(personas["volunteer"]).get(url).status_code == 403
    assert client_for(None).get(url).status_code == 302  # to the sign-in page
    assert client_for(staff).get(reverse("sharing:loan-photo", args=[loan.pk, "return"])).status_code == 404


def test_a_photo_without_its_text_alternative_is_refused_and_nothing_changes(
    client_for, staff, manager_b, association_b
):
    loan = accepted_loan(association_b, manager_b)
    response = client_for(staff).post(
        reverse("sharing:loan-act", args=[loan.pk, "check-out"]), {"note": "Complet.", "photo": png()}
    )
    assert response.status_code == 400
    assert "Describe the photo" in response.content.decode()
    loan.refresh_from_db()
    assert (loan.status, loan.checkout_note, loan.checkout_photo.name) == (LoanStatus.ACCEPTED, "", "")


def test_a_file_that_is_not_an_image_is_refused(client_for, staff, manager_b, association_b):
    loan = accepted_loan(association_b, manager_b)
    fake = SimpleUploadedFile("photo.png", b"not an image", content_type="image/png")
    response = client_for(staff).post(
        reverse("sharing:loan-act", args=[loan.pk, "check-out"]), {"photo": fake, "photo_alt": "Rien"}
    )
    assert response.status_code == 400
    loan.refresh_from_db()
    assert loan.status == LoanStatus.ACCEPTED


def test_the_return_keeps_its_own_note_and_photo(client_for, staff, manager_b, association_b):
    loan = accepted_loan(association_b, manager_b)
    services.loan_check_out(actor=staff, loan=loan, note="Complet.")
    client_for(staff).post(
        reverse("sharing:loan-act", args=[loan.pk, "return"]),
        {"note": "Un piquet tordu.", "photo": png("retour.png"), "photo_alt": "Un piquet tordu posé au sol."},
    )
    loan.refresh_from_db()
    assert (loan.status, loan.checkout_note, loan.return_note, loan.returned_by) == (
        LoanStatus.RETURNED, "Complet.", "Un piquet tordu.", staff
    )  # fmt: skip
    assert loan.return_photo_alt == "Un piquet tordu posé au sol."
    assert client_for(manager_b).get(reverse("sharing:loan-photo", args=[loan.pk, "return"])).status_code == 200


@pytest.mark.parametrize(
    ("status", "action", "message"),
    [
        (LoanStatus.CHECKED_OUT, "check-out", "already handed over"),
        (LoanStatus.RETURNED, "check-out", "already handed over and has come back"),
        (LoanStatus.REQUESTED, "check-out", "This loan is requested"),
        (LoanStatus.ACCEPTED, "return", "never handed over"),
        (LoanStatus.REQUESTED, "return", "never handed over"),
        (LoanStatus.CANCELLED, "return", "never handed over"),
        (LoanStatus.RETURNED, "return", "already come back"),
    ],
)
def test_a_double_check_out_or_a_return_of_what_was_never_lent_is_refused_clearly(
    client_for, staff, association_b, status, action, message
):
    loan = make_loan(item=make_item(), borrower=association_b, status=status)
    before = Loan.objects.values().get(pk=loan.pk)
    response = client_for(staff).post(
        reverse("sharing:loan-act", args=[loan.pk, action]), {"note": "encore"}, follow=True
    )
    assert message in response.content.decode()
    assert Loan.objects.values().get(pk=loan.pk) == before
    assert not AuditEntry.objects.filter(target_id=str(loan.pk)).exists()


def test_the_borrower_cannot_hand_over_or_take_back(client_for, manager_b, association_b):
    loan = accepted_loan(association_b, manager_b)
    response = client_for(manager_b).post(reverse("sharing:loan-act", args=[loan.pk, "check-out"]))
    assert response.status_code == 403
    loan.refresh_from_db()
    assert loan.status == LoanStatus.ACCEPTED


def test_the_deposit_is_received_then_given_back_with_who_and_when(client_for, staff, manager_b, association_b):
    loan = accepted_loan(association_b, manager_b, deposit=Decimal("150"))
    client = client_for(staff)
    html = client.get(reverse("sharing:loan-detail", args=[loan.pk])).content.decode()
    assert "150 € asked; not received yet." in html
    today = days_ahead(0).isoformat()
    response = client.post(
        reverse("sharing:loan-act", args=[loan.pk, "deposit-receive"]),
        {"deposit-amount": "150", "deposit-received_on": today},
    )
    assert response.status_code == 302
    services.loan_check_out(actor=staff, loan=loan)
    services.loan_return(actor=staff, loan=loan)
    client.post(
        reverse("sharing:loan-act", args=[loan.pk, "deposit-return"]),
        {"deposit-amount": "150", "deposit-returned_on": today},
    )
    loan.refresh_from_db()
    assert (loan.deposit_amount, loan.deposit_received_by, loan.deposit_returned_amount, loan.deposit_returned_by) == (
        Decimal("150"), staff, Decimal("150"), staff
    )  # fmt: skip
    assert loan.deposit_received_on == loan.deposit_returned_on == days_ahead(0)
    actions = set(AuditEntry.objects.filter(target_id=str(loan.pk)).values_list("action", flat=True))
    assert {"sharing.loan.deposit_received", "sharing.loan.deposit_returned"} <= actions


def test_a_deposit_never_received_cannot_be_given_back(client_for, staff, manager_b, association_b):
    loan = make_loan(item=make_item(deposit=Decimal("100")), borrower=association_b, status=LoanStatus.RETURNED)
    response = client_for(staff).post(
        reverse("sharing:loan-act", args=[loan.pk, "deposit-return"]),
        {"deposit-amount": "100", "deposit-returned_on": days_ahead(0).isoformat()},
        follow=True,
    )
    assert "No deposit was received for this loan" in response.content.decode()
    loan.refresh_from_db()
    assert loan.deposit_returned_on is None


def received(loan, staff, amount="100"):
    return services.loan_deposit_receive(
        actor=staff, loan=loan, amount=Decimal(amount), received_on=days_ahead(0) - datetime.timedelta(days=3)
    )


def test_keeping_part_of_the_deposit_needs_a_reason(client_for, staff, manager_b, association_b):
    loan = accepted_loan(association_b, manager_b)
    received(loan, staff)
    loan.status = LoanStatus.RETURNED
    loan.save(update_fields=["status"])
    url = reverse("sharing:loan-act", args=[loan.pk, "deposit-return"])
    data = {"deposit-amount": "70", "deposit-returned_on": days_ahead(0).isoformat()}
    response = client_for(staff).post(url, data)
    assert response.status_code == 400
    assert "Say why part of the deposit is kept" in response.content.decode()
    client_for(staff).post(url, {**data, "deposit-note": "Bâche déchirée : 30 € de réparation."})
    loan.refresh_from_db()
    assert (loan.deposit_returned_amount, loan.deposit_kept) == (Decimal("70"), Decimal("30"))


@pytest.mark.parametrize(
    ("amount", "days", "message"),
    [
        ("120", 0, "Only 100"),
        ("100", -10, "before it was received"),
        ("100", 2, "not in advance"),
    ],
)
def test_a_wrong_deposit_return_is_refused_and_nothing_is_saved(staff, manager_b, association_b, amount, days, message):
    loan = accepted_loan(association_b, manager_b)
    received(loan, staff)
    Loan.objects.filter(pk=loan.pk).update(status=LoanStatus.RETURNED)
    with pytest.raises(ValidationError, match=message):
        services.loan_deposit_return(actor=staff, loan=loan, amount=Decimal(amount), returned_on=days_ahead(days))
    loan.refresh_from_db()
    assert loan.deposit_returned_on is None


def test_the_deposit_is_not_given_back_while_the_equipment_is_out(staff, manager_b, association_b):
    loan = accepted_loan(association_b, manager_b)
    received(loan, staff)
    services.loan_check_out(actor=staff, loan=loan)
    with pytest.raises(ValidationError, match="still out"):
        services.loan_deposit_return(actor=staff, loan=loan, amount=Decimal("100"), returned_on=days_ahead(0))


def test_a_deposit_is_received_once_and_given_back_once(staff, manager_b, association_b):
    loan = accepted_loan(association_b, manager_b)
    received(loan, staff)
    with pytest.raises(ValidationError, match="already received"):
        received(loan, staff)
    Loan.objects.filter(pk=loan.pk).update(status=LoanStatus.RETURNED)
    services.loan_deposit_return(actor=staff, loan=loan, amount=Decimal("100"), returned_on=days_ahead(0))
    with pytest.raises(ValidationError, match="already given back"):
        services.loan_deposit_return(actor=staff, loan=loan, amount=Decimal("100"), returned_on=days_ahead(0))


def test_the_borrower_cannot_record_a_deposit(client_for, manager_b, association_b):
    loan = accepted_loan(association_b, manager_b)
    response = client_for(manager_b).post(
        reverse("sharing:loan-act", args=[loan.pk, "deposit-receive"]),
        {"deposit-amount": "100", "deposit-received_on": days_ahead(0).isoformat()},
    )
    assert response.status_code == 403
    loan.refresh_from_db()
    assert loan.deposit_received_on is None


def test_the_database_refuses_a_deposit_returned_before_it_was_received(association_b):
    from django.db import IntegrityError, transaction

    loan = make_loan(item=make_item(), borrower=association_b, status=LoanStatus.RETURNED)
    with pytest.raises(IntegrityError), transaction.atomic():
        Loan.objects.filter(pk=loan.pk).update(deposit_returned_on=days_ahead(0), deposit_returned_amount=1)


def test_no_deposit_is_recorded_for_an_item_that_asks_none(client_for, staff, manager_b, association_b):
    loan = accepted_loan(association_b, manager_b, deposit=None)
    response = client_for(staff).post(
        reverse("sharing:loan-act", args=[loan.pk, "deposit-receive"]),
        {"deposit-amount": "50", "deposit-received_on": days_ahead(0).isoformat()},
        follow=True,
    )
    assert "This item asks for no deposit." in response.content.decode()
    loan.refresh_from_db()
    assert loan.deposit_received_on is None
