import pytest
from django.core.management import call_command
from django.db.models import F
from django.utils import timezone

from tissu.sharing.models import (
    ExpertProfile,
    HelpContact,
    HelpMessage,
    HelpRecord,
    HelpRequest,
    Item,
    Listing,
    ListingReport,
    Loan,
    LoanStatus,
    PickupSlot,
    overdue_condition,
)

pytestmark = pytest.mark.django_db


def test_the_demo_city_has_an_equipment_pool_and_loans_in_every_state():
    call_command("seed_demo")
    assert Item.objects.filter(owner__isnull=True, name__startswith="Barnum").exists()
    assert Item.objects.filter(owner__isnull=False).count() >= 2
    assert set(Loan.objects.values_list("status", flat=True)) == set(LoanStatus.values)
    assert Listing.objects.count() == 5
    assert ListingReport.objects.count() == 1
    today = timezone.localdate()
    assert Loan.objects.filter(overdue_condition(today)).exists()
    assert Loan.objects.filter(deposit_returned_amount__lt=F("deposit_amount")).exists()
    assert Loan.objects.filter(deposit_received_on__isnull=False, deposit_returned_on__isnull=True).exists()
    assert ExpertProfile.objects.filter(user__isnull=True).exists()
    assert {"retired", "employee", "volunteer", "association"} <= set(
        ExpertProfile.objects.values_list("kind", flat=True)
    )
    assert set(HelpContact.objects.values_list("status", flat=True)) == {"accepted", "proposed"}
    assert HelpRecord.objects.count() == 2
    assert PickupSlot.objects.count() == 2
    models = (Item, Loan, PickupSlot, Listing, ExpertProfile, HelpRequest, HelpContact, HelpMessage, HelpRecord)
    before = [model.objects.count() for model in models]
    call_command("seed_demo")
    assert [model.objects.count() for model in models] == before
