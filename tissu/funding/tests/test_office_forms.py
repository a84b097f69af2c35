"""The office's forms, through the views: schemes, calls, envelopes, sessions, agreements."""

import datetime

import pytest
from django.urls import reverse

from tissu.audit.models import AuditEntry
from tissu.funding.models import (
    AidScheme,
    BudgetEnvelope,
    CallForProjects,
    CommitteeSession,
    MultiYearAgreement,
    SessionStatus,
)
from tissu.funding.tests.factories import make_application, make_scheme

pytestmark = pytest.mark.django_db


def test_the_office_creates_a_scheme_with_its_scoring_grid_then_a_call(client_for, staff):
    client = client_for(staff)
    response = client.post(
        reverse("funding:scheme-create"),
        {
            "name": "Fonds d'initiatives jeunes", "slug": "initiatives-jeunes", "funder_kind": "city",
            "funder_name": "Ville", "grant_kind": "project", "summary": "Pour les projets de jeunes.",
            "amount_max": "2000", "required_documents": ["statutes", "bank_details"], "applications_in_tissu": "on",
            "is_active": "on", "criteria": "Initiative des jeunes | 10\nOuverture | 5",
        },
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    scheme = AidScheme.objects.get(slug="initiatives-jeunes")
    assert [(c.label, c.max_points) for c in scheme.criteria.all()] == [("Initiative des jeunes", 10), ("Ouverture", 5)]
    assert scheme.required_documents == ["statutes", "bank_details"]
    response = client.post(
        reverse("funding:call-create"),
        {"scheme": scheme.pk, "title": "Initiatives jeunes 2027", "year": "2027",
         "opens_at": "2027-01-10T09:00", "closes_at": "2027-03-31T23:59"},
    )  # fmt: skip
    assert response.status_code == 302
    assert CallForProjects.objects.get().closes_at.date() == datetime.date(2027, 3, 31)
    assert AuditEntry.objects.filter(action__in=["funding.scheme.created", "funding.call.created"]).count() == 2


def test_it_refuses_a_malformed_scoring_grid_and_a_call_that_closes_before_it_opens(client_for, staff):
    client = client_for(staff)
    scheme = make_scheme()
    response = client.post(
        reverse("funding:scheme-edit", args=[scheme.pk]),
        {"name": scheme.name, "slug": scheme.slug, "funder_kind": "city", "funder_name": "Ville",
         "grant_kind": "project", "summary": "…", "criteria": "Sans points"},
    )  # fmt: skip
    assert response.status_code == 400
    assert "criterion | maximum points" in response.content.decode()
    response = client.post(
        reverse("funding:call-create"),
        {"scheme": scheme.pk, "title": "Appel", "year": "2027", "opens_at": "2027-03-01T09:00",
         "closes_at": "2027-01-01T09:00"},
    )  # fmt: skip
    assert response.status_code == 400
    assert not CallForProjects.objects.exists()


def test_the_office_sets_an_envelope(client_for, staff):
    scheme = make_scheme()
    response = client_for(staff).post(
        reverse("funding:envelope-set"), {"scheme": scheme.pk, "year": "2027", "amount": "25000"}
    )
    assert response.status_code == 302
    assert BudgetEnvelope.objects.get().amount == 25000


def test_the_office_plans_a_session_chooses_members_and_closes_it(client_for, staff, committee, elected, volunteer):
    client = client_for(staff)
    response = client.post(
        reverse("funding:session-create"),
        {"title": "Commission de juin", "date": "2027-06-12T18:00", "place": "Mairie"},
    )
    session = CommitteeSession.objects.get()
    assert response.status_code == 302
    response = client.post(
        reverse("funding:session-members", args=[session.pk]), {"members": [committee.pk, elected.pk, staff.pk]}
    )
    assert response.status_code == 302
    assert set(session.members.values_list("capacity", flat=True)) == {"council", "elected", "staff"}
    # Someone without a city role is not even offered.
    response = client.post(reverse("funding:session-members", args=[session.pk]), {"members": [volunteer.pk]})
    assert response.status_code == 400
    response = client.post(
        reverse("funding:session-minutes", args=[session.pk]), {"minutes": "Séance sans dossier.", "held": "on"}
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.status == SessionStatus.HELD


def test_the_office_records_an_agreement(client_for, staff, association_a):
    make_application(association=association_a)
    scheme = make_scheme()
    response = client_for(staff).post(
        reverse("funding:agreement-create"),
        {"association": association_a.pk, "scheme": scheme.pk, "reference": "CPO-2027-01", "title": "Maison",
         "start_year": "2027", "end_year": "2029", "signed_on": "2027-01-15", "deliberation_ref": "DEL-2026-99",
         "amounts": "12000; 12 500; 13000,50", "objectives": "Accueil des jeunes | jeunes accueillis | 200"},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:3000]
    agreement = MultiYearAgreement.objects.get()
    assert [str(y.amount) for y in agreement.years.all()] == ["12000.00", "12500.00", "13000.50"]
