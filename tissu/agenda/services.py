"""Every write of the agenda: events, their dates, registration settings, registrations, check-in.

Places are never overbooked: every write that takes or frees a place locks the event row first
(``select_for_update``), then counts the places held in the category, so two registrations for the last
place are serialised by the database (PostgreSQL row lock; SQLite writes are serialised anyway). A
database constraint also keeps one active registration per person and event.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from tissu.agenda import emails, recurrence
from tissu.agenda.models import (
    ACTIVE_STATUSES,
    HOLDING_STATUSES,
    AttendanceMode,
    CalendarToken,
    Event,
    Occurrence,
    Publication,
    Question,
    Registration,
    RegistrationStatus,
    Schedule,
    Session,
    SessionChoice,
    TicketCategory,
)
from tissu.audit.services import audit_log
from tissu.city.selectors import city_settings_get
from tissu.directory import search

# Fields an organiser edits (the form's fields, without audiences which are a many-to-many).
EVENT_FIELDS = [
    "title", "summary", "description", "category", "visibility", "schedule", "schedule_note",
    "starts_at", "ends_at", "recurrence", "exception_dates", "attendance_mode", "online_url",
    "venue_name", "venue_address", "room", "neighbourhood", "latitude", "longitude", "is_free", "price",
    "step_free", "sign_language", "audio_description", "hearing_loop", "easy_read", "accessibility_details",
    "image", "image_alt", "registration_required", "registration_opens_at", "registration_closes_at",
    "waiting_list", "offer_hours", "consent_text", "notify_organiser",
]  # fmt: skip


# Fixed paths of the agenda that an event's address must not shadow.
RESERVED_SLUGS = {
    "semaine", "mois", "carte", "nouveau", "moderation", "planning", "mes-evenements", "mes-inscriptions",
}  # fmt: skip


def unique_event_slug(title: str, *, exclude_pk: int | None = None) -> str:
    base = slugify(title)[:70].strip("-") or "evenement"
    candidate, number = base, 1
    if base in RESERVED_SLUGS:
        number, candidate = 2, f"{base}-2"
    while Event.objects.filter(slug=candidate).exclude(pk=exclude_pk).exists():
        number += 1
        candidate = f"{base}-{number}"
    return candidate


def _venue_from_room(event: Event) -> list[str]:
    """A room of the city (tissu.rooms) is a venue: when the venue is left empty, the room's name and its
    building's address fill it (the feeds, exports and search read those fields). Returns the fields filled."""
    if not event.room_id or event.venue_name or event.venue_address:
        return []
    event.venue_name = f"{event.room.name}, {event.room.building.name}"[:200]
    event.venue_address = event.room.building.address[:300]
    return ["venue_name", "venue_address"]


def _check_event(event: Event) -> list[tuple[datetime.datetime, datetime.datetime]]:
    """Rules across fields; returns the dates of the event (ValidationError if anything is wrong)."""
    errors = {}
    if event.starts_at and event.ends_at and event.ends_at < event.starts_at:
        errors["ends_at"] = _("The event cannot end before it starts.")
    if event.attendance_mode != AttendanceMode.IN_PERSON and not event.online_url:
        errors["online_url"] = _("Give the link to follow the event online.")
    if event.attendance_mode != AttendanceMode.ONLINE and not (event.venue_name or event.venue_address):
        errors["venue_address"] = _("Give the venue or the address of the event.")
    if not event.is_free and not event.price:
        errors["price"] = _("Say what the event costs.")
    if (event.latitude is None) != (event.longitude is None):
        errors["longitude"] = _("Give both the latitude and the longitude, or neither.")
    opens, closes = event.registration_opens_at, event.registration_closes_at
    if opens and closes and closes < opens:
        errors["registration_closes_at"] = _("Registration cannot close before it opens.")
    if errors:
        raise ValidationError(errors)
    return recurrence.occurrences(
        starts_at=event.starts_at, ends_at=event.ends_at, rule=event.recurrence, exceptions=event.exception_dates
    )


def _write_occurrences(event: Event, dates) -> None:
    event.occurrences.all().delete()
    Occurrence.objects.bulk_create([Occurrence(event=event, starts_at=start, ends_at=end) for start, end in dates])


def _search_text(event: Event) -> str:
    organiser = event.association.name if event.association_id else ""
    return search.search_text(event.title, event.summary, event.description, event.venue_name, organiser)


@transaction.atomic
def event_create(*, actor, association, values: dict, audiences=()) -> Event:
    """A new event, as a draft: the organiser publishes it (or submits it for approval) when ready."""
    event = Event(association=association, created_by=actor, **values)
    if event.recurrence:
        event.recurrence = recurrence._normalise(event.recurrence)
    event.slug = unique_event_slug(event.title)
    _venue_from_room(event)
    event.search_text = _search_text(event)
    dates = _check_event(event)
    event.full_clean()
    event.save()
    event.audiences.set(audiences)
    _write_occurrences(event, dates)
    return event


@transaction.atomic
def event_update(*, actor, event: Event, values: dict, audiences=None) -> list[str]:
    """Apply the edited fields; returns the names of those that changed. Attendees hear of a cancellation."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    if values.get("recurrence"):
        values = {**values, "recurrence": recurrence._normalise(values["recurrence"])}
    changed = [name for name, value in values.items() if getattr(event, name) != value]
    previous_schedule = event.schedule
    for name in changed:
        setattr(event, name, values[name])
    changed += [name for name in _venue_from_room(event) if name not in changed]
    event.search_text = _search_text(event)
    dates = _check_event(event)
    event.full_clean()
    event.save(update_fields=[*changed, "search_text", "updated_at"])
    if audiences is not None and set(event.audiences.all()) != set(audiences):
        event.audiences.set(audiences)
        changed.append("audiences")
    if {"starts_at", "ends_at", "recurrence", "exception_dates"} & set(changed):
        _write_occurrences(event, dates)
    if "schedule" in changed:
        audit_log(
            actor=actor,
            action="agenda.event.rescheduled",
            target=event,
            data={"from": previous_schedule, "to": event.schedule},
        )
        if event.schedule in (Schedule.CANCELLED, Schedule.POSTPONED):
            for registration in event.registrations.filter(status__in=HOLDING_STATUSES).select_related("user"):
                emails.send_schedule_changed(registration=registration)
    return changed


@transaction.atomic
def event_publish(*, actor, event: Event) -> Event:
    """Publish now, or submit for approval when the city moderates associations' events (the office never waits)."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.publication == Publication.PUBLISHED:
        return event
    needs_approval = (
        event.association_id is not None
        and city_settings_get().events_need_moderation
        and not (actor.is_authenticated and actor.is_associations_office)
    )
    if needs_approval:
        event.publication = Publication.PENDING
        event.save(update_fields=["publication", "updated_at"])
    else:
        event.publication = Publication.PUBLISHED
        event.published_at = timezone.now()
        event.refusal_reason = ""
        event.save(update_fields=["publication", "published_at", "refusal_reason", "updated_at"])
    return event


@transaction.atomic
def event_moderate(*, actor, event: Event, approve: bool, reason: str = "") -> Event:
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.publication != Publication.PENDING:
        raise ValidationError(_("This event is not waiting for approval."))
    if approve:
        event.publication, event.published_at, event.refusal_reason = Publication.PUBLISHED, timezone.now(), ""
    else:
        if not reason.strip():
            raise ValidationError({"reason": _("Say why the event is refused: the organiser will read it.")})
        event.publication, event.refusal_reason = Publication.REFUSED, reason.strip()
    event.save(update_fields=["publication", "published_at", "refusal_reason", "updated_at"])
    audit_log(
        actor=actor, action=f"agenda.event.{'approved' if approve else 'refused'}", target=event, data={"id": event.pk}
    )
    return event


# Registration settings


@transaction.atomic
def ticket_category_add(
    *, actor, event: Event, name: str, capacity: int, description: str = "", access_code: str = ""
) -> TicketCategory:
    category = TicketCategory(
        event=event,
        name=name.strip(),
        capacity=capacity,
        description=description.strip(),
        access_code=" ".join(access_code.split()),
        position=event.ticket_categories.count(),
    )
    category.full_clean()
    category.save()
    return category


@transaction.atomic
def ticket_category_delete(*, actor, category: TicketCategory) -> None:
    if category.registrations.exists():
        raise ValidationError(_("People registered in this category: it cannot be deleted."))
    category.delete()


@transaction.atomic
def question_add(*, actor, event: Event, label: str, required: bool) -> Question:
    question = Question(event=event, label=label.strip(), required=required, position=event.questions.count())
    question.full_clean()
    question.save()
    return question


@transaction.atomic
def question_delete(*, actor, question: Question) -> None:
    question.delete()


# Registrations


def registration_deadline(event: Event) -> datetime.datetime:
    return event.registration_closes_at or event.starts_at


def registration_is_open(event: Event, now: datetime.datetime | None = None) -> bool:
    now = now or timezone.now()
    return (
        event.registration_required
        and event.is_published
        and event.schedule == Schedule.SCHEDULED
        and (event.registration_opens_at is None or event.registration_opens_at <= now)
        and now < registration_deadline(event)
    )


def _places_held(category: TicketCategory) -> int:
    return category.registrations.filter(status__in=HOLDING_STATUSES).count()


def _codes_match(typed: str, expected: str) -> bool:
    def norm(value):
        return "".join(value.split()).upper()

    return norm(typed) == norm(expected)


@transaction.atomic
def registration_create(
    *, user, event: Event, category: TicketCategory, answers: dict | None = None, access_code: str = "",
    consent: bool = False,
) -> Registration:  # fmt: skip
    """Register the person, or put them on the waiting list when the category is full.

    Raises ValidationError (and stores nothing) when registration is closed, the code is wrong, a required
    answer is missing, consent is not given, the person is already registered, or the category is full
    without a waiting list.
    """
    # The lock that serialises every change of places for this event.
    event = Event.objects.select_for_update().get(pk=event.pk)
    now = timezone.now()
    if not registration_is_open(event, now):
        if event.registration_closes_at and now >= event.registration_closes_at:
            raise ValidationError(
                _("Registration closed on %(date)s.") % {"date": _local(event.registration_closes_at)}
            )
        raise ValidationError(_("Registration is not open for this event."))
    if category.event_id != event.pk:
        raise ValidationError({"category": _("Choose a registration category of this event.")})
    errors = {}
    if category.access_code and not _codes_match(access_code, category.access_code):
        errors["access_code"] = _("This registration code is not the one of this category.")
    answers = {key: str(value).strip() for key, value in (answers or {}).items()}
    for question in event.questions.all():
        if question.required and not answers.get(str(question.pk)):
            errors[f"question_{question.pk}"] = _("Answer this question.")
    if event.consent_text and not consent:
        errors["consent"] = _("Tick the box to register.")
    if errors:
        raise ValidationError(errors)
    if Registration.objects.filter(event=event, user=user, status__in=ACTIVE_STATUSES).exists():
        raise ValidationError(_("You are already registered for this event (or on its waiting list)."))
    _expire_offers(event, now)
    category = TicketCategory.objects.get(pk=category.pk)
    if _places_held(category) < category.capacity:
        status = RegistrationStatus.CONFIRMED
    elif event.waiting_list:
        status = RegistrationStatus.WAITING
    else:
        raise ValidationError(_("“%(name)s” is full.") % {"name": category.name})
    registration = Registration(event=event, category=category, user=user, status=status, answers=answers)
    registration.full_clean(exclude=["code"])
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError:
        raise ValidationError(_("You are already registered for this event (or on its waiting list).")) from None
    if status == RegistrationStatus.CONFIRMED:
        emails.send_registration_confirmed(registration=registration)
    else:
        emails.send_registration_waiting(registration=registration)
    _notify_organiser(event, registration, cancelled=False)
    return registration


def _notify_organiser(event: Event, registration: Registration, *, cancelled: bool) -> None:
    """The organiser who asked for it hears of each registration and cancellation (not of their own)."""
    organiser = event.created_by
    if event.notify_organiser and organiser and organiser.is_active and organiser.pk != registration.user_id:
        emails.send_organiser_notice(registration=registration, organiser=organiser, cancelled=cancelled)


def _local(moment: datetime.datetime) -> str:
    from django.utils.formats import date_format

    return date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def _offer_places(event: Event, category: TicketCategory, now: datetime.datetime) -> None:
    """Offer each free place of the category to the next person on its waiting list (lock held)."""
    free = category.capacity - _places_held(category)
    if free <= 0:
        return
    waiting = list(
        category.registrations.filter(status=RegistrationStatus.WAITING)
        .select_related("user")
        .order_by("created_at", "id")[:free]
    )
    for registration in waiting:
        registration.status = RegistrationStatus.OFFERED
        registration.offered_at = now
        registration.offer_expires_at = now + datetime.timedelta(hours=event.offer_hours)
        registration.save(update_fields=["status", "offered_at", "offer_expires_at"])
        emails.send_place_offered(registration=registration)


def _expire_offers(event: Event, now: datetime.datetime) -> int:
    """Offers past their time lapse free their place for the next person (lock held)."""
    expired = list(
        Registration.objects.filter(event=event, status=RegistrationStatus.OFFERED, offer_expires_at__lte=now)
        .select_related("category")
        .order_by("id")
    )
    for registration in expired:
        registration.status = RegistrationStatus.EXPIRED
        registration.save(update_fields=["status"])
    for category in {registration.category for registration in expired}:
        _offer_places(event, category, now)
    return len(expired)


@transaction.atomic
def offers_expire(*, event: Event | None = None) -> int:
    """Expire every lapsed offer (of one event or all), offering the places again. Idempotent."""
    now = timezone.now()
    pending = Registration.objects.filter(status=RegistrationStatus.OFFERED, offer_expires_at__lte=now)
    if event is not None:
        pending = pending.filter(event=event)
    total = 0
    for event_id in sorted(set(pending.values_list("event_id", flat=True))):
        locked = Event.objects.select_for_update().get(pk=event_id)
        total += _expire_offers(locked, now)
    return total


@transaction.atomic
def registration_cancel(*, actor, registration: Registration) -> Registration:
    """The attendee cancels (or the organiser does): a freed place goes to the waiting list."""
    event = Event.objects.select_for_update().get(pk=registration.event_id)
    registration = Registration.objects.select_related("category").get(pk=registration.pk)
    if registration.status not in ACTIVE_STATUSES:
        raise ValidationError(_("This registration is already cancelled."))
    held = registration.status in HOLDING_STATUSES
    registration.session_choices.all().delete()  # frees the places taken in the programme's sessions
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.save(update_fields=["status", "cancelled_at"])
    if held and event.schedule == Schedule.SCHEDULED:
        _offer_places(event, registration.category, registration.cancelled_at)
    _notify_organiser(event, registration, cancelled=True)
    return registration


@transaction.atomic
def attendees_message(*, actor, event: Event, subject: str, body: str, include_waiting: bool = False) -> int:
    """The organiser writes to the event's attendees (and, if asked, its waiting list): one email each, in
    their language, with the organiser as reply-to. Returns the number of people written to."""
    subject, body = subject.strip(), body.strip()
    errors = {}
    if not subject:
        errors["subject"] = _("Give the message a subject.")
    if not body:
        errors["body"] = _("Write the message.")
    if errors:
        raise ValidationError(errors)
    statuses = [RegistrationStatus.CONFIRMED]
    if include_waiting:
        statuses += [RegistrationStatus.WAITING, RegistrationStatus.OFFERED]
    registrations = list(
        Registration.objects.filter(event=event, status__in=statuses, user__is_active=True).select_related("user")
    )
    if not registrations:
        raise ValidationError(_("Nobody to write to: no attendee is registered yet."))
    for registration in registrations:
        emails.send_attendee_message(registration=registration, subject=subject, body=body, sender=actor)
    audit_log(
        actor=actor,
        action="agenda.attendees.messaged",
        target=event,
        data={"recipients": len(registrations), "include_waiting": include_waiting},
    )
    return len(registrations)


@transaction.atomic
def offer_accept(*, user, registration: Registration) -> Registration:
    event = Event.objects.select_for_update().get(pk=registration.event_id)
    now = timezone.now()
    _expire_offers(event, now)
    registration = Registration.objects.select_related("user", "event", "category").get(pk=registration.pk)
    if registration.user_id != user.pk:
        raise ValidationError(_("This place was not offered to you."))
    if registration.status == RegistrationStatus.EXPIRED:
        raise ValidationError(_("This offer has expired: the place went to the next person on the waiting list."))
    if registration.status != RegistrationStatus.OFFERED:
        raise ValidationError(_("No place is offered to you for this event."))
    registration.status = RegistrationStatus.CONFIRMED
    registration.save(update_fields=["status"])
    emails.send_registration_confirmed(registration=registration)
    return registration


@transaction.atomic
def registration_check_in(*, actor, event: Event, code: str) -> Registration:
    """Check in the attendee with this code on the day; a code used twice is refused with the first time."""
    code = "".join(code.split()).upper()
    registration = (
        Registration.objects.select_for_update()
        .select_related("user", "category")
        .filter(event=event, code=code)
        .first()
    )
    if registration is None:
        raise ValidationError({"code": _("No registration of this event has the code %(code)s.") % {"code": code}})
    if registration.status != RegistrationStatus.CONFIRMED:
        raise ValidationError(
            {"code": _("This registration is %(status)s.") % {"status": registration.get_status_display()}}
        )
    if registration.checked_in_at:
        raise ValidationError(
            {"code": _("Already checked in on %(date)s.") % {"date": _local(registration.checked_in_at)}}
        )
    registration.checked_in_at = timezone.now()
    registration.checked_in_by = actor
    registration.save(update_fields=["checked_in_at", "checked_in_by"])
    return registration


@transaction.atomic
def registrations_erase_for_user(user) -> None:
    """Account deletion: the person's registrations are cancelled (places go to the waiting list) then deleted."""
    for registration in Registration.objects.filter(user=user, status__in=ACTIVE_STATUSES):
        registration_cancel(actor=user, registration=registration)
    Registration.objects.filter(user=user).delete()
    CalendarToken.objects.filter(user=user).delete()


# Programme mode: sessions and personal programmes


@transaction.atomic
def session_add(*, actor, event: Event, **values) -> Session:
    session = Session(event=event, **values)
    session.full_clean()
    if session.starts_at < event.starts_at or session.ends_at > event.ends_at:
        raise ValidationError({"starts_at": _("A session takes place within the dates of its event.")})
    session.save()
    return session


@transaction.atomic
def session_delete(*, actor, session: Session) -> None:
    if session.choices.exists():
        raise ValidationError(_("People chose this session: it cannot be deleted."))
    session.delete()


@transaction.atomic
def session_join(*, user, session: Session) -> SessionChoice:
    """Add a session to the attendee's programme: places are counted under a lock, overlaps refused."""
    session = Session.objects.select_for_update().select_related("event").get(pk=session.pk)
    registration = Registration.objects.filter(
        event=session.event, user=user, status=RegistrationStatus.CONFIRMED
    ).first()
    if registration is None:
        raise ValidationError(_("Register for the event first: the programme is for its attendees."))
    if session.capacity is None:
        raise ValidationError(_("Everyone attends this session: there is nothing to choose."))
    if registration.session_choices.filter(session=session).exists():
        raise ValidationError(_("This session is already in your programme."))
    clash = (
        registration.session_choices.filter(
            session__starts_at__lt=session.ends_at, session__ends_at__gt=session.starts_at
        )
        .select_related("session")
        .first()
    )
    if clash is not None:
        raise ValidationError(
            _("This session overlaps “%(title)s”, already in your programme.") % {"title": clash.session.title}
        )
    if session.choices.count() >= session.capacity:
        raise ValidationError(_("“%(title)s” is full.") % {"title": session.title})
    return SessionChoice.objects.create(session=session, registration=registration)


@transaction.atomic
def session_leave(*, user, session: Session) -> None:
    deleted, _count = SessionChoice.objects.filter(session=session, registration__user=user).delete()
    if not deleted:
        raise ValidationError(_("This session is not in your programme."))


# Reminders and the private calendar address


def registrations_to_remind(now: datetime.datetime | None = None):
    """Confirmed registrations of events with a date tomorrow (local time) not reminded yet."""
    tomorrow = timezone.localtime(now or timezone.now()).date() + datetime.timedelta(days=1)
    start = timezone.make_aware(datetime.datetime.combine(tomorrow, datetime.time.min))
    events = Occurrence.objects.filter(starts_at__gte=start, starts_at__lt=start + datetime.timedelta(days=1))
    return Registration.objects.filter(
        status=RegistrationStatus.CONFIRMED,
        reminded_at__isnull=True,
        event__schedule=Schedule.SCHEDULED,
        event__in=events.values("event_id"),
    ).select_related("user", "event", "category")


def reminders_send(*, now: datetime.datetime | None = None) -> int:
    """The reminder the day before, once per registration, even if two runs overlap (idempotent)."""
    sent = 0
    for registration in registrations_to_remind(now):
        with transaction.atomic():
            # Compare and set: only the run that marks the registration sends its reminder.
            marked = Registration.objects.filter(pk=registration.pk, reminded_at__isnull=True).update(
                reminded_at=timezone.now()
            )
            if marked:
                emails.send_reminder(registration=registration)
                sent += 1
    return sent


@transaction.atomic
def calendar_token_reset(*, user) -> CalendarToken:
    """A new secret address; the old one stops working (if it leaked)."""
    CalendarToken.objects.filter(user=user).delete()
    return CalendarToken.objects.create(user=user)
