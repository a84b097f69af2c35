"""The directory's one permission gateway: every view gets its association through here."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from tissu.directory.models import MANAGER_ROLES, Association, Membership


def is_manager(user, association: Association) -> bool:
    if not user.is_authenticated:
        return False
    return Membership.objects.filter(user=user, association=association, role__in=MANAGER_ROLES).exists()


def managed_associations(user) -> list[Association]:
    """The associations this person manages (officers with a manager's role), by name: what every module
    offers them to act for (lend, borrow, book, apply for a grant, vote)."""
    if not user.is_authenticated:
        return []
    return list(
        Association.objects.filter(memberships__user=user, memberships__role__in=MANAGER_ROLES)
        .distinct()
        .order_by("search_name", "id")
    )


def is_member(user, association: Association) -> bool:
    return user.is_authenticated and Membership.objects.filter(user=user, association=association).exists()


def can_edit(user, association: Association) -> bool:
    return user.is_authenticated and (user.is_associations_office or is_manager(user, association))


def can_see_private_contacts(user, association: Association) -> bool:
    """Personal contacts (officers, management address) only for staff and the association's members."""
    return user.is_authenticated and (user.is_associations_office or is_member(user, association))


def get_association_for_user(user, slug: str, *, write: bool = False) -> Association:
    """The association with this slug, or 404; with write=True, PermissionDenied unless staff or a manager.

    Publicly, removed associations (RNA position S) and those the RNA forbids publishing are hidden from
    everyone but staff and their members.
    """
    try:
        association = Association.objects.select_related("neighbourhood", "qpv").get(slug=slug)
    except Association.DoesNotExist:
        raise Http404 from None
    if write:
        if not user.is_authenticated:
            raise PermissionDenied
        if not can_edit(user, association):
            raise PermissionDenied
        return association
    if not is_publicly_visible(association) and not can_see_private_contacts(user, association):
        raise Http404
    return association


def is_publicly_visible(association: Association) -> bool:
    return association.rna_position != "S" and association.publish_on_web


def require_associations_office(user) -> None:
    if not (user.is_authenticated and user.is_associations_office):
        raise PermissionDenied
