"""Small builders for the rooms tests (and the matrix rows)."""

import datetime

from django.utils import timezone

from tissu.directory.models import Association
from tissu.rooms.models import Booking, BookingStatus, Building, Campaign, CampaignStatus, OpeningHours, Room


def association(value):
    if value is None or isinstance(value, Association):
        return value
    return Association.objects.get(slug=value)


def make_building(name="Maison des associations", opens=datetime.time(8), closes=datetime.time(23)) -> Building:
    building = Building.objects.create(name=name, address="1 place de la Mairie")
    OpeningHours.objects.bulk_create(
        [OpeningHours(building=building, weekday=day, opens=opens, closes=closes) for day in range(7)]
    )
    return building


def make_room(*, building=None, name="Salle Jean Moulin", capacity=30, **fields) -> Room:
    fields.setdefault("notice_days", 0)
    fields.setdefault("approval_required", True)
    return Room.objects.create(building=building or make_building(), name=name, capacity=capacity, **fields)


def next_working_day(days: int = 10) -> datetime.date:
    """A Tuesday at least `days` ahead that is not a public holiday (no French holiday falls on two
    consecutive Tuesdays)."""
    from tissu.rooms.closures import public_holidays

    day = timezone.localdate() + datetime.timedelta(days=days)
    day += datetime.timedelta(days=(1 - day.weekday()) % 7)
    if public_holidays(day, day):
        day += datetime.timedelta(days=7)
    return day


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), timezone.get_current_timezone())


def make_booking(*, room, association_=None, day=None, start=18, end=20, status=BookingStatus.APPROVED, by=None):
    day = day or next_working_day()
    return Booking.objects.create(
        room=room, association=association(association_), requested_by=by, purpose="Réunion", attendees=10,
        start=at(day, start), end=at(day, end), status=status,
    )  # fmt: skip


def make_campaign(*, rooms, status=CampaignStatus.OPEN, **fields) -> Campaign:
    today = timezone.localdate()
    fields.setdefault("season_start", today + datetime.timedelta(days=30))
    fields.setdefault("season_end", today + datetime.timedelta(days=300))
    fields.setdefault("requests_close_on", today + datetime.timedelta(days=20))
    campaign = Campaign.objects.create(name="Saison 2027-2028", status=status, **fields)
    campaign.rooms.set(rooms)
    return campaign
