"""An independent check of a seasonal allocation against every hard constraint.

Written apart from the optimiser (tissu.rooms.allocation) on purpose: it shares none of its code (no
candidate list, no clique, no helper) and reads the campaign from the database with its own queries, so a
mistake in the model builder shows up here instead of being repeated. The services refuse to validate or
publish an allocation with a violation; the tests run it on every allocation they make.

Format (plain dictionaries):
    rooms:    {room id: {"name", "capacity", "equipment": set, "step_free": bool,
                         "hours": {weekday: [(opening minute, closing minute)]}, "closed_weekdays": set}}
    requests: {request id: {"association", "group", "participants", "duration", "equipment": set,
                            "step_free": bool, "pinned": (option id, room id or None) or None,
                            "options": {option id: {"weekday", "start", "room": id or None, "forbidden"}}}}
    assignments: {request id: (option id, room id)}
"""

import datetime


def check(*, rooms: dict, requests: dict, assignments: dict) -> list[str]:
    """Every violation of a hard constraint, in words (empty: the allocation is valid)."""
    problems = []
    placed = []  # (request id, association, group, room id, weekday, start, end)
    for request_id, (option_id, room_id) in sorted(assignments.items()):
        request = requests.get(request_id)
        if request is None:
            problems.append(f"request {request_id}: not in the campaign")
            continue
        option = request["options"].get(option_id)
        if option is None:
            problems.append(f"request {request_id}: option {option_id} is not one of its options")
            continue
        room = rooms.get(room_id)
        if room is None:
            problems.append(f"request {request_id}: room {room_id} is not offered in the campaign")
            continue
        if option["forbidden"]:
            problems.append(f"request {request_id}: option {option_id} was forbidden by staff")
        if option["room"] is not None and option["room"] != room_id:
            problems.append(f"request {request_id}: option {option_id} asks for room {option['room']}, got {room_id}")
        if room["capacity"] < request["participants"]:
            problems.append(
                f"request {request_id}: {request['participants']} people in room {room_id} of {room['capacity']}"
            )
        missing = set(request["equipment"]) - set(room["equipment"])
        if missing:
            problems.append(f"request {request_id}: room {room_id} lacks {sorted(missing)}")
        if request["step_free"] and not room["step_free"]:
            problems.append(f"request {request_id}: room {room_id} is not step-free")
        start = option["start"]
        end = start + request["duration"]
        weekday = option["weekday"]
        if not any(opens <= start and end <= closes for opens, closes in room["hours"].get(weekday, [])):
            problems.append(f"request {request_id}: room {room_id} is not open on day {weekday} {start}–{end}")
        if weekday in room["closed_weekdays"]:
            problems.append(f"request {request_id}: room {room_id} is closed every day {weekday} of the season")
        placed.append((request_id, request["association"], request["group"], room_id, weekday, start, end))
    for request_id, request in requests.items():
        pin = request.get("pinned")
        if pin is None:
            continue
        got = assignments.get(request_id)
        if got is None or got[0] != pin[0] or (pin[1] is not None and got[1] != pin[1]):
            problems.append(f"request {request_id}: pinned to {pin}, got {got}")
    for i, first in enumerate(placed):
        for second in placed[i + 1 :]:
            if first[4] != second[4] or not (first[5] < second[6] and second[5] < first[6]):
                continue
            if first[3] == second[3]:
                problems.append(f"requests {first[0]} and {second[0]} overlap in room {first[3]} on day {first[4]}")
            if first[2] and first[1] == second[1] and first[2] == second[2]:
                problems.append(f"requests {first[0]} and {second[0]}: group {first[2]!r} in two places at once")
    return problems


def from_problem(problem) -> tuple[dict, dict]:
    """The validator's dictionaries from an allocation.Problem (for the benchmark and generated tests)."""
    rooms = {
        room.id: {
            "name": room.name,
            "capacity": room.capacity,
            "equipment": set(room.equipment),
            "step_free": room.step_free,
            "hours": {day: list(periods) for day, periods in room.hours.items()},
            "closed_weekdays": set(room.closed_weekdays),
        }
        for room in problem.rooms.values()
    }
    requests = {
        request.id: {
            "association": request.association_id,
            "group": request.group,
            "participants": request.participants,
            "duration": request.duration,
            "equipment": set(request.equipment),
            "step_free": request.step_free,
            "pinned": request.pinned,
            "options": {
                o.id: {"weekday": o.weekday, "start": o.start, "room": o.room_id, "forbidden": o.forbidden}
                for o in request.options
            },
        }
        for request in problem.requests
    }
    return rooms, requests


def _minute(value: datetime.time) -> int:
    return value.hour * 60 + value.minute


def from_campaign(campaign) -> tuple[dict, dict]:
    """The validator's dictionaries read from the database (its own queries)."""
    from tissu.rooms.closures import closed_days_by_building
    from tissu.rooms.models import OpeningHours, RequestStatus, SlotOption, SlotRequest

    room_rows = list(campaign.rooms.prefetch_related("equipment"))
    closed = closed_days_by_building({r.building_id for r in room_rows}, campaign.season_start, campaign.season_end)
    hours = {}
    for row in OpeningHours.objects.filter(building_id__in={r.building_id for r in room_rows}):
        hours.setdefault(row.building_id, {}).setdefault(row.weekday, []).append(
            (_minute(row.opens), _minute(row.closes))
        )
    rooms = {}
    for room in room_rows:
        open_weekdays = set()
        day = campaign.season_start
        while day <= campaign.season_end:
            if day not in closed[room.building_id]:
                open_weekdays.add(day.weekday())
            day += datetime.timedelta(days=1)
        rooms[room.pk] = {
            "name": room.name,
            "capacity": room.capacity,
            "equipment": {e.pk for e in room.equipment.all()},
            "step_free": room.step_free,
            "hours": hours.get(room.building_id, {}),
            "closed_weekdays": set(range(7)) - open_weekdays,
        }
    requests = {}
    for request in SlotRequest.objects.filter(campaign=campaign, status=RequestStatus.SUBMITTED).prefetch_related(
        "equipment"
    ):
        requests[request.pk] = {
            "association": request.association_id,
            "group": request.group.strip().casefold(),
            "participants": request.participants,
            "duration": request.duration_minutes,
            "equipment": {e.pk for e in request.equipment.all()},
            "step_free": request.step_free,
            "pinned": (request.pinned_option_id, request.pinned_room_id) if request.pinned_option_id else None,
            "options": {},
        }
    for option in SlotOption.objects.filter(request__in=list(requests)):
        requests[option.request_id]["options"][option.pk] = {
            "weekday": option.weekday,
            "start": _minute(option.start),
            "room": option.room_id,
            "forbidden": option.forbidden,
        }
    return rooms, requests


def check_campaign(campaign) -> list[str]:
    """The violations of the campaign's current allocation (the requests' allocated option and room)."""
    from tissu.rooms.models import Decision, RequestStatus

    rooms, requests = from_campaign(campaign)
    assignments = {
        pk: (option_id, room_id)
        for pk, option_id, room_id in campaign.requests.filter(
            status=RequestStatus.SUBMITTED, decision=Decision.ALLOCATED
        ).values_list("pk", "allocated_option_id", "allocated_room_id")
    }
    return check(rooms=rooms, requests=requests, assignments=assignments)
