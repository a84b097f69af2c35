"""Claims, declarations, verification, invitations and memberships: who manages which association.

A signed-in person claims an association found in the directory (or declares one missing from the
register); the associations office approves or refuses with a reason. Managers then invite and remove
members and designate the association's one representative. Every write is atomic and audited, and
the emails it sends leave only once the transaction commits (tissu.lib.email).
"""

import re
from pathlib import PurePath

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from stdnum.fr import siret as siret_number

from tissu.audit.services import audit_log
from tissu.directory import emails
from tissu.directory.models import (
    MANAGER_ROLES,
    Association,
    Claim,
    ClaimStatus,
    Invitation,
    Membership,
    MembershipRole,
    Origin,
)
from tissu.directory.services import association_derived_fields, unique_slug

DOCUMENT_EXTENSIONS = {".pdf", ".jpg", ".jpeg", ".png"}
DOCUMENT_MAX_BYTES = 5 * 1024 * 1024
CLAIM_ROLES = [role for role in MembershipRole.values if role != MembershipRole.MEMBER]

# What a person may fill in when declaring an association the register does not hold.
DECLARABLE_FIELDS = [
    "name", "short_name", "object", "rna_id", "siret", "creation_date", "theme_1",
    "office_complement", "office_street_number", "office_street_repetition", "office_street_type",
    "office_street_name", "office_postcode", "office_city", "office_insee_code",
]  # fmt: skip


# Validation shared by forms and services -------------------------------------------------------


def validate_supporting_document(document) -> None:
    """PDF, JPEG or PNG, at most 5 MB: checked by name and size (the file is only shown to staff)."""
    if not document:
        return
    extension = PurePath(document.name or "").suffix.lower()
    if extension not in DOCUMENT_EXTENSIONS:
        raise ValidationError(
            _("The supporting document must be a PDF, JPEG or PNG file (this one is “%(name)s”)."),
            params={"name": PurePath(document.name or "").name},
            code="document_type",
        )
    if document.size > DOCUMENT_MAX_BYTES:
        raise ValidationError(
            _("The supporting document weighs %(size)s MB; the limit is 5 MB."),
            params={"size": formats.number_format(document.size / (1024 * 1024), 1)},
            code="document_size",
        )


def normalise_siret(value: str) -> str:
    """Digits only (people paste SIRETs with spaces or dots); ValidationError unless a valid SIRET or empty."""
    digits = re.sub(r"[\s.\-/]", "", value or "")
    if digits and not siret_number.is_valid(digits):
        raise ValidationError(
            {"siret": _("This SIRET is not valid: 14 digits with a correct check digit, e.g. 732 829 320 00074.")}
        )
    return digits


def _manager_ids(association: Association) -> list[int]:
    return list(Membership.objects.filter(association=association, role__in=MANAGER_ROLES).values_list("pk", flat=True))


def _lock_membership(membership: Membership) -> Membership:
    """Lock the association's row, serialising its membership changes (two managers removing each other
    at once), then read the membership again: the other request may have changed or removed it."""
    list(Association.objects.select_for_update().filter(pk=membership.association_id).values_list("pk", flat=True))
    try:
        return Membership.objects.select_related("association", "user").get(pk=membership.pk)
    except Membership.DoesNotExist:
        raise ValidationError(_("This person is no longer a member of the association.")) from None


def _decided(claim: Claim, actor) -> None:
    claim.decided_by = actor
    claim.decided_at = timezone.now()


def _lock_pending_claim(claim: Claim) -> Claim:
    locked = Claim.objects.select_for_update().select_related("association", "user").get(pk=claim.pk)
    if locked.status != ClaimStatus.PENDING:
        raise ValidationError(
            _("This claim was already handled (its status is now “%(status)s”).")
            % {"status": locked.get_status_display()}
        )
    return locked


# Claims -----------------------------------------------------------------------------------------


@transaction.atomic
def claim_create(
    *, user, association: Association, role: str, message: str = "", document=None, declared: bool = False
) -> Claim:
    """Ask to manage an association. One pending claim per person and association (database constraint)."""
    if Membership.objects.filter(user=user, association=association, role__in=MANAGER_ROLES).exists():
        raise ValidationError(_("You already manage this association: there is nothing to claim."))
    if Claim.objects.filter(user=user, association=association, status=ClaimStatus.PENDING).exists():
        raise ValidationError(_("You already asked to manage this association; the associations office will answer."))
    validate_supporting_document(document)
    claim = Claim(user=user, association=association, role=role, message=message.strip())
    if document:
        claim.document = document
    claim.full_clean(exclude=["document"], validate_constraints=False)
    try:
        # A savepoint: a concurrent identical claim loses on the constraint, not on a broken transaction.
        with transaction.atomic():
            claim.save()
    except IntegrityError:
        raise ValidationError(
            _("You already asked to manage this association; the associations office will answer.")
        ) from None
    audit_log(actor=user, action="directory.claim.created", target=association, data={"claim": claim.pk, "role": role})
    emails.send_claim_received(claim=claim, declared=declared)
    return claim


@transaction.atomic
def claim_approve(*, actor, claim: Claim, verify_association: bool = False) -> Membership:
    """The claimant becomes a manager with the claimed role (an existing membership takes that role)."""
    claim = _lock_pending_claim(claim)
    association = claim.association
    membership = Membership.objects.select_for_update().filter(user=claim.user, association=association).first()
    if membership is None:
        membership = Membership(user=claim.user, association=association, role=claim.role)
        membership.full_clean(validate_constraints=False)
        membership.save()
    elif membership.role != claim.role:
        membership.role = claim.role
        membership.save(update_fields=["role"])
    claim.status = ClaimStatus.APPROVED
    _decided(claim, actor)
    claim.save(update_fields=["status", "decided_by", "decided_at"])
    verified = False
    if verify_association and not association.is_verified:
        association_verify(actor=actor, association=association)
        verified = True
    audit_log(
        actor=actor,
        action="directory.claim.approved",
        target=association,
        data={"claim": claim.pk, "role": claim.role, "user": str(claim.user.public_id), "verified": verified},
    )
    emails.send_claim_approved(claim=claim)
    return membership


@transaction.atomic
def claim_refuse(*, actor, claim: Claim, reason: str) -> Claim:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason: the person will read it in the email we send.")})
    claim = _lock_pending_claim(claim)
    claim.status = ClaimStatus.REFUSED
    claim.refusal_reason = reason
    _decided(claim, actor)
    claim.save(update_fields=["status", "refusal_reason", "decided_by", "decided_at"])
    audit_log(
        actor=actor,
        action="directory.claim.refused",
        target=claim.association,
        data={"claim": claim.pk, "user": str(claim.user.public_id)},
    )
    emails.send_claim_refused(claim=claim)
    return claim


@transaction.atomic
def claim_withdraw(*, user, claim: Claim) -> Claim:
    if claim.user_id != user.pk:
        raise PermissionDenied
    claim = _lock_pending_claim(claim)
    claim.status = ClaimStatus.WITHDRAWN
    claim.decided_at = timezone.now()
    claim.save(update_fields=["status", "decided_at"])
    audit_log(actor=user, action="directory.claim.withdrawn", target=claim.association, data={"claim": claim.pk})
    return claim


# Declared associations and verification ---------------------------------------------------------


@transaction.atomic
def association_declare(
    *, user, values: dict, role: str, message: str = "", document=None
) -> tuple[Association, Claim]:
    """An association missing from the register (new, or under local law in Alsace-Moselle).

    It enters the directory at once (origin "declared", not verified), with a pending claim of its
    declarer; staff verify it, usually when they approve the claim.
    """
    values = {field: value for field, value in values.items() if field in DECLARABLE_FIELDS}
    values["siret"] = normalise_siret(values.get("siret", ""))
    rna_id = (values.get("rna_id") or "").strip().upper() or None
    values["rna_id"] = rna_id
    if rna_id and Association.objects.filter(rna_id=rna_id).exists():
        raise ValidationError(
            {"rna_id": _("An association with this RNA number is already in the directory: find it and claim it.")}
        )
    if values["siret"] and Association.objects.filter(siret=values["siret"]).exists():
        raise ValidationError(
            {"siret": _("An association with this SIRET is already in the directory: find it and claim it.")}
        )
    for field in ("name", "short_name", "object"):
        values[field] = (values.get(field) or "").strip()
    association = Association(origin=Origin.DECLARED, **values)
    association.slug = unique_slug(association.name, rna_id)
    for field, value in association_derived_fields(values).items():
        setattr(association, field, value)
    association.full_clean()
    association.save()
    audit_log(actor=user, action="directory.association.declared", target=association, data={"rna_id": rna_id})
    claim = claim_create(
        user=user, association=association, role=role, message=message, document=document, declared=True
    )
    return association, claim


@transaction.atomic
def association_verify(*, actor, association: Association) -> Association:
    """The city checked that this association exists (and, for a declared one, that it is what it says)."""
    if association.verified_at is None:
        association.verified_at = timezone.now()
        association.verified_by = actor
        association.save(update_fields=["verified_at", "verified_by", "updated_at"])
        audit_log(actor=actor, action="directory.association.verified", target=association)
    return association


@transaction.atomic
def association_unverify(*, actor, association: Association) -> Association:
    if association.verified_at is not None:
        association.verified_at = None
        association.verified_by = None
        association.save(update_fields=["verified_at", "verified_by", "updated_at"])
        audit_log(actor=actor, action="directory.association.unverified", target=association)
    return association


# Invitations ------------------------------------------------------------------------------------


@transaction.atomic
def invitation_create(*, actor, association: Association, email: str, role: str) -> Invitation:
    email = (email or "").strip().lower()
    if Membership.objects.filter(association=association, user__email__iexact=email).exists():
        raise ValidationError({"email": _("This person is already a member of the association.")})
    if Invitation.objects.filter(
        association=association, email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True
    ).exists():
        raise ValidationError(
            {"email": _("An invitation to this address is already open. Revoke it first to send a new one.")}
        )
    invitation = Invitation(association=association, email=email, role=role, invited_by=actor)
    invitation.full_clean()
    invitation.save()
    audit_log(
        actor=actor,
        action="directory.invitation.created",
        target=association,
        data={"invitation": invitation.pk, "role": role},
    )
    emails.send_invitation(invitation=invitation)
    return invitation


def _lock_open_invitation(invitation: Invitation) -> Invitation:
    locked = Invitation.objects.select_for_update().select_related("association").get(pk=invitation.pk)
    if not locked.is_open:
        raise ValidationError(_("This invitation is no longer valid: it was already used or revoked."))
    return locked


@transaction.atomic
def invitation_accept(*, user, invitation: Invitation) -> Membership:
    """Whoever holds the link joins, signed in with any address: the link itself is the proof."""
    invitation = _lock_open_invitation(invitation)
    association = invitation.association
    if Membership.objects.filter(user=user, association=association).exists():
        raise ValidationError(_("You are already a member of this association."))
    membership = Membership(user=user, association=association, role=invitation.role)
    membership.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            membership.save()
    except IntegrityError:
        raise ValidationError(_("You are already a member of this association.")) from None
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    audit_log(
        actor=user,
        action="directory.invitation.accepted",
        target=association,
        data={"invitation": invitation.pk, "role": invitation.role},
    )
    return membership


@transaction.atomic
def invitation_revoke(*, actor, invitation: Invitation) -> Invitation:
    invitation = _lock_open_invitation(invitation)
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    audit_log(
        actor=actor,
        action="directory.invitation.revoked",
        target=invitation.association,
        data={"invitation": invitation.pk},
    )
    return invitation


# Memberships ------------------------------------------------------------------------------------


def _is_last_manager(membership: Membership) -> bool:
    return membership.is_manager and _manager_ids(membership.association) == [membership.pk]


def _guard_last_manager(*, actor, membership: Membership, removing: bool) -> None:
    # The associations office may leave an association without manager (a dispute, a person who left);
    # its managers may not, or nobody could manage it any more.
    if actor.is_associations_office or not _is_last_manager(membership):
        return
    if membership.user_id == actor.pk:
        message = (
            _(
                "You are the association's last manager: you cannot leave it. "
                "Give a managing role to someone else first."
            )
            if removing
            else _("You are the association's last manager: give a managing role to someone else first.")
        )
    else:
        message = _("This is the association's last manager: give a managing role to someone else first.")
    raise ValidationError(message)


@transaction.atomic
def membership_remove(*, actor, membership: Membership) -> None:
    membership = _lock_membership(membership)
    _guard_last_manager(actor=actor, membership=membership, removing=True)
    association, user = membership.association, membership.user
    data = {"user": str(user.public_id), "role": membership.role, "was_representative": membership.is_representative}
    membership.delete()
    audit_log(actor=actor, action="directory.membership.removed", target=association, data=data)
    if user.pk != actor.pk and user.is_active:
        emails.send_member_removed(user=user, association=association, actor=actor)


@transaction.atomic
def membership_set_role(*, actor, membership: Membership, role: str) -> Membership:
    membership = _lock_membership(membership)
    if role == membership.role:
        return membership
    if role not in MANAGER_ROLES:
        _guard_last_manager(actor=actor, membership=membership, removing=False)
    previous = membership.role
    membership.role = role
    membership.full_clean(validate_constraints=False)
    membership.save(update_fields=["role"])
    audit_log(
        actor=actor,
        action="directory.membership.role_changed",
        target=membership.association,
        data={"user": str(membership.user.public_id), "from": previous, "to": role},
    )
    return membership


@transaction.atomic
def representative_designate(*, actor, membership: Membership) -> Membership:
    """Exactly one representative per association (a partial unique constraint backs this up)."""
    membership = _lock_membership(membership)
    if membership.is_representative:
        return membership
    previous = (
        Membership.objects.filter(association=membership.association, is_representative=True)
        .select_related("user")
        .first()
    )
    if previous is not None:
        previous.is_representative = False
        previous.save(update_fields=["is_representative"])
    membership.is_representative = True
    try:
        with transaction.atomic():
            membership.save(update_fields=["is_representative"])
    except IntegrityError:
        raise ValidationError(_("Someone changed the representative at the same time: try again.")) from None
    audit_log(
        actor=actor,
        action="directory.membership.representative_designated",
        target=membership.association,
        data={
            "user": str(membership.user.public_id),
            "previous": str(previous.user.public_id) if previous is not None else None,
        },
    )
    return membership
