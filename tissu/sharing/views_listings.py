"""Offers and wants: the board of small ads between associations, reports and moderation."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from tissu.city.permissions import associations_office_required
from tissu.directory.views_common import apply_errors, post_only, posted, render_form
from tissu.sharing import listings, permissions
from tissu.sharing.forms import ListingFilterForm, ListingForm, ReportForm

PAGE_SIZE = 20


@require_safe
def listing_list(request):
    form = ListingFilterForm(request.GET or None)
    kind = form.cleaned_data["kind"] if form.is_valid() else ""
    page = Paginator(listings.listing_list(kind=kind), PAGE_SIZE).get_page(request.GET.get("page"))
    can_post = bool(permissions.managed_associations(request.user))
    return render(request, "sharing/listing_list.html", {"form": form, "page": page, "can_post": can_post})


@require_safe
def listing_detail(request, pk):
    listing = listings.get_listing_for_user(request.user, pk)
    return render(
        request,
        "sharing/listing_detail.html",
        {"listing": listing, "manages": listings.can_manage_listing(request.user, listing)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def listing_create(request):
    associations = permissions.managed_associations(request.user)
    if not associations:
        raise PermissionDenied
    form = ListingForm(
        posted(request),
        associations=associations,
        initial={"expires_on": timezone.localdate() + datetime.timedelta(days=60)},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            listing = listings.listing_create(
                actor=request.user,
                association=data["association"],
                kind=data["kind"],
                title=data["title"],
                body=data["body"],
                expires_on=data["expires_on"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Your listing is published."))
            return redirect("sharing:listing-detail", listing.pk)
    return render_form(request, "sharing/listing_form.html", {"form": form})


@login_required
def listing_close(request, pk):
    listing = listings.get_listing_for_user(request.user, pk, write=True)
    if (refused := post_only(request)) is not None:
        return refused
    try:
        listings.listing_close(actor=request.user, listing=listing)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The listing is closed."))
    return redirect("sharing:listing-list")


@login_required
@require_http_methods(["GET", "POST"])
def listing_report(request, pk):
    listing = listings.get_listing_for_user(request.user, pk)
    form = ReportForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            listings.listing_report(actor=request.user, listing=listing, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Thank you: the associations office will look at this listing."))
            return redirect("sharing:listing-detail", listing.pk)
    return render_form(request, "sharing/listing_report.html", {"form": form, "listing": listing})


@associations_office_required
@require_safe
def listing_moderation(request):
    return render(request, "sharing/listing_moderation.html", {"reported": listings.listings_reported()[:100]})


@associations_office_required
def listing_moderate(request, pk):
    listing = listings.get_listing_for_user(request.user, pk, write=True)
    if (refused := post_only(request)) is not None:
        return refused
    hide = request.POST.get("decision") == "hide"
    listings.listing_moderate(actor=request.user, listing=listing, hide=hide)
    messages.success(request, _("The listing is hidden.") if hide else _("The listing is published again."))
    return redirect("sharing:listing-moderation")


urlpatterns = [
    path("annonces/", listing_list, name="listing-list"),
    path("annonces/nouvelle/", listing_create, name="listing-create"),
    path("annonces/moderation/", listing_moderation, name="listing-moderation"),
    path("annonces/<int:pk>/", listing_detail, name="listing-detail"),
    path("annonces/<int:pk>/fermer/", listing_close, name="listing-close"),
    path("annonces/<int:pk>/signaler/", listing_report, name="listing-report"),
    path("annonces/<int:pk>/moderer/", listing_moderate, name="listing-moderate"),
]
