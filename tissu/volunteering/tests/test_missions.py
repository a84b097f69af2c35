"""Missions: posting, states, optional moderation, automatic expiry, the staff's list of skills."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tissu.audit.models import AuditEntry
from tissu.volunteering import services
from tissu.volunteering.models import Application, Mission, MissionStatus, Skill
from tissu.volunteering.tests.helpers import family, make_application, make_mission, make_skill

pytestmark = pytest.mark.django_db


def mission_data(**overrides):
    data = {
        "title": "Aide aux devoirs",
        "description": "Accompagner des collégiens.",
        "mission_type": "recurring",
        "rhythm": "Le mercredi après-midi",
        "schedule": ["wed-afternoon"],
        "commitment_hours": "2",
        "commitment_period": "week",
        "places": "2",
        "address": "Maison des associations",
        "publics": ["students", "minors"],
        "causes": ["011000"],
    }
    data.update(overrides)
    return data


def test_a_manager_posts_a_draft_then_publishes_it(client_for, manager_a, association_a):
    skill = make_skill("Soutien scolaire")
    client = client_for(manager_a)
    response = client.post(
        reverse("volunteering:mission-create", args=[association_a.slug]), mission_data(skills=[skill.pk])
    )
    mission = Mission.objects.get()
    assert response.status_code == 302
    assert mission.status == MissionStatus.DRAFT
    assert mission.schedule == "wed-afternoon"
    assert mission.public_codes == ["students", "minors"]
    assert list(mission.skills.all()) == [skill]
    assert list(mission.causes.all()) == [family("011000")]
    assert "devoir" in mission.search_text

    client.post(reverse("volunteering:mission-action", args=[mission.pk]), {"action": "submit"})
    mission.refresh_from_db()
    assert mission.status == MissionStatus.PUBLISHED
    assert mission.published_at is not None
    assert AuditEntry.objects.filter(action="volunteering.mission.submitted").exists()


def test_a_one_off_mission_needs_dated_slots(client_for, manager_a, association_a):
    url = reverse("volunteering:mission-create", args=[association_a.slug])
    response = client_for(manager_a).post(url, mission_data(mission_type="one_off"))
    assert response.status_code == 400
    assert "at least one dated slot" in response.content.decode()

    response = client_for(manager_a).post(
        url, mission_data(mission_type="one_off", slots="12/12/2026 09:00-12:00\n2026-12-13 14h00-17h00")
    )
    assert response.status_code == 302
    mission = Mission.objects.get()
    slots = list(mission.slots.all())
    assert [timezone.localtime(slot.starts_at).hour for slot in slots] == [9, 14]
    assert mission.ends_on == datetime.date(2026, 12, 13)


def test_it_explains_an_unreadable_slot_line(client_for, manager_a, association_a):
    response = client_for(manager_a).post(
        reverse("volunteering:mission-create", args=[association_a.slug]),
        mission_data(mission_type="one_off", slots="next Saturday"),
    )
    assert response.status_code == 400
    assert "next Saturday" in response.content.decode()


def test_a_board_role_mission_names_the_role(manager_a, association_a):
    values = {**mission_data(), "mission_type": "board", "schedule": "", "publics": ""}
    with pytest.raises(ValidationError) as error:
        services.mission_save(actor=manager_a, association=association_a, values=values)
    assert "board_role" in error.value.error_dict
    mission = services.mission_save(
        actor=manager_a, association=association_a, values={**values, "board_role": "treasurer"}
    )
    assert mission.get_board_role_display() == "treasurer"


def test_a_mission_needs_a_place_or_remote(manager_a, association_a):
    values = {**mission_data(), "schedule": "", "publics": "", "address": ""}
    with pytest.raises(ValidationError):
        services.mission_save(actor=manager_a, association=association_a, values=values)
    assert services.mission_save(actor=manager_a, association=association_a, values={**values, "is_remote": True})


def test_another_association_cannot_edit_the_mission(client_for, manager_b):
    mission = make_mission(status="draft")
    assert client_for(manager_b).get(reverse("volunteering:mission-edit", args=[mission.pk])).status_code == 403
    # Drafts are not public.
    assert client_for(manager_b).get(reverse("volunteering:mission-detail", args=[mission.pk])).status_code == 404


def test_with_moderation_a_mission_waits_for_the_office(
    settings, client_for, manager_a, staff, django_capture_on_commit_callbacks
):
    settings.VOLUNTEERING_MODERATION = True
    mission = make_mission(status="draft")
    with django_capture_on_commit_callbacks(execute=True):
        client_for(manager_a).post(reverse("volunteering:mission-action", args=[mission.pk]), {"action": "submit"})
    mission.refresh_from_db()
    assert mission.status == MissionStatus.PENDING_REVIEW
    assert staff.email in mail.outbox[0].to
    queue = client_for(staff).get(reverse("volunteering:review-queue"))
    assert mission.title in queue.content.decode()

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client_for(staff).post(
            reverse("volunteering:mission-review", args=[mission.pk]),
            {"decision": "return", "note": "Précisez le lieu."},
        )
    mission.refresh_from_db()
    assert mission.status == MissionStatus.DRAFT
    assert mission.review_note == "Précisez le lieu."
    assert mail.outbox[0].to == [manager_a.email]
    assert "Précisez le lieu." in mail.outbox[0].body

    services.mission_submit(actor=manager_a, mission=mission)
    services.mission_review(actor=staff, mission=mission, approve=True)
    mission.refresh_from_db()
    assert mission.status == MissionStatus.PUBLISHED


def test_sending_back_needs_a_note(staff):
    mission = make_mission(status="pending_review")
    with pytest.raises(ValidationError):
        services.mission_review(actor=staff, mission=mission, approve=False, note=" ")


def test_closing_cancels_the_pending_applications(manager_a, volunteer, django_capture_on_commit_callbacks):
    mission = make_mission()
    application = make_application(mission, volunteer)
    with django_capture_on_commit_callbacks(execute=True):
        services.mission_close(actor=manager_a, mission=mission)
    application.refresh_from_db()
    assert application.status == "cancelled"
    assert mail.outbox[0].to == [volunteer.email]
    with pytest.raises(ValidationError):
        services.mission_save(actor=manager_a, association=mission.association, mission=mission, values={})
    services.mission_reopen(actor=manager_a, mission=mission)
    mission.refresh_from_db()
    assert mission.status == MissionStatus.DRAFT


def test_the_expiry_command_is_idempotent(personas):
    today = timezone.localdate()
    old = make_mission(title="Passée", ends_on=today - datetime.timedelta(days=1))
    full = make_mission(title="Complète", status="full", ends_on=today - datetime.timedelta(days=3))
    current = make_mission(title="En cours", ends_on=today)
    endless = make_mission(title="Sans fin")
    call_command("volunteering_expire_missions")
    call_command("volunteering_expire_missions")
    statuses = dict(Mission.objects.values_list("pk", "status"))
    assert statuses[old.pk] == statuses[full.pk] == MissionStatus.EXPIRED
    assert statuses[current.pk] == statuses[endless.pk] == MissionStatus.PUBLISHED
    assert services.missions_expire() == 0


def test_a_slot_someone_applied_to_cannot_be_removed(manager_a, volunteer):
    mission = make_mission(slots=2)
    slot = mission.slots.first()
    make_application(mission, volunteer, slot=slot)
    values = {**mission_data(), "mission_type": "one_off", "schedule": "", "publics": ""}
    other = mission.slots.last()
    with pytest.raises(ValidationError):
        services.mission_save(
            actor=manager_a,
            association=mission.association,
            mission=mission,
            values=values,
            slots=[(other.starts_at, other.ends_at)],
        )


def test_staff_keep_the_list_of_skills(client_for, staff, manager_a):
    client = client_for(staff)
    client.post(reverse("volunteering:skill-list"), {"name": "Comptabilité"})
    skill = Skill.objects.get()
    assert skill.slug == "comptabilite"
    client.post(reverse("volunteering:skill-edit", args=[skill.pk]), {"name": "Comptabilité associative"})
    skill.refresh_from_db()
    assert skill.name == "Comptabilité associative"
    mission = make_mission(skills=[skill])
    response = client.post(reverse("volunteering:skill-delete", args=[skill.pk]), follow=True)
    assert "can be renamed but not deleted" in response.content.decode()
    mission.skills.clear()
    client.post(reverse("volunteering:skill-delete", args=[skill.pk]))
    assert not Skill.objects.exists()
    assert AuditEntry.objects.filter(action__startswith="volunteering.skill.").count() == 3


def test_the_associations_missions_page_counts_applications(client_for, manager_a, volunteer):
    mission = make_mission()
    make_application(mission, volunteer)
    response = client_for(manager_a).get(reverse("volunteering:association-missions", args=["association-a"]))
    assert response.context["missions"][0].new_count == 1
    assert Application.objects.count() == 1
