"""Seasonal campaigns: the call, the requests, the optimiser's proposal, validation and publication."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from tissu.directory.models import Association
from tissu.directory.permissions import is_manager
from tissu.directory.views_common import apply_errors, post_only, posted, render_form
from tissu.rooms import campaigns, permissions
from tissu.rooms.forms import CampaignForm, PinForm, SlotRequestForm
from tissu.rooms.models import Campaign, CampaignStatus, Decision, RequestStatus, RunState, SlotOption


@require_safe
def campaign_list(request):
    rows = Campaign.objects.annotate(
        request_count=Count("requests", filter=Q(requests__status=RequestStatus.SUBMITTED))
    )
    if not permissions.is_office(request.user):
        rows = rows.exclude(status=CampaignStatus.DRAFT)
    return render(
        request, "rooms/campaign_list.html", {"campaigns": rows, "office": permissions.is_office(request.user)}
    )


@require_safe
def campaign_detail(request, pk):
    campaign = permissions.get_campaign_for_user(request.user, pk)
    managed = permissions.managed_associations(request.user)
    commission = permissions.is_commission(request.user)
    requests = campaign.requests.select_related("association", "allocated_room", "allocated_option").prefetch_related(
        "options"
    )
    # The commission reads every request once they are closed; the office always; managers their own.
    sees_all = permissions.is_office(request.user) or (commission and campaign.status != CampaignStatus.OPEN)
    if not sees_all:
        requests = requests.filter(association__in=managed)
    requests = list(requests.order_by("association__name", "activity", "id"))
    active = [r for r in requests if r.status == RequestStatus.SUBMITTED]
    counts = {
        "submitted": len(active),
        "allocated": sum(1 for r in active if r.decision == Decision.ALLOCATED),
        "refused": sum(1 for r in active if r.decision == Decision.REFUSED),
    }
    return render(
        request,
        "rooms/campaign_detail.html",
        {
            "campaign": campaign,
            "requests": requests,
            "counts": counts,
            "office": permissions.is_office(request.user),
            "commission": commission,
            "can_file": campaign.status == CampaignStatus.OPEN and bool(managed),
            "rooms": campaign.rooms.select_related("building"),
            "report": campaign.run_report,
            "running": campaign.run_state in (RunState.QUEUED, RunState.RUNNING),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def campaign_edit(request, pk=None):
    if not permissions.is_office(request.user):
        raise PermissionDenied
    campaign = permissions.get_campaign_for_user(request.user, pk, write=True) if pk else None
    form = CampaignForm(posted(request), instance=campaign)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = campaigns.campaign_save(
                actor=request.user, campaign=campaign, values=form.values(), rooms=list(form.cleaned_data["rooms"])
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Campaign saved."))
            return redirect("rooms:campaign-detail", campaign.pk)
    return render_form(request, "rooms/simple_form.html", {"form": form, "heading": _("Allocation campaign")})


CAMPAIGN_ACTIONS = {"open", "close", "reopen", "run", "validate", "publish"}


@login_required
def campaign_act(request, pk, action):
    campaign = permissions.get_campaign_for_user(request.user, pk)
    if action not in CAMPAIGN_ACTIONS:
        raise PermissionDenied
    allowed = permissions.is_commission if action == "validate" else permissions.is_office
    if not allowed(request.user):
        raise PermissionDenied
    if response := post_only(request):
        return response
    try:
        if action == "run":
            campaigns.campaign_run_enqueue(actor=request.user, campaign=campaign)
            messages.success(request, _("The allocation is computing: this page shows its state."))
        elif action == "validate":
            campaigns.campaign_validate(actor=request.user, campaign=campaign)
            messages.success(request, _("The allocation is validated by the commission."))
        elif action == "publish":
            summary = campaigns.campaign_publish(actor=request.user, campaign=campaign)
            messages.success(
                request,
                _("Published: %(bookings)s bookings created, %(skipped)s dates skipped (already booked or past).")
                % summary,
            )
        else:
            campaigns.campaign_move(actor=request.user, campaign=campaign, action=action)
            messages.success(request, _("Campaign updated."))
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    return redirect("rooms:campaign-detail", campaign.pk)


@login_required
@require_http_methods(["GET", "POST"])
def request_create(request, pk):
    campaign = permissions.get_campaign_for_user(request.user, pk)
    managed = permissions.managed_associations(request.user)
    if not managed:
        raise PermissionDenied
    if campaign.status != CampaignStatus.OPEN:
        messages.error(request, _("This campaign does not take requests any more."))
        return redirect("rooms:campaign-detail", campaign.pk)
    rooms = campaign.rooms.select_related("building")
    form = SlotRequestForm(
        posted(request), associations=Association.objects.filter(pk__in=[a.pk for a in managed]), rooms=rooms
    )
    if request.method == "POST" and form.is_valid():
        try:
            slot_request, warnings = campaigns.request_file(
                actor=request.user,
                campaign=campaign,
                association=form.cleaned_data["association"],
                values=form.values(),
                equipment=list(form.cleaned_data["equipment"]),
                options=form.options(),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Your request is filed."))
            for warning in warnings:
                messages.warning(request, warning)
            return redirect("rooms:request-detail", slot_request.pk)
    return render_form(request, "rooms/request_form.html", {"form": form, "campaign": campaign, "rooms": rooms})


@login_required
@require_safe
def request_detail(request, pk):
    slot_request = permissions.get_request_for_user(request.user, pk)
    office = permissions.is_office(request.user)
    return render(
        request,
        "rooms/request_detail.html",
        {
            "slot_request": slot_request,
            "options": slot_request.options.select_related("room", "room__building"),
            "office": office,
            "may_withdraw": _may_withdraw(request.user, slot_request, office),
            "reviewing": office and slot_request.campaign.status == CampaignStatus.REVIEW,
            "pin_form": PinForm(slot_request=slot_request) if office else None,
        },
    )


def _may_withdraw(user, slot_request, office: bool) -> bool:
    if slot_request.status != RequestStatus.SUBMITTED:
        return False
    status = slot_request.campaign.status
    if office:
        return status not in (CampaignStatus.VALIDATED, CampaignStatus.PUBLISHED)
    return status == CampaignStatus.OPEN and is_manager(user, slot_request.association)


REQUEST_ACTIONS = {"withdraw", "pin", "unpin", "forbid", "allow"}


@login_required
def request_act(request, pk, action):
    if action not in REQUEST_ACTIONS:
        raise PermissionDenied
    slot_request = permissions.get_request_for_user(request.user, pk, write=True)
    if action != "withdraw" and not permissions.is_office(request.user):
        raise PermissionDenied
    if response := post_only(request):
        return response
    try:
        if action == "withdraw":
            campaigns.request_withdraw(actor=request.user, slot_request=slot_request)
            messages.success(request, _("The request is withdrawn."))
        elif action == "pin":
            form = PinForm(request.POST, slot_request=slot_request)
            if not form.is_valid():
                raise ValidationError(_("Choose one of the request's slots."))
            campaigns.request_pin(
                actor=request.user, slot_request=slot_request, option=form.cleaned_data["option"],
                room=form.cleaned_data["room"],
            )  # fmt: skip
            messages.success(request, _("Pinned: run the allocation again to apply it."))
        elif action == "unpin":
            campaigns.request_pin(actor=request.user, slot_request=slot_request, option=None)
            messages.success(request, _("Unpinned: run the allocation again to apply it."))
        else:
            option = get_object_or_404(SlotOption, pk=request.POST.get("option"), request=slot_request)
            campaigns.option_forbid(actor=request.user, option=option, forbidden=action == "forbid")
            messages.success(request, _("Saved: run the allocation again to apply it."))
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    return redirect("rooms:request-detail", slot_request.pk)


urlpatterns = [
    path("campagnes/", campaign_list, name="campaign-list"),
    path("campagnes/nouvelle/", campaign_edit, name="campaign-create"),
    path("campagnes/<int:pk>/", campaign_detail, name="campaign-detail"),
    path("campagnes/<int:pk>/modifier/", campaign_edit, name="campaign-edit"),
    path("campagnes/<int:pk>/demande/", request_create, name="request-create"),
    path("campagnes/<int:pk>/<slug:action>/", campaign_act, name="campaign-act"),
    path("demandes/<int:pk>/", request_detail, name="request-detail"),
    path("demandes/<int:pk>/<slug:action>/", request_act, name="request-act"),
]
