"""Sharing views: the equipment catalogue, items, loan requests and the handling of loans."""

import datetime
import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from tissu.directory.views_common import apply_errors, post_only, posted, posted_files, render_form
from tissu.lib.pdf import pdf_response
from tissu.sharing import listings, permissions, selectors, services
from tissu.sharing.forms import (
    CITY,
    AnswerForm,
    CatalogueFilterForm,
    ConditionForm,
    DepositReceiveForm,
    DepositReturnForm,
    ItemForm,
    LoanHistoryFilterForm,
    LoanRequestForm,
    SlotForm,
)
from tissu.sharing.models import LoanStatus

PAGE_SIZE = 24


@require_safe
def catalogue(request):
    form = CatalogueFilterForm(request.GET or None)
    filters = form.filters()
    paginator = Paginator(selectors.catalogue(**filters), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "filters": filters}
    template = "sharing/catalogue.html#results" if request.htmx else "sharing/catalogue.html"
    return render(request, template, context)


def _month(request, today: datetime.date) -> datetime.date:
    """The month asked for (?mois=2026-12), within five years of today; else the current month."""
    try:
        month = datetime.datetime.strptime(request.GET.get("mois", ""), "%Y-%m").date()
    except ValueError:
        return today.replace(day=1)
    if abs(month.year - today.year) > 5:
        return today.replace(day=1)
    return month


@require_safe
def item_detail(request, pk):
    item = permissions.get_item_for_user(request.user, pk)
    today = timezone.localdate()
    month = _month(request, today)
    previous_month = (month - datetime.timedelta(days=1)).replace(day=1)
    next_month = (month + datetime.timedelta(days=31)).replace(day=1)
    manages = permissions.can_manage_item(request.user, item)
    return render(
        request,
        "sharing/item_detail.html",
        {
            "item": item,
            "manages": manages,
            "month": month,
            "previous_month": previous_month,
            "next_month": next_month,
            "weeks": selectors.month_calendar(item, month.year, month.month, today=today),
            "slots": list(item.pickup_slots.all()),
            "can_borrow": bool(permissions.borrowing_associations(request.user, item)),
            "loans": selectors.loans_of_item(item)[:50] if manages else None,
        },
    )


def _owners(user) -> list[tuple[str, str]]:
    owners = [(CITY, _("the city (equipment pool)"))] if user.is_associations_office else []
    owners += [(str(a.pk), a.name) for a in permissions.managed_associations(user)]
    return owners


@login_required
@require_http_methods(["GET", "POST"])
def item_create(request):
    owners = _owners(request.user)
    if not owners:
        raise PermissionDenied
    form = ItemForm(posted(request), posted_files(request), owners=owners)
    if request.method == "POST" and form.is_valid():
        choice = form.cleaned_data["owner_choice"]
        owner = (
            None
            if choice == CITY
            else next(a for a in permissions.managed_associations(request.user) if str(a.pk) == choice)
        )
        try:
            item = services.item_create(
                actor=request.user,
                owner=owner,
                values=form.values(),
                allowed_borrowers=list(form.cleaned_data["allowed_borrowers"]),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("“%(name)s” is now offered for loan.") % {"name": item.name})
            return redirect("sharing:item-detail", item.pk)
    return render_form(request, "sharing/item_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def item_edit(request, pk):
    item = permissions.get_item_for_user(request.user, pk, write=True)
    form = ItemForm(posted(request), posted_files(request), instance=item, owners=[])
    if request.method == "POST" and form.is_valid():
        try:
            services.item_update(
                actor=request.user,
                item=item,
                values=form.values(),
                allowed_borrowers=list(form.cleaned_data["allowed_borrowers"]),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The item was saved."))
            return redirect("sharing:item-detail", item.pk)
    return render_form(request, "sharing/item_form.html", {"form": form, "item": item})


@login_required
@require_http_methods(["GET", "POST"])
def loan_request(request, pk):
    item = permissions.get_item_for_user(request.user, pk)
    associations = permissions.borrowing_associations(request.user, item)
    if not associations:
        raise PermissionDenied
    form = LoanRequestForm(posted(request), associations=associations, item=item)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            loan = services.loan_request(
                actor=request.user,
                item=item,
                borrower=data["borrower"],
                quantity=data["quantity"],
                start_date=data["start_date"],
                end_date=data["end_date"],
                message=data["message"],
                pickup_slot=data.get("pickup_slot"),
                return_slot=data.get("return_slot"),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            if loan.status == LoanStatus.ACCEPTED:
                messages.success(request, _("The equipment is reserved for you."))
            else:
                messages.success(request, _("Your request was sent to the owner. You will get the answer by email."))
            return redirect("sharing:loan-detail", loan.pk)
    return render_form(request, "sharing/loan_request.html", {"form": form, "item": item})


@login_required
@require_safe
def my_loans(request):
    lent = selectors.loans_lent_by(request.user)
    return render(
        request,
        "sharing/my_loans.html",
        {
            "borrowed": selectors.loans_borrowed_by(request.user)[:100],
            "to_handle": lent.filter(status__in=[LoanStatus.REQUESTED, LoanStatus.ACCEPTED, LoanStatus.CHECKED_OUT])[
                :100
            ],
            "items": selectors.items_managed_by(request.user)[:100],
            "can_lend": bool(_owners(request.user)),
            "listings": listings.listings_of_user(request.user)[:50],
            "associations": permissions.managed_associations(request.user),
        },
    )


def _loan_page(request, loan, *, bound: dict | None = None):
    """The loan and the forms of the next steps; a form refused by a POST comes back bound, with a 400."""
    today = timezone.localdate()
    forms = {
        "answer_form": AnswerForm(),
        "condition_form": ConditionForm(),
        "deposit_receive_form": DepositReceiveForm(
            prefix="deposit", initial={"amount": loan.item.deposit, "received_on": today}
        ),
        "deposit_return_form": DepositReturnForm(
            prefix="deposit", initial={"amount": loan.deposit_amount, "returned_on": today}
        ),
        **(bound or {}),
    }
    return render(
        request,
        "sharing/loan_detail.html",
        {
            "loan": loan,
            "is_lender": permissions.is_lender(request.user, loan),
            "is_borrower": permissions.is_borrower(request.user, loan),
            **forms,
        },
        status=400 if bound else 200,
    )


@login_required
@require_safe
def loan_detail(request, pk):
    return _loan_page(request, permissions.get_loan_for_user(request.user, pk))


@login_required
@require_safe
def loan_photo(request, pk, moment):
    """A condition photo, for both sides of the loan only (never a public media URL)."""
    loan = permissions.get_loan_for_user(request.user, pk)
    photo = {"check-out": loan.checkout_photo, "return": loan.return_photo}.get(moment)
    if not photo:
        raise Http404
    try:
        handle = photo.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type=mimetypes.guess_type(photo.name)[0] or "application/octet-stream")
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _address(association) -> str:
    street = " ".join(
        part
        for part in (association.office_street_number, association.office_street_type, association.office_street_name)
        if part
    )
    town = " ".join(part for part in (association.office_postcode, association.office_city) if part)
    return ", ".join(part for part in (street, town) if part)


AGREEMENT_TEMPLATE = "sharing/pdf/loan_agreement.html"


def agreement_context(loan) -> dict:
    return {
        "loan": loan,
        "today": timezone.localdate(),
        "lender_address": _address(loan.item.owner) if loan.item.owner else "",
        "borrower_address": _address(loan.borrower),
    }


@login_required
@require_safe
def loan_agreement(request, pk):
    """The loan agreement (PDF) of an accepted, checked-out or returned loan, for both sides."""
    loan = permissions.get_loan_for_user(request.user, pk)
    if loan.status not in (LoanStatus.ACCEPTED, LoanStatus.CHECKED_OUT, LoanStatus.RETURNED):
        raise Http404
    return pdf_response(
        template=AGREEMENT_TEMPLATE,
        context=agreement_context(loan),
        filename=_("loan agreement %(number)s %(name)s") % {"number": loan.pk, "name": loan.item.name},
    )


# The forms of the actions that take more than a button: (form class, prefix, page context name).
ACTION_FORMS = {
    "check-out": (ConditionForm, None, "condition_form"),
    "return": (ConditionForm, None, "condition_form"),
    "deposit-receive": (DepositReceiveForm, "deposit", "deposit_receive_form"),
    "deposit-return": (DepositReturnForm, "deposit", "deposit_return_form"),
}


def _run_action(request, loan, action: str, data: dict):
    user = request.user
    answer = request.POST.get("answer", "")
    runs = {
        "accept": (lambda: services.loan_accept(actor=user, loan=loan, answer=answer), _("Loan accepted.")),
        "refuse": (lambda: services.loan_refuse(actor=user, loan=loan, answer=answer), _("Loan refused.")),
        "check-out": (
            lambda: services.loan_check_out(
                actor=user, loan=loan, note=data["note"], photo=data["photo"], photo_alt=data["photo_alt"]
            ),
            _("The equipment is marked as handed over."),
        ),
        "return": (
            lambda: services.loan_return(
                actor=user, loan=loan, note=data["note"], photo=data["photo"], photo_alt=data["photo_alt"]
            ),
            _("The equipment is marked as returned."),
        ),
        "deposit-receive": (
            lambda: services.loan_deposit_receive(
                actor=user, loan=loan, amount=data["amount"], received_on=data["received_on"]
            ),
            _("The deposit is recorded as received."),
        ),
        "deposit-return": (
            lambda: services.loan_deposit_return(
                actor=user, loan=loan, amount=data["amount"], returned_on=data["returned_on"], note=data["note"]
            ),
            _("The deposit is recorded as given back."),
        ),
        "cancel": (lambda: services.loan_cancel(actor=user, loan=loan), _("Loan cancelled.")),
    }
    return runs[action]


@login_required
def loan_act(request, pk, action):
    loan = permissions.get_loan_for_user(request.user, pk)
    if (refused := post_only(request)) is not None:
        return refused
    if action not in ("accept", "refuse", "cancel", *ACTION_FORMS):
        raise Http404
    form = None
    data = {}
    if action in ACTION_FORMS:
        form_class, prefix, name = ACTION_FORMS[action]
        form = form_class(request.POST, request.FILES, prefix=prefix)
        if not form.is_valid():
            return _loan_page(request, loan, bound={name: form})
        data = form.cleaned_data
    run, success = _run_action(request, loan, action, data)
    try:
        run()
    except ValidationError as error:
        if form is not None and hasattr(error, "error_dict"):
            apply_errors(form, error)
            return _loan_page(request, loan, bound={ACTION_FORMS[action][2]: form})
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success)
    return redirect("sharing:loan-detail", loan.pk)


@login_required
@require_http_methods(["GET", "POST"])
def item_slots(request, pk):
    """The item's weekly pickup and return slots: list, add (POST)."""
    item = permissions.get_item_for_user(request.user, pk, write=True)
    form = SlotForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.slot_add(actor=request.user, item=item, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The slot is added."))
            return redirect("sharing:item-slots", item.pk)
    return render_form(
        request, "sharing/item_slots.html", {"form": form, "item": item, "slots": list(item.pickup_slots.all())}
    )


@login_required
def item_slot_remove(request, pk, slot_pk):
    item = permissions.get_item_for_user(request.user, pk, write=True)
    if (refused := post_only(request)) is not None:
        return refused
    slot = next((slot for slot in item.pickup_slots.all() if slot.pk == slot_pk), None)
    if slot is None:
        raise Http404
    try:
        services.slot_remove(actor=request.user, slot=slot)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The slot is removed."))
    return redirect("sharing:item-slots", item.pk)


HISTORY_PAGE_SIZE = 50


def _history(request, *, title: str, loans, context: dict):
    form = LoanHistoryFilterForm(request.GET or None)
    filtered = selectors.loan_history(**loans, status=form.chosen_status())
    page = Paginator(filtered, HISTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    summary = selectors.loan_summary(selectors.loan_history(**loans))
    return render(
        request,
        "sharing/loan_history.html",
        {"title": title, "form": form, "page": page, "summary": summary, **context},
    )


@login_required
@require_safe
def item_history(request, pk):
    item = permissions.get_item_for_user(request.user, pk, write=True)
    return _history(
        request,
        title=_("Loans of %(name)s") % {"name": item.name},
        loans={"item": item},
        context={"item": item},
    )


@login_required
@require_safe
def borrower_history(request, slug):
    association = permissions.get_borrower_for_user(request.user, slug)
    return _history(
        request,
        title=_("What %(name)s borrowed") % {"name": association.name},
        loans={"borrower": association},
        context={"borrower": association},
    )


urlpatterns = [
    path("", catalogue, name="catalogue"),
    path("materiel/nouveau/", item_create, name="item-create"),
    path("materiel/<int:pk>/", item_detail, name="item-detail"),
    path("materiel/<int:pk>/modifier/", item_edit, name="item-edit"),
    path("materiel/<int:pk>/emprunter/", loan_request, name="loan-request"),
    path("materiel/<int:pk>/historique/", item_history, name="item-history"),
    path("materiel/<int:pk>/creneaux/", item_slots, name="item-slots"),
    path("materiel/<int:pk>/creneaux/<int:slot_pk>/supprimer/", item_slot_remove, name="item-slot-remove"),
    path("prets/", my_loans, name="my-loans"),
    path("associations/<slug:slug>/prets/", borrower_history, name="borrower-history"),
    path("prets/<int:pk>/", loan_detail, name="loan-detail"),
    path("prets/<int:pk>/photo/<slug:moment>/", loan_photo, name="loan-photo"),
    path("prets/<int:pk>/convention.pdf", loan_agreement, name="loan-agreement"),
    path("prets/<int:pk>/<slug:action>/", loan_act, name="loan-act"),
]
