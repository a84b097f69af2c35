"""Reads for claims, invitations and memberships (one query per list, whatever its length)."""

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.dateparse import parse_datetime

from tissu.accounts.models import User
from tissu.directory.models import Association, Claim, ClaimStatus, Invitation, Membership


def claim_pending_for(*, user, association: Association) -> Claim | None:
    return Claim.objects.filter(user=user, association=association, status=ClaimStatus.PENDING).first()


def claim_of_user(*, user, pk: int) -> Claim:
    """The person's own claim, or 404 (another person's claim does not exist for them)."""
    return get_object_or_404(Claim.objects.select_related("association"), pk=pk, user=user)


def claims_for_staff(*, status: str = "", origin: str = "", query: str = "") -> QuerySet[Claim]:
    claims = Claim.objects.select_related("user", "association", "decided_by").order_by("created_at", "pk")
    if status:
        claims = claims.filter(status=status)
    if origin:
        claims = claims.filter(association__origin=origin)
    if query:
        claims = claims.filter(
            Q(association__name__icontains=query)
            | Q(association__short_name__icontains=query)
            | Q(association__rna_id__iexact=query)
            | Q(user__full_name__icontains=query)
            | Q(user__email__icontains=query)
        )
    if status and status != ClaimStatus.PENDING:
        claims = claims.order_by("-decided_at", "-pk")
    return claims


def user_memberships(user) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user).select_related("association").order_by("association__name")


def user_claims(user) -> QuerySet[Claim]:
    return Claim.objects.filter(user=user).select_related("association").order_by("-created_at", "-pk")


def user_open_invitations(user) -> QuerySet[Invitation]:
    """Invitations sent to the person's address that they have not answered yet."""
    return (
        Invitation.objects.filter(email__iexact=user.email, accepted_at__isnull=True, revoked_at__isnull=True)
        .exclude(association__memberships__user=user)
        .select_related("association", "invited_by")
    )


def association_open_invitations(association: Association) -> QuerySet[Invitation]:
    return association.invitations.filter(accepted_at__isnull=True, revoked_at__isnull=True).select_related(
        "invited_by"
    )


def invitation_by_token(token: str) -> Invitation | None:
    return Invitation.objects.select_related("association", "invited_by").filter(token=token).first()


def provenance_rows(association: Association, field_names: list[str]) -> list[dict]:
    """For staff: where each value comes from, and who edited it in Tissu (one query for the editors)."""
    sources = association.field_sources
    editor_ids = {entry.get("by") for entry in sources.values() if entry.get("by")}
    editors = User.objects.in_bulk(editor_ids) if editor_ids else {}
    rows = []
    for name in field_names:
        entry = sources.get(name, {})
        rows.append(
            {
                "name": name,
                "label": Association._meta.get_field(name).verbose_name,
                "source": association.source_of(name),
                "by": editors.get(entry.get("by")),
                "at": parse_datetime(entry["at"]) if entry.get("at") else None,
            }
        )
    return rows
