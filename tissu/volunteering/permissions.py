"""Volunteering's one permission gateway, built on the directory's (who manages which association).

- Missions: drafts and missions in review are seen by the association's managers and the associations office
  only; the others by everyone who may see the association.
- Applications hold a volunteer's personal data: seen by the volunteer and by the managers of the mission's
  association, and nobody else (not even the associations office: the volunteer did not apply to it).
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from tissu.directory import permissions as directory_permissions
from tissu.volunteering.models import PUBLIC_STATUSES, Application, Mission


def can_edit_mission(user, mission: Mission) -> bool:
    return directory_permissions.can_edit(user, mission.association)


def can_handle_applications(user, mission: Mission) -> bool:
    return user.is_authenticated and directory_permissions.is_manager(user, mission.association)


def get_mission_for_user(user, pk: int, *, write: bool = False) -> Mission:
    try:
        mission = Mission.objects.select_related("association", "neighbourhood").get(pk=pk)
    except Mission.DoesNotExist:
        raise Http404 from None
    if write:
        if not user.is_authenticated or not can_edit_mission(user, mission):
            raise PermissionDenied
        return mission
    if mission.status in PUBLIC_STATUSES and (
        directory_permissions.is_publicly_visible(mission.association)
        or directory_permissions.can_see_private_contacts(user, mission.association)
    ):
        return mission
    if user.is_authenticated and can_edit_mission(user, mission):
        return mission
    raise Http404


def get_mission_applications_for_user(user, pk: int) -> Mission:
    """A mission whose applications this person handles: its association's managers only."""
    mission = get_mission_for_user(user, pk)
    if not can_handle_applications(user, mission):
        raise PermissionDenied
    return mission


def get_application_for_user(user, pk: int) -> Application:
    """The application, for its volunteer or a manager of the mission's association; 404 for anyone else."""
    if not user.is_authenticated:
        raise PermissionDenied
    try:
        application = Application.objects.select_related("mission", "mission__association", "volunteer", "slot").get(
            pk=pk
        )
    except Application.DoesNotExist:
        raise Http404 from None
    if application.volunteer_id == user.pk or can_handle_applications(user, application.mission):
        return application
    raise Http404


def is_volunteer_of(user, application: Application) -> bool:
    return user.is_authenticated and application.volunteer_id == user.pk


def get_invitation_for_user(user, pk: int):
    """An invitation to apply, for the volunteer it was sent to only (404 for anyone else)."""
    from tissu.volunteering.models import Invitation

    if not user.is_authenticated:
        raise PermissionDenied
    invitation = Invitation.objects.filter(pk=pk, volunteer=user).select_related("mission").first()
    if invitation is None:
        raise Http404
    return invitation


def can_see_figures(user) -> bool:
    """The counters of volunteering: the associations office and elected officials."""
    from tissu.accounts.models import StaffRole

    return user.is_authenticated and (user.is_associations_office or user.has_role(StaffRole.ELECTED_OFFICIAL))
