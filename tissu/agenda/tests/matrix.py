"""The agenda's rows of the authorisation matrix.

An event of association A (managed by manager_a), published, with registration; staff manage every event.
"""

from conftest import ASSOCIATION_A_SLUG
from tests.matrix import LOGIN, OFFICE_ONLY, PUBLIC, SIGNED_IN_ONLY, Row, expect

MANAGERS_OF_A = expect(403, anonymous=LOGIN, manager_a=200, staff=200, superuser=200)
MANAGERS_OF_A_POST = expect(403, anonymous=LOGIN, manager_a=405, staff=405, superuser=405)
PUBLISHERS = expect(403, anonymous=LOGIN, manager_a=200, manager_b=200, staff=200, superuser=200)


def _event_of_a(personas):
    from tissu.agenda.models import Event, Session
    from tissu.agenda.tests.factories import make_event
    from tissu.directory.models import Association

    event = Event.objects.filter(slug="matrix-event").first()
    if event is None:
        association = Association.objects.get(slug=ASSOCIATION_A_SLUG)
        event = make_event(
            "Matrix event", association=association, capacity=10, latitude="48.700100", longitude="2.330200"
        )
        event.slug = "matrix-event"
        event.save(update_fields=["slug"])
        # A programme, so that the event page shows its sessions.
        Session.objects.create(
            event=event, title="Atelier tournant", starts_at=event.starts_at, ends_at=event.ends_at, capacity=10
        )
    return {"args": [event.slug]}


def _with_event(personas):
    """Pages without arguments, rendered with one event in them."""
    _event_of_a(personas)
    return {}


def _registered_event(personas):
    """The event, with every signed-in persona but the managers registered (so that cancel is allowed)."""
    from tissu.agenda.models import Event, Registration, RegistrationStatus

    params = _event_of_a(personas)
    event = Event.objects.get(slug=params["args"][0])
    category = event.ticket_categories.get()
    for name in ["volunteer", "manager_b", "committee", "elected"]:
        Registration.objects.get_or_create(
            event=event, user=personas[name], defaults={"category": category, "status": RegistrationStatus.CONFIRMED}
        )
    return params


def _session(personas):
    from tissu.agenda.models import Event

    params = _event_of_a(personas)
    event = Event.objects.get(slug=params["args"][0])
    return {"args": [event.slug, event.sessions.get().pk]}


def _calendar_token(personas):
    from tissu.agenda.models import CalendarToken

    entry, _created = CalendarToken.objects.get_or_create(user=personas["volunteer"])
    return {"args": [entry.token]}


ROWS = [
    Row("agenda:event-list", PUBLIC, setup=_with_event),
    Row("agenda:week", PUBLIC, setup=_with_event),
    Row("agenda:month", PUBLIC, setup=_with_event),
    Row("agenda:map", PUBLIC, setup=_with_event),
    # The agenda's part of the REST API (tissu/api/agenda.py): public, read-only.
    Row("api:event-list", PUBLIC, setup=_with_event, browse=False),
    Row("api:event-detail", PUBLIC, setup=_event_of_a, browse=False),
    Row("api:event-category-list", PUBLIC, browse=False),
    Row("agenda:feed", PUBLIC, browse=False),
    Row("agenda:my-events", SIGNED_IN_ONLY),
    Row("agenda:event-create", PUBLISHERS, note="managers of an association, and the office"),
    Row("agenda:moderation", OFFICE_ONLY),
    Row("agenda:planning", OFFICE_ONLY),
    Row("agenda:event-detail", PUBLIC, setup=_event_of_a),
    Row("agenda:event-ics", PUBLIC, setup=_event_of_a, browse=False),
    Row("agenda:event-edit", MANAGERS_OF_A, setup=_event_of_a),
    Row("agenda:event-publish", MANAGERS_OF_A_POST, setup=_event_of_a, browse=False),
    Row(
        "agenda:event-moderate",
        expect(403, anonymous=LOGIN, staff=405, superuser=405),
        setup=_event_of_a,
        browse=False,
    ),
    Row("agenda:registration-settings", MANAGERS_OF_A, setup=_event_of_a),
    Row("agenda:register", SIGNED_IN_ONLY, setup=_event_of_a),
    Row(
        "agenda:registration-cancel",
        expect(405, anonymous=LOGIN, manager_a=403, staff=403, superuser=403),
        setup=_registered_event,
        browse=False,
        note="POST only, for people with a registration",
    ),
    Row(
        "agenda:offer-accept",
        expect(403, anonymous=LOGIN),
        setup=_event_of_a,
        browse=False,
        note="only for someone offered a place",
    ),
    Row("agenda:registration-list", MANAGERS_OF_A, setup=_event_of_a),
    Row("agenda:registration-csv", MANAGERS_OF_A, setup=_event_of_a, browse=False),
    Row("agenda:registration-xlsx", MANAGERS_OF_A, setup=_event_of_a, browse=False),
    Row("agenda:attendees-message", MANAGERS_OF_A_POST, setup=_event_of_a, browse=False),
    Row("agenda:check-in", MANAGERS_OF_A_POST, setup=_event_of_a, browse=False),
    Row("agenda:programme-settings", MANAGERS_OF_A, setup=_event_of_a),
    Row("agenda:session-join", expect(405, anonymous=LOGIN), setup=_session, browse=False, note="POST only"),
    Row("agenda:session-leave", expect(405, anonymous=LOGIN), setup=_session, browse=False, note="POST only"),
    Row(
        "agenda:my-programme-ics",
        expect(200, anonymous=LOGIN, manager_a=403, staff=403, superuser=403),
        setup=_registered_event,
        browse=False,
        note="for confirmed attendees",
    ),
    Row("agenda:openagenda-json", PUBLIC, browse=False),
    Row("agenda:rss", PUBLIC, browse=False),
    Row("agenda:calendar-token-reset", expect(405, anonymous=LOGIN), browse=False, note="POST only"),
    Row(
        "agenda:my-registrations-ics",
        PUBLIC,
        setup=_calendar_token,
        browse=False,
        note="the secret address is the credential (calendar applications cannot sign in)",
    ),
]
