"""Every write of the funding module.

The life of a grant application (each step locks the row, checks the step is allowed from the current
status, records an ApplicationStep and an audit entry ``funding.application.<verb>``, and emails the
association after commit):

    draft → received (submission: deadline, ceiling, balanced budgets, mandatory documents, sworn statement;
    a frozen version) → complete | incomplete (missing items; the association completes and submits again,
    a new version) → under review (opinion, proposed amount, scoring grid) → committee (on a session's
    meeting items) → decided (granted or refused, deliberation reference and date) → notified (letter) →
    paid (instalments, never above the amount granted) → final report due (CERFA 15059) → closed.
    A refusal goes from notified to closed.

Every check raises ValidationError before anything is written; the transaction does the rest, so a refused
action stores nothing half-way.
"""

import datetime
import uuid
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from tissu.audit.services import audit_log
from tissu.directory.models import MANAGER_ROLES, Association
from tissu.funding import budget, emails, permissions
from tissu.funding.models import (
    EDITABLE_STATUSES,
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
    ConflictDeclaration,
    Decision,
    Document,
    DocumentKind,
    FinalReport,
    GrantApplication,
    GrantKind,
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


def _euros(amount) -> str:
    return number_format(amount, 2, force_grouping=True)


# --- Schemes, calls, envelopes (the associations office) -------------------------------------------------

SCHEME_FIELDS = [
    "name", "slug", "funder_kind", "funder_name", "grant_kind", "summary", "description", "eligibility",
    "min_age_months", "local_only", "max_annual_budget", "qpv_only", "employer_only", "amount_min", "amount_max",
    "calendar", "required_documents", "contact", "website", "applications_in_tissu", "is_active",
]  # fmt: skip


def parse_criteria(text: str) -> list[tuple[str, int]]:
    """'Label | points' per line → [(label, points)]; a clear error on a malformed line."""
    criteria = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        label, _sep, points = line.rpartition("|")
        try:
            value = int(points.strip())
        except ValueError:
            value = 0
        if not label.strip() or value < 1:
            raise ValidationError(
                {
                    "criteria": _("Line %(n)s: write “criterion | maximum points”, with at least 1 point.")
                    % {"n": number}
                }
            )
        criteria.append((label.strip()[:200], value))
    return criteria


def _set_criteria(scheme: AidScheme, criteria: list[tuple[str, int]]) -> None:
    current = list(scheme.criteria.all())
    if [(c.label, c.max_points) for c in current] == criteria:
        return
    if Score.objects.filter(criterion__scheme=scheme).exists():
        raise ValidationError({"criteria": _("Applications were already scored with this grid: it cannot change.")})
    scheme.criteria.all().delete()
    ScoringCriterion.objects.bulk_create(
        ScoringCriterion(scheme=scheme, label=label, max_points=points, order=index)
        for index, (label, points) in enumerate(criteria)
    )


def _check_scheme(scheme: AidScheme) -> None:
    if scheme.amount_min is not None and scheme.amount_max is not None and scheme.amount_min > scheme.amount_max:
        raise ValidationError({"amount_max": _("The ceiling is below the minimum amount.")})


@transaction.atomic
def scheme_create(*, actor, values: dict, criteria: list[tuple[str, int]] = ()) -> AidScheme:
    permissions.require_office(actor)
    scheme = AidScheme(**{field: values[field] for field in SCHEME_FIELDS if field in values})
    scheme.full_clean()
    _check_scheme(scheme)
    scheme.save()
    _set_criteria(scheme, list(criteria))
    audit_log(actor=actor, action="funding.scheme.created", target=scheme)
    return scheme


@transaction.atomic
def scheme_update(*, actor, scheme: AidScheme, values: dict, criteria: list[tuple[str, int]] = ()) -> AidScheme:
    permissions.require_office(actor)
    scheme = AidScheme.objects.select_for_update().get(pk=scheme.pk)
    changed = [f for f in SCHEME_FIELDS if f in values and getattr(scheme, f) != values[f]]
    for field in changed:
        setattr(scheme, field, values[field])
    scheme.full_clean()
    _check_scheme(scheme)
    if changed:
        scheme.save(update_fields=[*changed, "updated_at"])
    _set_criteria(scheme, list(criteria))
    audit_log(actor=actor, action="funding.scheme.updated", target=scheme, data={"fields": changed})
    return scheme


CALL_FIELDS = ["scheme", "title", "description", "year", "opens_at", "closes_at"]


def _check_call(call: CallForProjects) -> None:
    if call.opens_at and call.closes_at and call.closes_at <= call.opens_at:
        raise ValidationError({"closes_at": _("The call must close after it opens.")})
    if call.scheme_id and not call.scheme.applications_in_tissu:
        raise ValidationError({"scheme": _("Applications to this scheme are not filed in Tissu.")})


@transaction.atomic
def call_create(*, actor, values: dict) -> CallForProjects:
    permissions.require_office(actor)
    call = CallForProjects(**{f: values[f] for f in CALL_FIELDS if f in values})
    _check_call(call)
    call.full_clean()
    call.save()
    audit_log(actor=actor, action="funding.call.created", target=call)
    return call


@transaction.atomic
def call_update(*, actor, call: CallForProjects, values: dict) -> CallForProjects:
    permissions.require_office(actor)
    call = CallForProjects.objects.select_for_update().get(pk=call.pk)
    changed = [f for f in CALL_FIELDS if f in values and getattr(call, f) != values[f]]
    for field in changed:
        setattr(call, field, values[field])
    _check_call(call)
    call.full_clean()
    if changed:
        call.save(update_fields=changed)
    audit_log(actor=actor, action="funding.call.updated", target=call, data={"fields": changed})
    return call


@transaction.atomic
def envelope_set(*, actor, scheme: AidScheme, year: int, amount: Decimal) -> BudgetEnvelope:
    permissions.require_office(actor)
    if amount is None or amount < 0:
        raise ValidationError({"amount": _("An envelope cannot be negative.")})
    envelope, _created = BudgetEnvelope.objects.select_for_update().get_or_create(
        scheme=scheme, year=year, defaults={"amount": amount}
    )
    if envelope.amount != amount:
        envelope.amount = amount
        envelope.full_clean()
        envelope.save(update_fields=["amount"])
    audit_log(actor=actor, action="funding.envelope.set", target=scheme, data={"year": year, "amount": str(amount)})
    return envelope


# --- Document vault ----------------------------------------------------------------------------------------


@transaction.atomic
def document_upload(*, actor, association: Association, values: dict) -> Document:
    if not permissions.is_manager_of(actor, association):
        raise PermissionDenied
    document = Document(
        association=association,
        uploaded_by=actor,
        **{f: values.get(f) for f in ["kind", "title", "file", "valid_from", "valid_until"]},
    )
    if document.valid_from and document.valid_until and document.valid_until < document.valid_from:
        raise ValidationError({"valid_until": _("A document cannot expire before it becomes valid.")})
    document.full_clean()
    document.save()
    audit_log(actor=actor, action="funding.document.uploaded", target=document, data={"kind": document.kind})
    return document


@transaction.atomic
def document_access_record(*, actor, document: Document) -> None:
    """The office opening an association's document (bank details, accounts) is logged; its managers are not."""
    if not permissions.is_manager_of(actor, document.association):
        audit_log(actor=actor, action="funding.document.opened", target=document, data={"kind": document.kind})


@transaction.atomic
def document_delete(*, actor, document: Document) -> None:
    if not permissions.is_manager_of(actor, document.association):
        raise PermissionDenied
    if document.applications.exclude(status=Status.DRAFT).exists():
        raise ValidationError(_("This document belongs to a submitted application: it is kept with it."))
    audit_log(actor=actor, action="funding.document.deleted", target=document, data={"kind": document.kind})
    document.file.delete(save=False)
    document.delete()


# --- Applications: the association's side ------------------------------------------------------------------


def identification_from_directory(association: Association) -> dict:
    """CERFA 12156 section 1, pre-filled from the directory (the association may correct it in the form)."""
    officers = [
        {"name": m.user.full_name, "role": m.get_role_display(), "user_id": m.user_id}
        for m in association.memberships.select_related("user")
        .filter(role__in=MANAGER_ROLES, user__deleted_at__isnull=True)
        .order_by("role", "id")
    ]
    office = " ".join(
        part
        for part in [
            association.office_street_number,
            association.office_street_repetition,
            association.office_street_type,
            association.office_street_name,
        ]
        if part
    )
    management = ", ".join(p for p in [association.mgmt_street, association.mgmt_postcode, association.mgmt_city] if p)
    return {
        "name": association.name,
        "short_name": association.short_name,
        "rna_id": association.rna_id or "",
        "siret": association.siret,
        "object": association.object[:1000],
        "office_address": ", ".join(p for p in [office, association.office_postcode, association.office_city] if p),
        "management_address": management,
        "email": association.public_email,
        "phone": association.public_phone,
        "website": association.website,
        "officers": officers,
    }


@transaction.atomic
def application_create(*, actor, call: CallForProjects, association: Association) -> GrantApplication:
    if not permissions.is_manager_of(actor, association):
        raise PermissionDenied
    if not call.is_open(timezone.now()):
        raise ValidationError(_("This call for projects is not open."))
    application = GrantApplication(
        reference=uuid.uuid4().hex[:20],
        call=call,
        association=association,
        created_by=actor,
        identification=identification_from_directory(association),
        federation=association.federation,
        member_count=association.member_count,
        volunteer_count=association.volunteer_count,
        employee_fte=association.employee_fte,
        budget_year=call.year,
        project_title=call.title if call.scheme.grant_kind == GrantKind.OPERATING else "",
    )
    application.project_title = application.project_title or _("New project")
    application.full_clean(exclude=["reference"])
    application.save()
    application.reference = f"SUB-{call.year}-{application.pk:05d}"
    application.save(update_fields=["reference"])
    audit_log(actor=actor, action="funding.application.created", target=application, data={"call": call.pk})
    return application


def _lock(application: GrantApplication) -> GrantApplication:
    return (
        GrantApplication.objects.select_for_update()
        .select_related("call__scheme", "association")
        .get(pk=application.pk)
    )


def _editable(actor, application: GrantApplication) -> GrantApplication:
    current = _lock(application)
    if not permissions.can_manage_application(actor, current):
        raise PermissionDenied
    if not current.is_editable:
        raise ValidationError(
            _("This application was submitted: it can no longer be changed (unless the office asks for missing items).")
        )
    return current


APPLICATION_FIELDS = [
    "identification", "approvals", "federation", "member_count", "volunteer_count", "employee_count",
    "employee_fte", "budget_year", "project_title", "project_description", "objectives", "audience", "place",
    "in_qpv", "start_date", "end_date", "evaluation", "amount_requested",
]  # fmt: skip


@transaction.atomic
def application_update(*, actor, application: GrantApplication, values: dict) -> GrantApplication:
    current = _editable(actor, application)
    changed = [f for f in APPLICATION_FIELDS if f in values and getattr(current, f) != values[f]]
    for field in changed:
        setattr(current, field, values[field])
    if current.start_date and current.end_date and current.end_date < current.start_date:
        raise ValidationError({"end_date": _("The project cannot end before it starts.")})
    if current.amount_requested is not None and current.amount_requested <= 0:
        raise ValidationError({"amount_requested": _("Ask for a positive amount.")})
    current.full_clean()
    if changed:
        current.save(update_fields=[*changed, "updated_at"])
        audit_log(actor=actor, action="funding.application.updated", target=current, data={"fields": changed})
    return current


@transaction.atomic
def application_set_budget(
    *, actor, application: GrantApplication, kind: str, amounts: dict[str, Decimal]
) -> GrantApplication:
    """Replace one budget (the association's or the project's). Unbalanced budgets may be saved as drafts;
    submission refuses them."""
    current = _editable(actor, application)
    lines = budget.entry_lines()
    unknown = [code for code in amounts if code not in lines]
    if unknown or kind not in BudgetKind.values:
        raise ValidationError(_("Unknown budget line: %(codes)s.") % {"codes": ", ".join(unknown) or kind})
    if any(amount is not None and amount < 0 for amount in amounts.values()):
        raise ValidationError(_("Budget amounts cannot be negative."))
    existing = {line.code: line for line in current.budget_lines.filter(budget=kind)}
    for code, amount in amounts.items():
        amount = amount or Decimal("0")
        line = existing.get(code)
        if line is None and amount:
            BudgetLine.objects.create(application=current, budget=kind, code=code, planned=amount)
        elif line is not None and not amount:
            line.delete()
        elif line is not None and line.planned != amount:
            line.planned = amount
            line.save(update_fields=["planned"])
    audit_log(actor=actor, action="funding.application.budget_updated", target=current, data={"budget": kind})
    return current


@transaction.atomic
def application_set_documents(*, actor, application: GrantApplication, documents: list[Document]) -> GrantApplication:
    current = _editable(actor, application)
    if any(document.association_id != current.association_id for document in documents):
        raise PermissionDenied
    current.documents.set(documents)
    audit_log(
        actor=actor,
        action="funding.application.documents_updated",
        target=current,
        data={"documents": sorted(d.pk for d in documents)},
    )
    return current


def budget_amounts(application: GrantApplication, kind: str) -> dict[str, Decimal]:
    return {line.code: line.planned for line in application.budget_lines.all() if line.budget == kind}


def submission_errors(application: GrantApplication, *, now=None) -> list[str]:
    """Everything that stops this application from being submitted, in words an association understands."""
    now = now or timezone.now()
    scheme = application.call.scheme
    errors = []
    if application.status == Status.DRAFT and now >= application.call.closes_at:
        errors.append(
            _("The deadline of this call for projects has passed (%(date)s).")
            % {"date": timezone.localtime(application.call.closes_at).strftime("%d/%m/%Y %H:%M")}
        )
    if application.status == Status.DRAFT and now < application.call.opens_at:
        errors.append(_("This call for projects is not open yet."))
    amount = application.amount_requested
    if amount is None or amount <= 0:
        errors.append(_("Say how much you ask for."))
    else:
        if scheme.amount_max is not None and amount > scheme.amount_max:
            errors.append(
                _("The amount requested (%(amount)s €) is above the scheme's ceiling (%(ceiling)s €).")
                % {"amount": _euros(amount), "ceiling": _euros(scheme.amount_max)}
            )
        if scheme.amount_min is not None and amount < scheme.amount_min:
            errors.append(
                _("The amount requested (%(amount)s €) is below the scheme's minimum (%(minimum)s €).")
                % {"amount": _euros(amount), "minimum": _euros(scheme.amount_min)}
            )
    if not application.project_title.strip():
        errors.append(_("Give the project a title."))
    if scheme.grant_kind == GrantKind.PROJECT and not application.project_description.strip():
        errors.append(_("Describe the project."))
    association_budget = budget_amounts(application, BudgetKind.ASSOCIATION)
    if not any(association_budget.values()):
        errors.append(_("Fill in the association's budget."))
    else:
        errors += [
            _("Association's budget: %(error)s") % {"error": e} for e in budget.balance_errors(association_budget)
        ]
    # The budget that carries the request: the project's for a project grant, the association's otherwise.
    carrying = association_budget
    if scheme.grant_kind == GrantKind.PROJECT:
        carrying = budget_amounts(application, BudgetKind.PROJECT)
        if not any(carrying.values()):
            errors.append(_("Fill in the project's budget."))
        else:
            errors += [_("Project's budget: %(error)s") % {"error": e} for e in budget.balance_errors(carrying)]
    if scheme.funder_kind == "city" and amount and carrying.get(budget.CITY_GRANT_LINE, Decimal(0)) < amount:
        errors.append(_("The budget must show the amount requested from the city on the line “74 – Commune(s)”."))
    today = timezone.localdate(now)
    attached = list(application.documents.all())

    for kind in scheme.required_documents:
        if not any(d.kind == kind and d.is_valid_on(today) for d in attached):
            errors.append(
                _("Missing document: %(kind)s (attach a version valid today).") % {"kind": DocumentKind(kind).label}
            )
    return errors


def application_snapshot(application: GrantApplication) -> dict:
    """The whole file as plain JSON: what a version freezes and the PDF shows."""
    return {
        "reference": application.reference,
        "call": {"id": application.call_id, "title": application.call.title, "year": application.call.year},
        "scheme": {"id": application.call.scheme_id, "name": application.call.scheme.name},
        "association_id": application.association_id,
        **{
            field: (str(value) if isinstance(value, (Decimal, datetime.date)) else value)
            for field in APPLICATION_FIELDS
            for value in [getattr(application, field)]
        },
        "budget_lines": [
            {"budget": line.budget, "code": line.code, "planned": str(line.planned)}
            for line in application.budget_lines.order_by("budget", "id")
        ],
        "documents": [
            {
                "id": d.pk,
                "kind": d.kind,
                "title": d.title,
                "file": d.file.name,
                "valid_until": d.valid_until.isoformat() if d.valid_until else None,
            }
            for d in application.documents.order_by("kind", "id")
        ],
        "sworn_name": application.sworn_name,
        "sworn_capacity": application.sworn_capacity,
        "sworn_at": application.sworn_at.isoformat() if application.sworn_at else None,
    }


def _step(application: GrantApplication, *, status: str, actor, note: str = "") -> None:
    ApplicationStep.objects.create(application=application, status=status, note=note, actor=actor, at=timezone.now())


def _notify(application: GrantApplication, note: str = "") -> None:
    pk, status = application.pk, application.status
    transaction.on_commit(lambda: emails.send_application_update(application_pk=pk, status=status, note=note))


@transaction.atomic
def application_submit(
    *, actor, application: GrantApplication, sworn_name: str, sworn_capacity: str, sworn: bool
) -> ApplicationVersion:
    current = _editable(actor, application)
    errors = []
    if not sworn:
        errors.append(
            _(
                "The legal representative must certify that the association is regularly declared and that the "
                "information is accurate."
            )
        )
    if not sworn_name.strip() or not sworn_capacity.strip():
        errors.append(_("Give the name and capacity of the legal representative who signs."))
    errors += submission_errors(current)
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    current.sworn_name, current.sworn_capacity, current.sworn_at = sworn_name.strip(), sworn_capacity.strip(), now
    was_incomplete = current.status == Status.INCOMPLETE
    current.status = Status.RECEIVED
    current.submitted_at = current.submitted_at or now
    current.save(update_fields=["sworn_name", "sworn_capacity", "sworn_at", "status", "submitted_at", "updated_at"])
    number = current.versions.count() + 1
    version = ApplicationVersion.objects.create(
        application=current, number=number, submitted_by=actor, submitted_at=now, snapshot=application_snapshot(current)
    )
    _step(current, status=Status.RECEIVED, actor=actor, note=_("Version %(n)s") % {"n": number})
    audit_log(
        actor=actor,
        action="funding.application.completed" if was_incomplete else "funding.application.submitted",
        target=current,
        data={"version": number},
    )
    _notify(current)
    return version


# --- Applications: the office's side -----------------------------------------------------------------------


def _office_step(actor, application: GrantApplication, allowed: list[str]) -> GrantApplication:
    permissions.require_office(actor)
    current = _lock(application)
    if current.status not in allowed:
        raise ValidationError(
            _("This step is not possible while the application is “%(status)s”.")
            % {"status": current.get_status_display()}
        )
    return current


def _move(actor, current: GrantApplication, status: str, *, action: str, note: str = "", fields=(), data=None):
    current.status = status
    current.save(update_fields=["status", *fields, "updated_at"])
    _step(current, status=status, actor=actor, note=note)
    audit_log(actor=actor, action=f"funding.application.{action}", target=current, data=data or {})
    _notify(current, note)
    return current


@transaction.atomic
def application_mark_complete(*, actor, application: GrantApplication) -> GrantApplication:
    current = _office_step(actor, application, [Status.RECEIVED])
    current.missing_items = ""
    return _move(actor, current, Status.COMPLETE, action="marked_complete", fields=["missing_items"])


@transaction.atomic
def application_mark_incomplete(*, actor, application: GrantApplication, missing_items: str) -> GrantApplication:
    current = _office_step(actor, application, [Status.RECEIVED, Status.COMPLETE])
    if not missing_items.strip():
        raise ValidationError({"missing_items": _("Say which items are missing.")})
    current.missing_items = missing_items.strip()
    current.incomplete_reminded_at = None
    return _move(
        actor,
        current,
        Status.INCOMPLETE,
        action="marked_incomplete",
        note=current.missing_items,
        fields=["missing_items", "incomplete_reminded_at"],
    )


@transaction.atomic
def application_start_review(*, actor, application: GrantApplication) -> GrantApplication:
    current = _office_step(actor, application, [Status.COMPLETE])
    current.reviewed_by = actor
    return _move(actor, current, Status.UNDER_REVIEW, action="review_started", fields=["reviewed_by"])


@transaction.atomic
def application_review(
    *,
    actor,
    application: GrantApplication,
    opinion: str,
    comment: str,
    proposed_amount: Decimal | None,
    scores: dict[int, tuple[int, str]],
) -> GrantApplication:
    """The agent's opinion, proposed amount and scoring grid (may be revised until the committee)."""
    current = _office_step(actor, application, [Status.UNDER_REVIEW])
    if not permissions.can_see_scoring(actor, current):
        raise PermissionDenied
    scheme = current.call.scheme
    errors = {}
    if proposed_amount is not None:
        if proposed_amount < 0:
            errors["proposed_amount"] = _("The proposed amount cannot be negative.")
        elif scheme.amount_max is not None and proposed_amount > scheme.amount_max:
            errors["proposed_amount"] = _("The proposed amount is above the scheme's ceiling (%(c)s €).") % {
                "c": _euros(scheme.amount_max)
            }
        elif current.amount_requested is not None and proposed_amount > current.amount_requested:
            errors["proposed_amount"] = _("The proposed amount is above the amount requested.")
    criteria = {c.pk: c for c in scheme.criteria.all()}
    for criterion_id, (points, _comment) in scores.items():
        criterion = criteria.get(criterion_id)
        if criterion is None:
            raise ValidationError(_("Unknown criterion."))
        if points is not None and not 0 <= points <= criterion.max_points:
            errors[f"score_{criterion_id}"] = _("Between 0 and %(max)s points.") % {"max": criterion.max_points}
    if errors:
        raise ValidationError(errors)
    current.review_opinion, current.review_comment, current.proposed_amount = opinion, comment, proposed_amount
    current.reviewed_by = actor
    current.full_clean()
    current.save(update_fields=["review_opinion", "review_comment", "proposed_amount", "reviewed_by", "updated_at"])
    for criterion_id, (points, note) in scores.items():
        if points is None:
            Score.objects.filter(application=current, criterion_id=criterion_id).delete()
        else:
            Score.objects.update_or_create(
                application=current, criterion_id=criterion_id, defaults={"points": points, "comment": note[:300]}
            )
    audit_log(
        actor=actor,
        action="funding.application.reviewed",
        target=current,
        data={"opinion": opinion, "proposed_amount": str(proposed_amount) if proposed_amount is not None else None},
    )
    return current


@transaction.atomic
def application_decide(
    *,
    actor,
    application: GrantApplication,
    decision: str,
    amount: Decimal | None,
    deliberation_ref: str,
    deliberation_date: datetime.date,
    reason: str = "",
    instalments: int = 1,
) -> GrantApplication:
    current = _office_step(actor, application, [Status.COMMITTEE])
    scheme = current.call.scheme
    errors = {}
    if not deliberation_ref.strip():
        errors["deliberation_ref"] = _("Give the reference of the deliberation.")
    if deliberation_date is None:
        errors["deliberation_date"] = _("Give the date of the deliberation.")
    if decision == Decision.GRANTED:
        if amount is None or amount <= 0:
            errors["amount"] = _("A grant needs a positive amount.")
        elif scheme.amount_max is not None and amount > scheme.amount_max:
            errors["amount"] = _("The amount is above the scheme's ceiling (%(c)s €).") % {
                "c": _euros(scheme.amount_max)
            }
        elif current.amount_requested is not None and amount > current.amount_requested:
            errors["amount"] = _("The amount is above the amount requested (%(a)s €).") % {
                "a": _euros(current.amount_requested)
            }
    elif decision == Decision.REFUSED:
        amount = None
        if not reason.strip():
            errors["reason"] = _("A refusal needs its reasons, which the letter gives.")
    else:
        errors["decision"] = _("Choose a decision.")
    if not current.session_items.exclude(recommendation="").exclude(recommendation=Recommendation.POSTPONE).exists():
        errors.setdefault("decision", _("The committee has not recorded its decision on this application yet."))
    if errors:
        raise ValidationError(errors)
    current.decision, current.decided_amount = decision, amount
    current.deliberation_ref, current.deliberation_date = deliberation_ref.strip(), deliberation_date
    current.decision_reason, current.instalments = reason.strip(), instalments
    current.full_clean()
    return _move(
        actor,
        current,
        Status.DECIDED,
        action="decided",
        fields=[
            "decision",
            "decided_amount",
            "deliberation_ref",
            "deliberation_date",
            "decision_reason",
            "instalments",
        ],
        data={
            "decision": decision,
            "amount": str(amount) if amount else None,
            "deliberation": current.deliberation_ref,
        },
    )


@transaction.atomic
def application_notify(*, actor, application: GrantApplication) -> GrantApplication:
    current = _office_step(actor, application, [Status.DECIDED])
    current.notified_at = timezone.now()
    return _move(actor, current, Status.NOTIFIED, action="notified", fields=["notified_at"])


def report_due_date(application: GrantApplication) -> datetime.date:
    """CERFA 15059 is due within six months of the end of the funded project (or budget year)."""
    end = application.end_date or datetime.date(application.call.year, 12, 31)
    return end + relativedelta(months=6)


@transaction.atomic
def payment_record(
    *, actor, application: GrantApplication, amount: Decimal, paid_on: datetime.date, label: str = ""
) -> Payment:
    """One instalment. The application row is locked, so two parallel payments cannot exceed the grant."""
    current = _office_step(actor, application, [Status.NOTIFIED, Status.PAID])
    if not current.is_granted:
        raise ValidationError(_("Nothing is paid on a refused application."))
    if amount is None or amount <= 0:
        raise ValidationError({"amount": _("A payment is a positive amount.")})
    paid = current.payments.aggregate(total=Sum("amount"))["total"] or Decimal("0")
    remaining = current.decided_amount - paid
    if amount > remaining:
        raise ValidationError(
            {
                "amount": _("This payment would exceed the amount granted: %(remaining)s € remain to be paid.")
                % {"remaining": _euros(remaining)}
            }
        )
    payment = Payment(application=current, amount=amount, paid_on=paid_on, label=label, recorded_by=actor)
    payment.full_clean()
    payment.save()
    note = _("%(amount)s € paid on %(date)s") % {"amount": _euros(amount), "date": paid_on.strftime("%d/%m/%Y")}
    if paid + amount == current.decided_amount:
        current.report_due_on = report_due_date(current)
        current.status = Status.PAID
        _step(current, status=Status.PAID, actor=actor, note=note)
        _move(
            actor,
            current,
            Status.REPORT_DUE,
            action="paid",
            fields=["report_due_on"],
            note=_("Fully paid. Final report due on %(date)s.") % {"date": current.report_due_on.strftime("%d/%m/%Y")},
            data={"amount": str(amount), "fully_paid": True},
        )
    else:
        _move(actor, current, Status.PAID, action="paid", note=note, data={"amount": str(amount), "fully_paid": False})
    return payment


@transaction.atomic
def final_report_submit(
    *, actor, application: GrantApplication, actuals: dict[str, Decimal], achievements: str, differences: str
) -> FinalReport:
    """CERFA 15059, by the association: actual amounts per planned line and a qualitative report."""
    current = _lock(application)
    if not permissions.can_manage_application(actor, current):
        raise PermissionDenied
    if current.status != Status.REPORT_DUE:
        raise ValidationError(_("No final report is expected for this application now."))
    if FinalReport.objects.filter(application=current).exists():
        raise ValidationError(_("The final report was already sent."))
    errors = {}
    if not achievements.strip():
        errors["achievements"] = _("Say what was done.")
    kind = BudgetKind.PROJECT if current.call.scheme.grant_kind == GrantKind.PROJECT else BudgetKind.ASSOCIATION
    lines = list(current.budget_lines.filter(budget=kind))
    planned_total = sum((line.planned for line in lines), Decimal(0))
    actual_total = Decimal(0)
    for line in lines:
        value = actuals.get(line.code)
        if value is None or value < 0:
            errors[f"actual_{line.code}"] = _("Give the actual amount (0 if nothing).")
            continue
        actual_total += value
    # Significant differences (over 15 % of a line, as the CERFA's notice suggests) must be explained.
    significant = any(
        actuals.get(line.code) is not None and abs(actuals[line.code] - line.planned) > line.planned * Decimal("0.15")
        for line in lines
    )
    if significant and not differences.strip():
        errors["differences"] = _("Some lines differ by more than 15 % from the plan: explain why.")
    if errors:
        raise ValidationError(errors)
    for line in lines:
        line.actual = actuals[line.code]
        line.save(update_fields=["actual"])
    report = FinalReport.objects.create(
        application=current,
        achievements=achievements.strip(),
        differences=differences.strip(),
        submitted_by=actor,
        submitted_at=timezone.now(),
    )
    audit_log(
        actor=actor,
        action="funding.application.report_submitted",
        target=current,
        data={"planned": str(planned_total), "actual": str(actual_total)},
    )
    _step(current, status=current.status, actor=actor, note=_("Final report sent."))
    return report


@transaction.atomic
def application_close(*, actor, application: GrantApplication) -> GrantApplication:
    current = _office_step(actor, application, [Status.REPORT_DUE, Status.NOTIFIED])
    if current.status == Status.NOTIFIED and current.is_granted:
        raise ValidationError(_("A grant is closed once paid and its final report received."))
    if current.status == Status.REPORT_DUE and not FinalReport.objects.filter(application=current).exists():
        raise ValidationError(_("The final report has not been received yet."))
    current.closed_at = timezone.now()
    return _move(actor, current, Status.CLOSED, action="closed", fields=["closed_at"])


# --- Allocation committee ----------------------------------------------------------------------------------

SESSION_FIELDS = ["title", "date", "place"]


@transaction.atomic
def session_create(*, actor, values: dict) -> CommitteeSession:
    permissions.require_office(actor)
    session = CommitteeSession(**{f: values[f] for f in SESSION_FIELDS})
    session.full_clean()
    session.save()
    audit_log(actor=actor, action="funding.session.created", target=session)
    return session


@transaction.atomic
def session_set_members(*, actor, session: CommitteeSession, members: list[tuple]) -> CommitteeSession:
    """members: [(user, capacity)]. Only people with a city role sit; removing a member who voted is refused."""
    permissions.require_office(actor)
    session = CommitteeSession.objects.select_for_update().get(pk=session.pk)
    if session.status != SessionStatus.PLANNED:
        raise ValidationError(_("The session was held: its members can no longer change."))
    wanted = {user.pk: (user, capacity) for user, capacity in members}
    for user, _capacity in wanted.values():
        if not user.is_city_staff:
            raise ValidationError({"members": _("%(name)s has no city role.") % {"name": user.full_name or user.email}})
    for member in session.members.all():
        if member.user_id not in wanted:
            if member.opinions.exists():
                raise ValidationError({"members": _("A member who already voted cannot be removed.")})
            member.delete()
        else:
            capacity = wanted.pop(member.user_id)[1]
            if member.capacity != capacity:
                member.capacity = capacity
                member.save(update_fields=["capacity"])
    for user, capacity in wanted.values():
        CommitteeMember.objects.create(session=session, user=user, capacity=capacity)
    audit_log(actor=actor, action="funding.session.members_set", target=session, data={"count": len(members)})
    return session


@transaction.atomic
def session_add_item(*, actor, session: CommitteeSession, application: GrantApplication) -> SessionItem:
    """Put an application on the meeting items: it must be reviewed (opinion and proposed amount)."""
    current = _office_step(actor, application, [Status.UNDER_REVIEW])
    if session.status != SessionStatus.PLANNED:
        raise ValidationError(_("The session was held: its meeting items can no longer change."))
    if not current.review_opinion:
        raise ValidationError(_("Give the agent's opinion before sending the application to the committee."))
    if session.items.filter(application=current).exists():
        raise ValidationError(_("This application was already on this session's meeting items: choose a later one."))
    order = session.items.count() + 1
    item = SessionItem.objects.create(session=session, application=current, order=order)
    _move(actor, current, Status.COMMITTEE, action="sent_to_committee", data={"session": session.pk})
    return item


@transaction.atomic
def conflict_declare(*, actor, session: CommitteeSession, association: Association, reason: str) -> ConflictDeclaration:
    member = permissions.session_member(actor, session)
    if member is None:
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError({"reason": _("Say what links you to this association.")})
    MemberOpinion.objects.filter(member=member, item__application__association=association).delete()
    declaration, _created = ConflictDeclaration.objects.get_or_create(
        member=member, association=association, defaults={"reason": reason.strip()[:300]}
    )
    audit_log(
        actor=actor, action="funding.session.conflict_declared", target=session, data={"association": association.pk}
    )
    return declaration


@transaction.atomic
def opinion_record(*, actor, item: SessionItem, vote: str, comment: str = "") -> MemberOpinion:
    session = CommitteeSession.objects.select_for_update().get(pk=item.session_id)
    member = permissions.session_member(actor, session)
    if member is None:
        raise PermissionDenied
    if session.status != SessionStatus.PLANNED or item.recommendation:
        raise ValidationError(_("Votes on this item are closed."))
    if item.application.association_id in permissions.linked_association_ids(actor, session):
        raise ValidationError(_("You are linked to this association: you do not vote on its application."))
    try:
        with transaction.atomic():
            opinion, _created = MemberOpinion.objects.update_or_create(
                item=item, member=member, defaults={"vote": vote, "comment": comment[:500]}
            )
            opinion.full_clean()
    except IntegrityError:
        raise ValidationError(_("Your vote could not be recorded; try again.")) from None
    audit_log(actor=actor, action="funding.session.opinion_recorded", target=item.application, data={"vote": vote})
    return opinion


@transaction.atomic
def item_record_decision(*, actor, item: SessionItem, recommendation: str, amount: Decimal | None) -> SessionItem:
    permissions.require_office(actor)
    item = SessionItem.objects.select_for_update().select_related("application__call__scheme").get(pk=item.pk)
    if recommendation not in Recommendation.values:
        raise ValidationError({"recommendation": _("Choose a decision.")})
    application = item.application
    if application.status != Status.COMMITTEE:
        raise ValidationError(_("This application has already been decided."))
    if recommendation == Recommendation.GRANT:
        ceiling = application.call.scheme.amount_max
        if amount is None or amount <= 0:
            raise ValidationError({"amount": _("A grant needs a positive amount.")})
        if ceiling is not None and amount > ceiling:
            raise ValidationError(
                {"amount": _("The amount is above the scheme's ceiling (%(c)s €).") % {"c": _euros(ceiling)}}
            )
        if application.amount_requested is not None and amount > application.amount_requested:
            raise ValidationError({"amount": _("The amount is above the amount requested.")})
    else:
        amount = None
    item.recommendation, item.recommended_amount = recommendation, amount
    item.save(update_fields=["recommendation", "recommended_amount"])
    if recommendation == Recommendation.POSTPONE:
        # Back to review, to go on a later session's meeting items.
        current = _lock(application)
        _move(actor, current, Status.UNDER_REVIEW, action="postponed", data={"session": item.session_id})
    audit_log(
        actor=actor,
        action="funding.session.decision_recorded",
        target=application,
        data={"recommendation": recommendation, "amount": str(amount) if amount else None},
    )
    return item


@transaction.atomic
def session_write_minutes(*, actor, session: CommitteeSession, minutes: str, held: bool) -> CommitteeSession:
    permissions.require_office(actor)
    session = CommitteeSession.objects.select_for_update().get(pk=session.pk)
    if held:
        if not minutes.strip():
            raise ValidationError({"minutes": _("Write the minutes before closing the session.")})
        if session.items.filter(recommendation="").exists():
            raise ValidationError(_("Record the committee's decision on every meeting item first."))
    session.minutes = minutes
    if held:
        session.status = SessionStatus.HELD
    session.save(update_fields=["minutes", "status"])
    audit_log(actor=actor, action="funding.session.minutes_written", target=session, data={"held": held})
    return session


# --- Multi-year agreements ---------------------------------------------------------------------------------


@transaction.atomic
def agreement_create(
    *, actor, values: dict, amounts: list[Decimal], objectives: list[tuple[str, str, str]]
) -> MultiYearAgreement:
    permissions.require_office(actor)
    agreement = MultiYearAgreement(**values)
    start, end = agreement.start_year, agreement.end_year
    if start is None or end is None or not 2 <= end - start + 1 <= 4:
        raise ValidationError({"end_year": _("A multi-year agreement lasts 2 to 4 years.")})
    if len(amounts) != end - start + 1 or any(a is None or a < 0 for a in amounts):
        raise ValidationError({"amounts": _("Give one amount (0 or more) for each year of the agreement.")})
    if not objectives:
        raise ValidationError({"objectives": _("An agreement states at least one objective with its indicator.")})
    agreement.full_clean()
    agreement.save()
    AgreementYear.objects.bulk_create(
        AgreementYear(agreement=agreement, year=start + index, amount=amount) for index, amount in enumerate(amounts)
    )
    AgreementObjective.objects.bulk_create(
        AgreementObjective(agreement=agreement, title=t, indicator=i, target=g) for t, i, g in objectives
    )
    audit_log(actor=actor, action="funding.agreement.created", target=agreement, data={"total": str(sum(amounts))})
    return agreement


def parse_objectives(text: str) -> list[tuple[str, str, str]]:
    """'Objective | indicator | target' per line."""
    result = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        parts = [p.strip() for p in raw.split("|")]
        if len(parts) != 3 or not all(parts):
            raise ValidationError(
                {"objectives": _("Line %(n)s: write “objective | indicator | target”.") % {"n": number}}
            )
        result.append((parts[0][:300], parts[1][:300], parts[2][:100]))
    return result


@transaction.atomic
def agreement_review_year(*, actor, year: AgreementYear, results: dict[str, str], review: str) -> AgreementYear:
    permissions.require_office(actor)
    year = AgreementYear.objects.select_for_update().get(pk=year.pk)
    if not review.strip():
        raise ValidationError({"review": _("Write the review of the year.")})
    if year.year > timezone.localdate().year:
        raise ValidationError(_("A year is reviewed once it has started."))
    year.results, year.review = results, review.strip()
    year.reviewed_at, year.reviewed_by = timezone.now(), actor
    year.save(update_fields=["results", "review", "reviewed_at", "reviewed_by"])
    audit_log(actor=actor, action="funding.agreement.reviewed", target=year.agreement, data={"year": year.year})
    return year


# --- Reminders (idempotent: each stamps what it reminded) ---------------------------------------------------


def document_expiry_reminders(*, today: datetime.date, days_ahead: int = 30) -> int:
    """Documents expiring within days_ahead (or expired) that no newer document of the same kind replaces."""
    sent = 0
    candidates = Document.objects.filter(
        expiry_reminded_at__isnull=True, valid_until__lte=today + datetime.timedelta(days=days_ahead)
    ).select_related("association")
    for document in candidates:
        newer = Document.objects.filter(
            association=document.association_id, kind=document.kind, created_at__gt=document.created_at
        ).exists()
        with transaction.atomic():
            claimed = Document.objects.filter(pk=document.pk, expiry_reminded_at__isnull=True).update(
                expiry_reminded_at=timezone.now()
            )
            if claimed and not newer:
                pk = document.pk
                transaction.on_commit(lambda pk=pk: emails.send_document_expiring(document_pk=pk))
                sent += 1
    return sent


def agreement_renewal_reminders(*, today: datetime.date, months_ahead: int = 6) -> int:
    """Agreements ending within months_ahead: the office and the association are told, once."""
    horizon = today + relativedelta(months=months_ahead)
    sent = 0
    for agreement in MultiYearAgreement.objects.filter(renewal_reminded_at__isnull=True, end_year__lte=horizon.year):
        if datetime.date(agreement.end_year, 12, 31) > horizon or agreement.end_year < today.year:
            continue
        with transaction.atomic():
            if MultiYearAgreement.objects.filter(pk=agreement.pk, renewal_reminded_at__isnull=True).update(
                renewal_reminded_at=timezone.now()
            ):
                pk = agreement.pk
                transaction.on_commit(lambda pk=pk: emails.send_agreement_renewal(agreement_pk=pk))
                sent += 1
    return sent


def stale_reminders(*, now: datetime.datetime, incomplete_days: int = 14) -> int:
    """Incomplete applications left alone for incomplete_days, and final reports overdue: one reminder each."""
    sent = 0
    stale = GrantApplication.objects.filter(
        status=Status.INCOMPLETE, incomplete_reminded_at__isnull=True,
        steps__status=Status.INCOMPLETE, steps__at__lte=now - datetime.timedelta(days=incomplete_days),
    ).distinct()  # fmt: skip
    overdue = GrantApplication.objects.filter(
        status=Status.REPORT_DUE,
        report_reminded_at__isnull=True,
        report_due_on__lt=timezone.localdate(now),
        final_report__isnull=True,
    )
    for queryset, field, kind in [
        (stale, "incomplete_reminded_at", "incomplete"),
        (overdue, "report_reminded_at", "report"),
    ]:
        for pk in list(queryset.values_list("pk", flat=True)):
            with transaction.atomic():
                if GrantApplication.objects.filter(pk=pk, **{f"{field}__isnull": True}).update(**{field: now}):
                    transaction.on_commit(
                        lambda pk=pk, kind=kind: emails.send_application_reminder(application_pk=pk, kind=kind)
                    )
                    sent += 1
    return sent


# --- Personal data -----------------------------------------------------------------------------------------


def personal_data_erase(user) -> None:
    """Applications and votes are records of the city (public accounting, décret 2017-779): they stay, pointing
    at the anonymised account. The person leaves the officers pre-filled in applications still being written
    (drafts and files sent back as incomplete), found by the user id the pre-filling recorded."""
    for application in GrantApplication.objects.filter(status__in=EDITABLE_STATUSES).only("identification"):
        officers = application.identification.get("officers", [])
        kept = [officer for officer in officers if officer.get("user_id") != user.pk]
        if kept != officers:
            application.identification = {**application.identification, "officers": kept}
            application.save(update_fields=["identification"])
    Document.objects.filter(uploaded_by=user).update(uploaded_by=None)
