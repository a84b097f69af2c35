"""Public pages (catalogue, calls, grants decided, open data) and the association's side (applications,
document vault, final report)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from tissu.directory.views_common import apply_errors, post_only, posted, posted_files, render_form
from tissu.funding import budget, opendata, permissions, selectors, services
from tissu.funding.forms import (
    ApplicationCreateForm,
    ApplicationForm,
    BudgetForm,
    DocumentForm,
    DocumentsForm,
    EligibilityForm,
    FinalReportForm,
    SchemeFilterForm,
    SubmitForm,
)
from tissu.funding.models import AidScheme, BudgetKind, CallForProjects, GrantKind, Status

PAGE_SIZE = 30
LETTER_STATUSES = [Status.NOTIFIED, Status.PAID, Status.REPORT_DUE, Status.CLOSED]


# --- Public -------------------------------------------------------------------------------------------------


@require_safe
def scheme_list(request):
    form = SchemeFilterForm(request.GET or None)
    schemes = selectors.scheme_catalogue(**form.filters())
    now = timezone.now()
    return render(
        request,
        "funding/scheme_list.html",
        {
            "form": form,
            "schemes": schemes,
            "open_calls": list(selectors.calls(now=now, open_only=True)),
            "can_see_overview": permissions.can_see_overview(request.user),
            "can_see_sessions": permissions.can_see_sessions(request.user),
            "is_office": permissions.is_office(request.user),
        },
    )


def _public_scheme(slug) -> AidScheme:
    try:
        return AidScheme.objects.prefetch_related("criteria").get(slug=slug, is_active=True)
    except AidScheme.DoesNotExist:
        raise Http404 from None


@require_safe
def scheme_detail(request, slug):
    scheme = _public_scheme(slug)
    now = timezone.now()
    calls = list(scheme.calls.filter(closes_at__gt=now).order_by("opens_at"))
    return render(request, "funding/scheme_detail.html", {"scheme": scheme, "calls": calls, "now": now})


@require_safe
def eligibility(request, slug):
    """A self-check against the scheme's rules: answers in the query string, nothing stored."""
    scheme = _public_scheme(slug)
    managed = permissions.managed_associations(request.user)
    data = request.GET or None
    chosen = next((a for a in managed if str(a.pk) == request.GET.get("association")), None)
    if chosen is not None:
        # Answers taken from the directory; the person may correct them and check again.
        data = selectors.eligibility_answers_from(chosen)
    form = EligibilityForm(data)
    checks = None
    if form.is_bound and form.is_valid():
        checks = selectors.eligibility_check(scheme, today=timezone.localdate(), **form.answers())
    verdict = None
    if checks is not None:
        if any(c.ok is False for c in checks):
            verdict = "no"
        elif any(c.ok is None for c in checks):
            verdict = "maybe"
        else:
            verdict = "yes"
    return render(
        request,
        "funding/eligibility.html",
        {"scheme": scheme, "form": form, "checks": checks, "verdict": verdict, "managed": managed, "chosen": chosen},
    )


@require_safe
def call_list(request):
    now = timezone.now()
    calls = list(selectors.calls(now=now))
    return render(
        request,
        "funding/call_list.html",
        {
            "open_calls": [c for c in calls if c.is_open(now)],
            "coming_calls": [c for c in calls if c.opens_at > now],
            "past_calls": [c for c in calls if c.closes_at <= now][:20],
        },
    )


@require_safe
def call_detail(request, pk):
    try:
        call = CallForProjects.objects.select_related("scheme").get(pk=pk)
    except CallForProjects.DoesNotExist:
        raise Http404 from None
    now = timezone.now()
    return render(
        request,
        "funding/call_detail.html",
        {
            "call": call,
            "is_open": call.is_open(now),
            "can_apply": bool(permissions.managed_associations(request.user)),
        },
    )


def _year(request) -> int | None:
    try:
        year = int(request.GET.get("annee", ""))
    except ValueError:
        return None
    return year if 2000 <= year <= 2100 else None


@require_safe
def grant_list(request):
    year = _year(request)
    grants = selectors.decided_grants(year=year)
    page = Paginator(grants, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "funding/grant_list.html",
        {
            "page": page,
            "year": year,
            "years": selectors.grant_years(),
            "total": selectors.grants_total(grants),
            "count": page.paginator.count,
        },
    )


@require_safe
def grant_csv(request):
    """The SCDL subventions v2.1.1 file, streamed."""
    year = _year(request)
    response = StreamingHttpResponse(opendata.scdl_csv_lines(year=year), content_type="text/csv; charset=utf-8")
    name = f"subventions-{year}.csv" if year else "subventions.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- The association's side ----------------------------------------------------------------------------------


@login_required
@require_safe
def my_applications(request):
    associations = permissions.managed_associations(request.user)
    return render(
        request,
        "funding/my_applications.html",
        {
            "applications": list(selectors.applications_of_user(request.user)),
            "associations": associations,
            "open_calls": list(selectors.calls(now=timezone.now(), open_only=True)),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def application_create(request, pk):
    try:
        call = CallForProjects.objects.select_related("scheme").get(pk=pk)
    except CallForProjects.DoesNotExist:
        raise Http404 from None
    associations = permissions.managed_associations(request.user)
    if not associations:
        raise PermissionDenied
    form = ApplicationCreateForm(posted(request), associations=associations)
    if request.method == "POST" and form.is_valid():
        association = permissions.get_managed_association(request.user, form.cleaned_data["association"])
        try:
            application = services.application_create(actor=request.user, call=call, association=association)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Draft created, pre-filled from the directory. Complete it, then submit it."))
            return redirect("funding:application-edit", application.pk)
    return render_form(request, "funding/application_create.html", {"form": form, "call": call})


@login_required
@require_safe
def application_detail(request, pk):
    application = permissions.get_application_for_user(request.user, pk)
    if not permissions.can_manage_application(request.user, application):
        return redirect("funding:staff-application", application.pk)
    context = {
        "application": application,
        "errors": services.submission_errors(application) if application.is_editable else [],
        "letter": application.status in LETTER_STATUSES,
        **selectors.application_detail_context(application),
    }
    return render(request, "funding/application_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def application_edit(request, pk):
    application = permissions.get_application_for_user(request.user, pk, write=True)
    if not application.is_editable:
        messages.error(request, _("This application was submitted: it can no longer be changed."))
        return redirect("funding:application-detail", application.pk)
    form = ApplicationForm(posted(request), instance=application)
    if request.method == "POST" and form.is_valid():
        try:
            services.application_update(actor=request.user, application=application, values=form.values())
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Application saved."))
            return redirect("funding:application-detail", application.pk)
    return render_form(request, "funding/application_form.html", {"form": form, "application": application})


@login_required
@require_http_methods(["GET", "POST"])
def application_budget(request, pk, kind):
    application = permissions.get_application_for_user(request.user, pk, write=True)
    if kind not in BudgetKind.values:
        raise Http404
    if not application.is_editable:
        messages.error(request, _("This application was submitted: it can no longer be changed."))
        return redirect("funding:application-detail", application.pk)
    saved = services.budget_amounts(application, kind)
    form = BudgetForm(posted(request), amounts=saved)
    balance = []
    if request.method == "POST" and form.is_valid():
        try:
            services.application_set_budget(
                actor=request.user, application=application, kind=kind, amounts=form.amounts()
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            balance = budget.balance_errors(form.amounts())
            if balance:
                messages.warning(request, _("Budget saved, but it does not balance yet: ") + " ".join(balance))
            else:
                messages.success(request, _("Budget saved; it balances."))
            return redirect("funding:application-detail", application.pk)
    return render_form(
        request,
        "funding/application_budget.html",
        {
            "form": form,
            "application": application,
            "kind": kind,
            "kind_label": BudgetKind(kind).label,
            "saved_totals": budget.totals(saved),
            "saved_errors": budget.balance_errors(saved) if saved else [],
            "sections": form.sections(),
            "side_labels": {
                budget.CHARGES: _("Charges"),
                budget.USES_IN_KIND: _("Uses of voluntary contributions in kind (86)"),
                budget.PRODUCTS: _("Products"),
                budget.SOURCES_IN_KIND: _("Voluntary contributions in kind (87)"),
            },
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def application_documents(request, pk):
    application = permissions.get_application_for_user(request.user, pk, write=True)
    if not application.is_editable:
        messages.error(request, _("This application was submitted: it can no longer be changed."))
        return redirect("funding:application-detail", application.pk)
    form = DocumentsForm(
        posted(request), association=application.association, initial={"documents": list(application.documents.all())}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.application_set_documents(
                actor=request.user, application=application, documents=list(form.cleaned_data["documents"])
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Attached documents saved."))
            return redirect("funding:application-detail", application.pk)
    return render_form(
        request,
        "funding/application_documents.html",
        {
            "form": form,
            "application": application,
            "required": application.call.scheme.get_required_documents_display(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def application_submit(request, pk):
    application = permissions.get_application_for_user(request.user, pk, write=True)
    if not application.is_editable:
        messages.error(request, _("This application was already submitted."))
        return redirect("funding:application-detail", application.pk)
    form = SubmitForm(posted(request), initial={"sworn_name": request.user.full_name})
    if request.method == "POST" and form.is_valid():
        try:
            version = services.application_submit(
                actor=request.user,
                application=application,
                sworn_name=form.cleaned_data["sworn_name"],
                sworn_capacity=form.cleaned_data["sworn_capacity"],
                sworn=form.cleaned_data["sworn"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Application submitted (version %(n)s).") % {"n": version.number})
            return redirect("funding:application-detail", application.pk)
    return render_form(
        request,
        "funding/application_submit.html",
        {"form": form, "application": application, "errors": services.submission_errors(application)},
    )


@login_required
@require_safe
def application_pdf(request, pk):
    from tissu.lib.pdf import pdf_response

    application = permissions.get_application_for_user(request.user, pk)
    context = {"application": application, **selectors.application_detail_context(application)}
    return pdf_response(template="funding/pdf/application.html", context=context, filename=application.reference)


@login_required
@require_safe
def application_version(request, pk, number):
    application = permissions.get_application_for_user(request.user, pk)
    version = application.versions.filter(number=number).first()
    if version is None:
        raise Http404
    snapshot = version.snapshot
    labels = {line.code: line.label for line in budget.all_lines()}
    lines = [{**line, "label": labels.get(line["code"], line["code"])} for line in snapshot.get("budget_lines", [])]
    return render(
        request,
        "funding/application_version.html",
        {"application": application, "version": version, "snapshot": snapshot, "lines": lines},
    )


@login_required
@require_safe
def application_letter(request, pk):
    from tissu.lib.pdf import pdf_response

    application = permissions.get_application_for_user(request.user, pk)
    office = permissions.is_office(request.user)
    if not application.decision or (application.status not in LETTER_STATUSES and not office):
        raise Http404
    return pdf_response(
        template="funding/pdf/letter.html",
        context={"application": application, "today": (application.notified_at or timezone.now()).date()},
        filename=f"{application.reference}-notification",
    )


@login_required
@require_http_methods(["GET", "POST"])
def final_report(request, pk):
    application = permissions.get_application_for_user(request.user, pk, write=True)
    if application.status != Status.REPORT_DUE or hasattr(application, "final_report"):
        messages.error(request, _("No final report is expected for this application now."))
        return redirect("funding:application-detail", application.pk)
    kind = BudgetKind.PROJECT if application.call.scheme.grant_kind == GrantKind.PROJECT else BudgetKind.ASSOCIATION
    lines = list(application.budget_lines.filter(budget=kind))
    form = FinalReportForm(posted(request), lines=lines)
    if request.method == "POST" and form.is_valid():
        try:
            services.final_report_submit(
                actor=request.user,
                application=application,
                actuals=form.actuals(),
                achievements=form.cleaned_data["achievements"],
                differences=form.cleaned_data["differences"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Final report sent to the associations office."))
            return redirect("funding:application-detail", application.pk)
    return render_form(request, "funding/final_report.html", {"form": form, "application": application})


# --- Document vault ------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def vault(request, slug):
    association = permissions.get_vault_for_user(request.user, slug, write=request.method == "POST")
    can_upload = permissions.is_manager_of(request.user, association)
    form = DocumentForm(posted(request), posted_files(request)) if can_upload else None
    if request.method == "POST" and form.is_valid():
        try:
            services.document_upload(actor=request.user, association=association, values=form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Document added to the vault."))
            return redirect("funding:vault", association.slug)
    today = timezone.localdate()
    documents = list(selectors.vault_documents(association))
    status = 400 if form is not None and form.is_bound and form.errors else 200
    return render(
        request,
        "funding/vault.html",
        {"association": association, "documents": documents, "form": form, "today": today},
        status=status,
    )


@login_required
@require_safe
def document_download(request, pk):
    document = permissions.get_document_for_user(request.user, pk)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    services.document_access_record(actor=request.user, document=document)
    return FileResponse(handle, as_attachment=True, filename=document.file.name.rsplit("/", 1)[-1])


@login_required
def document_delete(request, pk):
    document = permissions.get_document_for_user(request.user, pk)
    if not permissions.is_manager_of(request.user, document.association):
        raise PermissionDenied
    if response := post_only(request):
        return response
    slug = document.association.slug
    try:
        services.document_delete(actor=request.user, document=document)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Document deleted."))
    return redirect("funding:vault", slug)


urlpatterns = [
    path("", scheme_list, name="scheme-list"),
    path("dispositifs/<slug:slug>/", scheme_detail, name="scheme-detail"),
    path("dispositifs/<slug:slug>/eligibilite/", eligibility, name="eligibility"),
    path("appels/", call_list, name="call-list"),
    path("appels/<int:pk>/", call_detail, name="call-detail"),
    path("appels/<int:pk>/deposer/", application_create, name="application-create"),
    path("attribuees/", grant_list, name="grant-list"),
    path("attribuees/subventions.csv", grant_csv, name="grant-csv"),
    path("mes-demandes/", my_applications, name="my-applications"),
    path("demandes/<int:pk>/", application_detail, name="application-detail"),
    path("demandes/<int:pk>/modifier/", application_edit, name="application-edit"),
    path("demandes/<int:pk>/budget/<slug:kind>/", application_budget, name="application-budget"),
    path("demandes/<int:pk>/pieces/", application_documents, name="application-documents"),
    path("demandes/<int:pk>/deposer/", application_submit, name="application-submit"),
    path("demandes/<int:pk>/dossier.pdf", application_pdf, name="application-pdf"),
    path("demandes/<int:pk>/versions/<int:number>/", application_version, name="application-version"),
    path("demandes/<int:pk>/notification.pdf", application_letter, name="application-letter"),
    path("demandes/<int:pk>/compte-rendu/", final_report, name="final-report"),
    path("associations/<slug:slug>/documents/", vault, name="vault"),
    path("documents/<int:pk>/", document_download, name="document-download"),
    path("documents/<int:pk>/supprimer/", document_delete, name="document-delete"),
]
