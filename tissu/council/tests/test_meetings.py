"""Meetings: convocation, items proposed by associations, attendance, documents, minutes drafted → approved →
published, action items followed from meeting to meeting; working groups; consultations."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tissu.council import services
from tissu.council.models import ActionItem, Attendance, Consultation, Meeting, MeetingItem, WorkingGroup
from tissu.council.tests.factories import make_college, make_election, make_meeting, publish_roll, stand, voter

pytestmark = pytest.mark.django_db


@pytest.fixture
def bureau(staff, make_association):
    """A counted election whose mandate runs today: one titular representative (returned)."""
    make_college(seats=1, substitute_seats=0)
    today = timezone.localdate()
    election = make_election("voting", mandate_starts_on=today, mandate_ends_on=today + datetime.timedelta(days=700))
    elected_association, representative = voter(make_association, "Club élu")
    candidacy = stand(election, elected_association, representative=representative)
    other, other_user = voter(make_association, "Club votant")
    publish_roll(election)
    services.ballot_cast(actor=other_user, election=election, association=other, candidacy_ids=[candidacy.pk])
    type(election).objects.filter(pk=election.pk).update(voting_closes_at=timezone.now())
    election.refresh_from_db()
    services.election_count(actor=staff, election=election)
    return representative


def test_a_bureau_meeting_convenes_the_bureau_by_email(staff, bureau, django_capture_on_commit_callbacks):
    meeting = make_meeting(kind="bureau", title="Bureau de janvier")
    with django_capture_on_commit_callbacks(execute=True):
        assert services.meeting_convene(actor=staff, meeting=meeting) == 1
    [email] = mail.outbox
    assert email.to == [bureau.email]
    assert "Bureau de janvier" in email.subject
    assert "Maison de la vie associative" in email.body and "Maison de la vie associative" in email.alternatives[0][0]


def test_a_plenary_convenes_every_association_s_managers(
    staff, manager_a, manager_b, django_capture_on_commit_callbacks
):
    meeting = make_meeting(kind="plenary", title="Plénière annuelle", invited_speaker="Une chercheuse")
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_convene(actor=staff, meeting=meeting)
    assert {m.to[0] for m in mail.outbox} >= {manager_a.email, manager_b.email}
    assert "Une chercheuse" in mail.outbox[0].body


def test_it_refuses_to_convene_a_past_meeting(staff):
    with pytest.raises(ValidationError, match="already taken place"):
        services.meeting_convene(actor=staff, meeting=make_meeting(days=-1))


def test_an_association_proposes_an_item_and_the_bureau_accepts_it(client_for, manager_a, association_a, bureau):
    meeting = make_meeting()
    response = client_for(manager_a).post(
        reverse("council:item-propose", args=[meeting.pk]),
        {"association": association_a.pk, "title": "Forum de rentrée", "description": "Date et lieu"},
    )
    assert response.status_code == 302
    item = MeetingItem.objects.get()
    assert (item.status, item.proposed_by) == ("proposed", association_a)
    # The public page does not list it yet; a bureau member decides.
    assert (
        "Forum de rentrée"
        not in client_for(None).get(reverse("council:meeting-detail", args=[meeting.pk])).content.decode()
    )
    client_for(bureau).post(reverse("council:item-decide", args=[item.pk, "accept"]))
    item.refresh_from_db()
    assert item.status == "accepted"
    assert (
        "Forum de rentrée"
        in client_for(None).get(reverse("council:meeting-detail", args=[meeting.pk])).content.decode()
    )


def test_it_refuses_an_item_for_a_past_meeting_and_from_a_non_manager(manager_a, association_a, manager_b):
    with pytest.raises(ValidationError, match="already taken place"):
        services.item_propose(
            actor=manager_a, meeting=make_meeting(days=-1), association=association_a, title="x", description=""
        )
    with pytest.raises(PermissionDenied):
        services.item_propose(
            actor=manager_b, meeting=make_meeting(), association=association_a, title="x", description=""
        )
    assert not MeetingItem.objects.exists()


def test_attendance_records_present_excused_and_represented(client_for, staff, association_a):
    meeting = make_meeting(days=-1)
    url = reverse("council:attendance", args=[meeting.pk])
    client = client_for(staff)
    client.post(url, {"person_name": "Alice Manager", "association": association_a.pk, "status": "present"})
    client.post(url, {"person_name": "Bob Manager", "status": "excused"})
    refused = client.post(url, {"person_name": "Carole", "status": "represented"})
    assert refused.status_code == 400 and "represented this person" in refused.content.decode()
    client.post(url, {"person_name": "Carole", "status": "represented", "represented_by": "Alice Manager"})
    assert sorted(Attendance.objects.values_list("status", flat=True)) == ["excused", "present", "represented"]


def test_minutes_go_from_draft_to_approved_to_published_and_are_sent_to_every_association(
    client_for, staff, bureau, manager_a, django_capture_on_commit_callbacks
):
    meeting = make_meeting(days=-3, title="Bureau de mars")
    with pytest.raises(ValidationError, match="Only draft"):
        services.minutes_approve(actor=bureau, meeting=meeting)
    services.minutes_save(actor=staff, meeting=meeting, minutes="## Décisions\n\nLe forum aura lieu en septembre.")
    with pytest.raises(ValidationError, match="once the bureau has approved"):
        services.minutes_publish(actor=staff, meeting=meeting)
    assert (
        "forum aura lieu"
        not in client_for(None).get(reverse("council:meeting-detail", args=[meeting.pk])).content.decode()
    )
    client_for(bureau).post(reverse("council:minutes-act", args=[meeting.pk, "approuver"]))
    meeting.refresh_from_db()
    assert meeting.minutes_status == "approved"
    with pytest.raises(PermissionDenied):
        services.minutes_publish(actor=bureau, meeting=meeting)
    with django_capture_on_commit_callbacks(execute=True):
        client_for(staff).post(reverse("council:minutes-act", args=[meeting.pk, "publier"]))
    meeting.refresh_from_db()
    assert meeting.minutes_status == "published"
    assert manager_a.email in {m.to[0] for m in mail.outbox}
    page = client_for(None).get(reverse("council:meeting-detail", args=[meeting.pk])).content.decode()
    assert "forum aura lieu" in page
    with pytest.raises(ValidationError, match="cannot change"):
        services.minutes_save(actor=staff, meeting=meeting, minutes="Autre chose")


def test_changing_approved_minutes_sends_them_back_to_the_bureau(staff, bureau):
    meeting = make_meeting(days=-3)
    services.minutes_save(actor=staff, meeting=meeting, minutes="Version 1")
    services.minutes_approve(actor=bureau, meeting=meeting)
    services.minutes_save(actor=staff, meeting=meeting, minutes="Version 2")
    meeting.refresh_from_db()
    assert (meeting.minutes_status, meeting.minutes_approved_at) == ("draft", None)


def test_open_actions_are_followed_at_the_next_meeting_until_done(client_for, staff, bureau):
    first = make_meeting(days=-60, title="Bureau de janvier")
    services.action_add(
        actor=staff,
        meeting=first,
        title="Mode d'emploi du service communication",
        owner="Bureau",
        due_on=datetime.date(2027, 3, 1),
    )
    following = make_meeting(days=5, title="Bureau de mars")
    page = client_for(None).get(reverse("council:meeting-detail", args=[following.pk])).content.decode()
    assert "Mode d&#x27;emploi du service communication" in page
    action = ActionItem.objects.get()
    client_for(bureau).post(reverse("council:action-done", args=[action.pk]), {"meeting": following.pk})
    action.refresh_from_db()
    assert action.done_at is not None
    page = client_for(None).get(reverse("council:meeting-detail", args=[following.pk])).content.decode()
    assert "Mode d&#x27;emploi" not in page


def test_a_meeting_document_is_served_only_through_the_checked_view(
    client_for, staff, manager_a, volunteer, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    meeting = make_meeting()
    services.document_add(
        actor=staff, meeting=meeting, title="Budget", file=SimpleUploadedFile("budget.pdf", b"%PDF-1.4 budget")
    )
    document = meeting.documents.get()
    url = reverse("council:document-download", args=[document.pk])
    assert client_for(volunteer).get(url).status_code == 403
    response = client_for(manager_a).get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 budget"


def test_the_meeting_list_query_count_does_not_grow(client, django_assert_num_queries):
    make_meeting()
    client.get(reverse("council:meeting-list"))  # the city's settings are cached by the first page
    # Anonymous visitor: the paginator's count, then the page of meetings with their items counted in it.
    with django_assert_num_queries(2):
        client.get(reverse("council:meeting-list"))
    for number in range(8):
        make_meeting(title=f"Bureau {number}", days=number)
    with django_assert_num_queries(2):
        client.get(reverse("council:meeting-list"))


# ---------------------------------------------------------------------------------------------------------
# Working groups


def test_a_working_group_space_is_for_its_members(client_for, staff, manager_a, manager_b, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    group = services.group_save(actor=staff, group=None, name="Paix", description="Commission paix.")
    client_for(staff).post(reverse("council:group-members", args=[group.pk]), {"email": manager_a.email})
    assert group.members.filter(user=manager_a).exists()
    space = reverse("council:group-space", args=[group.pk])
    assert client_for(manager_b).get(space).status_code == 403
    client = client_for(manager_a)
    assert client.post(space, {"body": "Proposition : une marche le 21 septembre."}).status_code == 302
    client.post(
        reverse("council:group-document-upload", args=[group.pk]),
        {"title": "Tract", "file": SimpleUploadedFile("tract.pdf", b"%PDF tract")},
    )
    page = client.get(space).content.decode()
    assert "une marche le 21 septembre" in page and "Tract" in page
    document = group.documents.get()
    assert client_for(manager_b).get(reverse("council:document-download", args=[document.pk])).status_code == 403


def test_a_working_group_holds_its_own_meetings_seen_by_members_only(client_for, staff, manager_a, manager_b):
    group = WorkingGroup.objects.create(name="Droits des femmes")
    group.members.create(user=manager_a)
    meeting = services.meeting_save(
        actor=staff,
        meeting=None,
        values={
            "kind": "group",
            "working_group": group,
            "title": "Réunion du groupe",
            "starts_at": timezone.now(),
            "place": "Salle 2",
            "invited_speaker": "",
        },
    )
    url = reverse("council:meeting-detail", args=[meeting.pk])
    assert client_for(manager_a).get(url).status_code == 200
    assert client_for(manager_b).get(url).status_code == 403
    assert "Réunion du groupe" not in client_for(None).get(reverse("council:meeting-list")).content.decode()
    with pytest.raises(ValidationError):
        services.meeting_save(
            actor=staff,
            meeting=None,
            values={"kind": "group", "working_group": None, "title": "x", "starts_at": timezone.now(), "place": "y"},
        )


# ---------------------------------------------------------------------------------------------------------
# Consultations


def test_the_city_asks_the_bureau_which_answers_then_the_office_publishes(
    client_for, elected, staff, bureau, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(elected).post(
            reverse("council:consultation-create"),
            {
                "title": "Commission d'attribution des salles",
                "question": "Quels critères ?",
                "level": "consultation",
                "answer_due_on": (timezone.localdate() + datetime.timedelta(days=20)).isoformat(),
            },
        )
    assert response.status_code == 302
    consultation = Consultation.objects.get()
    [email] = mail.outbox
    assert email.to == [bureau.email]
    detail = reverse("council:consultation-detail", args=[consultation.pk])
    assert client_for(None).get(detail).status_code == 403
    with pytest.raises(ValidationError, match="not answered"):
        services.consultation_publish(actor=staff, consultation=consultation)
    with django_capture_on_commit_callbacks(execute=True):
        client_for(bureau).post(
            reverse("council:consultation-answer", args=[consultation.pk]),
            {"answer": "Priorité aux petites associations."},
        )
    assert mail.outbox[-1].to == [elected.email] and "Priorité aux petites" in mail.outbox[-1].body
    client_for(staff).post(reverse("council:consultation-publish", args=[consultation.pk]))
    page = client_for(None).get(detail)
    assert page.status_code == 200 and "Priorité aux petites associations." in page.content.decode()
    assert "Consultation" in page.content.decode()


def test_an_association_manager_cannot_ask_or_answer(manager_a):
    with pytest.raises(PermissionDenied):
        services.consultation_ask(
            actor=manager_a, title="x", question="y", level="information", answer_due_on=timezone.localdate()
        )
    consultation = Consultation.objects.create(
        title="x", question="y", level="information", answer_due_on=timezone.localdate()
    )
    with pytest.raises(PermissionDenied):
        services.consultation_answer(actor=manager_a, consultation=consultation, answer="z")


def test_the_bureau_s_workspace_lists_what_waits_for_it(client_for, staff, bureau, manager_a, association_a):
    meeting = make_meeting(title="Bureau de mai")
    services.item_propose(
        actor=manager_a, meeting=meeting, association=association_a, title="Salle commune", description=""
    )
    past = make_meeting(days=-5, title="Bureau d'avril")
    services.minutes_save(actor=staff, meeting=past, minutes="Brouillon")
    page = client_for(bureau).get(reverse("council:bureau-space"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Salle commune" in text and "Bureau d&#x27;avril" in text
    assert client_for(manager_a).get(reverse("council:bureau-space")).status_code == 403


def test_a_group_s_lead_runs_the_group_s_meetings_but_no_other(client_for, manager_a, manager_b, staff):
    group = WorkingGroup.objects.create(name="Paix")
    group.members.create(user=manager_a, is_lead=True)
    group.members.create(user=manager_b)
    client = client_for(manager_a)
    assert client.get(reverse("council:meeting-create")).status_code == 200
    response = client.post(
        reverse("council:meeting-create"),
        {"kind": "group", "working_group": group.pk, "title": "Marche pour la paix", "place": "Parc",
         "starts_at": (timezone.localtime() + datetime.timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")},
    )  # fmt: skip
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert (meeting.kind, meeting.working_group) == ("group", group)
    refused = client.post(
        reverse("council:meeting-create"),
        {"kind": "bureau", "title": "Faux bureau", "place": "x",
         "starts_at": (timezone.localtime() + datetime.timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")},
    )  # fmt: skip
    assert refused.status_code == 400 and Meeting.objects.count() == 1
    assert client.get(reverse("council:attendance", args=[meeting.pk])).status_code == 200
    assert client_for(manager_b).get(reverse("council:attendance", args=[meeting.pk])).status_code == 403
    assert client.get(reverse("council:attendance", args=[make_meeting().pk])).status_code == 403
    assert client_for(manager_b).get(reverse("council:meeting-create")).status_code == 403
