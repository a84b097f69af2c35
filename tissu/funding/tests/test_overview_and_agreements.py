import datetime
import io
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tissu.funding import selectors, services
from tissu.funding.models import BudgetEnvelope, MultiYearAgreement, Status
from tissu.funding.tests.factories import make_agreement, make_application, make_call, make_decided, make_scheme

pytestmark = pytest.mark.django_db


def test_the_overview_shows_committed_decided_paid_and_remaining(client_for, elected, staff, personas):
    scheme = make_scheme()
    year = timezone.localdate().year + 1
    call = make_call(scheme=scheme, year=year)
    BudgetEnvelope.objects.create(scheme=scheme, year=year, amount=Decimal("10000"))
    make_application(
        call=call, status=Status.UNDER_REVIEW, amount_requested=Decimal("2000"), proposed_amount=Decimal("1200")
    )
    make_application(call=call, status=Status.RECEIVED, amount_requested=Decimal("700"))
    granted = make_decided(call=call, amount=Decimal("3000"), amount_requested=Decimal("3000"))
    services.payment_record(actor=staff, application=granted, amount=Decimal("1000"), paid_on=timezone.localdate())
    [row] = selectors.envelope_overview(year=year)
    assert (row.envelope, row.committed, row.decided, row.paid) == (
        Decimal("10000"), Decimal("1900"), Decimal("3000"), Decimal("1000"),
    )  # fmt: skip
    assert row.remaining == Decimal("5100")
    page = client_for(elected).get(reverse("funding:overview"), {"annee": year}).content.decode()
    assert "5,100.00" in page
    assert '<th scope="row">Under review</th><td class="num">1</td>' in page


def test_the_overview_has_a_constant_number_of_queries(client_for, staff):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    year = timezone.localdate().year + 1
    client = client_for(staff)
    make_application(call=make_call(year=year), status=Status.RECEIVED)
    url = reverse("funding:overview")
    client.get(url, {"annee": year})
    with CaptureQueriesContext(connection) as first:
        client.get(url, {"annee": year})
    for index in range(3):
        scheme = make_scheme(slug=f"s{index}")
        BudgetEnvelope.objects.create(scheme=scheme, year=year, amount=Decimal("100"))
        make_decided(call=make_call(scheme=scheme, year=year), amount=Decimal("50"), amount_requested=Decimal("50"))
    with CaptureQueriesContext(connection) as second:
        client.get(url, {"annee": year})
    assert len(first.captured_queries) == len(second.captured_queries)


def test_an_envelope_cannot_be_negative(staff):
    with pytest.raises(ValidationError):
        services.envelope_set(actor=staff, scheme=make_scheme(), year=2027, amount=Decimal("-1"))


AGREEMENT = {
    "reference": "CPO-1",
    "title": "Maison de quartier",
    "signed_on": datetime.date(2027, 1, 10),
    "deliberation_ref": "D-9",
}


@pytest.mark.parametrize("years", [1, 5])
def test_an_agreement_lasts_two_to_four_years(staff, association_a, years):
    values = {
        **AGREEMENT,
        "association": association_a,
        "scheme": make_scheme(),
        "start_year": 2027,
        "end_year": 2026 + years,
    }
    with pytest.raises(ValidationError):
        services.agreement_create(
            actor=staff, values=values, amounts=[Decimal("1")] * years, objectives=[("a", "b", "c")]
        )
    assert not MultiYearAgreement.objects.exists()


def test_an_agreement_needs_one_amount_per_year_and_an_objective(staff, association_a):
    values = {**AGREEMENT, "association": association_a, "scheme": make_scheme(), "start_year": 2027, "end_year": 2029}
    with pytest.raises(ValidationError):
        services.agreement_create(actor=staff, values=values, amounts=[Decimal("1")] * 2, objectives=[("a", "b", "c")])
    with pytest.raises(ValidationError):
        services.agreement_create(actor=staff, values=values, amounts=[Decimal("1")] * 3, objectives=[])
    agreement = services.agreement_create(
        actor=staff, values=values, amounts=[Decimal("12000"), Decimal("12500"), Decimal("13000")],
        objectives=services.parse_objectives("Accueil des jeunes | jeunes accueillis | 200"),
    )  # fmt: skip
    assert list(agreement.years.values_list("year", "amount")) == [
        (2027, Decimal("12000")), (2028, Decimal("12500")), (2029, Decimal("13000")),
    ]  # fmt: skip


def test_a_year_is_reviewed_with_its_indicators(client_for, staff, manager_a):
    agreement = make_agreement(start_year=timezone.localdate().year - 1)
    objective = agreement.objectives.get()
    year = agreement.start_year
    response = client_for(staff).post(
        reverse("funding:agreement-review", args=[agreement.pk, year]),
        {f"result_{objective.pk}": "180", "review": "Objectif presque atteint."},
    )
    assert response.status_code == 302
    page = client_for(manager_a).get(reverse("funding:agreement-detail", args=[agreement.pk])).content.decode()
    assert "180" in page and "Objectif presque atteint." in page


def test_renewal_reminders_are_sent_once(django_capture_on_commit_callbacks, personas, settings):
    today = timezone.localdate()
    make_agreement(start_year=today.year - 2, years=3)  # ends on 31 December of this year
    with django_capture_on_commit_callbacks(execute=True):
        sent = services.agreement_renewal_reminders(today=today.replace(month=11, day=1))
    assert sent == 1
    assert any("alice@example.org" in message.to for message in mail.outbox)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("funding_agreement_reminders", stdout=io.StringIO())
    assert mail.outbox == []
