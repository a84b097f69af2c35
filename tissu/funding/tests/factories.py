"""Builders for the funding tests and the matrix rows. Rows are written directly (no checks, no emails)."""

import datetime
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from tissu.directory.models import Association
from tissu.funding.models import (
    AgreementObjective,
    AgreementYear,
    AidScheme,
    ApplicationVersion,
    BudgetKind,
    BudgetLine,
    CallForProjects,
    CommitteeMember,
    CommitteeSession,
    Decision,
    Document,
    DocumentKind,
    GrantApplication,
    MemberCapacity,
    MultiYearAgreement,
    SessionItem,
    Status,
)


def _association(value) -> Association:
    return value if isinstance(value, Association) else Association.objects.get(slug=value)


def make_scheme(*, slug="projets-associatifs", **fields) -> AidScheme:
    defaults = {
        "name": "Aide aux projets associatifs",
        "funder_name": "Ville de Bellerive",
        "summary": "Soutien aux projets des associations de la ville.",
        "funder_kind": "city",
        "grant_kind": "project",
        "amount_max": Decimal("5000"),
        "applications_in_tissu": True,
        "required_documents": [DocumentKind.STATUTES, DocumentKind.BANK_DETAILS],
    }
    defaults.update(fields)
    scheme, _ = AidScheme.objects.get_or_create(slug=slug, defaults=defaults)
    return scheme


def make_call(*, scheme=None, opens_in_days=-10, closes_in_days=20, year=None, **fields) -> CallForProjects:
    now = timezone.now()
    return CallForProjects.objects.create(
        scheme=scheme or make_scheme(),
        title=fields.pop("title", "Appel à projets 2027"),
        year=year or timezone.localdate().year + 1,
        opens_at=now + datetime.timedelta(days=opens_in_days),
        closes_at=now + datetime.timedelta(days=closes_in_days),
        **fields,
    )


def make_document(*, association, kind=DocumentKind.STATUTES, valid_until=None, title=None, by=None) -> Document:
    document = Document(
        association=_association(association),
        kind=kind,
        title=title or f"Document {kind}",
        valid_until=valid_until,
        uploaded_by=by,
    )
    document.file.save(f"{kind}.pdf", ContentFile(b"%PDF-1.4 test"), save=False)
    document.save()
    return document


BALANCED = {
    BudgetKind.ASSOCIATION: {"604": Decimal("8000"), "641": Decimal("4000"), "74com": Decimal("2000"),
                             "756": Decimal("10000"), "864": Decimal("500"), "870": Decimal("500")},
    BudgetKind.PROJECT: {"604": Decimal("3000"), "623": Decimal("1000"), "74com": Decimal("2000"),
                         "758": Decimal("2000")},
}  # fmt: skip


def make_application(
    *, association="association-a", call=None, status=Status.DRAFT, by=None, budgets=True, documents=True, **fields
) -> GrantApplication:
    association = _association(association)
    call = call or make_call()
    defaults = {
        "project_title": "Fête de quartier solidaire",
        "project_description": "Une fête ouverte à tous les habitants.",
        "amount_requested": Decimal("2000"),
        "identification": {"name": association.name, "rna_id": association.rna_id or "", "siret": association.siret},
        "start_date": datetime.date(call.year, 3, 1),
        "end_date": datetime.date(call.year, 9, 30),
    }
    defaults.update(fields)
    application = GrantApplication.objects.create(
        reference=f"T-{GrantApplication.objects.count() + 1}-{association.pk}", call=call, association=association,
        status=status, created_by=by, **defaults,
    )  # fmt: skip
    if budgets:
        for kind, lines in BALANCED.items():
            BudgetLine.objects.bulk_create(
                BudgetLine(application=application, budget=kind, code=code, planned=amount)
                for code, amount in lines.items()
            )
    if documents:
        application.documents.set(
            [make_document(association=association, kind=kind) for kind in call.scheme.required_documents]
        )
    if status != Status.DRAFT:
        application.submitted_at = timezone.now()
        application.sworn_name, application.sworn_capacity, application.sworn_at = "Alice", "présidente", timezone.now()
        application.save(update_fields=["submitted_at", "sworn_name", "sworn_capacity", "sworn_at"])
        ApplicationVersion.objects.create(
            application=application, number=1, submitted_at=timezone.now(), submitted_by=by,
            snapshot={"project_title": application.project_title, "budget_lines": [], "documents": []},
        )  # fmt: skip
    return application


def make_decided(*, association="association-a", status=Status.NOTIFIED, amount=Decimal("1500"), **fields):
    application = make_application(association=association, status=status, **fields)
    application.decision = Decision.GRANTED
    application.decided_amount = amount
    application.deliberation_ref = "DEL-2027-042"
    application.deliberation_date = timezone.localdate()
    application.notified_at = timezone.now()
    application.review_opinion = "favourable"
    application.proposed_amount = amount
    application.save()
    return application


def make_session(*, members=(), title="Commission de printemps", in_days=10) -> CommitteeSession:
    session = CommitteeSession.objects.create(title=title, date=timezone.now() + datetime.timedelta(days=in_days))
    for user, capacity in members:
        CommitteeMember.objects.create(session=session, user=user, capacity=capacity or MemberCapacity.STAFF)
    return session


def put_on_agenda(session, application) -> SessionItem:
    application.status = Status.COMMITTEE
    application.review_opinion = application.review_opinion or "favourable"
    application.save(update_fields=["status", "review_opinion"])
    return SessionItem.objects.create(session=session, application=application, order=session.items.count() + 1)


def make_agreement(*, association="association-a", start_year=None, years=3, scheme=None) -> MultiYearAgreement:
    start = start_year or timezone.localdate().year
    number = MultiYearAgreement.objects.count() + 1
    agreement = MultiYearAgreement.objects.create(
        association=_association(association), scheme=scheme or make_scheme(), reference=f"CPO-{start}-{number}",
        title="Animation de la maison de quartier", start_year=start, end_year=start + years - 1,
        signed_on=datetime.date(start, 1, 15), deliberation_ref="DEL-CPO",
    )  # fmt: skip
    for offset in range(years):
        AgreementYear.objects.create(agreement=agreement, year=start + offset, amount=Decimal("10000"))
    AgreementObjective.objects.create(
        agreement=agreement, title="Accueillir les jeunes", indicator="Jeunes accueillis", target="200"
    )
    return agreement
