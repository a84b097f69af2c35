from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tissu.audit.models import AuditEntry
from tissu.directory.models import Membership, MembershipRole
from tissu.funding import services
from tissu.funding.models import MemberOpinion, Score, ScoringCriterion, SessionStatus, Status
from tissu.funding.tests.factories import make_application, make_session, put_on_agenda

pytestmark = pytest.mark.django_db


@pytest.fixture
def session_with_items(committee, elected, association_a, association_b):
    session = make_session(members=[(committee, "council"), (elected, "elected")])
    item_a = put_on_agenda(
        session,
        make_application(association=association_a, status=Status.UNDER_REVIEW, proposed_amount=Decimal("1234")),
    )
    item_b = put_on_agenda(
        session,
        make_application(association=association_b, status=Status.UNDER_REVIEW, proposed_amount=Decimal("4321")),
    )
    criterion = ScoringCriterion.objects.create(scheme=item_a.application.call.scheme, label="Impact", max_points=10)
    Score.objects.create(application=item_a.application, criterion=criterion, points=7)
    Score.objects.create(application=item_b.application, criterion=criterion, points=9)
    return session, item_a, item_b


def test_a_member_votes_on_the_meeting_items(client_for, committee, session_with_items):
    session, item_a, _item_b = session_with_items
    response = client_for(committee).post(
        reverse("funding:item-opinion", args=[session.pk, item_a.pk]), {"vote": "for", "comment": "Bon projet."}
    )
    assert response.status_code == 302
    assert MemberOpinion.objects.get().vote == "for"
    assert AuditEntry.objects.filter(action="funding.session.opinion_recorded").exists()


def test_a_member_of_an_applicant_association_neither_sees_its_scoring_nor_votes(
    client_for, committee, association_a, session_with_items
):
    session, item_a, _item_b = session_with_items
    Membership.objects.create(user=committee, association=association_a, role=MembershipRole.MEMBER)
    page = client_for(committee).get(reverse("funding:session-detail", args=[session.pk])).content.decode()
    assert "1,234.00" not in page and "1 234,00" not in page and "score: 7" not in page
    assert "4,321.00" in page and "score: 9" in page
    assert "You are linked to this association" in page
    with pytest.raises(ValidationError):
        services.opinion_record(actor=committee, item=item_a, vote="for")
    assert not MemberOpinion.objects.exists()


def test_a_declared_link_excludes_the_member_and_withdraws_an_earlier_vote(
    client_for, elected, association_b, session_with_items
):
    session, _item_a, item_b = session_with_items
    services.opinion_record(actor=elected, item=item_b, vote="against")
    response = client_for(elected).post(
        reverse("funding:session-conflict", args=[session.pk]),
        {"association": association_b.pk, "reason": "Ma sœur préside l'association."},
    )
    assert response.status_code == 302
    assert not MemberOpinion.objects.exists()
    page = client_for(elected).get(reverse("funding:session-detail", args=[session.pk])).content.decode()
    assert "4,321.00" not in page and "score: 9" not in page
    with pytest.raises(ValidationError):
        services.opinion_record(actor=elected, item=item_b, vote="for")


def test_a_person_outside_the_session_does_not_vote(client_for, volunteer, staff, session_with_items):
    session, item_a, _ = session_with_items
    assert client_for(volunteer).get(reverse("funding:session-detail", args=[session.pk])).status_code == 403
    response = client_for(staff).post(reverse("funding:item-opinion", args=[session.pk, item_a.pk]), {"vote": "for"})
    assert response.status_code == 403


def test_the_session_closes_with_minutes_once_every_item_is_decided(staff, session_with_items):
    session, item_a, item_b = session_with_items
    services.item_record_decision(actor=staff, item=item_a, recommendation="grant", amount=Decimal("1000"))
    with pytest.raises(ValidationError):
        services.session_write_minutes(actor=staff, session=session, minutes="Séance ouverte à 18 h.", held=True)
    services.item_record_decision(actor=staff, item=item_b, recommendation="postpone", amount=None)
    item_b.application.refresh_from_db()
    assert item_b.application.status == Status.UNDER_REVIEW
    with pytest.raises(ValidationError):
        services.session_write_minutes(actor=staff, session=session, minutes="", held=True)
    services.session_write_minutes(actor=staff, session=session, minutes="Séance ouverte à 18 h.", held=True)
    session.refresh_from_db()
    assert session.status == SessionStatus.HELD
    with pytest.raises(ValidationError):
        services.opinion_record(actor=session.members.first().user, item=item_a, vote="for")


def test_only_people_with_a_city_role_sit(staff, volunteer, committee):
    session = make_session()
    with pytest.raises(ValidationError):
        services.session_set_members(actor=staff, session=session, members=[(volunteer, "council")])
    services.session_set_members(actor=staff, session=session, members=[(committee, "council")])
    assert list(session.members.values_list("user_id", flat=True)) == [committee.pk]


def test_the_session_list_has_a_constant_number_of_queries(client_for, staff, committee):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(staff)
    make_session(members=[(committee, "council")])
    url = reverse("funding:session-list")
    client.get(url)
    with CaptureQueriesContext(connection) as first:
        client.get(url)
    for index in range(4):
        make_session(title=f"Session {index}")
    with CaptureQueriesContext(connection) as second:
        client.get(url)
    assert len(first.captured_queries) == len(second.captured_queries)


def test_the_minutes_pdf_lists_the_recorded_decisions(client_for, staff, committee, session_with_items):
    session, item_a, _item_b = session_with_items
    services.item_record_decision(actor=staff, item=item_a, recommendation="grant", amount=Decimal("1000"))
    response = client_for(committee).get(reverse("funding:session-minutes-pdf", args=[session.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")


def test_each_meeting_item_has_its_own_form_ids(client_for, committee, session_with_items):
    import re

    session, _item_a, _item_b = session_with_items
    page = client_for(committee).get(reverse("funding:session-detail", args=[session.pk])).content.decode()
    ids = re.findall(r'\bid="([^"]+)"', page)
    assert len(ids) == len(set(ids))
