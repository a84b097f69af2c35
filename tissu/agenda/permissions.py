"""The agenda's one permission gateway.

Who may publish for an association is the directory's decision (directory.permissions.can_edit: its
managers and the associations office); the city's own events belong to the office.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from tissu.agenda.models import Event, Publication, Visibility
from tissu.directory import permissions as directory_permissions
from tissu.directory.models import MANAGER_ROLES, Association, Membership


def is_office(user) -> bool:
    return user.is_authenticated and user.is_associations_office


def associations_published_for(user) -> list[Association]:
    """The associations this person may publish events for (those they manage)."""
    if not user.is_authenticated:
        return []
    return list(
        Association.objects.filter(memberships__user=user, memberships__role__in=MANAGER_ROLES).order_by("name")
    )


def can_publish(user) -> bool:
    """Staff publish for the city; managers for their associations."""
    if not user.is_authenticated:
        return False
    return is_office(user) or Membership.objects.filter(user=user, role__in=MANAGER_ROLES).exists()


def can_publish_for(user, association: Association | None) -> bool:
    if association is None:
        return is_office(user)
    return directory_permissions.can_edit(user, association)


def can_manage(user, event: Event) -> bool:
    """Edit the event, see and check in its registrations."""
    return user.is_authenticated and can_publish_for(user, event.association)


def can_see_internal(user) -> bool:
    """Internal events: for people who belong to an association, and for the city's staff."""
    if not user.is_authenticated:
        return False
    return user.is_city_staff or user.is_superuser or Membership.objects.filter(user=user).exists()


def can_see(user, event: Event) -> bool:
    if event.publication == Publication.PUBLISHED:
        if event.visibility == Visibility.PUBLIC:
            return True
        return can_see_internal(user)
    return can_manage(user, event)


def get_event_for_user(user, slug: str, *, write: bool = False) -> Event:
    """The event with this slug, or 404; with write=True, PermissionDenied unless its organiser or staff.

    Unpublished events (drafts, awaiting approval, refused) and internal events are 404 for those who may
    not see them, so that their existence does not leak.
    """
    try:
        event = Event.objects.select_related("association", "category", "neighbourhood").get(slug=slug)
    except Event.DoesNotExist:
        raise Http404 from None
    if write:
        if not can_manage(user, event):
            if can_see(user, event):
                raise PermissionDenied
            raise Http404
        return event
    if not can_see(user, event):
        raise Http404
    return event


def require_office(user) -> None:
    if not is_office(user):
        raise PermissionDenied
