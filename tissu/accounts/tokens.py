from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import signing

EMAIL_CHANGE_SALT = "tissu.accounts.email-change"


class EmailVerificationTokenGenerator(PasswordResetTokenGenerator):
    """Single-use: the hash covers the verification state and the address being verified."""

    key_salt = "tissu.accounts.EmailVerificationTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        return f"{user.pk}{user.email}{user.email_verified_at}{timestamp}"


email_verification_token = EmailVerificationTokenGenerator()


def make_email_change_token(*, user, new_email: str) -> str:
    return signing.dumps({"u": user.pk, "old": user.email, "new": new_email}, salt=EMAIL_CHANGE_SALT)


def read_email_change_token(token: str, *, max_age: int) -> dict:
    """Returns {"u", "old", "new"}; raises signing.BadSignature (or SignatureExpired)."""
    return signing.loads(token, salt=EMAIL_CHANGE_SALT, max_age=max_age)
