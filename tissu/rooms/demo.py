"""Demo city: a Maison des associations, a gymnasium and a festival hall; closures; a few one-off bookings;
last season's campaign, published (its weekly slots are this season's bookings); and next season's campaign,
its ~40 requests filed and closed, ready for the office to run the allocation.

Runs after tissu.directory.demo_people. Idempotent: buildings, rooms and campaigns are found by name,
requests by campaign, association and activity. Written directly (no email, no solver at seeding time).
"""

import datetime
import random

from django.utils import timezone

from tissu.directory.demo_people import DEMO_INSEE
from tissu.directory.models import Association, Origin, RnaPosition
from tissu.rooms.closures import closed_days_by_building
from tissu.rooms.models import (
    Booking,
    BookingStatus,
    Building,
    Campaign,
    CampaignStatus,
    Closure,
    ClosureKind,
    Decision,
    Equipment,
    OpeningHours,
    Public,
    Room,
    RoomKind,
    SlotOption,
    SlotRequest,
)

T = datetime.time
EVENINGS = {day: [(T(9), T(12)), (T(14), T(22, 30))] for day in range(5)} | {5: [(T(9), T(19))]}
GYM = {day: [(T(17), T(22, 30))] for day in range(5)} | {2: [(T(13, 30), T(22, 30))], 5: [(T(9), T(20))]}
HALL = {day: [(T(9), T(23))] for day in range(7)}

BUILDINGS = [
    ("Maison des associations", "4 rue Jean-Jaurès", "Entrée de plain-pied, ascenseur, deux places PMR.", EVENINGS,
     [("Salle Jean Moulin", RoomKind.MEETING, 30, 60, ["Vidéoprojecteur"], True),
      ("Salle Lucie Aubrac", RoomKind.MEETING, 20, 40, ["Vidéoprojecteur"], True),
      ("Bureau partagé", RoomKind.MEETING, 8, 18, [], True),
      ("Studio de danse", RoomKind.WORKSHOP, 25, 90, ["Miroirs", "Parquet"], True),
      ("Atelier", RoomKind.WORKSHOP, 15, 45, ["Point d'eau"], False)]),
    ("Gymnase Pierre-de-Coubertin", "18 avenue du Stade", "Vestiaires accessibles, rampe à l'entrée.", GYM,
     [("Grande salle", RoomKind.GYM, 120, 900, ["Tracés de sports collectifs"], True),
      ("Dojo", RoomKind.GYM, 40, 200, ["Tatamis"], True)]),
    ("Salle des fêtes", "2 place de la Mairie", "Entrée de plain-pied.", HALL,
     [("Salle des fêtes", RoomKind.HALL, 200, 350, ["Cuisine", "Scène", "Sonorisation"], True)]),
]  # fmt: skip

# activity, public, participants, duration, group, room name or "", (weekday, hour, minute) × choices
ACTIVITIES = [
    ("Judo enfants", Public.YOUTH, 25, 90, "enfants", "Dojo", [(1, 17, 30), (3, 17, 30), (2, 14, 0)]),
    ("Judo adultes", Public.ADULTS, 20, 120, "adultes", "Dojo", [(1, 19, 0), (3, 19, 30)]),
    ("Karaté", Public.ALL, 22, 90, "", "Dojo", [(0, 18, 30), (4, 18, 30), (2, 18, 0)]),
    ("Basket U13", Public.YOUTH, 20, 120, "u13", "Grande salle", [(2, 14, 0), (2, 16, 0), (5, 10, 0)]),
    ("Basket seniors", Public.ADULTS, 16, 120, "seniors", "Grande salle", [(1, 20, 0), (3, 20, 0)]),
    ("Volley loisir", Public.ADULTS, 18, 120, "", "Grande salle", [(3, 20, 0), (0, 20, 0), (4, 20, 0)]),
    ("Badminton", Public.ALL, 24, 120, "", "Grande salle", [(1, 20, 0), (4, 18, 0)]),
    ("Futsal jeunes", Public.YOUTH, 18, 90, "", "Grande salle", [(2, 16, 0), (5, 14, 0)]),
    ("Danse contemporaine", Public.YOUTH, 18, 90, "", "Studio de danse", [(2, 14, 0), (2, 15, 30), (5, 10, 0)]),
    ("Zumba", Public.ADULTS, 22, 60, "", "Studio de danse", [(1, 19, 0), (3, 19, 0), (0, 19, 0)]),
    ("Yoga", Public.ADULTS, 15, 90, "", "Studio de danse", [(0, 18, 30), (3, 18, 30)]),
    ("Gym douce", Public.SENIORS, 14, 60, "", "Studio de danse", [(1, 10, 0), (3, 10, 0)]),
    ("Hip-hop", Public.YOUTH, 20, 90, "", "Studio de danse", [(2, 16, 0), (5, 14, 0), (4, 18, 0)]),
    ("Chorale", Public.ADULTS, 28, 120, "", "", [(1, 20, 0), (0, 20, 0), (3, 20, 0)]),
    ("Théâtre amateur", Public.ALL, 12, 150, "", "", [(3, 19, 30), (1, 19, 30)]),
    ("Atelier couture", Public.ALL, 10, 120, "", "Atelier", [(1, 14, 0), (3, 14, 0)]),
    ("Atelier peinture", Public.ALL, 12, 120, "", "Atelier", [(2, 14, 0), (5, 10, 0)]),
    ("Aide aux devoirs", Public.YOUTH, 15, 90, "", "", [(0, 16, 30), (1, 16, 30), (3, 16, 30)]),
    ("Cours de français", Public.ADULTS, 14, 120, "", "", [(0, 18, 0), (2, 18, 0)]),
    ("Réunion du bureau", Public.ADULTS, 8, 120, "", "Bureau partagé", [(0, 20, 0), (1, 20, 0), (4, 20, 0)]),
    ("Permanence juridique", Public.ALL, 6, 180, "", "Bureau partagé", [(2, 14, 0), (4, 14, 0)]),
    ("Club d'échecs", Public.ALL, 16, 150, "", "", [(2, 14, 0), (5, 14, 0)]),
    ("Scrabble", Public.SENIORS, 12, 120, "", "", [(1, 14, 0), (4, 14, 0)]),
    ("Conversation anglaise", Public.ADULTS, 10, 90, "", "", [(0, 19, 0), (3, 19, 0)]),
    ("Informatique seniors", Public.SENIORS, 10, 120, "", "Salle Jean Moulin", [(1, 9, 30), (3, 9, 30)]),
    ("Sophrologie", Public.ADULTS, 12, 60, "", "", [(0, 12, 0), (4, 12, 0)]),
    ("Éveil musical", Public.YOUTH, 12, 60, "", "", [(2, 10, 0), (5, 10, 0)]),
    ("Répétition fanfare", Public.ALL, 30, 120, "", "", [(4, 20, 0), (1, 20, 0)]),
    ("Tai-chi", Public.SENIORS, 15, 90, "", "Studio de danse", [(1, 9, 30), (4, 9, 30)]),
    ("Gymnastique enfants", Public.YOUTH, 24, 90, "", "Grande salle", [(2, 14, 0), (5, 9, 30)]),
    ("Tennis de table", Public.ALL, 16, 150, "", "", [(1, 18, 0), (4, 18, 0)]),
    ("Club photo", Public.ADULTS, 12, 120, "", "", [(3, 20, 0), (2, 20, 0)]),
    ("Généalogie", Public.SENIORS, 10, 120, "", "", [(3, 14, 0), (1, 14, 0)]),
    ("Soutien scolaire lycée", Public.YOUTH, 14, 120, "", "", [(2, 14, 0), (5, 10, 0)]),
    ("Assemblée mensuelle", Public.ADULTS, 35, 120, "", "", [(4, 19, 0), (3, 19, 0)]),
    ("Capoeira", Public.YOUTH, 18, 90, "", "Dojo", [(2, 14, 0), (5, 11, 0)]),
    ("Boxe éducative", Public.YOUTH, 16, 90, "", "Dojo", [(2, 16, 0), (4, 17, 30)]),
    ("Danse de salon", Public.SENIORS, 30, 120, "", "Salle des fêtes", [(6, 14, 30), (5, 14, 30)]),
    ("Futsal adultes", Public.ADULTS, 16, 120, "", "Grande salle", [(1, 20, 30)]),
    ("Répétition orchestre", Public.ALL, 40, 150, "", "Salle des fêtes", [(3, 20, 0), (6, 10, 0)]),
]  # fmt: skip


def _rooms() -> dict[str, Room]:
    rooms = {}
    for name, address, access, hours, room_specs in BUILDINGS:
        building, created = Building.objects.get_or_create(
            name=name, defaults={"address": address, "accessibility": access}
        )
        if created:
            OpeningHours.objects.bulk_create(
                [OpeningHours(building=building, weekday=day, opens=o, closes=c)
                 for day, periods in hours.items() for o, c in periods]
            )  # fmt: skip
        for room_name, kind, capacity, surface, equipment, step_free in room_specs:
            room, created = Room.objects.get_or_create(
                building=building,
                name=room_name,
                defaults={"kind": kind, "capacity": capacity, "surface": surface, "step_free": step_free,
                          "notice_days": 3, "buffer_minutes": 15 if kind == RoomKind.HALL else 0,
                          "approval_required": kind != RoomKind.MEETING,
                          "max_hours": 14 if kind == RoomKind.HALL else 6},
            )  # fmt: skip
            if created:
                room.equipment.set([Equipment.objects.get_or_create(name=e)[0] for e in equipment])
            rooms[room_name] = room
    return rooms


def _closures(season_start: datetime.date) -> None:
    year = season_start.year
    for label, start, end in [
        ("Vacances de la Toussaint", datetime.date(year, 10, 17), datetime.date(year, 11, 1)),
        ("Vacances de Noël", datetime.date(year, 12, 19), datetime.date(year + 1, 1, 3)),
        ("Vacances d'hiver", datetime.date(year + 1, 2, 20), datetime.date(year + 1, 3, 7)),
        ("Vacances de printemps", datetime.date(year + 1, 4, 17), datetime.date(year + 1, 5, 2)),
    ]:
        Closure.objects.get_or_create(
            label=label, start_date=start, defaults={"end_date": end, "kind": ClosureKind.SCHOOL_HOLIDAYS}
        )


def _season(today: datetime.date, offset: int) -> tuple[datetime.date, datetime.date]:
    year = today.year - (1 if today.month < 8 else 0) + offset
    start = datetime.date(year, 9, 1)
    start += datetime.timedelta(days=(7 - start.weekday()) % 7)  # the first Monday of September
    return start, datetime.date(year + 1, 6, 30)


def _request(campaign, association, spec, rooms, *, previous=None) -> SlotRequest:
    activity, public, participants, duration, group, room_name, choices = spec
    request, created = SlotRequest.objects.get_or_create(
        campaign=campaign,
        association=association,
        activity=activity,
        defaults={"public": public, "participants": participants, "duration_minutes": duration, "group": group},
    )
    if created:
        room = rooms.get(room_name)
        for rank, (day, hour, minute) in zip([1, 2, 3], choices, strict=False):
            SlotOption.objects.create(request=request, rank=rank, weekday=day, start=T(hour, minute), room=room)
        # An acceptable alternative: the same room (or any suitable one), same first day, an hour later.
        day, hour, minute = choices[0]
        if hour < 21:
            SlotOption.objects.create(request=request, rank=0, weekday=day, start=T(hour + 1, minute), room=room)
        if previous:
            request.previous_weekday, request.previous_start, request.previous_room = previous
            request.save(update_fields=["previous_weekday", "previous_start", "previous_room"])
    return request


def seed(ctx) -> None:
    associations = list(
        Association.objects.filter(
            office_insee_code=DEMO_INSEE, origin=Origin.RNA, rna_position=RnaPosition.ACTIVE
        ).order_by("search_name", "slug")[:30]
    )
    if len(associations) < 3:
        return
    rooms = _rooms()
    today = timezone.localdate()
    current_start, current_end = _season(today, 0)
    next_start, next_end = _season(today, 1)
    _closures(current_start)
    _closures(next_start)
    rng = random.Random(7)
    owners = [associations[i % len(associations)] for i in range(len(ACTIVITIES))]

    # Last season (the current one): published; its weekly slots are bookings.
    past, created = Campaign.objects.get_or_create(
        name=f"Créneaux {current_start.year}-{current_end.year}",
        defaults={"season_start": current_start, "season_end": current_end,
                  "requests_close_on": current_start - datetime.timedelta(days=60),
                  "status": CampaignStatus.PUBLISHED, "published_at": timezone.now()},
    )  # fmt: skip
    past.rooms.set(rooms.values())
    previous = {}
    if created:
        tz = timezone.get_current_timezone()
        closed = closed_days_by_building({r.building_id for r in rooms.values()}, current_start, current_end)
        taken: dict = {}
        bookings = []
        for spec, association in zip(ACTIVITIES[:24], owners, strict=False):
            request = _request(past, association, spec, rooms)
            option = request.options.order_by("id").first()
            room = option.room or rooms["Salle Jean Moulin" if spec[2] <= 30 else "Salle des fêtes"]
            start_minute = option.start_minute
            span = (option.weekday, start_minute, start_minute + spec[3])
            if any(s[0] == span[0] and s[1] < span[2] and span[1] < s[2] for s in taken.get(room.pk, [])):
                request.decision = Decision.REFUSED
                request.reason = {"code": "refused", "because": {"code": "taken", "by": ["une autre association"],
                                                                  "more": 0, "priorities": []}}  # fmt: skip
                request.save(update_fields=["decision", "reason"])
                continue
            taken.setdefault(room.pk, []).append(span)
            request.decision = Decision.ALLOCATED
            request.allocated_option, request.allocated_room = option, room
            request.reason = {"code": "granted", "rank": 1, "room": str(room), "pinned": False}
            request.save(update_fields=["decision", "allocated_option", "allocated_room", "reason"])
            previous[spec[0]] = (option.weekday, option.start, room)
            day = current_start + datetime.timedelta(days=(option.weekday - current_start.weekday()) % 7)
            while day <= current_end:
                if day not in closed[room.building_id]:
                    start = datetime.datetime.combine(day, option.start, tz)
                    bookings.append(Booking(
                        room=room, association=association, purpose=spec[0], attendees=spec[2], start=start,
                        end=start + datetime.timedelta(minutes=spec[3]), status=BookingStatus.APPROVED,
                        slot_request=request, decided_at=timezone.now(),
                    ))  # fmt: skip
                day += datetime.timedelta(days=7)
        Booking.objects.bulk_create(bookings, batch_size=500)
        # One absence declared, for the occupancy page.
        some = Booking.objects.filter(slot_request__campaign=past, start__gt=timezone.now()).order_by("start").first()
        if some:
            some.status, some.absence_declared_at = BookingStatus.CANCELLED, timezone.now()
            some.save(update_fields=["status", "absence_declared_at"])

    # Next season: requests filed and closed, ready for the allocation.
    upcoming, _ = Campaign.objects.get_or_create(
        name=f"Créneaux {next_start.year}-{next_end.year}",
        defaults={"season_start": next_start, "season_end": next_end,
                  "requests_close_on": today - datetime.timedelta(days=1), "status": CampaignStatus.REVIEW,
                  "time_limit_seconds": 20},
    )  # fmt: skip
    upcoming.rooms.set(rooms.values())
    for spec, association in zip(ACTIVITIES, owners, strict=False):
        _request(upcoming, association, spec, rooms, previous=previous.get(spec[0]) if rng.random() < 0.9 else None)

    # A few one-off bookings: one waiting for the office, one approved.
    manager_a = ctx.users.get("manager_a")
    association_a = ctx.objects.get("association_a")
    if association_a is not None:
        day = today + datetime.timedelta(days=12)
        tz = timezone.get_current_timezone()
        for room_name, hour, status, purpose in [
            ("Salle des fêtes", 14, BookingStatus.PENDING, "Loto annuel"),
            ("Salle Lucie Aubrac", 10, BookingStatus.APPROVED, "Assemblée générale"),
        ]:
            start = datetime.datetime.combine(day, T(hour), tz)
            Booking.objects.get_or_create(
                room=rooms[room_name], association=association_a, purpose=purpose,
                defaults={"start": start, "end": start + datetime.timedelta(hours=3), "status": status,
                          "requested_by": manager_a, "attendees": 25},
            )  # fmt: skip
