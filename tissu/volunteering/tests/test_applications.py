"""Applications: applying, the association's answers, waiting list, messages, privacy, reminders."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from conftest import make_user
from tissu.audit.models import AuditEntry
from tissu.volunteering import selectors, services
from tissu.volunteering.models import Application, ApplicationStatus, MissionStatus
from tissu.volunteering.tests.helpers import make_application, make_mission, make_profile

pytestmark = pytest.mark.django_db


def test_a_volunteer_applies_with_a_message_and_the_managers_are_told(
    client_for, volunteer, manager_a, django_capture_on_commit_callbacks
):
    mission = make_mission(title="Collecte", slots=2)
    slot = mission.slots.first()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(volunteer).post(
            reverse("volunteering:mission-apply", args=[mission.pk]), {"slot": slot.pk, "message": "Motivée !"}
        )
    application = Application.objects.get()
    assert response.status_code == 302
    assert (application.status, application.slot, application.message) == ("new", slot, "Motivée !")
    [email] = mail.outbox
    assert email.to == [manager_a.email]
    assert "Vera Volunteer applied to the mission “Collecte”." in email.body or "Collecte" in email.body
    html = email.alternatives[0][0]
    assert "Motivée !" in html and "<a href=" in html


def test_the_email_is_in_french_by_default(volunteer, manager_a, django_capture_on_commit_callbacks):
    mission = make_mission(title="Collecte")
    with django_capture_on_commit_callbacks(execute=True):
        services.application_create(volunteer=volunteer, mission=mission, message="Bonjour")
    assert mail.outbox[0].subject == "Nouvelle candidature : Collecte"


def test_a_one_off_mission_needs_a_date(client_for, volunteer):
    mission = make_mission(slots=1)
    response = client_for(volunteer).post(reverse("volunteering:mission-apply", args=[mission.pk]), {"message": "Hi"})
    assert response.status_code == 400
    assert not Application.objects.exists()


def test_the_motivation_message_may_be_required(client_for, volunteer):
    mission = make_mission(motivation_required=True)
    response = client_for(volunteer).post(reverse("volunteering:mission-apply", args=[mission.pk]), {"message": " "})
    assert response.status_code == 400
    with pytest.raises(ValidationError):
        services.application_create(volunteer=volunteer, mission=mission, message="")


@pytest.mark.parametrize("status", ["draft", "closed", "expired", "pending_review"])
def test_applying_to_a_mission_not_open_is_refused(volunteer, status):
    mission = make_mission(status=status)
    with pytest.raises(ValidationError, match="does not take applications"):
        services.application_create(volunteer=volunteer, mission=mission, message="Hi")


def test_applying_twice_is_refused(client_for, volunteer):
    mission = make_mission()
    services.application_create(volunteer=volunteer, mission=mission, message="Hi")
    response = client_for(volunteer).post(
        reverse("volunteering:mission-apply", args=[mission.pk]), {"message": "Again"}
    )
    assert response.status_code == 400
    assert "already applied" in response.content.decode()
    assert Application.objects.count() == 1


def test_after_withdrawing_one_may_apply_again(volunteer):
    mission = make_mission()
    first = services.application_create(volunteer=volunteer, mission=mission, message="Hi")
    services.application_withdraw(volunteer=volunteer, application=first)
    assert services.application_create(volunteer=volunteer, mission=mission, message="Hi again").status == "new"


def test_a_minor_needs_consent_and_a_mission_open_to_minors(volunteer):
    make_profile(volunteer, is_minor=True, parental_consent=False)
    adults_only = make_mission(title="Adultes")
    open_to_minors = make_mission(title="Ouverte", publics="minors")
    with pytest.raises(ValidationError, match="adults only"):
        services.application_create(volunteer=volunteer, mission=adults_only, message="Hi")
    with pytest.raises(ValidationError, match="parents' consent"):
        services.application_create(volunteer=volunteer, mission=open_to_minors, message="Hi")
    volunteer.volunteer_profile.parental_consent = True
    volunteer.volunteer_profile.save()
    assert services.application_create(volunteer=volunteer, mission=open_to_minors, message="Hi")


def test_the_full_lifecycle_with_waiting_list(manager_a, volunteer, django_capture_on_commit_callbacks):
    mission = make_mission(places=1)
    other = make_user("other@example.org", "Olga Other")
    first = services.application_create(volunteer=volunteer, mission=mission, message="Hi")
    services.application_discuss(actor=manager_a, application=first)
    services.application_accept(actor=manager_a, application=first)
    mission.refresh_from_db()
    assert mission.status == MissionStatus.FULL
    waiting = services.application_create(volunteer=other, mission=mission, message="Me too")
    assert waiting.status == ApplicationStatus.WAITLISTED
    with pytest.raises(ValidationError, match="Every place"):
        services.application_accept(actor=manager_a, application=waiting)

    with django_capture_on_commit_callbacks(execute=True):
        services.application_withdraw(volunteer=volunteer, application=first)
    mission.refresh_from_db()
    waiting.refresh_from_db()
    assert mission.status == MissionStatus.PUBLISHED
    assert waiting.status == ApplicationStatus.NEW
    assert other.email in [message.to[0] for message in mail.outbox]
    services.application_accept(actor=manager_a, application=waiting)
    assert AuditEntry.objects.filter(action="volunteering.application.accepted").count() == 2


def test_declining_takes_a_reason_from_the_list(client_for, manager_a, volunteer, django_capture_on_commit_callbacks):
    application = make_application(make_mission(title="Collecte"), volunteer)
    url = reverse("volunteering:application-action", args=[application.pk])
    response = client_for(manager_a).post(url, {"action": "decline", "reason": "because"})
    assert response.status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        client_for(manager_a).post(url, {"action": "decline", "reason": "availability"})
    application.refresh_from_db()
    assert (application.status, application.decline_reason) == ("declined", "availability")
    assert application.responded_at is not None
    assert mail.outbox[0].to == [volunteer.email]
    assert "la disponibilité ne correspond pas" in mail.outbox[0].body


def test_a_volunteer_cannot_accept_their_own_application(client_for, volunteer):
    application = make_application(make_mission(), volunteer)
    client_for(volunteer).post(reverse("volunteering:application-action", args=[application.pk]), {"action": "accept"})
    application.refresh_from_db()
    assert application.status == "new"
    with pytest.raises(PermissionDenied):
        services.application_accept(actor=volunteer, application=application)


def test_another_association_cannot_touch_the_application(manager_b, volunteer):
    application = make_application(make_mission(), volunteer)
    with pytest.raises(PermissionDenied):
        services.application_decline(actor=manager_b, application=application, reason="other")


def test_messages_go_between_the_two_parties_only(
    client_for, manager_a, manager_b, volunteer, django_capture_on_commit_callbacks
):
    application = make_application(make_mission(title="Collecte"), volunteer)
    url = reverse("volunteering:application-message", args=[application.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client_for(manager_a).post(url, {"body": "Pouvez-vous venir samedi ?"})
    application.refresh_from_db()
    assert application.status == "discussing"
    assert application.responded_at is not None
    assert mail.outbox[-1].to == [volunteer.email]
    assert "Pouvez-vous venir samedi ?" in mail.outbox[-1].body

    with django_capture_on_commit_callbacks(execute=True):
        client_for(volunteer).post(url, {"body": "Oui !"})
    assert mail.outbox[-1].to == [manager_a.email]

    # Someone who is not a party: 404 on the page and on the form, and the service refuses.
    assert client_for(manager_b).post(url, {"body": "Hello"}).status_code == 404
    with pytest.raises(PermissionDenied):
        services.message_send(author=manager_b, application=application, body="Hello")
    assert application.messages.count() == 2
    thread = client_for(volunteer).get(reverse("volunteering:application-detail", args=[application.pk]))
    assert "Pouvez-vous venir samedi ?" in thread.content.decode()


def test_an_empty_message_is_refused(client_for, volunteer):
    application = make_application(make_mission(), volunteer)
    response = client_for(volunteer).post(
        reverse("volunteering:application-message", args=[application.pk]), {"body": ""}
    )
    assert response.status_code == 400


def test_contact_details_are_shown_to_the_association_only_once_applied(client_for, manager_a, staff, volunteer):
    make_profile(volunteer, phone="06 12 34 56 78", contact_opt_in=False)
    mission = make_mission()
    page = client_for(manager_a).get(reverse("volunteering:mission-applications", args=[mission.pk]))
    assert "06 12 34 56 78" not in page.content.decode()
    assert volunteer.email not in page.content.decode()

    application = make_application(mission, volunteer)
    detail = client_for(manager_a).get(reverse("volunteering:application-detail", args=[application.pk]))
    assert "06 12 34 56 78" in detail.content.decode()
    assert volunteer.email in detail.content.decode()
    # The associations office is no party to the application.
    assert client_for(staff).get(reverse("volunteering:application-detail", args=[application.pk])).status_code == 404


def test_unanswered_applications_are_recalled_once(manager_a, volunteer, django_capture_on_commit_callbacks):
    mission = make_mission(title="Collecte")
    stale = make_application(mission, volunteer)
    Application.objects.filter(pk=stale.pk).update(created_at=timezone.now() - datetime.timedelta(days=8))
    recent = make_application(make_mission(title="Autre"), volunteer)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("volunteering_remind_applications")
        call_command("volunteering_remind_applications")
    [email] = mail.outbox
    assert email.to == [manager_a.email]
    assert "Collecte" in email.subject
    stale.refresh_from_db()
    recent.refresh_from_db()
    assert stale.reminded_at is not None and recent.reminded_at is None


def test_the_response_indicator_leaves_out_early_withdrawals(volunteer):
    mission = make_mission()
    now = timezone.now()
    answered = make_application(mission, volunteer, status="accepted")
    Application.objects.filter(pk=answered.pk).update(responded_at=answered.created_at + datetime.timedelta(hours=12))
    make_application(mission, make_user("a@example.org"), status="new")
    make_application(mission, make_user("b@example.org"), status="withdrawn")
    stats = selectors.response_stats(association=mission.association, now=now)
    assert (stats.received, stats.answered, stats.answered_percent) == (2, 1, 50)
    assert stats.median_days == pytest.approx(0.5)


def test_my_applications_lists_mine_only(client_for, volunteer):
    make_application(make_mission(title="La mienne"), volunteer)
    make_application(make_mission(title="Pas la mienne"), make_user("x@example.org"))
    html = client_for(volunteer).get(reverse("volunteering:my-applications")).content.decode()
    assert "La mienne" in html and "Pas la mienne" not in html
