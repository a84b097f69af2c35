"""Reads of the funding module: the catalogue, lists for associations and the office, the overview."""

from dataclasses import dataclass
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.db.models import Count, DecimalField, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from tissu.directory.models import MANAGER_ROLES, Association
from tissu.funding.models import (
    AidScheme,
    BudgetEnvelope,
    CallForProjects,
    CommitteeSession,
    Decision,
    Document,
    GrantApplication,
    MultiYearAgreement,
    Payment,
    Status,
)

ZERO = Value(Decimal("0"), output_field=DecimalField(max_digits=14, decimal_places=2))
DECIDED_STATUSES = [Status.DECIDED, Status.NOTIFIED, Status.PAID, Status.REPORT_DUE, Status.CLOSED]
PIPELINE_STATUSES = [Status.RECEIVED, Status.INCOMPLETE, Status.COMPLETE, Status.UNDER_REVIEW, Status.COMMITTEE]


def scheme_catalogue(*, funder_kind: str = "", grant_kind: str = "") -> list[AidScheme]:
    schemes = AidScheme.objects.filter(is_active=True)
    if funder_kind:
        schemes = schemes.filter(funder_kind=funder_kind)
    if grant_kind:
        schemes = schemes.filter(grant_kind=grant_kind)
    return schemes.order_by("-applications_in_tissu", "name", "id")


def calls(*, now, open_only: bool = False):
    queryset = CallForProjects.objects.select_related("scheme").order_by("closes_at", "id")
    if open_only:
        queryset = queryset.filter(opens_at__lte=now, closes_at__gt=now)
    return queryset


@dataclass
class Check:
    label: str
    ok: bool | None  # None: could not be checked with the answers given


def eligibility_check(scheme: AidScheme, *, created_on, local: bool | None, annual_budget, in_qpv, employer, today):
    """The scheme's testable rules against the answers; the result of each rule, never a promise."""
    checks = []
    if scheme.min_age_months:
        ok = None if created_on is None else created_on + relativedelta(months=scheme.min_age_months) <= today
        checks.append(Check(_("The association is at least %(n)s months old.") % {"n": scheme.min_age_months}, ok))
    if scheme.local_only:
        checks.append(Check(_("The association's office is in the city."), local))
    if scheme.max_annual_budget is not None:
        ok = None if annual_budget is None else annual_budget <= scheme.max_annual_budget
        checks.append(
            Check(
                _("The association's annual budget is at most %(amount)s €.") % {"amount": scheme.max_annual_budget}, ok
            )
        )
    if scheme.qpv_only:
        checks.append(Check(_("The project takes place in a priority neighbourhood (QPV)."), in_qpv))
    if scheme.employer_only:
        checks.append(Check(_("The association employs staff."), employer))
    return checks


def eligibility_answers_from(association: Association) -> dict:
    """The self-check's answers the directory knows for this association (as query-string values)."""
    from tissu.city.selectors import city_settings_get

    codes = city_settings_get().insee_code_list
    answers = {
        "created_on": association.creation_date.isoformat() if association.creation_date else "",
        "local": ("yes" if association.office_insee_code in codes else "no") if codes else "",
        "employer": "yes" if association.is_employer else "",
        "in_qpv": "",
        "annual_budget": "",
    }
    return answers


def applications_of_user(user):
    return (
        GrantApplication.objects.filter(
            association__memberships__user=user, association__memberships__role__in=MANAGER_ROLES
        )
        .select_related("association", "call__scheme")
        .distinct()
        .order_by("-created_at", "-id")
    )


def staff_application_list(*, status: str = "", scheme: int | None = None, year: int | None = None, q: str = ""):
    queryset = GrantApplication.objects.exclude(status=Status.DRAFT).select_related("association", "call__scheme")
    if status:
        queryset = queryset.filter(status=status)
    if scheme:
        queryset = queryset.filter(call__scheme_id=scheme)
    if year:
        queryset = queryset.filter(call__year=year)
    if q:
        queryset = queryset.filter(
            Q(reference__icontains=q) | Q(project_title__icontains=q) | Q(association__name__icontains=q)
        )
    return queryset.order_by("-submitted_at", "-id")


def application_detail_context(application: GrantApplication) -> dict:
    from tissu.funding import budget

    lines = list(application.budget_lines.all())
    by_kind = {}
    for kind in ["association", "project"]:
        amounts = {line.code: line for line in lines if line.budget == kind}
        rows = []
        for entry in budget.all_lines():
            line = amounts.get(entry.code)
            if entry.is_heading or line is not None:
                rows.append(
                    {"line": entry, "planned": line.planned if line else None, "actual": line.actual if line else None}
                )
        # Keep only headings followed by at least one filled line.
        kept = [
            r
            for i, r in enumerate(rows)
            if not r["line"].is_heading or (i + 1 < len(rows) and not rows[i + 1]["line"].is_heading)
        ]
        by_kind[kind] = {
            "rows": kept,
            "totals": budget.totals({code: line.planned for code, line in amounts.items()}),
        }
    payments = list(application.payments.all())
    return {
        "budgets": by_kind,
        "payments": payments,
        "paid_total": sum((p.amount for p in payments), Decimal("0")),
        "steps": list(application.steps.select_related("actor")),
        "versions": list(application.versions.only("number", "submitted_at", "application_id")),
        "documents": list(application.documents.all()),
    }


@dataclass
class EnvelopeRow:
    scheme: AidScheme
    year: int
    envelope: Decimal | None
    committed: Decimal
    decided: Decimal
    paid: Decimal

    @property
    def remaining(self) -> Decimal | None:
        if self.envelope is None:
            return None
        return self.envelope - self.decided - self.committed


def envelope_overview(*, year: int) -> list[EnvelopeRow]:
    """Per scheme of the year: the envelope; committed (proposed, else requested, amounts of applications in
    the pipeline, plus multi-year agreements' amounts for the year); decided (granted); paid. Four queries."""
    envelopes = {e.scheme_id: e.amount for e in BudgetEnvelope.objects.filter(year=year)}
    apps = GrantApplication.objects.filter(call__year=year)
    pipeline = dict(
        apps.filter(status__in=PIPELINE_STATUSES)
        .values("call__scheme")
        .annotate(total=Sum(Coalesce("proposed_amount", "amount_requested", ZERO)))
        .values_list("call__scheme", "total")
    )
    decided = dict(
        apps.filter(status__in=DECIDED_STATUSES, decision=Decision.GRANTED)
        .values("call__scheme")
        .annotate(total=Sum("decided_amount"))
        .values_list("call__scheme", "total")
    )
    paid = dict(
        Payment.objects.filter(application__call__year=year)
        .values("application__call__scheme")
        .annotate(total=Sum("amount"))
        .values_list("application__call__scheme", "total")
    )
    agreements = dict(
        MultiYearAgreement.objects.filter(years__year=year)
        .values("scheme")
        .annotate(total=Sum("years__amount"))
        .values_list("scheme", "total")
    )
    scheme_ids = set(envelopes) | set(pipeline) | set(decided) | set(paid) | set(agreements)
    rows = []
    for scheme in AidScheme.objects.filter(pk__in=scheme_ids).order_by("name", "id"):
        rows.append(
            EnvelopeRow(
                scheme=scheme,
                year=year,
                envelope=envelopes.get(scheme.pk),
                committed=(pipeline.get(scheme.pk) or Decimal(0)) + (agreements.get(scheme.pk) or Decimal(0)),
                decided=decided.get(scheme.pk) or Decimal(0),
                paid=paid.get(scheme.pk) or Decimal(0),
            )
        )
    return rows


def status_counts(*, year: int) -> list[tuple[str, int]]:
    """How many applications of the year's calls are at each step (drafts left out), in the workflow's order."""
    counts = dict(
        GrantApplication.objects.filter(call__year=year)
        .exclude(status=Status.DRAFT)
        .values("status")
        .annotate(count=Count("id"))
        .values_list("status", "count")
    )
    return [(label, counts.get(value, 0)) for value, label in Status.choices if value != Status.DRAFT]


def decided_grants(*, year: int | None = None):
    """Grants decided (the public page and the open data): granted, whatever the payment stage."""
    queryset = GrantApplication.objects.filter(status__in=DECIDED_STATUSES, decision=Decision.GRANTED)
    if year:
        queryset = queryset.filter(deliberation_date__year=year)
    return queryset.select_related("association", "call__scheme").order_by("-deliberation_date", "-id")


def grants_of_association(association: Association, user=None) -> list[GrantApplication]:
    """The grants decided for this association, newest first (public data: its profile lists them)."""
    return list(decided_grants().filter(association=association)[:10])


def grant_years() -> list[int]:
    return sorted({d.year for d in decided_grants().values_list("deliberation_date", flat=True) if d}, reverse=True)


def sessions_for_user(user):
    from tissu.funding.permissions import is_elected, is_office

    queryset = CommitteeSession.objects.annotate(item_count=Count("items", distinct=True))
    if not (is_office(user) or is_elected(user)):
        queryset = queryset.filter(members__user=user)
    return queryset.order_by("-date", "id")


def agreements_for_user(user):
    from tissu.funding.permissions import can_see_overview

    queryset = MultiYearAgreement.objects.select_related("association", "scheme").annotate(total=Sum("years__amount"))
    if not can_see_overview(user):
        queryset = queryset.filter(
            association__memberships__user=user, association__memberships__role__in=MANAGER_ROLES
        ).distinct()
    return queryset.order_by("-start_year", "reference")


def vault_documents(association: Association):
    return association.funding_documents.order_by("kind", "-created_at")


def personal_data_export(user) -> dict:
    seats = list(user.committee_seats.select_related("session").order_by("session__date"))
    return {
        "grant_applications_started": [
            {"reference": a.reference, "association": a.association.name, "status": a.status}
            for a in GrantApplication.objects.filter(created_by=user).select_related("association")
        ],
        "sworn_statements": [
            {"reference": a.reference, "name": a.sworn_name, "capacity": a.sworn_capacity, "at": a.sworn_at.isoformat()}
            for a in GrantApplication.objects.filter(versions__submitted_by=user, sworn_at__isnull=False).distinct()
        ],
        "committee_seats": [
            {
                "session": seat.session.title,
                "date": seat.session.date.isoformat(),
                "capacity": seat.capacity,
                "opinions": [{"vote": o.vote, "comment": o.comment} for o in seat.opinions.all()],
                "declared_conflicts": [c.reason for c in seat.conflicts.all()],
            }
            for seat in seats
        ],
        "documents_uploaded": [
            {"association": d.association.name, "title": d.title, "at": d.created_at.isoformat()}
            for d in Document.objects.filter(uploaded_by=user).select_related("association")
        ],
    }


def grants_total(queryset) -> Decimal:
    return queryset.aggregate(total=Coalesce(Sum("decided_amount"), ZERO))["total"]
