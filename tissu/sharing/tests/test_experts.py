"""The expert base: profiles, requests for help, ranked matching with reasons, contact only with consent,
messages inside Tissu, help records for the observatory, withdrawal and personal data."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tissu.audit.models import AuditEntry
from tissu.sharing import experts
from tissu.sharing.models import (
    ExpertKind,
    ExpertProfile,
    HelpContact,
    HelpContactStatus,
    HelpMessage,
    HelpRecord,
    HelpRequestStatus,
)
from tissu.sharing.tests.factories import make_contact, make_expert, make_help_request

pytestmark = pytest.mark.django_db


def profile_data(**overrides):
    data = {
        "offered_by": "me",
        "kind": "retired",
        "headline": "Ancienne experte-comptable, j'aide à tenir les comptes",
        "areas": ["accounting", "fundraising"],
        "offers_advice": "on",
        "offers_mentoring": "on",
        "availability": "Deux soirs par mois, à distance",
        "is_available": "on",
        "contact_email": "vera.perso@example.org",
        "contact_phone": "06 11 22 33 44",
    }
    data.update(overrides)
    return data


def test_a_volunteer_offers_skills_and_managers_find_them_without_contact_details(client_for, volunteer, manager_b):
    response = client_for(volunteer).post(reverse("sharing:expert-create"), profile_data())
    expert = ExpertProfile.objects.get()
    assert response.status_code == 302
    assert (expert.user, expert.kind, expert.formats) == (volunteer, ExpertKind.RETIRED, ["advice", "mentoring"])
    assert sorted(expert.areas.values_list("area", flat=True)) == ["accounting", "fundraising"]
    html = client_for(manager_b).get(reverse("sharing:expert-list"), {"area": "accounting"}).content.decode()
    assert volunteer.full_name in html
    html = client_for(manager_b).get(reverse("sharing:expert-detail", args=[expert.pk])).content.decode()
    assert "Ancienne experte-comptable" in html
    assert "vera.perso@example.org" not in html and "06 11 22 33 44" not in html
    assert AuditEntry.objects.filter(action="sharing.expert.created").exists()


def test_an_association_offers_skills_through_its_managers(client_for, manager_a, association_a):
    response = client_for(manager_a).post(
        reverse("sharing:expert-create"),
        profile_data(offered_by=str(association_a.pk), kind="", areas=["communication"]),
    )
    assert response.status_code == 302
    expert = ExpertProfile.objects.get()
    assert (expert.association, expert.user, expert.kind) == (association_a, None, ExpertKind.ASSOCIATION)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"areas": []}, "This field is required"),
        ({"offers_advice": "", "offers_mentoring": ""}, "Offer at least one format"),
        ({"kind": ""}, "volunteer, an employee or a retired professional"),
        ({"contact_email": "pas-un-email"}, "valid email"),
    ],
)
def test_a_bad_profile_is_refused_with_a_clear_message_and_nothing_saved(client_for, volunteer, overrides, message):
    response = client_for(volunteer).post(reverse("sharing:expert-create"), profile_data(**overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ExpertProfile.objects.exists()


def test_the_list_of_experts_is_not_for_everyone(client_for, volunteer):
    make_expert(user=None, association="association-a")
    html = client_for(volunteer).get(reverse("sharing:expert-list")).content.decode()
    assert "Association A" not in html
    assert "for association managers and the experts themselves" in html


def test_the_expert_list_runs_the_same_queries_for_1_or_many_experts(client_for, staff, make_association):
    from conftest import make_user

    url = reverse("sharing:expert-list")
    make_expert(user=make_user("expert0@example.org"))
    client = client_for(staff)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for number in range(1, 12):
        owner = {"association": make_association(f"Experte {number}")} if number % 2 else {}
        make_expert(user=None if owner else make_user(f"expert{number}@example.org"), **owner)
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)


# --- Matching -------------------------------------------------------------------------------------------


def test_matching_ranks_the_experts_of_the_area_with_their_reasons(manager_a, association_a, association_b):
    from conftest import make_user

    help_request = make_help_request(association=association_b, help_format="mentoring")
    best = make_expert(user=make_user("best@example.org", "Béa Best"), offers_mentoring=True)
    no_format = make_expert(user=make_user("advice@example.org", "Ali Advice"))
    busy = make_expert(user=make_user("busy@example.org", "Bo Busy"), offers_mentoring=True)
    make_contact(expert_user=busy.user, by=None, association=association_a)  # an exchange in progress
    helped_before = make_expert(user=make_user("old@example.org", "Olga Old"), offers_mentoring=True)
    earlier = make_contact(expert_user=helped_before.user, by=None, status=HelpContactStatus.ACCEPTED)
    earlier.request.status = HelpRequestStatus.CLOSED
    earlier.request.save(update_fields=["status"])
    HelpRecord.objects.create(
        contact=earlier, association=association_b, area="accounting", format="mentoring",
        expert_kind="retired", day=timezone.localdate(), hours=Decimal("2"),
    )  # fmt: skip
    make_expert(user=make_user("law@example.org"), areas=["law"])  # another area
    make_expert(user=make_user("paused@example.org"), is_available=False)  # paused
    make_expert(association=association_b)  # the association itself
    matches = experts.match_experts(help_request)
    assert [match.expert for match in matches] == [helped_before, best, busy, no_format]
    assert [match.score for match in matches] == [11, 9, 8, 6]
    reasons = {match.expert: match.reasons for match in matches}
    assert "has already helped Association B" in reasons[helped_before]
    assert reasons[best] == [
        "offers accounting and finance",
        "gives mentoring, the format asked",
        "not helping another association at the moment",
    ]
    assert "already in 1 exchange(s) in progress" in reasons[busy]
    assert "does not offer mentoring" in reasons[no_format]


def test_matching_runs_a_fixed_number_of_queries(association_b, make_association):
    from conftest import make_user

    help_request = make_help_request(association=association_b)
    make_expert(user=make_user("e0@example.org"))
    with CaptureQueriesContext(connection) as small:
        experts.match_experts(help_request)
    for number in range(1, 10):
        make_expert(user=make_user(f"e{number}@example.org"))
        make_expert(association=make_association(f"Asso experte {number}"))
    with CaptureQueriesContext(connection) as large:
        assert len(experts.match_experts(help_request)) == 19
    assert len(large.captured_queries) == len(small.captured_queries)


def test_the_request_page_shows_the_ranked_experts_to_the_association(client_for, volunteer, manager_b, association_b):
    make_expert(user=volunteer)
    response = client_for(manager_b).post(
        reverse("sharing:help-request-create"),
        {
            "association": association_b.pk,
            "title": "Tenir notre comptabilité",
            "description": "Nous passons à la comptabilité d'engagement.",
            "area": "accounting",
            "help_format": "advice",
        },
    )
    help_request = association_b.help_requests.get()
    assert response.status_code == 302
    html = client_for(manager_b).get(reverse("sharing:help-request-detail", args=[help_request.pk])).content.decode()
    assert volunteer.full_name in html
    assert "offers accounting and finance" in html
    assert reverse("sharing:help-contact-propose", args=[help_request.pk, volunteer.expert_profile.pk]) in html


def test_an_expert_sees_open_requests_of_their_areas_but_not_the_others(client_for, volunteer, association_b):
    make_expert(user=volunteer)
    mine = make_help_request(association=association_b, title="Budget prévisionnel")
    other = make_help_request(association=association_b, title="Statuts à réécrire", area="law")
    html = client_for(volunteer).get(reverse("sharing:help-request-list")).content.decode()
    assert "Budget prévisionnel" in html and "Statuts à réécrire" not in html
    assert client_for(volunteer).get(reverse("sharing:help-request-detail", args=[mine.pk])).status_code == 200
    assert client_for(volunteer).get(reverse("sharing:help-request-detail", args=[other.pk])).status_code == 403


# --- Consent, messages, records -----------------------------------------------------------------------------


def test_contact_details_appear_only_once_the_expert_accepts(
    client_for, volunteer, manager_b, association_b, django_capture_on_commit_callbacks
):
    expert = make_expert(user=volunteer, contact_email="vera.perso@example.org")
    help_request = make_help_request(association=association_b, by=manager_b)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(manager_b).post(
            reverse("sharing:help-contact-propose", args=[help_request.pk, expert.pk]),
            {"message": "Nous sommes une petite association de quartier."},
        )
    contact = HelpContact.objects.get()
    assert response.status_code == 302
    [email] = mail.outbox
    assert email.to == [volunteer.email]
    assert "Association B" in email.subject
    assert "petite association de quartier" in email.alternatives[0][0]
    url = reverse("sharing:help-contact-detail", args=[contact.pk])
    html = client_for(manager_b).get(url).content.decode()
    assert "vera.perso@example.org" not in html and "06 12 34 56 78" not in html
    assert "has not answered yet" in html
    html = client_for(volunteer).get(url).content.decode()
    assert "Your answer" in html
    with django_capture_on_commit_callbacks(execute=True):
        client_for(volunteer).post(reverse("sharing:help-contact-act", args=[contact.pk, "accept"]))
    contact.refresh_from_db()
    assert contact.status == HelpContactStatus.ACCEPTED
    assert mail.outbox[-1].to == [manager_b.email]
    html = client_for(manager_b).get(url).content.decode()
    assert "vera.perso@example.org" in html and "06 12 34 56 78" in html
    assert manager_b.email in client_for(volunteer).get(url).content.decode()


def test_a_declined_request_never_shows_the_expert_contact(client_for, volunteer, manager_b, association_b):
    contact = make_contact(expert_user=volunteer, by=manager_b)
    client_for(volunteer).post(reverse("sharing:help-contact-act", args=[contact.pk, "decline"]))
    contact.refresh_from_db()
    assert contact.status == HelpContactStatus.DECLINED
    html = client_for(manager_b).get(reverse("sharing:help-contact-detail", args=[contact.pk])).content.decode()
    assert volunteer.email not in html
    response = client_for(volunteer).post(reverse("sharing:help-contact-act", args=[contact.pk, "accept"]), follow=True)
    assert "already answered" in response.content.decode()


def test_only_the_expert_answers(client_for, volunteer, manager_b):
    contact = make_contact(expert_user=volunteer, by=manager_b)
    response = client_for(manager_b).post(reverse("sharing:help-contact-act", args=[contact.pk, "accept"]))
    assert response.status_code == 403
    contact.refresh_from_db()
    assert contact.status == HelpContactStatus.PROPOSED


def test_the_office_does_not_read_the_exchanges(client_for, staff, volunteer, manager_b):
    contact = make_contact(expert_user=volunteer, by=manager_b)
    assert client_for(staff).get(reverse("sharing:help-contact-detail", args=[contact.pk])).status_code == 403


@pytest.mark.parametrize(
    ("prepare", "message"),
    [
        ("twice", "already asked for this request"),
        ("closed", "This request is closed"),
        ("paused", "not taking new requests"),
        ("other_area", "does not offer help in this area"),
    ],
)
def test_a_wrong_proposal_is_refused_clearly(volunteer, manager_b, association_b, prepare, message):
    expert = make_expert(user=volunteer, areas=["law"] if prepare == "other_area" else ["accounting"])
    help_request = make_help_request(association=association_b, by=manager_b)
    if prepare == "twice":
        experts.contact_propose(actor=manager_b, help_request=help_request, expert=expert, message="Bonjour")
    if prepare == "closed":
        experts.request_close(actor=manager_b, help_request=help_request)
    if prepare == "paused":
        expert.is_available = False
        expert.save(update_fields=["is_available"])
    before = HelpContact.objects.count()
    with pytest.raises(ValidationError, match=message):
        experts.contact_propose(actor=manager_b, help_request=help_request, expert=expert, message="Bonjour")
    assert HelpContact.objects.count() == before


def test_a_proposal_needs_a_message(client_for, volunteer, manager_b, association_b):
    expert = make_expert(user=volunteer)
    help_request = make_help_request(association=association_b, by=manager_b)
    response = client_for(manager_b).post(
        reverse("sharing:help-contact-propose", args=[help_request.pk, expert.pk]), {"message": ""}
    )
    assert response.status_code == 400
    assert not HelpContact.objects.exists()


def test_messages_go_both_ways_once_accepted_and_are_emailed_to_the_other_side(
    client_for, volunteer, manager_b, django_capture_on_commit_callbacks
):
    contact = make_contact(expert_user=volunteer, by=manager_b)
    url = reverse("sharing:help-contact-act", args=[contact.pk, "message"])
    response = client_for(manager_b).post(url, {"body": "Bonjour !"}, follow=True)
    assert "once the expert has accepted" in response.content.decode()
    assert not HelpMessage.objects.exists()
    contact.status = HelpContactStatus.ACCEPTED
    contact.save(update_fields=["status"])
    with django_capture_on_commit_callbacks(execute=True):
        client_for(manager_b).post(url, {"body": "Quand êtes-vous disponible ?"})
        client_for(volunteer).post(url, {"body": "Mardi soir."})
    assert [email.to for email in mail.outbox] == [[volunteer.email], [manager_b.email]]
    assert "Mardi soir." in mail.outbox[1].body
    html = client_for(manager_b).get(reverse("sharing:help-contact-detail", args=[contact.pk])).content.decode()
    assert "Quand êtes-vous disponible ?" in html and "Mardi soir." in html
    response = client_for(volunteer).post(url, {"body": "  "})
    assert response.status_code == 400


def test_either_side_records_the_help_given_for_the_observatory(client_for, staff, volunteer, manager_b):
    contact = make_contact(expert_user=volunteer, by=manager_b, status=HelpContactStatus.ACCEPTED)
    url = reverse("sharing:help-contact-act", args=[contact.pk, "record"])
    today = timezone.localdate()
    data = {"day": today.isoformat(), "hours": "2.5", "help_format": "advice", "note": "Budget revu ensemble."}
    assert client_for(volunteer).post(url, data).status_code == 302
    tomorrow = (today + datetime.timedelta(days=1)).isoformat()
    response = client_for(manager_b).post(url, {**data, "day": tomorrow})
    assert response.status_code == 400
    assert "not in advance" in response.content.decode()
    record = HelpRecord.objects.get()
    assert (record.association, record.area, record.format, record.expert_kind, record.hours) == (
        contact.request.association, "accounting", "advice", "retired", Decimal("2.5")
    )  # fmt: skip
    response = client_for(staff).get(reverse("sharing:help-given"))
    assert response.context["totals"]["hours"] == Decimal("2.5")
    assert "Association B" in response.content.decode()


def test_help_is_not_recorded_before_the_expert_accepts(volunteer, manager_b):
    contact = make_contact(expert_user=volunteer, by=manager_b)
    with pytest.raises(ValidationError, match="once the expert has accepted"):
        experts.record_help(
            actor=manager_b, contact=contact, day=timezone.localdate(), hours=Decimal(1), help_format="advice"
        )


def test_the_help_figures_run_the_same_queries_for_1_or_many_records(client_for, staff, volunteer, manager_b):
    contact = make_contact(expert_user=volunteer, by=manager_b, status=HelpContactStatus.ACCEPTED)

    def record(count):
        for number in range(count):
            experts.record_help(
                actor=volunteer, contact=contact, day=timezone.localdate(), hours=Decimal(1 + number),
                help_format=["advice", "training", "mentoring"][number % 3],
            )  # fmt: skip

    record(1)
    client = client_for(staff)
    client.get(reverse("sharing:help-given"))
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("sharing:help-given"))
    record(12)
    with CaptureQueriesContext(connection) as large:
        client.get(reverse("sharing:help-given"))
    assert len(large.captured_queries) == len(small.captured_queries)


# --- Withdrawal and personal data -------------------------------------------------------------------------


def test_the_expert_withdraws_and_only_anonymous_records_stay(client_for, volunteer, manager_b):
    contact = make_contact(expert_user=volunteer, by=manager_b, status=HelpContactStatus.ACCEPTED)
    experts.message_post(actor=volunteer, contact=contact, body="Voici mes notes.")
    experts.record_help(
        actor=volunteer, contact=contact, day=timezone.localdate(), hours=Decimal(3), help_format="training",
        note="Formation au tableur chez Vera.",
    )  # fmt: skip
    expert = volunteer.expert_profile
    response = client_for(volunteer).post(reverse("sharing:expert-withdraw", args=[expert.pk]))
    assert response.status_code == 302
    assert not ExpertProfile.objects.exists()
    assert not HelpContact.objects.exists() and not HelpMessage.objects.exists()
    record = HelpRecord.objects.get()
    assert (record.contact, record.note, record.hours, record.expert_kind) == (None, "", Decimal(3), "retired")
    assert AuditEntry.objects.filter(action="sharing.expert.withdrawn").exists()


def test_only_the_expert_withdraws_their_profile(client_for, volunteer, manager_b):
    expert = make_expert(user=volunteer)
    assert client_for(manager_b).post(reverse("sharing:expert-withdraw", args=[expert.pk])).status_code == 403
    assert ExpertProfile.objects.filter(pk=expert.pk).exists()


def test_the_personal_data_export_and_erase_cover_the_expert_base(volunteer, manager_b):
    from tissu.lib import personal_data

    contact = make_contact(expert_user=volunteer, by=manager_b, status=HelpContactStatus.ACCEPTED)
    experts.message_post(actor=manager_b, contact=contact, body="Merci pour votre aide.")
    exported = experts.experts_export(volunteer)
    assert exported["expert_profile"]["areas"] == ["accounting"]
    assert exported["expert_profile"]["contact_email"] == volunteer.email
    assert experts.experts_export(manager_b)["help_messages"][0]["text"] == "Merci pour votre aide."
    assert "sharing_experts" in {provider.key for provider in personal_data.providers()}
    experts.experts_erase_for_user(manager_b)
    assert HelpMessage.objects.get().author is None
    experts.experts_erase_for_user(volunteer)
    assert not ExpertProfile.objects.exists()


def test_the_requests_page_runs_the_same_queries_for_1_or_many_requests(client_for, manager_b, association_b):
    from conftest import make_user

    make_expert(user=manager_b, areas=["accounting", "law"])  # manager_b is also an expert
    make_contact(expert_user=make_user("e0@example.org"), by=manager_b)
    url = reverse("sharing:help-request-list")
    client = client_for(manager_b)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for number in range(1, 8):
        make_contact(expert_user=make_user(f"e{number}@example.org"), by=manager_b)
        make_help_request(association="association-a", title=f"Demande {number}", area="law")
    with CaptureQueriesContext(connection) as large:
        html = client.get(url).content.decode()
    assert "Demande 7" in html
    assert len(large.captured_queries) == len(small.captured_queries)


def test_the_expert_edits_areas_and_pauses(client_for, volunteer, manager_b, association_b):
    expert = make_expert(user=volunteer, areas=["accounting", "law"])
    response = client_for(volunteer).post(
        reverse("sharing:expert-edit", args=[expert.pk]),
        profile_data(areas=["law", "digital"], is_available=""),
    )
    assert response.status_code == 302
    expert.refresh_from_db()
    assert sorted(expert.areas.values_list("area", flat=True)) == ["digital", "law"]
    assert not expert.is_available
    help_request = make_help_request(association=association_b, area="law")
    assert experts.match_experts(help_request) == []  # paused: not suggested
    assert client_for(manager_b).get(reverse("sharing:expert-edit", args=[expert.pk])).status_code == 403
