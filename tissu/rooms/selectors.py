"""Reads of the rooms module: rooms, opening hours, free times, alternatives to a conflict, calendars."""

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch, Q
from django.utils import timezone

from tissu.rooms.closures import closed_days
from tissu.rooms.models import HOLDING, Booking, BookingStatus, Building, OpeningHours, Room, Weekday

SEARCH_DAYS = 14  # how far ahead the next free slots of a room are looked for
STEP = datetime.timedelta(minutes=30)


def rooms_list(*, include_inactive: bool = False):
    rooms = Room.objects.select_related("building").prefetch_related("equipment")
    return rooms if include_inactive else rooms.filter(is_active=True)


def buildings_with_rooms():
    return Building.objects.prefetch_related(
        Prefetch("rooms", queryset=Room.objects.filter(is_active=True).prefetch_related("equipment")),
        "opening_hours",
    )


def opening_periods(building_id: int) -> dict[int, list[tuple[datetime.time, datetime.time]]]:
    periods: dict[int, list] = {}
    for hours in OpeningHours.objects.filter(building_id=building_id):
        periods.setdefault(hours.weekday, []).append((hours.opens, hours.closes))
    return periods


def within_opening_hours(periods: dict, start: datetime.datetime, end: datetime.datetime) -> bool:
    """Both ends on the same local day, inside one opening period of that weekday."""
    start, end = timezone.localtime(start), timezone.localtime(end)
    if start.date() != end.date() and not (end.time() == datetime.time(0) and end.date() == start.date()):
        return False
    end_time = end.time() if end.date() == start.date() else datetime.time(23, 59, 59)
    return any(opens <= start.time() and end_time <= closes for opens, closes in periods.get(start.weekday(), []))


def overlapping(room: Room, start, end, *, buffer_minutes: int = 0, exclude_pk=None):
    """The holding bookings of the room that overlap [start, end), widened by the room's gap on both sides."""
    gap = datetime.timedelta(minutes=buffer_minutes)
    bookings = Booking.objects.filter(room=room, status__in=HOLDING, start__lt=end + gap, end__gt=start - gap)
    if exclude_pk:
        bookings = bookings.exclude(pk=exclude_pk)
    return bookings.select_related("association")


def is_free(room: Room, start, end, *, exclude_pk=None) -> bool:
    return not overlapping(room, start, end, buffer_minutes=room.buffer_minutes, exclude_pk=exclude_pk).exists()


def is_closed(room: Room, day: datetime.date) -> str:
    """Why the room's building is closed that day ('' when open)."""
    return closed_days(room.building_id, day, day).get(day, "")


@dataclass
class Alternatives:
    rooms: list[Room]
    slots: list[tuple[datetime.datetime, datetime.datetime]]


def alternatives(room: Room, start, end, attendees: int, *, exclude_pk=None) -> Alternatives:
    """What to offer when a booking conflicts: other free rooms big enough at that time, and the next free
    slots of the same length in this room (within its opening hours, over the next SEARCH_DAYS days)."""
    day = timezone.localtime(start).date()
    other_rooms = []
    for candidate in (
        Room.objects.filter(is_active=True, capacity__gte=attendees)
        .exclude(pk=room.pk)
        .select_related("building")
        .order_by("capacity", "name")
    ):
        if (
            within_opening_hours(opening_periods(candidate.building_id), start, end)
            and not is_closed(candidate, day)
            and is_free(candidate, start, end)
        ):
            other_rooms.append(candidate)
        if len(other_rooms) == 5:
            break
    duration = end - start
    periods = opening_periods(room.building_id)
    closed = closed_days(room.building_id, day, day + datetime.timedelta(days=SEARCH_DAYS))
    taken = list(
        Booking.objects.filter(
            room=room,
            status__in=HOLDING,
            end__gt=start,
            start__lt=start + datetime.timedelta(days=SEARCH_DAYS + 1),
        )
        .exclude(pk=exclude_pk)
        .values_list("start", "end")
    )
    gap = datetime.timedelta(minutes=room.buffer_minutes)
    slots = []
    candidate = start + STEP
    limit = start + datetime.timedelta(days=SEARCH_DAYS)
    while candidate < limit and len(slots) < 3:
        candidate_end = candidate + duration
        if (
            timezone.localtime(candidate).date() not in closed
            and within_opening_hours(periods, candidate, candidate_end)
            and not any(s < candidate_end + gap and e > candidate - gap for s, e in taken)
        ):
            slots.append((candidate, candidate_end))
            candidate = candidate_end
        else:
            candidate += STEP
    return Alternatives(rooms=other_rooms, slots=slots)


def week_start(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def week_bookings(rooms, monday: datetime.date) -> dict:
    """{room_pk: [[bookings of Monday], …, [bookings of Sunday]]} for the holding bookings of that week."""
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(monday, datetime.time(0), tz)
    end = start + datetime.timedelta(days=7)
    table = {room.pk: [[] for _ in range(7)] for room in rooms}
    for booking in (
        Booking.objects.filter(room__in=[r.pk for r in rooms], status__in=HOLDING, start__lt=end, end__gt=start)
        .select_related("association")
        .order_by("start")
    ):
        table[booking.room_id][timezone.localtime(booking.start).weekday()].append(booking)
    return table


def bookings_to_decide():
    return Booking.objects.filter(status=BookingStatus.PENDING).select_related("room", "room__building", "association")


def my_bookings(user, associations):
    return (
        Booking.objects.filter(Q(requested_by=user) | Q(association__in=associations))
        .select_related("room", "room__building", "association")
        .order_by("-start")
    )


BANDS = [(0, 12 * 60), (12 * 60, 18 * 60), (18 * 60, 24 * 60)]  # morning, afternoon, evening (minutes)


def _overlap(a0: int, a1: int, b0: int, b1: int) -> int:
    return max(0, min(a1, b1) - max(a0, b0))


def occupancy(start: datetime.date, end: datetime.date) -> dict:
    """Booked hours / open hours per room, and per weekday and part of day over every room, between two dates
    (both included); allocated weekly slots declared unused counted apart. A fixed number of queries."""
    from tissu.rooms.closures import closed_days_by_building

    rooms = list(Room.objects.filter(is_active=True).select_related("building").order_by("building__name", "name"))
    buildings = {room.building_id for room in rooms}
    hours = defaultdict_list()
    for row in OpeningHours.objects.filter(building_id__in=buildings):
        hours[(row.building_id, row.weekday)].append((_minutes(row.opens), _minutes(row.closes)))
    closed = closed_days_by_building(buildings, start, end)
    open_minutes = {room.pk: 0 for room in rooms}
    band_open = {(day, band): 0 for day in range(7) for band in range(3)}
    day = start
    while day <= end:
        for room in rooms:
            if day in closed[room.building_id]:
                continue
            for opens, closes in hours[(room.building_id, day.weekday())]:
                open_minutes[room.pk] += closes - opens
                for band, (b0, b1) in enumerate(BANDS):
                    band_open[(day.weekday(), band)] += _overlap(opens, closes, b0, b1)
        day += datetime.timedelta(days=1)
    tz = timezone.get_current_timezone()
    since = datetime.datetime.combine(start, datetime.time(0), tz)
    until = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time(0), tz)
    booked = {room.pk: 0 for room in rooms}
    unused = {room.pk: 0 for room in rooms}
    band_booked = dict.fromkeys(band_open, 0)
    rows = Booking.objects.filter(room__in=rooms, start__lt=until, end__gt=since).filter(
        Q(status=BookingStatus.APPROVED) | Q(absence_declared_at__isnull=False)
    )
    for room_id, b_start, b_end, absent in rows.values_list("room_id", "start", "end", "absence_declared_at"):
        b_start, b_end = timezone.localtime(b_start), timezone.localtime(b_end)
        length = int((b_end - b_start).total_seconds() // 60)
        if absent:
            unused[room_id] += length
            continue
        booked[room_id] += length
        first = _minutes(b_start.time())
        for band, (b0, b1) in enumerate(BANDS):
            band_booked[(b_start.weekday(), band)] += _overlap(first, first + length, b0, b1)
    per_room = [
        {
            "room": room,
            "open_hours": open_minutes[room.pk] / 60,
            "booked_hours": booked[room.pk] / 60,
            "unused_hours": unused[room.pk] / 60,
            "rate": booked[room.pk] / open_minutes[room.pk] if open_minutes[room.pk] else None,
        }
        for room in rooms
    ]
    per_time = [
        (
            Weekday(day).label,
            [
                band_booked[(day, band)] / band_open[(day, band)] if band_open[(day, band)] else None
                for band in range(3)
            ],
        )
        for day in range(7)
    ]
    return {"rooms": per_room, "times": per_time}


def defaultdict_list():
    from collections import defaultdict

    return defaultdict(list)


def _minutes(value: datetime.time) -> int:
    return value.hour * 60 + value.minute


def bookings_export(user) -> dict:
    """The bookings and seasonal requests this person made, for their data export."""
    from tissu.rooms.models import SlotRequest

    return {
        "bookings": [
            {"room": str(b.room), "association": b.association.name if b.association else None,
             "purpose": b.purpose, "start": b.start.isoformat(), "end": b.end.isoformat(), "status": b.status}
            for b in Booking.objects.filter(requested_by=user).select_related("room__building", "association")
        ],
        "slot_requests": [
            {"campaign": r.campaign.name, "association": r.association.name, "activity": r.activity,
             "comment": r.comment, "filed": r.created_at.isoformat()}
            for r in SlotRequest.objects.filter(submitted_by=user).select_related("campaign", "association")
        ],
    }  # fmt: skip
