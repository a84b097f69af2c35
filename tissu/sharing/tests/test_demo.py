import pytest
from django.core.management import call_command

from tissu.sharing.models import Item, Listing, ListingReport, Loan, LoanStatus

pytestmark = pytest.mark.django_db


def test_the_demo_city_has_an_equipment_pool_and_loans_in_every_state():
    call_command("seed_demo")
    assert Item.objects.filter(owner__isnull=True, name__startswith="Barnum").exists()
    assert Item.objects.filter(owner__isnull=False).count() >= 2
    assert set(Loan.objects.values_list("status", flat=True)) == set(LoanStatus.values)
    assert Listing.objects.count() == 5
    assert ListingReport.objects.count() == 1
    before = (Item.objects.count(), Loan.objects.count(), Listing.objects.count())
    call_command("seed_demo")
    assert (Item.objects.count(), Loan.objects.count(), Listing.objects.count()) == before
