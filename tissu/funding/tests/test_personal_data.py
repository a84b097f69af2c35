import pytest
from django.urls import reverse

from tissu.accounts.services import user_delete
from tissu.funding import services
from tissu.funding.models import GrantApplication, MemberOpinion, Status
from tissu.funding.tests.factories import make_application, make_session, put_on_agenda

pytestmark = pytest.mark.django_db


def test_the_data_export_holds_applications_votes_and_declared_links(client_for, manager_a, committee):
    make_application(by=manager_a)
    session = make_session(members=[(committee, "council")])
    item = put_on_agenda(session, make_application(association="association-b", status=Status.UNDER_REVIEW))
    MemberOpinion.objects.create(item=item, member=session.members.get(), vote="for", comment="Utile.")
    data = client_for(manager_a).get(reverse("accounts:data-export")).json()
    assert data["funding"]["grant_applications_started"][0]["association"] == "Association A"
    data = client_for(committee).get(reverse("accounts:data-export")).json()
    assert data["funding"]["committee_seats"][0]["opinions"] == [{"vote": "for", "comment": "Utile."}]


def test_deleting_an_account_removes_its_name_from_drafts_and_keeps_submitted_files(manager_a):
    draft = make_application(by=manager_a)
    draft.identification = services.identification_from_directory(draft.association)
    assert draft.identification["officers"][0]["user_id"] == manager_a.pk
    draft.save()
    submitted = make_application(by=manager_a, status=Status.RECEIVED)
    user_delete(user=manager_a)
    draft.refresh_from_db()
    assert draft.identification["officers"] == []
    assert GrantApplication.objects.filter(pk=submitted.pk, status=Status.RECEIVED).exists()
