"""One function per message sent by the accounts app."""

from django.conf import settings
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tissu.accounts.models import User
from tissu.accounts.tokens import email_verification_token, make_email_change_token
from tissu.lib.email import send_templated


def send_verification(*, user: User) -> None:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    path = reverse("accounts:verify-email", args=[uid, email_verification_token.make_token(user)])
    send_templated(
        template="accounts/emails/verify_email",
        to=user.email,
        language=user.language,
        context={"user": user, "url": settings.SITE_URL + path},
    )


def send_email_change_confirmation(*, user: User, new_email: str) -> None:
    path = reverse("accounts:email-change-confirm", args=[make_email_change_token(user=user, new_email=new_email)])
    send_templated(
        template="accounts/emails/email_change",
        to=new_email,
        language=user.language,
        context={"user": user, "new_email": new_email, "url": settings.SITE_URL + path},
    )


def send_email_changed_notice(*, user: User, old_email: str) -> None:
    send_templated(
        template="accounts/emails/email_changed",
        to=old_email,
        language=user.language,
        context={"user": user, "old_email": old_email},
    )


def send_account_deleted_notice(*, email: str, language: str) -> None:
    send_templated(template="accounts/emails/account_deleted", to=email, language=language, context={})
