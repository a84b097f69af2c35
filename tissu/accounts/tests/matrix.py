from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tests.matrix import LOGIN, OFFICE_ONLY, PUBLIC, SIGNED_IN_ONLY, Row, expect

# Pages for visitors: a signed-in person is sent on to their account page (302).
GUEST_ONLY = expect(302, anonymous=200)


def _volunteer_uid(personas):
    return {"args": [urlsafe_base64_encode(force_bytes(personas["volunteer"].pk)), "wrong-token"]}


ROWS = [
    Row("accounts:sign-up", GUEST_ONLY),
    Row("accounts:sign-up-done", PUBLIC),
    # A wrong token answers 400 for everyone, whether or not the account is verified (no account enumeration).
    Row("accounts:verify-email", expect(400), setup=_volunteer_uid, browse=False),
    Row("accounts:login", GUEST_ONLY),
    Row("accounts:logout", expect(405), note="POST only", browse=False),
    Row("accounts:password-reset", PUBLIC),
    Row("accounts:password-reset-done", PUBLIC),
    Row("accounts:password-reset-confirm", PUBLIC, setup=_volunteer_uid),
    Row("accounts:password-reset-complete", PUBLIC),
    Row("accounts:password-change", SIGNED_IN_ONLY),
    Row("accounts:dashboard", SIGNED_IN_ONLY),
    Row("accounts:email-change", SIGNED_IN_ONLY),
    Row(
        "accounts:email-change-confirm",
        expect(400, anonymous=LOGIN),
        setup=lambda personas: {"args": ["not-a-token"]},
    ),
    Row("accounts:delete", SIGNED_IN_ONLY),
    Row("accounts:data-export", SIGNED_IN_ONLY, browse=False),
    Row("accounts:people", OFFICE_ONLY),
    Row(
        "accounts:person-roles",
        OFFICE_ONLY,
        setup=lambda personas: {"args": [personas["volunteer"].public_id]},
    ),
]
