import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from tests.concurrency import run_together
from tissu.audit.models import AuditEntry
from tissu.directory.models import Association
from tissu.funding import services
from tissu.funding.models import ApplicationVersion, BudgetKind, GrantApplication, Status
from tissu.funding.tests.factories import make_application, make_call, make_document, make_scheme

pytestmark = pytest.mark.django_db


def submit(application, actor, **overrides):
    values = {"sworn_name": "Alice Manager", "sworn_capacity": "présidente", "sworn": True, **overrides}
    return services.application_submit(actor=actor, application=application, **values)


def test_a_manager_starts_an_application_pre_filled_from_the_directory(client_for, manager_a, association_a):
    Association.objects.filter(pk=association_a.pk).update(siret="73282932000074", office_street_name="rue des Lilas")
    call = make_call()
    response = client_for(manager_a).post(
        reverse("funding:application-create", args=[call.pk]), {"association": association_a.pk}
    )
    application = GrantApplication.objects.get()
    assert response.status_code == 302
    assert application.status == Status.DRAFT
    assert application.identification["rna_id"] == "W912000001"
    assert application.identification["siret"] == "73282932000074"
    assert "rue des Lilas" in application.identification["office_address"]
    assert application.identification["officers"] == [
        {"name": "Alice Manager", "role": "president", "user_id": manager_a.pk}
    ]
    assert AuditEntry.objects.filter(action="funding.application.created").exists()


def test_it_refuses_to_apply_in_the_name_of_an_association_one_does_not_manage(client_for, manager_b, association_a):
    call = make_call()
    response = client_for(manager_b).post(
        reverse("funding:application-create", args=[call.pk]), {"association": association_a.pk}
    )
    assert response.status_code == 400
    assert not GrantApplication.objects.exists()


def test_a_complete_application_is_submitted_with_a_frozen_version(
    manager_a, staff, django_capture_on_commit_callbacks
):
    application = make_application(by=manager_a)
    with django_capture_on_commit_callbacks(execute=True):
        version = submit(application, manager_a)
    application.refresh_from_db()
    assert application.status == Status.RECEIVED
    assert version.number == 1
    assert version.snapshot["project_title"] == "Fête de quartier solidaire"
    assert {line["code"] for line in version.snapshot["budget_lines"]} >= {"604", "74com"}
    assert application.sworn_name == "Alice Manager"
    assert AuditEntry.objects.filter(action="funding.application.submitted", target_id=str(application.pk)).exists()
    recipients = {address for message in mail.outbox for address in message.to}
    assert "alice@example.org" in recipients and "sam@example.org" in recipients


@pytest.mark.parametrize(
    "change, message",
    [
        ({"amount_requested": Decimal("9000")}, "above the scheme's ceiling"),
        ({"budget": {"604": Decimal("99999")}}, "must be equal"),
        ({"documents": []}, "Missing document"),
        ({"deadline_passed": True}, "deadline of this call for projects has passed"),
        ({"sworn": False}, "must certify"),
        ({"budget": {"74com": Decimal("0"), "756": Decimal("2000")}, "kind": BudgetKind.PROJECT}, "74 – Commune(s)"),
    ],
)
def test_it_refuses_a_submission_that_breaks_a_rule_and_stores_nothing(manager_a, change, message):
    application = make_application(by=manager_a)
    if "amount_requested" in change:
        GrantApplication.objects.filter(pk=application.pk).update(amount_requested=change["amount_requested"])
    if "budget" in change:
        kind = change.get("kind", BudgetKind.ASSOCIATION)
        amounts = {**services.budget_amounts(application, kind), **change["budget"]}
        services.application_set_budget(actor=manager_a, application=application, kind=kind, amounts=amounts)
    if "documents" in change:
        application.documents.clear()
    if change.get("deadline_passed"):
        call = application.call
        call.opens_at = timezone.now() - datetime.timedelta(days=30)
        call.closes_at = timezone.now() - datetime.timedelta(minutes=1)
        call.save()
    application.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        submit(application, manager_a, sworn=change.get("sworn", True))
    assert any(message in text for text in error.value.messages)
    application.refresh_from_db()
    assert application.status == Status.DRAFT and application.sworn_at is None
    assert not ApplicationVersion.objects.exists()


def test_an_expired_document_does_not_count(manager_a, association_a):
    scheme = make_scheme(required_documents=["statutes"])
    application = make_application(by=manager_a, call=make_call(scheme=scheme), documents=False)
    application.documents.set([make_document(association=association_a, valid_until=datetime.date(2020, 1, 1))])
    assert any("Missing document" in error for error in services.submission_errors(application))


def test_the_submission_page_shows_the_reasons_and_keeps_the_draft(client_for, manager_a):
    application = make_application(by=manager_a, documents=False)
    response = client_for(manager_a).post(
        reverse("funding:application-submit", args=[application.pk]),
        {"sworn_name": "Alice", "sworn_capacity": "présidente", "sworn": "on"},
    )
    assert response.status_code == 400
    assert "Missing document" in response.content.decode()
    application.refresh_from_db()
    assert application.status == Status.DRAFT


def test_a_submitted_application_can_no_longer_be_edited(client_for, manager_a):
    application = make_application(by=manager_a)
    submit(application, manager_a)
    with pytest.raises(ValidationError):
        services.application_update(actor=manager_a, application=application, values={"project_title": "Autre"})
    with pytest.raises(ValidationError):
        services.application_set_budget(
            actor=manager_a, application=application, kind=BudgetKind.PROJECT, amounts={"604": Decimal("1")}
        )
    response = client_for(manager_a).post(
        reverse("funding:application-edit", args=[application.pk]), {"project_title": "Autre"}
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.project_title == "Fête de quartier solidaire"


def test_an_incomplete_application_is_completed_and_submitted_again_as_a_new_version(
    manager_a, staff, django_capture_on_commit_callbacks
):
    application = make_application(by=manager_a)
    submit(application, manager_a)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_mark_incomplete(
            actor=staff, application=application, missing_items="Le RIB est illisible."
        )
    assert any("Le RIB est illisible." in message.body for message in mail.outbox)
    application.refresh_from_db()
    services.application_update(actor=manager_a, application=application, values={"objectives": "Rassembler."})
    submit(application, manager_a)
    application.refresh_from_db()
    assert application.status == Status.RECEIVED
    assert list(application.versions.values_list("number", flat=True)) == [1, 2]
    assert application.versions.get(number=1).snapshot["objectives"] == ""
    assert application.versions.get(number=2).snapshot["objectives"] == "Rassembler."
    assert AuditEntry.objects.filter(action="funding.application.completed").exists()


def test_the_office_cannot_edit_an_associations_application(staff, manager_a):
    application = make_application(by=manager_a)
    with pytest.raises(Exception) as error:
        services.application_update(actor=staff, application=application, values={"project_title": "X"})
    assert error.type.__name__ == "PermissionDenied"


def test_the_complete_file_is_a_pdf(client_for, manager_a):
    application = make_application(by=manager_a, status=Status.RECEIVED)
    response = client_for(manager_a).get(reverse("funding:application-pdf", args=[application.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_the_budget_page_saves_an_unbalanced_draft_with_a_warning(client_for, manager_a):
    application = make_application(by=manager_a, budgets=False)
    response = client_for(manager_a).post(
        reverse("funding:application-budget", args=[application.pk, "project"]), {"line_604": "100", "line_74com": "50"}
    )
    assert response.status_code == 302
    assert services.budget_amounts(application, BudgetKind.PROJECT) == {"604": Decimal("100"), "74com": Decimal("50")}
    page = client_for(manager_a).get(reverse("funding:application-detail", args=[application.pk])).content.decode()
    assert "must be equal" in page


def test_it_refuses_a_negative_budget_amount(client_for, manager_a):
    application = make_application(by=manager_a, budgets=False)
    response = client_for(manager_a).post(
        reverse("funding:application-budget", args=[application.pk, "project"]), {"line_604": "-5"}
    )
    assert response.status_code == 400
    assert not application.budget_lines.exists()


def test_my_applications_has_a_constant_number_of_queries(client_for, manager_a, django_assert_num_queries):
    client = client_for(manager_a)
    make_application(by=manager_a)
    url = reverse("funding:my-applications")
    client.get(url)
    with django_assert_num_queries(count := _count(client, url)):
        client.get(url)
    for _ in range(4):
        make_application(by=manager_a)
    with django_assert_num_queries(count):
        client.get(url)


def _count(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        client.get(url)
    return len(context.captured_queries)


def test_a_manager_fills_and_submits_an_application_through_the_pages(client_for, manager_a, association_a):
    client = client_for(manager_a)
    scheme = make_scheme(required_documents=["statutes"])
    call = make_call(scheme=scheme)
    client.post(reverse("funding:application-create", args=[call.pk]), {"association": association_a.pk})
    application = GrantApplication.objects.get()
    response = client.post(
        reverse("funding:application-edit", args=[application.pk]),
        {"id_name": "Association A", "id_rna_id": "W912000001", "id_siret": "", "id_office_address": "1 rue Haute",
         "officers": "Alice Manager | présidente\nBruno Trésorier | trésorier", "project_title": "Ciné-club",
         "project_description": "Des projections gratuites.", "amount_requested": "1000", "volunteer_count": "8"},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:3000]
    for kind, lines in {
        "association": {"line_604": "5000", "line_74com": "1000", "line_756": "4000"},
        "project": {"line_604": "1500", "line_74com": "1000", "line_758": "500"},
    }.items():
        assert client.post(reverse("funding:application-budget", args=[application.pk, kind]), lines).status_code == 302
    statutes = make_document(association=association_a)
    response = client.post(
        reverse("funding:application-documents", args=[application.pk]), {"documents": [statutes.pk]}
    )
    assert response.status_code == 302
    response = client.post(
        reverse("funding:application-submit", args=[application.pk]),
        {"sworn_name": "Alice Manager", "sworn_capacity": "présidente", "sworn": "on"},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Status.RECEIVED
    officers = application.identification["officers"]
    assert officers[0] == {"name": "Alice Manager", "role": "présidente", "user_id": manager_a.pk}
    assert officers[1] == {"name": "Bruno Trésorier", "role": "trésorier"}
    assert application.versions.get().snapshot["documents"][0]["id"] == statutes.pk


def test_french_amounts_with_a_decimal_comma_are_understood(client_for, manager_a):
    application = make_application(by=manager_a, budgets=False)
    client = client_for(manager_a)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "fr"
    response = client.post(
        reverse("funding:application-budget", args=[application.pk, "project"]),
        {"line_604": "1 250,50", "line_74com": "1250.50"},
    )
    assert response.status_code == 302, [line for line in response.content.decode().splitlines() if "error" in line][:5]
    assert services.budget_amounts(application, BudgetKind.PROJECT) == {
        "604": Decimal("1250.50"),
        "74com": Decimal("1250.50"),
    }


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_parallel_submissions_freeze_one_version(personas):
    manager = personas["manager_a"]
    application = make_application(by=manager)

    def send():
        return submit(application, manager)

    errors, results = run_together(send, send)
    assert len(errors) == 1 and len(results) == 1
    assert list(ApplicationVersion.objects.values_list("number", flat=True)) == [1]
