"""The rooms module's one permission gateway: rooms, bookings, campaigns and requests reach the views here.

- Rooms, their calendars and the open campaigns are public.
- An association's managers book for it (rooms whose policy lets it) and file its seasonal requests;
  the associations office books for the city, decides, manages rooms, closures and campaigns.
- A booking is seen by the managers of its association and the office; a request likewise, plus the
  commission (committee members and elected officials: the city roles) once requests are closed.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from tissu.directory.models import Association
from tissu.directory.permissions import can_edit, is_manager, managed_associations
from tissu.rooms.models import BookerPolicy, Booking, Campaign, CampaignStatus, Room, SlotRequest


def is_office(user) -> bool:
    return user.is_authenticated and user.is_associations_office


def is_commission(user) -> bool:
    """The allocation commission reads every request and proposal: the office and the city roles."""
    return user.is_authenticated and user.is_city_staff


def may_book(association: Association | None, room: Room) -> bool:
    """The room's policy lets this association (None: the city) book it."""
    if not room.is_active:
        return False
    if association is None:
        return True
    if room.booker_policy == BookerPolicy.OFFICE:
        return False
    if room.booker_policy == BookerPolicy.VERIFIED:
        return association.verified_at is not None
    return True


def booking_associations(user, room: Room) -> list[Association]:
    """The associations in whose name this person may book the room."""
    return [association for association in managed_associations(user) if may_book(association, room)]


def can_book_as(user, association: Association | None, room: Room) -> bool:
    if not user.is_authenticated:
        return False
    if association is None:
        return is_office(user) and room.is_active
    return (is_manager(user, association) and may_book(association, room)) or (is_office(user) and room.is_active)


def get_room_for_user(user, pk: int) -> Room:
    """An active room (any room for the office), else 404."""
    try:
        room = Room.objects.select_related("building").get(pk=pk)
    except Room.DoesNotExist:
        raise Http404 from None
    if not room.is_active and not is_office(user):
        raise Http404
    return room


def can_see_booking(user, booking: Booking) -> bool:
    if not user.is_authenticated:
        return False
    if is_office(user) or booking.requested_by_id == user.pk:
        return True
    return booking.association_id is not None and can_edit(user, booking.association)


def get_booking_for_user(user, pk: int) -> Booking:
    try:
        booking = Booking.objects.select_related("room", "room__building", "association", "requested_by").get(pk=pk)
    except Booking.DoesNotExist:
        raise Http404 from None
    if not can_see_booking(user, booking):
        raise PermissionDenied
    return booking


def get_campaign_for_user(user, pk: int, *, write: bool = False) -> Campaign:
    """Campaigns in preparation are the office's; the others are public. write: the office only."""
    try:
        campaign = Campaign.objects.get(pk=pk)
    except Campaign.DoesNotExist:
        raise Http404 from None
    if write and not is_office(user):
        raise PermissionDenied
    if campaign.status == CampaignStatus.DRAFT and not is_office(user):
        raise Http404
    return campaign


def can_see_request(user, slot_request: SlotRequest) -> bool:
    if not user.is_authenticated:
        return False
    if is_commission(user):
        return True
    return can_edit(user, slot_request.association)


def get_request_for_user(user, pk: int, *, write: bool = False) -> SlotRequest:
    """A request, for its association's managers and the commission; write: its managers while the campaign
    is open, or the office."""
    try:
        slot_request = SlotRequest.objects.select_related(
            "campaign", "association", "allocated_room", "allocated_option", "previous_room"
        ).get(pk=pk)
    except SlotRequest.DoesNotExist:
        raise Http404 from None
    if not can_see_request(user, slot_request):
        raise PermissionDenied
    if write and not (
        is_office(user)
        or (slot_request.campaign.status == CampaignStatus.OPEN and is_manager(user, slot_request.association))
    ):
        raise PermissionDenied
    return slot_request
