"""Every template compiles, and every template is rendered by some request or email of this test."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.template.loader import get_template
from django.test.signals import template_rendered
from django.urls import reverse

from conftest import PERSONAS
from tests.test_authorization_matrix import ROWS

ROOT = Path(settings.BASE_DIR) / "tissu"


def template_names() -> list[str]:
    names = []
    for folder in [ROOT / "templates", *sorted(ROOT.glob("*/templates"))]:
        names += [str(path.relative_to(folder)) for path in folder.rglob("*") if path.suffix in {".html", ".txt"}]
    return sorted(names)


@pytest.mark.parametrize("name", template_names())
def test_each_template_compiles(name):
    get_template(name)


@pytest.mark.django_db
def test_every_template_is_rendered_somewhere(personas, client_for, django_capture_on_commit_callbacks):
    rendered: set[str] = set()

    def record(sender, template, context, **kwargs):
        if template.name:
            rendered.add(template.name)

    template_rendered.connect(record)
    try:
        # Every page of the matrix, for every persona that may see it.
        for row in ROWS.values():
            params = row.setup(personas) if row.setup else {}
            url = reverse(row.url_name, args=params.get("args", []), kwargs=params.get("kwargs", {}))
            for persona in PERSONAS:
                if row.expected[persona] in (200, 400):
                    getattr(client_for(personas[persona]), row.method)(url, row.data)
        client = client_for(None)
        # Forms with errors, the error pages and every email.
        client.post(reverse("accounts:sign-up"), {"email": "not-an-email"})
        client.post(reverse("city:home"))
        with django_capture_on_commit_callbacks(execute=True):
            client.post(
                reverse("accounts:sign-up"),
                {"full_name": "New Person", "email": "new@example.org", "password": "a-Long-passphrase-42",
                 "language": "fr", "accept_terms": "on"},
            )  # fmt: skip
            client.post(reverse("accounts:password-reset"), {"email": personas["volunteer"].email})
            signed_in = client_for(personas["volunteer"])
            signed_in.post(
                reverse("accounts:email-change"), {"email": "vera@example.org", "password": "correct-horse-battery"}
            )
        assert len(mail.outbox) == 3
        for _ in range(settings.AXES_FAILURE_LIMIT + 1):
            client_for(None).post(reverse("accounts:login"), {"username": "nobody@example.org", "password": "wrong"})
        client.get("/nowhere/")
        from django.test import Client

        Client(enforce_csrf_checks=True).post(reverse("accounts:login"), {})
    finally:
        template_rendered.disconnect(record)

    never = sorted(set(template_names()) - rendered - NOT_RENDERED_HERE)
    assert not never, f"templates no test renders: {never}"


# Rendered in other tests, each named here.
NOT_RENDERED_HERE = {
    "pdf/test_document.html",  # tests/test_lib.py: the PDF helper's own test document
    "500.html",  # tests/test_templates.py::test_the_server_error_page_renders_without_context
    "accounts/emails/email_changed.html", "accounts/emails/email_changed.txt",
    "accounts/emails/email_changed_subject.txt",  # accounts tests: confirming an email change
    "accounts/emails/account_deleted.html", "accounts/emails/account_deleted.txt",
    "accounts/emails/account_deleted_subject.txt",  # tests/test_lib.py and accounts deletion tests
    "accounts/email_change_failed.html",  # accounts tests: stale email-change link
    "accounts/verify_email_failed.html",  # accounts tests: wrong verification link
    "403.html",  # authorisation matrix: every 403
}  # fmt: skip
# The directory's claims and membership emails: tissu/directory/tests/test_claims_emails.py renders each one.
NOT_RENDERED_HERE |= {
    f"directory/emails/{name}{suffix}"
    for name in ("claim_received", "claim_approved", "claim_refused", "invitation", "member_removed")
    for suffix in (".html", ".txt", "_subject.txt")
}
NOT_RENDERED_HERE |= {
    "directory/claims/invitation_invalid.html",  # tissu/directory/tests/test_claims_invitations.py: used link
    "directory/staff/claim_refuse.html",  # tissu/directory/tests/test_staff_claims.py: refusal without reason
}
# The sharing module's loan emails: tissu/sharing/tests/test_loans.py sends each one.
NOT_RENDERED_HERE |= {
    f"sharing/emails/{name}{suffix}"
    for name in ("loan_requested", "loan_decided", "loan_cancelled")
    for suffix in (".html", ".txt", "_subject.txt")
}
NOT_RENDERED_HERE |= {
    # tissu/sharing/tests/test_catalogue.py: a profile of an association that lends equipment
    "sharing/includes/profile_equipment.html",
}
# Sharing's reminders (test_reminders_history.py) and the expert base's emails (test_experts.py).
NOT_RENDERED_HERE |= {
    f"sharing/emails/{name}{suffix}"
    for name in ("loan_due_soon", "loan_overdue", "help_proposed", "help_answered", "help_message")
    for suffix in (".html", ".txt", "_subject.txt")
}
NOT_RENDERED_HERE |= {"pdf/test_document.html"}  # tests/test_lib.py renders it to a PDF


# Volunteering: tissu/volunteering/tests/test_applications.py renders the notices (one layout for every message),
# tissu/volunteering/tests/test_search.py the section of the association's profile.
NOT_RENDERED_HERE |= {
    "volunteering/emails/notice.html", "volunteering/emails/notice.txt", "volunteering/emails/notice_subject.txt",
    "volunteering/includes/profile_missions.html",
}  # fmt: skip

# Council: tissu/council/tests/test_meetings.py sends each email and shows actions followed at the next meeting.
NOT_RENDERED_HERE |= {
    f"council/emails/{name}{suffix}"
    for name in ("convocation", "minutes_published", "consultation_asked", "consultation_answered")
    for suffix in (".html", ".txt", "_subject.txt")
} | {"council/includes/actions.html", "council/vote_not_representative.html"}


def test_the_server_error_page_renders_without_context():
    html = get_template("500.html").render({})
    assert "<h1>Erreur du serveur</h1>" in html


# The agenda's emails and the events section of an association's profile: tissu/agenda/tests render each one.
NOT_RENDERED_HERE |= {"agenda/includes/profile_events.html"} | {
    f"agenda/emails/{name}{suffix}"
    for name in (
        "registration_confirmed",
        "registration_waiting",
        "place_offered",
        "schedule_changed",
        "reminder",
        "attendee_message",
        "organiser_notice",
    )
    for suffix in (".html", ".txt", "_subject.txt")
}

# Funding: tissu/funding/tests (test_applications, test_review, test_reminders, test_overview_and_agreements)
# send every message; test_opendata.py renders the grants section of an association's profile.
NOT_RENDERED_HERE |= {"funding/emails/_update_message.txt", "funding/includes/profile_grants.html"} | {
    f"funding/emails/{name}{suffix}"
    for name in (
        "application_update", "application_received_office", "application_reminder", "document_expiring",
        "agreement_renewal",
    )
    for suffix in (".html", ".txt", "_subject.txt")
}  # fmt: skip
# The rooms module's emails: tissu/rooms/tests/test_bookings.py (a request to approve, a refusal) and
# tissu/rooms/tests/test_campaigns.py (the published season) send each one.
NOT_RENDERED_HERE |= {
    f"rooms/emails/{name}{suffix}"
    for name in ("booking_requested", "booking_decided", "campaign_published")
    for suffix in (".html", ".txt", "_subject.txt")
}
