"""Demo city: aid schemes (the city's and other funders'), calls for projects, applications in every state,
committee sessions, envelopes and a multi-year agreement.

Runs after tissu.directory.demo_people (the demo associations and their managers). Idempotent: schemes by
slug, calls by title, applications by reference, sessions by title, agreements by reference. Written directly
(not through the services) so that no email leaves and past steps can exist.
"""

import datetime
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from tissu.directory.demo_people import pick_associations
from tissu.directory.models import Association, Origin
from tissu.funding.models import (
    AgreementObjective,
    AgreementYear,
    AidScheme,
    ApplicationStep,
    ApplicationVersion,
    BudgetEnvelope,
    BudgetKind,
    BudgetLine,
    CallForProjects,
    CommitteeMember,
    CommitteeSession,
    Decision,
    Document,
    DocumentKind,
    FinalReport,
    GrantApplication,
    MemberCapacity,
    MemberOpinion,
    MultiYearAgreement,
    Payment,
    Recommendation,
    Score,
    ScoringCriterion,
    SessionItem,
    SessionStatus,
    Status,
)
from tissu.funding.services import application_snapshot, identification_from_directory

CITY = "Ville de Bellerive-sur-Orge"
BASIC_DOCUMENTS = [DocumentKind.STATUTES, DocumentKind.OFFICERS, DocumentKind.BANK_DETAILS]
SCHEMES = [
    # slug, name, funder kind, funder, grant kind, summary, ceiling, in Tissu, documents, criteria, extra
    ("subvention-fonctionnement", "Subvention de fonctionnement", "city", CITY, "operating",
     "Soutien annuel au fonctionnement des associations bellerivoises.", Decimal("15000"), True,
     [*BASIC_DOCUMENTS, DocumentKind.ACCOUNTS, DocumentKind.ACTIVITY_REPORT],
     [("Intérêt local", 10), ("Gestion saine", 5), ("Vie démocratique", 5)],
     {"local_only": True, "min_age_months": 12}),
    ("aide-aux-projets", "Aide aux projets associatifs", "city", CITY, "project",
     "Un coup de pouce pour un projet ouvert aux habitants.", Decimal("5000"), True, BASIC_DOCUMENTS,
     [("Utilité sociale", 10), ("Ouverture aux habitants", 5), ("Budget réaliste", 5)], {"local_only": True}),
    ("fonds-participation-habitants", "Fonds de participation des habitants", "city", CITY, "project",
     "Petites initiatives d'habitants dans les quartiers prioritaires, décidées par un comité d'habitants.",
     Decimal("1500"), True, [DocumentKind.BANK_DETAILS], [("Initiative d'habitants", 10)], {"qpv_only": True}),
    ("caf-fonds-publics-territoires", "Fonds publics et territoires (CAF)", "caf", "CAF de l'Essonne", "project",
     "Projets pour les familles, la jeunesse et l'accueil des enfants en situation de handicap.", None, False,
     [], [], {"website": "https://www.caf.fr/"}),
    ("fdva-fonctionnement-innovation", "FDVA « fonctionnement et innovation »", "state", "Services de l'État (SDJES)",
     "operating", "Fonds pour le développement de la vie associative : fonctionnement et projets innovants des "
     "petites associations.", Decimal("15000"), False, [], [], {"max_annual_budget": Decimal("200000")}),
    ("fondation-de-france", "Appels à projets de la Fondation de France", "foundation", "Fondation de France",
     "project", "Appels à projets thématiques (solidarités, environnement, enfance).", None, False, [], [], {}),
    ("dla", "Dispositif local d'accompagnement (DLA)", "support", "DLA de l'Essonne", "support",
     "Accompagnement gratuit des associations employeuses : diagnostic, consolidation, conseil.", None, False,
     [], [], {"employer_only": True}),
    ("piva", "Point d'information vie associative (PIVA)", "support", "Maison des associations", "support",
     "Conseils sur les statuts, la gestion, les demandes de subvention ; permanences chaque semaine.", None,
     False, [], [], {}),
]  # fmt: skip

DEMO_BUDGETS = {
    BudgetKind.ASSOCIATION: {"604": "6000", "613": "3600", "616": "900", "641": "14000", "645": "5500",
                             "74com": "8000", "74orgasoc": "4000", "756": "5500", "758": "2500", "70x": "10000",
                             "864": "12000", "870": "12000"},
    BudgetKind.PROJECT: {"604": "1800", "623": "400", "625": "300", "74com": "1500", "758": "500", "70x": "500",
                         "864": "2000", "870": "2000"},
}  # fmt: skip

# reference suffix, status, association index, scheme slug, title, requested, decided, decision
APPLICATIONS = [
    ("01", Status.DRAFT, 0, "aide-aux-projets", "Festival des cultures du monde", "1500", None, ""),
    ("02", Status.RECEIVED, 1, "aide-aux-projets", "Ateliers de réparation de vélos", "1500", None, ""),
    ("03", Status.INCOMPLETE, 2, "aide-aux-projets", "Chorale intergénérationnelle", "1500", None, ""),
    ("04", Status.COMPLETE, 3, "aide-aux-projets", "Jardin partagé de la Roseraie", "1500", None, ""),
    ("05", Status.UNDER_REVIEW, 0, "fonds-participation-habitants", "Repas de quartier", "1500", None, ""),
    ("06", Status.COMMITTEE, 1, "aide-aux-projets", "Tournoi de football inclusif", "1500", None, ""),
    ("07", Status.DECIDED, 2, "subvention-fonctionnement", "Fonctionnement", "8000", "7000", Decision.GRANTED),
    ("08", Status.NOTIFIED, 3, "subvention-fonctionnement", "Fonctionnement", "8000", "6000", Decision.GRANTED),
    ("09", Status.PAID, 0, "subvention-fonctionnement", "Fonctionnement", "8000", "8000", Decision.GRANTED),
    ("10", Status.REPORT_DUE, 1, "subvention-fonctionnement", "Fonctionnement", "8000", "5000", Decision.GRANTED),
    ("11", Status.CLOSED, 2, "fonds-participation-habitants", "Fête des voisins", "1500", "1200", Decision.GRANTED),
    ("12", Status.CLOSED, 3, "fonds-participation-habitants", "Sortie à la mer", "1500", None, Decision.REFUSED),
]
ORDER = list(Status.values)


def _scheme(spec) -> AidScheme:
    slug, name, funder_kind, funder, grant_kind, summary, ceiling, in_tissu, documents, criteria, extra = spec
    scheme, created = AidScheme.objects.get_or_create(
        slug=slug,
        defaults={
            "name": name, "funder_kind": funder_kind, "funder_name": funder, "grant_kind": grant_kind,
            "summary": summary, "amount_max": ceiling, "applications_in_tissu": in_tissu,
            "required_documents": [str(d) for d in documents],
            "eligibility": "Associations loi 1901 déclarées, à jour de leurs obligations.",
            "calendar": "Dépôt des dossiers en ligne pendant l'appel à projets ; commission au printemps."
            if in_tissu else "Voir le site du financeur.",
            "contact": "Service vie associative – vie.associative@bellerive.example" if in_tissu else funder,
            **extra,
        },
    )  # fmt: skip
    if created:
        for index, (label, points) in enumerate(criteria):
            ScoringCriterion.objects.create(scheme=scheme, label=label, max_points=points, order=index)
    return scheme


def _call(scheme, title, year, opens, closes) -> CallForProjects:
    call, _ = CallForProjects.objects.get_or_create(
        title=title, defaults={"scheme": scheme, "year": year, "opens_at": opens, "closes_at": closes,
                               "description": "Les dossiers sont déposés en ligne, avec les pièces du coffre-fort."},
    )  # fmt: skip
    return call


def _documents(association, uploader) -> list[Document]:
    documents = []
    for kind in [*BASIC_DOCUMENTS, DocumentKind.ACCOUNTS, DocumentKind.ACTIVITY_REPORT]:
        document = Document.objects.filter(association=association, kind=kind).first()
        if document is None:
            # The bank details expire soon, so that the expiry reminder has something to say.
            expiry = timezone.localdate() + datetime.timedelta(days=20) if kind == DocumentKind.BANK_DETAILS else None
            document = Document(
                association=association, kind=kind, title=f"{DocumentKind(kind).label.capitalize()} (démo)",
                uploaded_by=uploader, valid_until=expiry,
            )  # fmt: skip
            document.file.save(f"{kind}-demo.pdf", ContentFile(b"%PDF-1.4\n% Tissu demo document\n"), save=False)
            document.save()
        documents.append(document)
    return documents


def seed(ctx) -> None:
    picked = pick_associations()
    declared = Association.objects.filter(origin=Origin.DECLARED).order_by("id").first()
    associations = [*picked, *([declared] if declared else [])]
    if len(associations) < 4 or "staff" not in ctx.users:
        return
    users = ctx.users
    now = timezone.now()
    year = timezone.localdate().year
    schemes = {spec[0]: _scheme(spec) for spec in SCHEMES}
    calls = {
        "aide-aux-projets": _call(schemes["aide-aux-projets"], f"Aide aux projets associatifs {year + 1}", year + 1,
                                  now - datetime.timedelta(days=15), now + datetime.timedelta(days=45)),
        "fonds-participation-habitants": _call(
            schemes["fonds-participation-habitants"], f"Fonds de participation des habitants {year}", year,
            now - datetime.timedelta(days=200), now + datetime.timedelta(days=60)),
        "subvention-fonctionnement": _call(
            schemes["subvention-fonctionnement"], f"Subventions de fonctionnement {year}", year,
            now - datetime.timedelta(days=330), now - datetime.timedelta(days=240)),
    }  # fmt: skip
    for slug, amount in [("subvention-fonctionnement", "60000"), ("aide-aux-projets", "20000"),
                         ("fonds-participation-habitants", "8000")]:  # fmt: skip
        for y in (year, year + 1):
            BudgetEnvelope.objects.get_or_create(scheme=schemes[slug], year=y, defaults={"amount": Decimal(amount)})
    uploaders = {associations[0].pk: users.get("manager_a"), associations[1].pk: users.get("manager_b")}
    vaults = {a.pk: _documents(a, uploaders.get(a.pk)) for a in associations}

    held, _ = CommitteeSession.objects.get_or_create(
        title=f"Commission d'attribution de printemps {year}",
        defaults={"date": now - datetime.timedelta(days=120), "place": "Salle du conseil, hôtel de ville",
                  "status": SessionStatus.HELD,
                  "minutes": "Séance ouverte à 18 h 30 en présence de trois membres. Les dossiers ont été examinés "
                             "dans l'ordre du jour ; les avis sont consignés ci-dessus. Séance levée à 20 h."},
    )  # fmt: skip
    planned, _ = CommitteeSession.objects.get_or_create(
        title=f"Commission d'attribution d'automne {year}",
        defaults={"date": now + datetime.timedelta(days=20), "place": "Maison des associations"},
    )
    for session in (held, planned):
        for key, capacity in [("staff", MemberCapacity.STAFF), ("elected", MemberCapacity.ELECTED),
                              ("committee", MemberCapacity.COUNCIL)]:  # fmt: skip
            if key in users:
                CommitteeMember.objects.get_or_create(session=session, user=users[key], defaults={"capacity": capacity})

    for suffix, status, index, slug, title, requested, decided, decision in APPLICATIONS:
        reference = f"SUB-DEMO-{suffix}"
        if GrantApplication.objects.filter(reference=reference).exists():
            continue
        association = associations[index]
        call = calls[slug]
        scheme = schemes[slug]
        step = ORDER.index(status)
        submitted = now - datetime.timedelta(days=200 - 10 * int(suffix))
        application = GrantApplication.objects.create(
            reference=reference, call=call, association=association, status=status,
            created_by=users.get("manager_a") if index == 0 else users.get("manager_b"),
            identification=identification_from_directory(association), budget_year=call.year,
            project_title=title, amount_requested=Decimal(requested), member_count=80, volunteer_count=12,
            employee_count=1, employee_fte=Decimal("0.8"),
            project_description="Un projet ouvert à tous les habitants, construit avec les bénévoles.",
            objectives="Créer du lien entre voisins ; rendre les habitants acteurs du quartier.",
            audience="Habitants du quartier, familles, jeunes.", place="Bellerive-sur-Orge",
            in_qpv=slug == "fonds-participation-habitants",
            start_date=datetime.date(call.year, 3, 1), end_date=datetime.date(call.year, 10, 31),
            submitted_at=submitted if step > 0 else None,
            missing_items="Le relevé d'identité bancaire joint est illisible." if status == Status.INCOMPLETE else "",
        )  # fmt: skip
        kinds = [BudgetKind.ASSOCIATION] + ([BudgetKind.PROJECT] if scheme.grant_kind == "project" else [])
        for kind in kinds:
            lines = dict(DEMO_BUDGETS[kind])
            carrying = kind == kinds[-1]
            if carrying:  # the city's grant line carries the amount requested; own resources balance it
                difference = Decimal(requested) - Decimal(lines["74com"])
                lines["74com"] = requested
                lines["604"] = str(Decimal(lines["604"]) + difference)
            BudgetLine.objects.bulk_create(
                BudgetLine(application=application, budget=kind, code=code, planned=Decimal(amount))
                for code, amount in lines.items()
            )
        application.documents.set([d for d in vaults[association.pk] if d.kind in scheme.required_documents])
        if step == 0:
            continue
        application.sworn_name, application.sworn_capacity = association.name[:30] + " – présidence", "président·e"
        application.sworn_at = submitted
        if step >= ORDER.index(Status.UNDER_REVIEW):
            application.review_opinion = "favourable" if decision != Decision.REFUSED else "unfavourable"
            application.review_comment = "Dossier clair, budget cohérent."
            application.proposed_amount = Decimal(decided) if decided else Decimal(requested) * Decimal("0.8")
            application.reviewed_by = users["staff"]
            for criterion in scheme.criteria.all():
                Score.objects.create(
                    application=application, criterion=criterion, points=max(criterion.max_points - 2, 1)
                )
        if decision:
            application.decision = decision
            application.decided_amount = Decimal(decided) if decided else None
            application.deliberation_ref = f"DEL-{year}-{40 + int(suffix)}"
            application.deliberation_date = (now - datetime.timedelta(days=110)).date()
            application.decision_reason = (
                "Le projet ne se déroule pas dans un quartier prioritaire." if not decided else ""
            )
            application.instalments = 2 if decided and Decimal(decided) > 5000 else 1
        if step >= ORDER.index(Status.NOTIFIED):
            application.notified_at = now - datetime.timedelta(days=100)
        application.save()
        ApplicationVersion.objects.create(
            application=application, number=1, submitted_at=submitted, submitted_by=application.created_by,
            snapshot=application_snapshot(application),
        )  # fmt: skip
        for index_step, passed in enumerate(ORDER[1 : step + 1], start=1):
            ApplicationStep.objects.create(
                application=application, status=passed, actor=users["staff"],
                at=submitted + datetime.timedelta(days=5 * index_step),
            )  # fmt: skip
        if step >= ORDER.index(Status.COMMITTEE):
            session = planned if status == Status.COMMITTEE else held
            item = SessionItem.objects.create(session=session, application=application, order=session.items.count() + 1)
            if session is held:
                item.recommendation = Recommendation.GRANT if decided else Recommendation.REFUSE
                item.recommended_amount = Decimal(decided) if decided else None
                item.save(update_fields=["recommendation", "recommended_amount"])
                for member in session.members.all():
                    MemberOpinion.objects.create(item=item, member=member, vote="for" if decided else "against")
        if decided and step >= ORDER.index(Status.PAID):
            amount = Decimal(decided)
            first = amount if step >= ORDER.index(Status.REPORT_DUE) or application.instalments == 1 else amount / 2
            Payment.objects.create(application=application, amount=first if status != Status.PAID else amount / 2,
                                   paid_on=(now - datetime.timedelta(days=90)).date(), label="Premier versement",
                                   recorded_by=users["staff"])  # fmt: skip
            if status in (Status.REPORT_DUE, Status.CLOSED) and application.instalments > 1:
                Payment.objects.filter(application=application).update(amount=amount / 2)
                Payment.objects.create(
                    application=application,
                    amount=amount / 2,
                    label="Solde",
                    paid_on=(now - datetime.timedelta(days=30)).date(),
                    recorded_by=users["staff"],
                )
            if status in (Status.REPORT_DUE, Status.CLOSED):
                application.report_due_on = application.end_date + datetime.timedelta(days=182)
                application.save(update_fields=["report_due_on"])
        if status == Status.CLOSED and decided:
            for line in application.budget_lines.filter(budget=kinds[-1]):
                line.actual = line.planned
                line.save(update_fields=["actual"])
            FinalReport.objects.create(
                application=application, achievements="La fête a réuni 250 voisins dans trois rues du quartier.",
                submitted_by=application.created_by, submitted_at=now - datetime.timedelta(days=10),
            )  # fmt: skip
            application.closed_at = now - datetime.timedelta(days=5)
            application.save(update_fields=["closed_at"])

    agreement, created = MultiYearAgreement.objects.get_or_create(
        reference=f"CPO-{year - 1}-01",
        defaults={"association": associations[0], "scheme": schemes["subvention-fonctionnement"],
                  "title": "Animation de la vie du quartier et accueil des jeunes", "start_year": year - 1,
                  "end_year": year + 1, "signed_on": datetime.date(year - 1, 2, 3),
                  "deliberation_ref": f"DEL-{year - 1}-07"},
    )  # fmt: skip
    if created:
        objectives = [
            AgreementObjective.objects.create(agreement=agreement, title="Accueillir les jeunes du quartier",
                                              indicator="Jeunes accueillis dans l'année", target="150"),
            AgreementObjective.objects.create(agreement=agreement, title="Ouvrir les locaux aux habitants",
                                              indicator="Heures d'ouverture par semaine", target="20"),
        ]  # fmt: skip
        for offset, amount in enumerate(["12000", "12500", "13000"]):
            AgreementYear.objects.create(agreement=agreement, year=year - 1 + offset, amount=Decimal(amount))
        first = agreement.years.get(year=year - 1)
        first.results = {str(objectives[0].pk): "162", str(objectives[1].pk): "18"}
        first.review = "Objectifs atteints pour l'accueil des jeunes ; horaires d'ouverture un peu en deçà."
        first.reviewed_at, first.reviewed_by = now - datetime.timedelta(days=60), users["staff"]
        first.save()
