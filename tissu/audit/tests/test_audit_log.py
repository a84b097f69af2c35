import pytest
from django.db import DatabaseError, transaction
from django.urls import reverse

from conftest import make_user
from tissu.audit.models import AuditEntry
from tissu.audit.services import audit_log

pytestmark = pytest.mark.django_db


def test_it_records_who_did_what_to_which_object(staff):
    entry = audit_log(actor=staff, action="accounts.user.roles_changed", target=staff, data={"added": ["x"]})
    entry.refresh_from_db()
    assert entry.actor == staff
    assert entry.target_type == "accounts.user"
    assert entry.target_id == str(staff.pk)
    assert entry.data == {"added": ["x"]}


def test_it_refuses_an_action_code_that_is_not_dotted(staff):
    with pytest.raises(ValueError):
        audit_log(actor=staff, action="deleted", target=staff)


def test_the_database_refuses_to_change_an_entry(staff):
    entry = audit_log(actor=staff, action="city.settings.updated")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(action="city.settings.forged")
    entry.refresh_from_db()
    assert entry.action == "city.settings.updated"


def test_the_admin_cannot_add_change_or_delete_entries(client_for, superuser):
    entry = audit_log(actor=superuser, action="city.settings.updated")
    client = client_for(superuser)
    assert client.get(reverse("admin:audit_auditentry_add")).status_code == 403
    change_page = client.get(reverse("admin:audit_auditentry_change", args=[entry.pk]))
    assert change_page.status_code == 200  # read-only view
    assert b'name="_save"' not in change_page.content
    assert client.post(reverse("admin:audit_auditentry_delete", args=[entry.pk])).status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_staff_filter_the_log_by_action_person_and_date(client_for, staff, volunteer):
    audit_log(actor=staff, action="city.settings.updated")
    audit_log(actor=volunteer, action="accounts.user.signed_up", target=volunteer)
    client = client_for(staff)
    page = client.get(reverse("audit:entry-list"), {"action": "accounts."}).content.decode()
    assert "accounts.user.signed_up" in page
    assert "city.settings.updated" not in page
    page = client.get(reverse("audit:entry-list"), {"actor": "sam@"}).content.decode()
    assert "city.settings.updated" in page
    assert "accounts.user.signed_up" not in page


def test_a_reversed_date_range_gets_a_clear_error(client_for, staff):
    page = client_for(staff).get(
        reverse("audit:entry-list"), {"since": "2026-05-02", "until": "2026-05-01"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "The end date is before the start date." in page.content.decode()


def test_htmx_requests_get_only_the_results(client_for, staff):
    audit_log(actor=staff, action="city.settings.updated")
    response = client_for(staff).get(reverse("audit:entry-list"), HTTP_HX_REQUEST="true")
    content = response.content.decode()
    assert 'id="audit-results"' in content
    assert "<html" not in content


def test_the_log_page_runs_the_same_number_of_queries_whatever_its_length(client_for, staff, django_assert_num_queries):
    client = client_for(staff)

    def count_queries():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as context:
            assert client.get(reverse("audit:entry-list")).status_code == 200
        return len(context.captured_queries)

    for index in range(3):
        audit_log(actor=make_user(f"p{index}@example.org"), action="accounts.user.signed_up")
    count_queries()  # warm the city-settings cache
    few = count_queries()
    for index in range(3, 60):
        audit_log(actor=make_user(f"p{index}@example.org"), action="accounts.user.signed_up")
    assert count_queries() == few


def test_entries_about_a_person_do_not_store_their_name(staff, volunteer):
    entry = audit_log(actor=staff, action="accounts.user.roles_changed", target=volunteer)
    assert volunteer.full_name not in entry.target_repr
    assert volunteer.email not in entry.target_repr
    assert str(volunteer.public_id) in entry.target_repr
