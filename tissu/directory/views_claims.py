"""Directory views: claiming an association, declaring one, my associations, accepting an invitation."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from tissu.directory import claims, selectors_claims
from tissu.directory.forms_claims import ClaimForm, DeclareForm
from tissu.directory.models import MANAGER_ROLES
from tissu.directory.permissions import get_association_for_user, is_manager, is_member
from tissu.directory.views_common import apply_errors, posted, posted_files, redirect_next, render_form


@login_required
@require_http_methods(["GET", "POST"])
def claim_create(request, slug):
    association = get_association_for_user(request.user, slug)
    context = {"association": association}
    if is_manager(request.user, association):
        context["manages"] = True
        return render(request, "directory/claims/claim_create.html", context)
    pending = selectors_claims.claim_pending_for(user=request.user, association=association)
    if pending is not None:
        context["pending"] = pending
        return render(request, "directory/claims/claim_create.html", context)
    form = ClaimForm(posted(request), posted_files(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            claims.claim_create(
                user=request.user,
                association=association,
                role=data["role"],
                message=data["message"],
                document=data["document"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "Your request to manage %(name)s was sent to the associations office. "
                    "You will get its answer by email."
                )
                % {"name": association.name},
            )
            return redirect("directory:my-associations")
    context["form"] = form
    return render_form(request, "directory/claims/claim_create.html", context)


@login_required
@require_POST
def claim_withdraw(request, pk):
    claim = selectors_claims.claim_of_user(user=request.user, pk=pk)
    try:
        claims.claim_withdraw(user=request.user, claim=claim)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your request to manage %(name)s was withdrawn.") % {"name": claim.association})
    return redirect_next(request, "directory:my-associations")


@login_required
@require_http_methods(["GET", "POST"])
def association_declare(request):
    form = DeclareForm(posted(request), posted_files(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            association, _claim = claims.association_declare(
                user=request.user,
                values=form.association_values(),
                role=data["role"],
                message=data["message"],
                document=data["document"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "%(name)s is now in the directory, marked as not yet verified. The associations office will "
                    "check it and answer your request to manage it by email."
                )
                % {"name": association.name},
            )
            return redirect("directory:my-associations")
    return render_form(request, "directory/claims/declare.html", {"form": form})


@login_required
@require_safe
def my_associations(request):
    return render(
        request,
        "directory/claims/my_associations.html",
        {
            "memberships": selectors_claims.user_memberships(request.user),
            "claims": selectors_claims.user_claims(request.user),
            "invitations": selectors_claims.user_open_invitations(request.user),
            "manager_roles": MANAGER_ROLES,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def invitation_accept(request, token):
    invitation = selectors_claims.invitation_by_token(token)
    if invitation is None or not invitation.is_open:
        return render(request, "directory/claims/invitation_invalid.html", status=400)
    association = invitation.association
    context = {"invitation": invitation, "association": association}
    if is_member(request.user, association):
        context["already_member"] = True
        return render(request, "directory/claims/invitation_accept.html", context)
    if request.method == "POST":
        try:
            membership = claims.invitation_accept(user=request.user, invitation=invitation)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("directory:my-associations")
        messages.success(
            request,
            _("Welcome to %(name)s: you are now %(role)s.")
            % {"name": association.name, "role": membership.get_role_display()},
        )
        if membership.is_manager:
            return redirect("directory:association-edit", association.slug)
        return redirect("directory:my-associations")
    return render(request, "directory/claims/invitation_accept.html", context)


urlpatterns = [
    path("declarer/", association_declare, name="association-declare"),
    path("mes-associations/", my_associations, name="my-associations"),
    path("revendications/<int:pk>/retirer/", claim_withdraw, name="claim-withdraw"),
    path("invitation/<str:token>/", invitation_accept, name="invitation-accept"),
    path("<slug:slug>/revendiquer/", claim_create, name="claim-create"),
]
