"""Invitations: an association invites a suggested volunteer to apply, without ever seeing their address."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from conftest import make_user
from tissu.audit.models import AuditEntry
from tissu.volunteering import services
from tissu.volunteering.models import Invitation, InvitationStatus
from tissu.volunteering.tests.helpers import make_application, make_mission, make_profile, make_skill

pytestmark = pytest.mark.django_db


@pytest.fixture
def skill():
    return make_skill("Animation")


@pytest.fixture
def ines(skill):
    user = make_user("ines@example.org", "Ines Invited")
    user.language = "en"
    user.save(update_fields=["language"])
    make_profile(user, skills=[skill], contact_opt_in=True)
    return user


def test_a_manager_invites_a_suggested_volunteer_who_gets_an_email(
    client_for, manager_a, ines, skill, django_capture_on_commit_callbacks
):
    mission = make_mission(title="Atelier jeux", skills=[skill])
    client = client_for(manager_a)
    page = client.get(reverse("volunteering:mission-applications", args=[mission.pk])).content.decode()
    assert "Invite Ines Invited to apply" in page
    assert "ines@example.org" not in page  # the association never sees the address
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("volunteering:invitation-send", args=[mission.pk]),
            {"volunteer": ines.pk, "message": "Votre profil nous plaît !"},
            follow=True,
        )
    assert "Ines Invited is invited to apply" in response.content.decode()
    invitation = Invitation.objects.get()
    assert (invitation.volunteer, invitation.invited_by, invitation.status) == (ines, manager_a, "pending")
    (message,) = mail.outbox
    assert message.to == ["ines@example.org"]
    assert message.subject == "An association invites you: Atelier jeux"
    assert "Votre profil nous plaît !" in message.body
    assert reverse("volunteering:mission-detail", args=[mission.pk]) in message.body
    assert AuditEntry.objects.filter(action="volunteering.invitation.sent").count() == 1
    page = client.get(reverse("volunteering:mission-applications", args=[mission.pk])).content.decode()
    assert "Invite Ines Invited to apply" not in page and "waiting for an answer" in page


def test_the_invitation_is_answered_by_applying(client_for, manager_a, ines, skill):
    mission = make_mission(skills=[skill])
    invitation = services.invitation_send(actor=manager_a, mission=mission, volunteer=ines)
    page = client_for(ines).get(reverse("volunteering:my-applications")).content.decode()
    assert "Associations invite you" in page and mission.title in page
    services.application_create(volunteer=ines, mission=mission, message="Avec plaisir")
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.APPLIED and invitation.answered_at
    assert "Associations invite you" not in client_for(ines).get(reverse("volunteering:my-applications")).text


def test_the_volunteer_declines_and_only_they_can(client_for, manager_a, volunteer, ines, skill):
    invitation = services.invitation_send(actor=manager_a, mission=make_mission(skills=[skill]), volunteer=ines)
    url = reverse("volunteering:invitation-decline", args=[invitation.pk])
    assert client_for(volunteer).post(url).status_code == 404
    response = client_for(ines).post(url, follow=True)
    assert "Invitation declined" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.DECLINED
    with pytest.raises(ValidationError, match="already answered"):
        services.invitation_decline(user=ines, invitation=invitation)


def test_an_invitation_is_refused_when_it_should_not_be_sent(manager_a, manager_b, volunteer, ines, skill):
    mission = make_mission(skills=[skill])
    make_profile(volunteer, skills=[skill], contact_opt_in=False)
    with pytest.raises(ValidationError, match="does not accept suggestions"):
        services.invitation_send(actor=manager_a, mission=mission, volunteer=volunteer)
    services.invitation_send(actor=manager_a, mission=mission, volunteer=ines)
    with pytest.raises(ValidationError, match="already invited"):
        services.invitation_send(actor=manager_a, mission=mission, volunteer=ines)
    applied = make_user("applied@example.org")
    make_profile(applied, contact_opt_in=True)
    make_application(mission, applied)
    with pytest.raises(ValidationError, match="already applied"):
        services.invitation_send(actor=manager_a, mission=mission, volunteer=applied)
    with pytest.raises(ValidationError, match="published mission"):
        services.invitation_send(actor=manager_a, mission=make_mission(status="closed"), volunteer=ines)
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):  # a manager of another association
        services.invitation_send(actor=manager_b, mission=make_mission(title="Autre"), volunteer=ines)
    assert Invitation.objects.count() == 1 and not mail.outbox


def test_a_minor_is_not_invited_to_a_mission_for_adults(manager_a):
    teen = make_user("teen@example.org")
    make_profile(teen, contact_opt_in=True, is_minor=True, parental_consent=True)
    with pytest.raises(ValidationError, match="adults only"):
        services.invitation_send(actor=manager_a, mission=make_mission(), volunteer=teen)
