"""Directory views for an association's managers (and staff): profile editing, members, invitations."""

import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from tissu.directory import claims, profile, selectors, selectors_claims
from tissu.directory.forms_manage import FieldResetForm, InvitationForm, MembershipRoleForm, ProfileForm
from tissu.directory.models import RNA_FIELDS, Membership, MembershipRole
from tissu.directory.permissions import get_association_for_user, is_manager
from tissu.directory.views_common import apply_errors, post_only, posted, posted_files, redirect_next, render_form


def _provenance(association):
    names = [name for name in profile.EDITABLE_FIELDS if name in RNA_FIELDS or name in association.field_sources]
    names += [name for name in association.field_sources if name not in names and name in RNA_FIELDS]
    return selectors_claims.provenance_rows(association, names)


@login_required
@require_http_methods(["GET", "POST"])
def association_edit(request, slug):
    association = get_association_for_user(request.user, slug, write=True)
    # The form works on a copy: a bound ModelForm writes the submitted values onto its instance.
    form = ProfileForm(posted(request), posted_files(request), instance=copy.copy(association))
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in profile.EDITABLE_FIELDS}
        try:
            changed = profile.association_update_profile(actor=request.user, association=association, values=values)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            if changed:
                labels = [str(form.fields[name].label) for name in changed]
                messages.success(
                    request,
                    ngettext("Saved. Field changed: %(fields)s.", "Saved. Fields changed: %(fields)s.", len(changed))
                    % {"fields": ", ".join(labels)},
                )
            else:
                messages.info(request, _("Nothing changed."))
            return redirect("directory:association-edit", association.slug)
    context = {"form": form, "association": association}
    if request.user.is_associations_office:
        context["provenance"] = _provenance(association)
    return render_form(request, "directory/manage/association_edit.html", context)


@login_required
def association_field_reset(request, slug):
    association = get_association_for_user(request.user, slug, write=True)
    if not request.user.is_associations_office:
        raise PermissionDenied
    if response := post_only(request):
        return response
    form = FieldResetForm(request.POST)
    if form.is_valid():
        field = form.cleaned_data["field"]
        try:
            profile.association_reset_field(actor=request.user, association=association, field=field)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("“%(field)s” will take the register's value again at the next import.")
                % {"field": association._meta.get_field(field).verbose_name},
            )
    else:
        messages.error(request, _("Unknown field."))
    return redirect("directory:association-edit", association.slug)


@login_required
@require_http_methods(["GET"])
def members(request, slug):
    association = get_association_for_user(request.user, slug, write=True)
    return render(
        request,
        "directory/manage/members.html",
        {
            "association": association,
            "memberships": selectors.association_memberships(association),
            "invitations": selectors_claims.association_open_invitations(association),
            "roles": MembershipRole.choices,
        },
    )


def _membership(request, slug, pk) -> Membership:
    """A membership of an association the person may manage (through the gateway), or 404."""
    association = get_association_for_user(request.user, slug, write=True)
    return get_object_or_404(association.memberships.select_related("user", "association"), pk=pk)


def _after_membership_change(request, association):
    # Someone who just left (or stopped managing) can no longer see the members page.
    if request.user.is_associations_office or is_manager(request.user, association):
        return redirect("directory:members", association.slug)
    return redirect("directory:my-associations")


@login_required
def membership_remove(request, slug, pk):
    membership = _membership(request, slug, pk)
    if response := post_only(request):
        return response
    association, person = membership.association, membership.user
    try:
        claims.membership_remove(actor=request.user, membership=membership)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if person == request.user:
            messages.success(request, _("You left %(name)s.") % {"name": association.name})
        else:
            messages.success(request, _("%(person)s was removed from the association.") % {"person": person})
    return _after_membership_change(request, association)


@login_required
def membership_set_role(request, slug, pk):
    membership = _membership(request, slug, pk)
    if response := post_only(request):
        return response
    form = MembershipRoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a role from the list."))
        return redirect("directory:members", slug)
    try:
        membership = claims.membership_set_role(
            actor=request.user, membership=membership, role=form.cleaned_data["role"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(person)s is now %(role)s.") % {"person": membership.user, "role": membership.get_role_display()},
        )
    return _after_membership_change(request, membership.association)


@login_required
def representative_designate(request, slug, pk):
    membership = _membership(request, slug, pk)
    if response := post_only(request):
        return response
    try:
        claims.representative_designate(actor=request.user, membership=membership)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(person)s now represents the association.") % {"person": membership.user})
    return redirect("directory:members", slug)


@login_required
@require_http_methods(["GET", "POST"])
def invitation_create(request, slug):
    association = get_association_for_user(request.user, slug, write=True)
    form = InvitationForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            invitation = claims.invitation_create(actor=request.user, association=association, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The invitation was sent to %(email)s.") % {"email": invitation.email})
            return redirect("directory:members", association.slug)
    return render_form(request, "directory/manage/invitation_create.html", {"form": form, "association": association})


@login_required
def invitation_revoke(request, slug, pk):
    association = get_association_for_user(request.user, slug, write=True)
    invitation = get_object_or_404(association.invitations, pk=pk)
    if response := post_only(request):
        return response
    try:
        claims.invitation_revoke(actor=request.user, invitation=invitation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The invitation to %(email)s was revoked.") % {"email": invitation.email})
    return redirect_next(request, "directory:members", association.slug)


urlpatterns = [
    path("<slug:slug>/modifier/", association_edit, name="association-edit"),
    path("<slug:slug>/modifier/retablir/", association_field_reset, name="association-field-reset"),
    path("<slug:slug>/membres/", members, name="members"),
    path("<slug:slug>/membres/inviter/", invitation_create, name="invitation-create"),
    path("<slug:slug>/membres/<int:pk>/retirer/", membership_remove, name="membership-remove"),
    path("<slug:slug>/membres/<int:pk>/role/", membership_set_role, name="membership-role"),
    path("<slug:slug>/membres/<int:pk>/representant/", representative_designate, name="representative-designate"),
    path("<slug:slug>/membres/invitations/<int:pk>/revoquer/", invitation_revoke, name="invitation-revoke"),
]
