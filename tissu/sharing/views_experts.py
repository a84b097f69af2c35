"""The expert base: experts' profiles, requests for help, matching, exchanges with consent, help given."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from tissu.city.permissions import associations_office_required
from tissu.directory.views_common import apply_errors, post_only, posted, render_form
from tissu.sharing import experts, permissions
from tissu.sharing.forms import (
    ME,
    ExpertFilterForm,
    ExpertProfileForm,
    HelpMessageForm,
    HelpRecordForm,
    HelpRequestForm,
    ProposeForm,
)
from tissu.sharing.models import ExpertProfile, HelpContactStatus, HelpRequestStatus

PAGE_SIZE = 20


@login_required
@require_safe
def expert_list(request):
    """Everyone signed in sees what the base is and may join it; the experts themselves are listed only
    to association managers, experts and the office."""
    can_browse = experts.can_browse(request.user)
    form = ExpertFilterForm(request.GET or None)
    page = None
    if can_browse:
        page = Paginator(experts.expert_search(**form.filters()), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "sharing/experts/expert_list.html",
        {
            "form": form,
            "page": page,
            "can_browse": can_browse,
            "profiles": experts.profiles_of(request.user),
            "can_ask": bool(permissions.managed_associations(request.user)),
        },
    )


def _owners(user) -> list[tuple[str, str]]:
    """Who the person may create a profile for: themselves, and associations they manage, without one yet."""
    taken = {profile.association_id for profile in experts.profiles_of(user)}
    has_own = ExpertProfile.objects.filter(user=user).exists()
    owners = [] if has_own else [(ME, _("myself"))]
    return owners + [(str(a.pk), a.name) for a in permissions.managed_associations(user) if a.pk not in taken]


@login_required
@require_http_methods(["GET", "POST"])
def expert_create(request):
    owners = _owners(request.user)
    if not owners:
        messages.info(request, _("Your profile already exists: edit it here."))
        return redirect("sharing:expert-list")
    initial = {"contact_email": request.user.email, "is_available": True, "offers_advice": True}
    form = ExpertProfileForm(posted(request), owners=owners, initial=initial)
    if request.method == "POST" and form.is_valid():
        choice = form.cleaned_data["offered_by"]
        association = (
            None
            if choice == ME
            else next(a for a in permissions.managed_associations(request.user) if str(a.pk) == choice)
        )
        try:
            expert = experts.expert_save(
                actor=request.user, values=form.values(), areas=form.cleaned_data["areas"], association=association
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The profile is in the expert base."))
            return redirect("sharing:expert-detail", expert.pk)
    return render_form(request, "sharing/experts/expert_form.html", {"form": form})


@login_required
@require_safe
def expert_detail(request, pk):
    expert = experts.get_expert_for_user(request.user, pk)
    manages = experts.can_manage_expert(request.user, expert)
    return render(
        request,
        "sharing/experts/expert_detail.html",
        {
            "expert": expert,
            "manages": manages,
            "contacts": expert.contacts.select_related("request", "request__association")[:100] if manages else None,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def expert_edit(request, pk):
    expert = experts.get_expert_for_user(request.user, pk, write=True)
    form = ExpertProfileForm(posted(request), owners=[], instance=expert, for_association=bool(expert.association_id))
    if request.method == "POST" and form.is_valid():
        try:
            experts.expert_save(
                actor=request.user, values=form.values(), areas=form.cleaned_data["areas"], expert=expert
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The profile was saved."))
            return redirect("sharing:expert-detail", expert.pk)
    return render_form(request, "sharing/experts/expert_form.html", {"form": form, "expert": expert})


@login_required
def expert_withdraw(request, pk):
    expert = experts.get_expert_for_user(request.user, pk, write=True)
    if (refused := post_only(request)) is not None:
        return refused
    experts.expert_withdraw(actor=request.user, expert=expert)
    messages.success(request, _("The profile has left the expert base; its exchanges were deleted."))
    return redirect("sharing:expert-list")


@login_required
@require_safe
def help_request_list(request):
    user = request.user
    return render(
        request,
        "sharing/experts/help_request_list.html",
        {
            "mine": experts.requests_of(user)[:100],
            "for_me": experts.requests_for_expert(user)[:100],
            "contacts": experts.contacts_of(user)[:100],
            "can_ask": bool(permissions.managed_associations(user)),
            "is_office": user.is_associations_office,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def help_request_create(request):
    associations = permissions.managed_associations(request.user)
    if not associations:
        raise PermissionDenied
    form = HelpRequestForm(posted(request), associations=associations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            help_request = experts.request_create(
                actor=request.user,
                association=data["association"],
                title=data["title"],
                description=data["description"],
                area=data["area"],
                help_format=data["help_format"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The request is saved: ask the experts suggested below."))
            return redirect("sharing:help-request-detail", help_request.pk)
    return render_form(request, "sharing/experts/help_request_form.html", {"form": form})


@login_required
@require_safe
def help_request_detail(request, pk):
    help_request = experts.get_request_for_user(request.user, pk)
    manages = experts.can_manage_request(request.user, help_request)
    sees_matches = manages or request.user.is_associations_office
    return render(
        request,
        "sharing/experts/help_request_detail.html",
        {
            "help_request": help_request,
            "manages": manages,
            "matches": experts.match_experts(help_request) if sees_matches else None,
            "is_open": help_request.status == HelpRequestStatus.OPEN,
        },
    )


@login_required
def help_request_close(request, pk):
    help_request = experts.get_request_for_user(request.user, pk, write=True)
    if (refused := post_only(request)) is not None:
        return refused
    try:
        experts.request_close(actor=request.user, help_request=help_request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The request is closed."))
    return redirect("sharing:help-request-detail", help_request.pk)


@login_required
@require_http_methods(["GET", "POST"])
def help_contact_propose(request, pk, expert_pk):
    help_request = experts.get_request_for_user(request.user, pk, write=True)
    expert = experts.get_expert_for_user(request.user, expert_pk)
    form = ProposeForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            contact = experts.contact_propose(
                actor=request.user, help_request=help_request, expert=expert, message=form.cleaned_data["message"]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The expert is asked; you will get the answer by email."))
            return redirect("sharing:help-contact-detail", contact.pk)
    return render_form(
        request,
        "sharing/experts/help_contact_propose.html",
        {"form": form, "help_request": help_request, "expert": expert},
    )


def _contact_page(request, contact, side, *, bound: dict | None = None):
    forms = {
        "message_form": HelpMessageForm(),
        "record_form": HelpRecordForm(initial={"day": timezone.localdate(), "help_format": contact.request.format}),
        **(bound or {}),
    }
    return render(
        request,
        "sharing/experts/help_contact_detail.html",
        {
            "contact": contact,
            "side": side,
            "help_request": contact.request,
            "expert": contact.expert,
            "is_accepted": contact.status == HelpContactStatus.ACCEPTED,
            **experts.contact_thread(contact),
            **forms,
        },
        status=400 if bound else 200,
    )


@login_required
@require_safe
def help_contact_detail(request, pk):
    contact, side = experts.get_contact_for_user(request.user, pk)
    return _contact_page(request, contact, side)


@login_required
def help_contact_act(request, pk, action):
    contact, side = experts.get_contact_for_user(request.user, pk)
    if (refused := post_only(request)) is not None:
        return refused
    if action in ("accept", "decline"):
        try:
            experts.contact_answer(actor=request.user, contact=contact, accept=action == "accept")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("You accepted: the association now sees your contact details.")
                if action == "accept"
                else _("You declined; the association is told."),
            )
        return redirect("sharing:help-contact-detail", contact.pk)
    forms = {"message": ("message_form", HelpMessageForm), "record": ("record_form", HelpRecordForm)}
    if action not in forms:
        raise Http404
    name, form_class = forms[action]
    form = form_class(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if action == "message":
                experts.message_post(actor=request.user, contact=contact, body=data["body"])
                messages.success(request, _("Message sent."))
            else:
                experts.record_help(
                    actor=request.user,
                    contact=contact,
                    day=data["day"],
                    hours=data["hours"],
                    help_format=data["help_format"],
                    note=data["note"],
                )
                messages.success(request, _("The help given is recorded. Thank you."))
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                messages.error(request, " ".join(error.messages))
                return redirect("sharing:help-contact-detail", contact.pk)
            apply_errors(form, error)
        else:
            return redirect("sharing:help-contact-detail", contact.pk)
    return _contact_page(request, contact, side, bound={name: form})


@associations_office_required
@require_safe
def help_given(request):
    return render(request, "sharing/experts/help_given.html", experts.help_given())


urlpatterns = [
    path("experts/", expert_list, name="expert-list"),
    path("experts/nouveau/", expert_create, name="expert-create"),
    path("experts/<int:pk>/", expert_detail, name="expert-detail"),
    path("experts/<int:pk>/modifier/", expert_edit, name="expert-edit"),
    path("experts/<int:pk>/retirer/", expert_withdraw, name="expert-withdraw"),
    path("experts/demandes/", help_request_list, name="help-request-list"),
    path("experts/demandes/nouvelle/", help_request_create, name="help-request-create"),
    path("experts/demandes/<int:pk>/", help_request_detail, name="help-request-detail"),
    path("experts/demandes/<int:pk>/fermer/", help_request_close, name="help-request-close"),
    path("experts/demandes/<int:pk>/demander/<int:expert_pk>/", help_contact_propose, name="help-contact-propose"),
    path("experts/echanges/<int:pk>/", help_contact_detail, name="help-contact-detail"),
    path("experts/echanges/<int:pk>/<slug:action>/", help_contact_act, name="help-contact-act"),
    path("experts/aide-apportee/", help_given, name="help-given"),
]
