"""Directory views for the associations office: the queue of claims, verification, the city's lists."""

import copy

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from tissu.city.permissions import associations_office_required
from tissu.directory import claims, selectors_claims, taxonomies
from tissu.directory.forms_staff import (
    AudienceForm,
    ClaimApproveForm,
    ClaimFilterForm,
    ClaimRefuseForm,
    NeighbourhoodForm,
    PriorityAreaForm,
    VerifyForm,
)
from tissu.directory.models import Claim, ClaimStatus
from tissu.directory.permissions import get_association_for_user
from tissu.directory.views_common import apply_errors, post_only, posted, redirect_next, render_form

TAXONOMY_FORMS = {"quartiers": NeighbourhoodForm, "qpv": PriorityAreaForm, "publics": AudienceForm}


@associations_office_required
@require_safe
def staff_claims(request):
    # Without any parameter the queue shows what needs an answer: the pending claims.
    form = ClaimFilterForm(request.GET if request.GET else {"status": ClaimStatus.PENDING})
    filters = form.cleaned_data if form.is_valid() else {"status": ClaimStatus.PENDING}
    claims_list = selectors_claims.claims_for_staff(
        status=filters.get("status", ""), origin=filters.get("origin", ""), query=filters.get("q", "")
    )
    page = Paginator(claims_list, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "directory/staff/claims.html",
        {
            "filter_form": form,
            "page": page,
            "approve_form": ClaimApproveForm(),
            "refuse_form": ClaimRefuseForm(),
            "pending": ClaimStatus.PENDING,
        },
    )


def _claim_row(request, claim: Claim, **context):
    """htmx: the queue's row of this claim, re-rendered in place after a decision (or with its error)."""
    claim = Claim.objects.select_related("user", "association", "decided_by").get(pk=claim.pk)
    return render(
        request,
        "directory/staff/claims.html#claim-row",
        {"claim": claim, "next": request.POST.get("next", ""), **context},
    )


@associations_office_required
def claim_approve(request, pk):
    claim = get_object_or_404(Claim.objects.select_related("association", "user"), pk=pk)
    if response := post_only(request):
        return response
    form = ClaimApproveForm(request.POST)
    form.is_valid()
    try:
        claims.claim_approve(actor=request.user, claim=claim, verify_association=form.cleaned_data.get("verify", False))
    except ValidationError as error:
        if request.htmx:
            return _claim_row(request, claim, row_error=" ".join(error.messages))
        messages.error(request, " ".join(error.messages))
    else:
        notice = _("%(person)s now manages %(name)s.") % {"person": claim.user, "name": claim.association.name}
        if request.htmx:
            return _claim_row(request, claim, notice=notice)
        messages.success(request, notice)
    return redirect_next(request, "directory:staff-claims")


@associations_office_required
def claim_refuse(request, pk):
    claim = get_object_or_404(Claim.objects.select_related("association", "user"), pk=pk)
    if response := post_only(request):
        return response
    form = ClaimRefuseForm(request.POST)
    if form.is_valid():
        try:
            claims.claim_refuse(actor=request.user, claim=claim, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                apply_errors(form, error)
            elif request.htmx:
                return _claim_row(request, claim, row_error=" ".join(error.messages))
            else:
                messages.error(request, " ".join(error.messages))
                return redirect_next(request, "directory:staff-claims")
        else:
            notice = _("The claim of %(person)s for %(name)s was refused; they were told why.") % {
                "person": claim.user,
                "name": claim.association.name,
            }
            if request.htmx:
                return _claim_row(request, claim, notice=notice)
            messages.success(request, notice)
            return redirect_next(request, "directory:staff-claims")
    if request.htmx:
        return _claim_row(request, claim, reason_error=" ".join(form.errors.get("reason", [])))
    return render(
        request,
        "directory/staff/claim_refuse.html",
        {"form": form, "claim": claim, "next": request.POST.get("next", "")},
        status=400,
    )


@associations_office_required
@require_safe
def claim_document(request, pk):
    """Supporting documents are personal: served to staff only, never from the public media folder."""
    claim = get_object_or_404(Claim, pk=pk)
    if not claim.document:
        raise Http404
    try:
        handle = claim.document.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=claim.document.name.rsplit("/", 1)[-1])


@associations_office_required
def association_verify(request, slug):
    association = get_association_for_user(request.user, slug, write=True)
    if response := post_only(request):
        return response
    form = VerifyForm(request.POST)
    if form.is_valid() and form.cleaned_data["action"] == "verify":
        claims.association_verify(actor=request.user, association=association)
        messages.success(request, _("%(name)s is marked as verified by the city.") % {"name": association.name})
    elif form.is_valid():
        claims.association_unverify(actor=request.user, association=association)
        messages.success(request, _("%(name)s is no longer marked as verified.") % {"name": association.name})
    else:
        messages.error(request, _("Unknown action."))
    return redirect_next(request, "directory:association-edit", association.slug)


def _taxonomy_or_404(kind: str) -> taxonomies.Taxonomy:
    try:
        return taxonomies.TAXONOMIES[kind]
    except KeyError:
        raise Http404 from None


def _taxonomies_page(request, bound: dict | None = None, status: int = 200):
    sections = []
    for key, taxonomy in taxonomies.TAXONOMIES.items():
        form = (bound or {}).get(key) or TAXONOMY_FORMS[key](prefix=key)
        sections.append({"key": key, "title": taxonomy.title, "entries": taxonomy.entries(), "form": form})
    return render(request, "directory/staff/taxonomies.html", {"sections": sections}, status=status)


@associations_office_required
@require_safe
def staff_taxonomies(request):
    return _taxonomies_page(request)


@associations_office_required
def taxonomy_add(request, kind):
    _taxonomy_or_404(kind)
    if response := post_only(request):
        return response
    form = TAXONOMY_FORMS[kind](request.POST, prefix=kind)
    if form.is_valid():
        try:
            entry = taxonomies.taxonomy_entry_create(actor=request.user, kind=kind, values=form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("“%(name)s” was added.") % {"name": entry})
            return redirect(reverse("directory:staff-taxonomies") + f"#{kind}")
    return _taxonomies_page(request, bound={kind: form}, status=400)


@associations_office_required
@require_http_methods(["GET", "POST"])
def taxonomy_edit(request, kind, pk):
    taxonomy = _taxonomy_or_404(kind)
    entry = get_object_or_404(taxonomy.model, pk=pk)
    form = TAXONOMY_FORMS[kind](posted(request), instance=copy.copy(entry))
    if request.method == "POST" and form.is_valid():
        try:
            entry = taxonomies.taxonomy_entry_update(
                actor=request.user, kind=kind, entry=entry, values=form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("“%(name)s” was saved.") % {"name": entry})
            return redirect("directory:staff-taxonomies")
    return render_form(
        request, "directory/staff/taxonomy_edit.html", {"form": form, "entry": entry, "taxonomy": taxonomy}
    )


@associations_office_required
def taxonomy_delete(request, kind, pk):
    taxonomy = _taxonomy_or_404(kind)
    entry = get_object_or_404(taxonomy.model, pk=pk)
    if response := post_only(request):
        return response
    try:
        taxonomies.taxonomy_entry_delete(actor=request.user, kind=kind, entry=entry)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("“%(name)s” was deleted.") % {"name": entry})
    return redirect("directory:staff-taxonomies")


urlpatterns = [
    path("gestion/revendications/", staff_claims, name="staff-claims"),
    path("gestion/revendications/<int:pk>/approuver/", claim_approve, name="claim-approve"),
    path("gestion/revendications/<int:pk>/refuser/", claim_refuse, name="claim-refuse"),
    path("gestion/revendications/<int:pk>/justificatif/", claim_document, name="claim-document"),
    path("gestion/associations/<slug:slug>/verification/", association_verify, name="staff-association-verify"),
    path("gestion/referentiels/", staff_taxonomies, name="staff-taxonomies"),
    path("gestion/referentiels/<str:kind>/ajouter/", taxonomy_add, name="staff-taxonomy-add"),
    path("gestion/referentiels/<str:kind>/<int:pk>/", taxonomy_edit, name="staff-taxonomy-edit"),
    path("gestion/referentiels/<str:kind>/<int:pk>/supprimer/", taxonomy_delete, name="staff-taxonomy-delete"),
]
