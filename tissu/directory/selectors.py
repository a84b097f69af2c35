"""Reads of the directory that span relations. Search lives in search_selectors.py."""

from django.db.models import QuerySet

from tissu.directory.models import MANAGER_ROLES, Association, Membership


def memberships_export(user) -> list[dict]:
    return [
        {
            "association": membership.association.name,
            "rna_id": membership.association.rna_id,
            "role": membership.role,
            "is_representative": membership.is_representative,
            "since": membership.created_at.isoformat(),
        }
        for membership in Membership.objects.filter(user=user).select_related("association")
    ]


def associations_managed_by(user) -> QuerySet[Association]:
    if not user.is_authenticated:
        return Association.objects.none()
    return Association.objects.filter(memberships__user=user, memberships__role__in=MANAGER_ROLES).order_by("name")


def association_memberships(association: Association) -> QuerySet[Membership]:
    return association.memberships.select_related("user").order_by("-is_representative", "role", "user__full_name")
