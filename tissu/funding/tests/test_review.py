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
from tissu.funding import services
from tissu.funding.models import Payment, ScoringCriterion, Status
from tissu.funding.tests.factories import make_application, make_decided, make_session, put_on_agenda

pytestmark = pytest.mark.django_db


def act(client, application, action, data=None):
    return client.post(reverse("funding:staff-application-act", args=[application.pk, action]), data or {})


def test_the_whole_review_from_receipt_to_closing(
    client_for, staff, manager_a, committee, django_capture_on_commit_callbacks
):
    application = make_application(status=Status.RECEIVED, by=manager_a)
    criterion = ScoringCriterion.objects.create(scheme=application.call.scheme, label="Utilité sociale", max_points=10)
    session = make_session(members=[(committee, "council")])
    office = client_for(staff)
    with django_capture_on_commit_callbacks(execute=True):
        assert act(office, application, "complete").status_code == 302
        assert act(office, application, "start-review").status_code == 302
        review = {"opinion": "favourable", "comment": "Projet solide.", "proposed_amount": "1800"}
        response = act(office, application, "review", {**review, f"score_{criterion.pk}": "8"})
        assert response.status_code == 302
        assert act(office, application, "committee", {"session": session.pk}).status_code == 302
        item = session.items.get()
        services.item_record_decision(actor=staff, item=item, recommendation="grant", amount=Decimal("1800"))
        response = act(
            office, application, "decide",
            {"decision": "granted", "amount": "1800", "deliberation_ref": "DEL-2027-12",
             "deliberation_date": "2027-03-20", "instalments": "2"},
        )  # fmt: skip
        assert response.status_code == 302
        assert act(office, application, "notify").status_code == 302
        assert act(office, application, "pay", {"amount": "1000", "paid_on": "2027-04-01"}).status_code == 302
        application.refresh_from_db()
        assert application.status == Status.PAID
        assert act(office, application, "pay", {"amount": "800", "paid_on": "2027-07-01"}).status_code == 302
    application.refresh_from_db()
    assert application.status == Status.REPORT_DUE
    # CERFA 15059 is due six months after the end of the project (30 September).
    assert application.report_due_on == datetime.date(application.end_date.year + 1, 3, 30)
    assert application.scores.get().points == 8
    letter = client_for(manager_a).get(reverse("funding:application-letter", args=[application.pk]))
    assert letter.status_code == 200 and letter.content.startswith(b"%PDF")
    # The association sends its final report (CERFA 15059), then the office closes.
    actuals = {f"actual_{code}": "1000" for code in ["604", "623", "74com", "758"]}
    response = client_for(manager_a).post(
        reverse("funding:final-report", args=[application.pk]),
        {**actuals, "achievements": "La fête a réuni 300 personnes.", "differences": "Moins de dépenses."},
    )
    assert response.status_code == 302
    office = client_for(staff)
    assert act(office, application, "close").status_code == 302
    application.refresh_from_db()
    assert application.status == Status.CLOSED
    assert application.budget_lines.get(budget="project", code="604").actual == Decimal("1000")
    codes = set(AuditEntry.objects.filter(target_id=str(application.pk)).values_list("action", flat=True))
    assert {
        "funding.application.marked_complete", "funding.application.review_started", "funding.application.reviewed",
        "funding.application.sent_to_committee", "funding.application.decided", "funding.application.notified",
        "funding.application.paid", "funding.application.report_submitted", "funding.application.closed",
    } <= codes  # fmt: skip
    assert len([m for m in mail.outbox if "alice@example.org" in m.to]) >= 7
    assert list(application.steps.values_list("status", flat=True))[-1] == Status.CLOSED


def test_it_refuses_a_payment_above_the_amount_granted(client_for, staff):
    application = make_decided(amount=Decimal("1500"))
    services.payment_record(actor=staff, application=application, amount=Decimal("1000"), paid_on=timezone.localdate())
    response = act(client_for(staff), application, "pay", {"amount": "600", "paid_on": "2027-04-01"})
    assert response.status_code == 400
    assert "500,00" in response.content.decode() or "500.00" in response.content.decode()
    assert Payment.objects.count() == 1


def test_it_refuses_a_decision_above_the_ceiling_or_without_the_committee(staff):
    application = make_application(status=Status.UNDER_REVIEW)
    session = make_session()
    put_on_agenda(session, application)
    with pytest.raises(ValidationError) as error:
        services.application_decide(
            actor=staff, application=application, decision="granted", amount=Decimal("1000"),
            deliberation_ref="D1", deliberation_date=datetime.date(2027, 3, 1),
        )  # fmt: skip
    assert "committee has not recorded" in " ".join(error.value.messages)
    services.item_record_decision(actor=staff, item=session.items.get(), recommendation="grant", amount=Decimal("1500"))
    with pytest.raises(ValidationError) as error:
        services.application_decide(
            actor=staff, application=application, decision="granted", amount=Decimal("9000"),
            deliberation_ref="D1", deliberation_date=datetime.date(2027, 3, 1),
        )  # fmt: skip
    assert "ceiling" in " ".join(error.value.messages)
    application.refresh_from_db()
    assert application.status == Status.COMMITTEE and application.decided_amount is None


def test_a_step_out_of_order_is_refused(client_for, staff):
    application = make_application(status=Status.RECEIVED)
    response = act(client_for(staff), application, "notify")
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Status.RECEIVED


def test_a_refusal_needs_reasons_and_closes_after_notification(staff):
    application = make_application(status=Status.UNDER_REVIEW)
    session = make_session()
    put_on_agenda(session, application)
    services.item_record_decision(actor=staff, item=session.items.get(), recommendation="refuse", amount=None)
    with pytest.raises(ValidationError):
        services.application_decide(
            actor=staff, application=application, decision="refused", amount=None,
            deliberation_ref="D2", deliberation_date=datetime.date(2027, 3, 1),
        )  # fmt: skip
    services.application_decide(
        actor=staff, application=application, decision="refused", amount=None, deliberation_ref="D2",
        deliberation_date=datetime.date(2027, 3, 1), reason="Hors du champ du dispositif.",
    )  # fmt: skip
    services.application_notify(actor=staff, application=application)
    with pytest.raises(ValidationError):
        services.payment_record(actor=staff, application=application, amount=Decimal("1"), paid_on=timezone.localdate())
    services.application_close(actor=staff, application=application)
    application.refresh_from_db()
    assert application.status == Status.CLOSED


def test_the_staff_list_filters_and_keeps_a_constant_number_of_queries(client_for, staff):
    from django.test.utils import CaptureQueriesContext

    client = client_for(staff)
    make_application(status=Status.RECEIVED, project_title="Jardin partagé")
    url = reverse("funding:staff-applications")
    client.get(url)
    with CaptureQueriesContext(connection) as first:
        client.get(url, {"status": "received"})
    for index in range(6):
        make_application(status=Status.UNDER_REVIEW if index % 2 else Status.RECEIVED, association="association-b")
    with CaptureQueriesContext(connection) as second:
        response = client.get(url, {"status": "received"})
    assert len(first.captured_queries) == len(second.captured_queries)
    page = response.content.decode()
    assert "Jardin partagé" in page
    assert client.get(url, {"q": "jardin"}).content.decode().count("Jardin partagé") == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_parallel_payments_cannot_exceed_the_grant(personas):
    # A superuser acts for the office: transactional tests flush the role groups the migrations created.
    staff = personas["superuser"]
    application = make_decided(amount=Decimal("1000"))

    def pay():
        return services.payment_record(
            actor=staff, application=application, amount=Decimal("600"), paid_on=timezone.localdate()
        )

    errors, results = run_together(pay, pay)
    assert len(errors) == 1 and len(results) == 1
    assert Payment.objects.count() == 1


def test_the_staff_list_answers_htmx_with_its_results_only(client_for, staff):
    make_application(status=Status.RECEIVED, project_title="Jardin partagé")
    response = client_for(staff).get(reverse("funding:staff-applications"), {"q": "jardin"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="application-results">') and "Jardin partagé" in html
    assert "<h1>" not in html


def test_a_postponed_application_goes_to_a_later_session(staff):
    application = make_application(status=Status.UNDER_REVIEW, review_opinion="favourable")
    first, later = make_session(), make_session(title="Commission suivante", in_days=40)
    services.session_add_item(actor=staff, session=first, application=application)
    services.item_record_decision(actor=staff, item=first.items.get(), recommendation="postpone", amount=None)
    application.refresh_from_db()
    assert application.status == Status.UNDER_REVIEW
    with pytest.raises(ValidationError):
        services.session_add_item(actor=staff, session=first, application=application)
    services.session_add_item(actor=staff, session=later, application=application)
    application.refresh_from_db()
    assert application.status == Status.COMMITTEE
