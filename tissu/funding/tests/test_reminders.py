import datetime

import pytest
from django.core import mail
from django.utils import timezone

from tissu.funding import services
from tissu.funding.models import ApplicationStep, GrantApplication, Status
from tissu.funding.tests.factories import make_application, make_decided, make_document

pytestmark = pytest.mark.django_db


def test_an_expiring_document_is_reminded_once(association_a, django_capture_on_commit_callbacks):
    today = timezone.localdate()
    make_document(association=association_a, valid_until=today + datetime.timedelta(days=10), title="RIB")
    make_document(association=association_a, kind="insurance", valid_until=today + datetime.timedelta(days=300))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.document_expiry_reminders(today=today) == 1
    assert [m.to for m in mail.outbox] == [["alice@example.org"]]
    assert "RIB" in mail.outbox[0].subject
    with django_capture_on_commit_callbacks(execute=True):
        assert services.document_expiry_reminders(today=today) == 0
    assert len(mail.outbox) == 1


def test_a_document_replaced_by_a_newer_one_is_not_reminded(association_a, django_capture_on_commit_callbacks):
    today = timezone.localdate()
    make_document(association=association_a, valid_until=today + datetime.timedelta(days=5))
    make_document(association=association_a, valid_until=today + datetime.timedelta(days=400))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.document_expiry_reminders(today=today) == 0
    assert mail.outbox == []


def test_stale_applications_and_overdue_reports_are_reminded_once(personas, django_capture_on_commit_callbacks):
    now = timezone.now()
    incomplete = make_application(status=Status.INCOMPLETE, missing_items="Le budget")
    ApplicationStep.objects.create(
        application=incomplete, status=Status.INCOMPLETE, at=now - datetime.timedelta(days=20)
    )
    fresh = make_application(status=Status.INCOMPLETE, association="association-b")
    ApplicationStep.objects.create(application=fresh, status=Status.INCOMPLETE, at=now - datetime.timedelta(days=2))
    overdue = make_decided(status=Status.REPORT_DUE)
    GrantApplication.objects.filter(pk=overdue.pk).update(
        report_due_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.stale_reminders(now=now) == 2
    # Messages are in the recipient's language (French by default): the references tell them apart.
    subjects = " ".join(m.subject for m in mail.outbox)
    assert incomplete.reference in subjects and overdue.reference in subjects
    assert fresh.reference not in subjects
    with django_capture_on_commit_callbacks(execute=True):
        assert services.stale_reminders(now=now) == 0


def test_the_commands_are_idempotent(association_a, django_capture_on_commit_callbacks):
    import io

    from django.core.management import call_command

    overdue = make_decided(status=Status.REPORT_DUE)
    make_document(
        association=association_a, kind="insurance", valid_until=timezone.localdate() + datetime.timedelta(days=3)
    )
    GrantApplication.objects.filter(pk=overdue.pk).update(
        report_due_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    outputs = []
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            for command in ("funding_document_reminders", "funding_stale_reminders", "funding_agreement_reminders"):
                out = io.StringIO()
                call_command(command, stdout=out)
                outputs.append(out.getvalue().split()[0])
    assert outputs == ["1", "1", "0", "0", "0", "0"]
    assert len(mail.outbox) == 2
