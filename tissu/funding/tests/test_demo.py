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


def test_every_page_of_the_demo_renders_at_every_status(client_for):
    """The office's review page, the association's page, the file and the letter, for an application in each
    status; the committee sessions and the agreement."""
    from django.urls import reverse

    from tissu.accounts.models import User
    from tissu.directory.models import MANAGER_ROLES

    call_command("seed_demo")
    office = User.objects.get(email="agent@bellerive.example")
    for application in GrantApplication.objects.select_related("association"):
        client = client_for(office)
        if application.status != Status.DRAFT:
            assert client.get(reverse("funding:staff-application", args=[application.pk])).status_code == 200
            assert client.get(reverse("funding:application-pdf", args=[application.pk])).status_code == 200
        if application.decision:
            assert client.get(reverse("funding:application-letter", args=[application.pk])).status_code == 200
        manager = User.objects.filter(
            memberships__association=application.association, memberships__role__in=MANAGER_ROLES
        ).first()
        if manager is not None:
            page = client_for(manager).get(reverse("funding:application-detail", args=[application.pk]))
            assert page.status_code == 200, application.reference
    client = client_for(office)
    for session in CommitteeSession.objects.all():
        assert client.get(reverse("funding:session-detail", args=[session.pk])).status_code == 200
    agreement = MultiYearAgreement.objects.get()
    assert client.get(reverse("funding:agreement-detail", args=[agreement.pk])).status_code == 200
    assert client.get(reverse("funding:overview")).status_code == 200
    assert client_for(None).get(reverse("funding:grant-list")).status_code == 200
