import pytest
from django.core.management import call_command

from tissu.funding import budget
from tissu.funding.models import (
    AidScheme,
    BudgetKind,
    CommitteeSession,
    GrantApplication,
    GrantKind,
    MultiYearAgreement,
    Payment,
    Status,
)

pytestmark = pytest.mark.django_db


def test_the_demo_city_has_schemes_calls_applications_in_every_state_and_an_agreement(client):
    call_command("seed_demo")
    assert AidScheme.objects.filter(funder_kind="city").count() == 3
    assert AidScheme.objects.exclude(funder_kind="city").count() == 5
    assert set(GrantApplication.objects.values_list("status", flat=True)) == set(Status.values)
    assert CommitteeSession.objects.count() == 2
    assert MultiYearAgreement.objects.get().years.count() == 3
    for application in GrantApplication.objects.exclude(status=Status.DRAFT):
        kind = BudgetKind.PROJECT if application.call.scheme.grant_kind == GrantKind.PROJECT else BudgetKind.ASSOCIATION
        amounts = {line.code: line.planned for line in application.budget_lines.filter(budget=kind)}
        assert budget.balance_errors(amounts) == [], application.reference
        paid = sum(p.amount for p in application.payments.all())
        assert application.decided_amount is None or paid <= application.decided_amount
    before = (GrantApplication.objects.count(), Payment.objects.count(), AidScheme.objects.count())
    call_command("seed_demo")
    assert (GrantApplication.objects.count(), Payment.objects.count(), AidScheme.objects.count()) == before
