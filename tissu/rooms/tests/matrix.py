"""The rooms module's rows: rooms, calendars and campaigns are public; managers book and file requests for
their associations; the office manages; the commission (city roles) reads requests and validates.

Fixtures (built by the rows' setup): a room in a building, a booking of association A, an open campaign with a
request of association A.
"""

from tests.matrix import LOGIN, OFFICE_ONLY, PUBLIC, SIGNED_IN_ONLY, Row, expect

BOOKERS = expect(403, anonymous=LOGIN, manager_a=200, manager_b=200, staff=200, superuser=200)
BOOKING_OF_A = expect(403, anonymous=LOGIN, manager_a=200, staff=200, superuser=200)
BOOKING_OF_A_POST = expect(403, anonymous=LOGIN, manager_a=405, staff=405, superuser=405)
OFFICE_POST = expect(403, anonymous=LOGIN, staff=405, superuser=405)
MANAGERS = expect(403, anonymous=LOGIN, manager_a=200, manager_b=200)
REQUEST_OF_A = expect(403, anonymous=LOGIN, manager_a=200, committee=200, elected=200, staff=200, superuser=200)
REQUEST_OF_A_POST = expect(403, anonymous=LOGIN, manager_a=405, staff=405, superuser=405)


def _room(personas):
    from tissu.rooms.tests.factories import make_room

    return {"args": [make_room().pk]}


def _building(personas):
    from tissu.rooms.tests.factories import make_building

    return {"args": [make_building().pk]}


def _booking(personas):
    from tissu.rooms.tests.factories import make_booking, make_room

    return {"args": [make_booking(room=make_room(), association_="association-a", by=personas["manager_a"]).pk]}


def _booking_action(personas):
    return {"args": [*_booking(personas)["args"], "cancel"]}


def _closure(personas):
    import datetime

    from tissu.rooms.models import Closure

    closure = Closure.objects.create(
        label="Travaux", start_date=datetime.date(2030, 1, 1), end_date=datetime.date(2030, 1, 2)
    )
    return {"args": [closure.pk]}


def _campaign(personas):
    from tissu.rooms.tests.factories import make_campaign, make_room

    return {"args": [make_campaign(rooms=[make_room()]).pk]}


def _campaign_action(personas):
    return {"args": [*_campaign(personas)["args"], "run"]}


def _request(personas):
    import datetime

    from tissu.rooms.models import SlotOption, SlotRequest
    from tissu.rooms.tests.factories import association, make_campaign, make_room

    campaign = make_campaign(rooms=[make_room()])
    request = SlotRequest.objects.create(
        campaign=campaign, association=association("association-a"), activity="Chorale", participants=20,
        duration_minutes=90,
    )  # fmt: skip
    SlotOption.objects.create(request=request, rank=1, weekday=1, start=datetime.time(18))
    return {"args": [request.pk]}


def _request_action(personas):
    return {"args": [*_request(personas)["args"], "withdraw"]}


ROWS = [
    Row("rooms:room-list", PUBLIC),
    Row("rooms:room-detail", PUBLIC, setup=_room),
    Row("rooms:building-calendar", PUBLIC, setup=_building),
    Row("rooms:booking-create", BOOKERS, setup=_room),
    Row("rooms:my-bookings", SIGNED_IN_ONLY),
    Row("rooms:booking-detail", BOOKING_OF_A, setup=_booking),
    Row("rooms:booking-act", BOOKING_OF_A_POST, setup=_booking_action, browse=False),
    Row("rooms:staff-home", OFFICE_ONLY),
    Row("rooms:building-create", OFFICE_ONLY),
    Row("rooms:building-edit", OFFICE_ONLY, setup=_building),
    Row("rooms:room-create", OFFICE_ONLY),
    Row("rooms:room-edit", OFFICE_ONLY, setup=_room),
    Row("rooms:closure-list", OFFICE_ONLY),
    Row("rooms:closure-delete", OFFICE_POST, setup=_closure, browse=False),
    Row("rooms:occupancy", OFFICE_ONLY),
    # Seasonal campaigns: public calls; managers file; the office runs; the commission reads and validates.
    Row("rooms:campaign-list", PUBLIC),
    Row("rooms:campaign-detail", PUBLIC, setup=_campaign),
    Row("rooms:campaign-create", OFFICE_ONLY),
    Row("rooms:campaign-edit", OFFICE_ONLY, setup=_campaign),
    Row("rooms:campaign-act", OFFICE_POST, setup=_campaign_action, browse=False),
    Row("rooms:request-create", MANAGERS, setup=_campaign),
    Row("rooms:request-detail", REQUEST_OF_A, setup=_request),
    Row("rooms:request-act", REQUEST_OF_A_POST, setup=_request_action, browse=False),
]
