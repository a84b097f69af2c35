"""Every write on accounts. Views call these; nothing else saves a User."""

import uuid

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tissu.accounts import emails
from tissu.accounts.models import StaffRole, User
from tissu.audit.services import audit_log
from tissu.lib import personal_data


def _normalise_email(email: str) -> str:
    return email.strip().lower()


def _ensure_email_free(email: str, *, exclude: User | None = None) -> None:
    others = User.objects.filter(email__iexact=email)
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    if others.exists():
        raise ValidationError({"email": _("An account already uses this email address.")})


def _save_unique_email(user: User, **save_kwargs) -> None:
    """Save, turning a lost race on the case-insensitive unique email into the same error as the check."""
    try:
        with transaction.atomic():
            user.save(**save_kwargs)
    except IntegrityError:
        raise ValidationError({"email": _("An account already uses this email address.")}) from None


@transaction.atomic
def user_sign_up(*, email: str, full_name: str, password: str, language: str = "fr") -> User:
    email = _normalise_email(email)
    _ensure_email_free(email)
    user = User(email=email, full_name=full_name.strip(), language=language)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    _save_unique_email(user)
    audit_log(actor=user, action="accounts.user.signed_up", target=user)
    emails.send_verification(user=user)
    return user


@transaction.atomic
def user_verify_email(*, user: User) -> User:
    if user.email_verified_at is None:
        user.email_verified_at = timezone.now()
        user.save(update_fields=["email_verified_at"])
        audit_log(actor=user, action="accounts.user.email_verified", target=user)
    return user


def user_resend_verification(*, email: str) -> None:
    """Silent when nothing matches, so the form cannot tell who has an account."""
    user = User.objects.filter(
        email__iexact=_normalise_email(email), email_verified_at__isnull=True, deleted_at__isnull=True
    ).first()
    if user is not None:
        emails.send_verification(user=user)


@transaction.atomic
def user_update_profile(*, user: User, full_name: str, language: str) -> User:
    user.full_name = full_name.strip()
    user.language = language
    user.full_clean(exclude=["password"])
    user.save(update_fields=["full_name", "language"])
    return user


def user_request_email_change(*, user: User, new_email: str) -> None:
    new_email = _normalise_email(new_email)
    if new_email == user.email:
        raise ValidationError({"email": _("This is already your email address.")})
    _ensure_email_free(new_email, exclude=user)
    emails.send_email_change_confirmation(user=user, new_email=new_email)


@transaction.atomic
def user_confirm_email_change(*, user: User, old_email: str, new_email: str) -> User:
    if user.email != old_email:
        raise ValidationError(_("This link is no longer valid: your email address changed since it was sent."))
    _ensure_email_free(new_email, exclude=user)
    user.email = new_email
    user.email_verified_at = timezone.now()
    _save_unique_email(user, update_fields=["email", "email_verified_at"])
    audit_log(actor=user, action="accounts.user.email_changed", target=user)
    emails.send_email_changed_notice(user=user, old_email=old_email)
    return user


@transaction.atomic
def user_delete(*, user: User) -> None:
    """Erase personal data; keep an anonymous row so that records which must stay (audit, votes) still hold."""
    for provider in personal_data.providers():
        provider.erase(user)
    old_email = user.email
    language = user.language
    user.email = f"deleted-{uuid.uuid4().hex}@invalid.tissu"
    user.full_name = ""
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.deleted_at = timezone.now()
    user.last_login = None
    user.set_unusable_password()
    user.save(
        update_fields=[
            "email",
            "full_name",
            "is_active",
            "is_staff",
            "is_superuser",
            "deleted_at",
            "last_login",
            "password",
        ]
    )
    user.groups.clear()
    user.user_permissions.clear()
    _delete_sessions_of(user)
    audit_log(actor=None, action="accounts.user.deleted", target=user)
    emails.send_account_deleted_notice(email=old_email, language=language)


def user_erase_account_records(user: User) -> None:
    """The accounts app's share of erasure: the sign-in records django-axes keeps (address, IP, browser)."""
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        model.objects.filter(username__iexact=user.email).delete()


def _delete_sessions_of(user: User) -> None:
    # Sessions are signed blobs: decode each live one. Fine at a city's scale, and only on deletion.
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            session.delete()


@transaction.atomic
def user_set_roles(*, actor: User, user: User, roles: list[str]) -> User:
    wanted = {role for role in roles if role in StaffRole.values}
    current = set(user.groups.filter(name__in=StaffRole.values).values_list("name", flat=True))
    if wanted == current:
        return user
    if user == actor and StaffRole.ASSOCIATIONS_OFFICE.value in current - wanted:
        raise ValidationError(_("You cannot remove your own associations office role."))
    groups = {group.name: group for group in Group.objects.filter(name__in=StaffRole.values)}
    user.groups.remove(*[groups[name] for name in current - wanted])
    user.groups.add(*[groups[name] for name in wanted - current])
    audit_log(
        actor=actor,
        action="accounts.user.roles_changed",
        target=user,
        data={"added": sorted(wanted - current), "removed": sorted(current - wanted)},
    )
    return user
