"""One function per message sent by the directory (templates in directory/emails/)."""

from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Q
from django.urls import reverse

from tissu.accounts.models import StaffRole, User
from tissu.city.selectors import city_settings_get
from tissu.directory.models import MANAGER_ROLES
from tissu.lib.email import send_templated


def _url(name: str, *args) -> str:
    return settings.SITE_URL + reverse(name, args=args)


def association_managers(association) -> list[User]:
    """The people who manage an association (active accounts), to write to in each one's language."""
    return list(
        User.objects.filter(
            memberships__association=association,
            memberships__role__in=MANAGER_ROLES,
            is_active=True,
            deleted_at__isnull=True,
        )
        .distinct()
        .order_by("email")
    )


def office_recipients() -> list[str]:
    """The office's shared address if the city set one, else every person with the associations office role."""
    city = city_settings_get()
    if city.office_email:
        return [city.office_email]
    return sorted(
        User.objects.filter(is_active=True, deleted_at__isnull=True)
        .filter(Q(groups__name=StaffRole.ASSOCIATIONS_OFFICE) | Q(is_superuser=True))
        .values_list("email", flat=True)
        .distinct()
    )


def send_claim_received(*, claim, declared: bool = False) -> None:
    recipients = office_recipients()
    if not recipients:
        return
    send_templated(
        template="directory/emails/claim_received",
        to=recipients,
        context={
            "claim": claim,
            "association": claim.association,
            "claimant": claim.user,
            "declared": declared,
            "url": _url("directory:staff-claims"),
        },
        reply_to=claim.user.email,
    )


def send_claim_approved(*, claim) -> None:
    send_templated(
        template="directory/emails/claim_approved",
        to=claim.user.email,
        language=claim.user.language,
        context={
            "claim": claim,
            "association": claim.association,
            "user": claim.user,
            "url": _url("directory:association-edit", claim.association.slug),
        },
    )


def send_claim_refused(*, claim) -> None:
    send_templated(
        template="directory/emails/claim_refused",
        to=claim.user.email,
        language=claim.user.language,
        context={
            "claim": claim,
            "association": claim.association,
            "user": claim.user,
            "url": _url("directory:my-associations"),
        },
    )


def send_invitation(*, invitation) -> None:
    """To the invitee; someone without an account gets the sign-up link, which brings them back here after."""
    accept_path = reverse("directory:invitation-accept", args=[invitation.token])
    invitee = User.objects.filter(email__iexact=invitation.email, deleted_at__isnull=True).first()
    sign_up_url = None
    if invitee is None:
        sign_up_url = f"{_url('accounts:sign-up')}?{urlencode({'next': accept_path})}"
    send_templated(
        template="directory/emails/invitation",
        to=invitation.email,
        language=invitee.language if invitee is not None else None,
        context={
            "invitation": invitation,
            "association": invitation.association,
            "inviter": invitation.invited_by,
            "invitee": invitee,
            "url": settings.SITE_URL + accept_path,
            "sign_up_url": sign_up_url,
        },
    )


def send_member_removed(*, user, association, actor) -> None:
    send_templated(
        template="directory/emails/member_removed",
        to=user.email,
        language=user.language,
        context={"user": user, "association": association, "by_office": actor.is_associations_office},
    )
