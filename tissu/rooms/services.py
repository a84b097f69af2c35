"""Every write of the rooms module about buildings, rooms, closures and one-off bookings.

(Seasonal campaigns and their requests: tissu.rooms.campaigns.)

Pending and approved bookings hold their room. booking_request checks every rule (notice, length, opening
hours, closures, capacity, the gap between bookings) and that the room is free inside the transaction that
writes; on PostgreSQL the exclusion constraint of migration 0002 refuses an overlap that a parallel request
slipped in between the check and the insert: the IntegrityError becomes the same conflict error.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tissu.audit.services import audit_log
from tissu.directory.models import Association
from tissu.rooms import emails, permissions, selectors
from tissu.rooms.models import HOLDING, Booking, BookingStatus, Building, Closure, Equipment, OpeningHours, Room

ROOM_FIELDS = [
    "building", "name", "kind", "capacity", "surface", "step_free", "description", "photo", "photo_alt",
    "notice_days", "max_hours", "booker_policy", "approval_required", "buffer_minutes", "is_active",
]  # fmt: skip


class BookingConflict(ValidationError):
    """The room is taken at that time (by a holding booking, or within the gap the room requires)."""


def _office(actor) -> None:
    if not permissions.is_office(actor):
        raise PermissionDenied


@transaction.atomic
def building_save(*, actor, building: Building | None, values: dict, hours: dict[int, list]) -> Building:
    """Create or update a building and replace its opening hours ({weekday: [(opens, closes), …]})."""
    _office(actor)
    created = building is None
    building = building or Building()
    for field in ("name", "address", "description", "accessibility"):
        if field in values:
            setattr(building, field, values[field])
    building.full_clean()
    building.save()
    building.opening_hours.all().delete()
    rows = [OpeningHours(building=building, weekday=day, opens=o, closes=c) for day, ps in hours.items() for o, c in ps]
    for row in rows:
        row.full_clean(exclude=["building"])
    OpeningHours.objects.bulk_create(rows)
    audit_log(actor=actor, action=f"rooms.building.{'created' if created else 'updated'}", target=building)
    return building


@transaction.atomic
def room_save(*, actor, room: Room | None, values: dict, equipment=(), new_equipment: str = "") -> Room:
    _office(actor)
    created = room is None
    room = room or Room()
    for field in ROOM_FIELDS:
        if field not in values:
            continue
        value = values[field]
        if field == "photo":
            # A form gives an upload (new file), False (cleared), or the current file or None (unchanged).
            if value is False:
                room.photo = ""
            elif isinstance(value, UploadedFile):
                room.photo = value
            continue
        setattr(room, field, value)
    if room.photo and not room.photo_alt.strip():
        raise ValidationError({"photo_alt": _("Describe the photo for people who cannot see it.")})
    room.full_clean()
    room.save()
    names = [name.strip() for name in new_equipment.split(",") if name.strip()]
    added = [Equipment.objects.get_or_create(name__iexact=name, defaults={"name": name[:80]})[0] for name in names]
    room.equipment.set([*equipment, *added])
    audit_log(actor=actor, action=f"rooms.room.{'created' if created else 'updated'}", target=room)
    return room


@transaction.atomic
def closure_create(*, actor, values: dict) -> Closure:
    _office(actor)
    closure = Closure(**values)
    closure.full_clean()
    closure.save()
    audit_log(actor=actor, action="rooms.closure.created", target=closure)
    return closure


@transaction.atomic
def closure_delete(*, actor, closure: Closure) -> None:
    _office(actor)
    audit_log(actor=actor, action="rooms.closure.deleted", target=closure, data={"label": closure.label})
    closure.delete()


def _check_rules(*, room: Room, start: datetime.datetime, end: datetime.datetime, attendees: int, office: bool):
    now = timezone.now()
    if end <= start:
        raise ValidationError({"end": _("The booking must end after it starts.")})
    if start < now:
        raise ValidationError({"start": _("This time is already past.")})
    if not office and timezone.localdate(start) < timezone.localdate(now) + datetime.timedelta(days=room.notice_days):
        raise ValidationError(
            {"start": _("This room must be booked at least %(days)s days ahead.") % {"days": room.notice_days}}
        )
    if end - start > datetime.timedelta(hours=room.max_hours):
        raise ValidationError(
            {"end": _("This room is booked for %(hours)s hours at most.") % {"hours": room.max_hours}}
        )
    if attendees > room.capacity:
        raise ValidationError(
            {"attendees": _("This room holds %(capacity)s people at most.") % {"capacity": room.capacity}}
        )
    if not selectors.within_opening_hours(selectors.opening_periods(room.building_id), start, end):
        raise ValidationError(_("The building is not open at that time: see its opening hours."))
    closed = selectors.is_closed(room, timezone.localdate(start))
    if closed:
        raise ValidationError(_("The building is closed that day (%(reason)s).") % {"reason": closed})


def _check_free(booking: Booking) -> None:
    room = booking.room
    if not selectors.is_free(room, booking.start, booking.end, exclude_pk=booking.pk):
        if room.buffer_minutes and selectors.is_free(
            Room(pk=room.pk, buffer_minutes=0), booking.start, booking.end, exclude_pk=booking.pk
        ):
            raise BookingConflict(
                _("The room needs %(minutes)s minutes between two bookings: another one is too close.")
                % {"minutes": room.buffer_minutes},
                code="conflict",
            )
        raise BookingConflict(_("The room is already booked at that time."), code="conflict")


def _save_holding(booking: Booking, update_fields=None) -> None:
    """Save a booking that holds its room; the database's refusal of an overlap (PostgreSQL) is a conflict."""
    try:
        with transaction.atomic():
            booking.save(update_fields=update_fields)
    except IntegrityError as error:
        if "rooms_booking_no_overlap" in str(error):
            raise BookingConflict(_("The room is already booked at that time."), code="conflict") from None
        raise


@transaction.atomic
def booking_request(
    *,
    actor,
    room: Room,
    association: Association | None,
    start: datetime.datetime,
    end: datetime.datetime,
    purpose: str,
    attendees: int,
) -> Booking:
    """Ask for a room; approved at once when the room needs no approval (or the office books)."""
    if not permissions.can_book_as(actor, association, room):
        raise PermissionDenied
    office = permissions.is_office(actor)
    _check_rules(room=room, start=start, end=end, attendees=attendees, office=office)
    booking = Booking(
        room=room, association=association, requested_by=actor, purpose=purpose, attendees=attendees,
        start=start, end=end,
    )  # fmt: skip
    if office or not room.approval_required:
        booking.status = BookingStatus.APPROVED
        booking.decided_at = timezone.now()
    booking.full_clean()
    _check_free(booking)
    _save_holding(booking)
    audit_log(actor=actor, action="rooms.booking.requested", target=booking, data={"status": booking.status})
    if booking.status == BookingStatus.PENDING:
        transaction.on_commit(lambda: emails.booking_requested(booking=booking))
    return booking


@transaction.atomic
def booking_decide(*, actor, booking: Booking, approve: bool, answer: str = "") -> Booking:
    _office(actor)
    booking = Booking.objects.select_for_update(of=("self",)).select_related("room", "association").get(pk=booking.pk)
    if booking.status != BookingStatus.PENDING:
        raise ValidationError(_("This booking was already decided."))
    if not approve and not answer.strip():
        raise ValidationError({"answer": _("Give the reason of the refusal: the association will read it.")})
    booking.status = BookingStatus.APPROVED if approve else BookingStatus.REFUSED
    booking.answer = answer
    booking.decided_at = timezone.now()
    booking.save(update_fields=["status", "answer", "decided_at"])
    audit_log(actor=actor, action=f"rooms.booking.{'approved' if approve else 'refused'}", target=booking)
    transaction.on_commit(lambda: emails.booking_decided(booking=booking))
    return booking


@transaction.atomic
def booking_cancel(*, actor, booking: Booking) -> Booking:
    booking = Booking.objects.select_for_update(of=("self",)).select_related("association").get(pk=booking.pk)
    if not permissions.can_see_booking(actor, booking):
        raise PermissionDenied
    if booking.status not in HOLDING:
        raise ValidationError(_("This booking is not active any more."))
    if booking.end <= timezone.now():
        raise ValidationError(_("This booking is already over."))
    booking.status = BookingStatus.CANCELLED
    booking.cancelled_at = timezone.now()
    booking.save(update_fields=["status", "cancelled_at"])
    audit_log(actor=actor, action="rooms.booking.cancelled", target=booking)
    return booking


@transaction.atomic
def booking_declare_absence(*, actor, booking: Booking) -> Booking:
    """The association will not use an approved booking (a weekly slot on a given date): the room is free
    for others, and the occupancy counts it as allocated but unused."""
    booking = Booking.objects.select_for_update(of=("self",)).select_related("association").get(pk=booking.pk)
    if not permissions.can_see_booking(actor, booking):
        raise PermissionDenied
    if booking.status != BookingStatus.APPROVED or booking.start <= timezone.now():
        raise ValidationError(_("Only a future approved booking can be declared unused."))
    booking.status = BookingStatus.CANCELLED
    booking.cancelled_at = booking.absence_declared_at = timezone.now()
    booking.save(update_fields=["status", "cancelled_at", "absence_declared_at"])
    audit_log(actor=actor, action="rooms.booking.absence_declared", target=booking)
    return booking


def bookings_erase_for_user(user) -> None:
    """Account deletion: bookings and requests stay (they belong to the associations and the city's records),
    without the person who made them."""
    from tissu.rooms.models import SlotRequest

    Booking.objects.filter(requested_by=user).update(requested_by=None)
    SlotRequest.objects.filter(submitted_by=user).update(submitted_by=None)
