"""The shared agenda: events of the associations and of the city, their occurrences and registrations.

An event is written once; its dates are expanded into ``Occurrence`` rows by the services (one row for a
one-off or multi-day event, one per date for a recurring one), so that the list, week and month views read
a plain indexed table whatever the recurrence rule.

Registrations belong to the event (for a recurring event, to the whole series). Places are counted per
registration category under a lock on the event row (services.registration_create): never an overbooking.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tissu.directory.models import Association, Audience, Neighbourhood


class Category(models.Model):
    """A kind of event (forum, training, festival…); the associations office edits the list in the admin."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("event category")
        verbose_name_plural = _("event categories")

    def __str__(self):
        return self.name


class Publication(models.TextChoices):
    DRAFT = "draft", _("draft")
    PENDING = "pending", _("awaiting approval")
    PUBLISHED = "published", _("published")
    REFUSED = "refused", _("refused")


class Schedule(models.TextChoices):
    SCHEDULED = "scheduled", _("scheduled")
    CANCELLED = "cancelled", _("cancelled")
    POSTPONED = "postponed", _("postponed")


class AttendanceMode(models.TextChoices):
    IN_PERSON = "in_person", _("in person")
    ONLINE = "online", _("online")
    HYBRID = "hybrid", _("in person and online")


class Visibility(models.TextChoices):
    PUBLIC = "public", _("everyone")
    MEMBERS = "members", _("members of associations and the city only")


# (field name, label): the accessibility features an organiser can tick; the "accessible" filter wants step-free.
ACCESSIBILITY_FEATURES = [
    ("step_free", _("step-free access")),
    ("sign_language", _("French sign language (LSF)")),
    ("audio_description", _("audio description")),
    ("hearing_loop", _("hearing loop")),
    ("easy_read", _("easy-to-read information (FALC)")),
]


class Event(models.Model):
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("address in Tissu"), max_length=90, unique=True)
    summary = models.CharField(_("summary"), max_length=300, blank=True, help_text=_("One or two sentences."))
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown."))
    # None: an event of the city itself (published by the associations office).
    association = models.ForeignKey(
        Association,
        verbose_name=_("organised by"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="events",
    )
    category = models.ForeignKey(
        Category, verbose_name=_("category"), null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    audiences = models.ManyToManyField(Audience, verbose_name=_("audiences"), blank=True, related_name="events")
    visibility = models.CharField(_("who can see it"), max_length=10, choices=Visibility, default=Visibility.PUBLIC)
    publication = models.CharField(
        _("publication"), max_length=10, choices=Publication, default=Publication.DRAFT, db_index=True
    )
    schedule = models.CharField(_("status"), max_length=10, choices=Schedule, default=Schedule.SCHEDULED)
    schedule_note = models.CharField(
        _("note to attendees"),
        max_length=300,
        blank=True,
        help_text=_("Why the event is cancelled or postponed, or where to find the new date."),
    )
    refusal_reason = models.TextField(_("reason for refusal"), blank=True)

    # Dates: the first occurrence; recurring events repeat it by `recurrence` (an RFC 5545 RRULE).
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    recurrence = models.CharField(
        _("recurrence rule"),
        max_length=300,
        blank=True,
        help_text=_("Leave empty for a one-off event. RFC 5545 rule, e.g. FREQ=WEEKLY;BYDAY=WE;COUNT=10."),
    )
    # ISO dates (YYYY-MM-DD) on which a recurring event does not take place.
    exception_dates = models.JSONField(_("dates without the event"), default=list, blank=True)

    attendance_mode = models.CharField(
        _("attendance"), max_length=10, choices=AttendanceMode, default=AttendanceMode.IN_PERSON
    )
    online_url = models.URLField(_("online link"), max_length=500, blank=True)
    venue_name = models.CharField(_("venue"), max_length=200, blank=True)
    venue_address = models.CharField(_("address"), max_length=300, blank=True)
    room = models.ForeignKey(
        "rooms.Room",
        verbose_name=_("room of the city"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
        help_text=_("Optional: the city's room where it takes place (book it under Rooms). Fills the venue."),
    )
    neighbourhood = models.ForeignKey(
        Neighbourhood, verbose_name=_("neighbourhood"), null=True, blank=True, on_delete=models.SET_NULL
    )
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)

    is_free = models.BooleanField(_("free"), default=True)
    price = models.CharField(
        _("price"), max_length=200, blank=True, help_text=_("For example: 5 €, free for children.")
    )

    step_free = models.BooleanField(_("step-free access"), default=False)
    sign_language = models.BooleanField(_("French sign language (LSF)"), default=False)
    audio_description = models.BooleanField(_("audio description"), default=False)
    hearing_loop = models.BooleanField(_("hearing loop"), default=False)
    easy_read = models.BooleanField(_("easy-to-read information (FALC)"), default=False)
    accessibility_details = models.TextField(_("accessibility details"), blank=True)

    image = models.ImageField(_("image"), upload_to="agenda/events/", blank=True)
    image_alt = models.CharField(
        _("image text alternative"), max_length=200, blank=True, help_text=_("Leave empty if the image is decorative.")
    )

    # Registration
    registration_required = models.BooleanField(_("registration required"), default=False)
    registration_opens_at = models.DateTimeField(_("registration opens at"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(_("registration deadline"), null=True, blank=True)
    waiting_list = models.BooleanField(_("waiting list when full"), default=True)
    offer_hours = models.PositiveSmallIntegerField(
        _("hours to accept a freed place"), default=48, help_text=_("A freed place offered from the waiting list.")
    )
    consent_text = models.TextField(
        _("consent text"), blank=True, help_text=_("Shown with a checkbox the attendee must tick.")
    )
    notify_organiser = models.BooleanField(
        _("email me each registration and cancellation"),
        default=False,
        help_text=_("Sent to the person who created the event."),
    )

    search_text = models.TextField(blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=models.F("starts_at")),
                name="agenda_event_ends_after",
                violation_error_message=_("The event cannot end before it starts."),
            )
        ]

    def __str__(self):
        return self.title

    @property
    def is_published(self) -> bool:
        return self.publication == Publication.PUBLISHED

    @property
    def is_cancelled(self) -> bool:
        return self.schedule == Schedule.CANCELLED

    @property
    def is_postponed(self) -> bool:
        return self.schedule == Schedule.POSTPONED

    @property
    def is_recurring(self) -> bool:
        return bool(self.recurrence)

    @property
    def is_multi_day(self) -> bool:
        from django.utils import timezone

        return timezone.localtime(self.starts_at).date() != timezone.localtime(self.ends_at).date()

    @property
    def accessibility_features(self) -> list:
        return [label for name, label in ACCESSIBILITY_FEATURES if getattr(self, name)]

    @property
    def organiser_name(self) -> str:
        if self.association_id:
            return self.association.name
        from tissu.city.selectors import city_settings_get

        return city_settings_get().name


class Occurrence(models.Model):
    """One date of an event (written by the services from the event's dates and recurrence)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="occurrences")
    starts_at = models.DateTimeField(db_index=True)
    ends_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("occurrence")
        verbose_name_plural = _("occurrences")

    def __str__(self):
        return f"{self.event} {self.starts_at:%Y-%m-%d %H:%M}"


class TicketCategory(models.Model):
    """A registration category with its own quota, e.g. "territorial agent" (with a code) or "other attendee"."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="ticket_categories")
    name = models.CharField(_("name"), max_length=120)
    description = models.CharField(_("description"), max_length=300, blank=True)
    capacity = models.PositiveIntegerField(_("places"))
    # Restricted path: the attendee types this code (e.g. a training session code such as "46 SXRVA 002").
    access_code = models.CharField(
        _("registration code"),
        max_length=40,
        blank=True,
        help_text=_("If set, only people who type this code can register in this category."),
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("registration category")
        verbose_name_plural = _("registration categories")
        constraints = [models.UniqueConstraint(fields=["event", "name"], name="agenda_ticket_category_unique")]

    def __str__(self):
        return self.name


class Question(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="questions")
    label = models.CharField(_("question"), max_length=200)
    required = models.BooleanField(_("answer required"), default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self):
        return self.label


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("confirmed")
    WAITING = "waiting", _("on the waiting list")
    OFFERED = "offered", _("place offered")
    CANCELLED = "cancelled", _("cancelled")
    EXPIRED = "expired", _("offer expired")


# Statuses that hold (or wait for) a place: a person has at most one of these per event.
ACTIVE_STATUSES = [RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING, RegistrationStatus.OFFERED]
# Statuses that take a place from the quota.
HOLDING_STATUSES = [RegistrationStatus.CONFIRMED, RegistrationStatus.OFFERED]


def _check_in_code() -> str:
    return secrets.token_hex(4).upper()


class Registration(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    category = models.ForeignKey(TicketCategory, on_delete=models.PROTECT, related_name="registrations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_registrations")
    status = models.CharField(_("status"), max_length=10, choices=RegistrationStatus, db_index=True)
    # {question id (str): answer}
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    code = models.CharField(_("check-in code"), max_length=8, unique=True, default=_check_in_code, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    offered_at = models.DateTimeField(null=True, blank=True)
    offer_expires_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reminded_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "user"],
                condition=Q(status__in=["confirmed", "waiting", "offered"]),
                name="agenda_one_active_registration",
            )
        ]
        indexes = [models.Index(fields=["category", "status"])]

    def __str__(self):
        return f"{self.user} → {self.event}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES


class SessionFormat(models.TextChoices):
    PLENARY = "plenary", _("plenary")
    ROUND_TABLE = "round_table", _("round table")
    ROTATING_WORKSHOP = "rotating_workshop", _("rotating workshop")
    HUMAN_LIBRARY = "human_library", _("human library")
    SERIOUS_GAME = "serious_game", _("serious game")
    OTHER = "other", _("other")


class Session(models.Model):
    """A part of a programme (multi-session event): a plenary, a workshop, a human library…"""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(_("title"), max_length=200)
    format = models.CharField(_("format"), max_length=20, choices=SessionFormat, default=SessionFormat.OTHER)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    room = models.CharField(_("room"), max_length=120, blank=True)
    speakers = models.CharField(_("speakers"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    # None: open to every attendee without choosing it (plenaries); a number: people choose it, within that limit.
    capacity = models.PositiveIntegerField(
        _("places"), null=True, blank=True, help_text=_("Leave empty for a session everyone attends.")
    )

    class Meta:
        ordering = ["starts_at", "title", "id"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="agenda_session_ends_after",
                violation_error_message=_("A session cannot end before it starts."),
            )
        ]

    def __str__(self):
        return self.title


class SessionChoice(models.Model):
    """An attendee's place in a session with limited places: their personal programme."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="choices")
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="session_choices")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["session__starts_at", "id"]
        verbose_name = _("session choice")
        verbose_name_plural = _("session choices")
        constraints = [
            models.UniqueConstraint(fields=["session", "registration"], name="agenda_one_choice_per_session")
        ]

    def __str__(self):
        return f"{self.registration} → {self.session}"


def _calendar_token() -> str:
    return secrets.token_urlsafe(24)


class CalendarToken(models.Model):
    """The secret address of a person's "my registrations" calendar feed (calendar apps cannot sign in)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_token")
    token = models.CharField(max_length=64, unique=True, default=_calendar_token)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("calendar address")
        verbose_name_plural = _("calendar addresses")

    def __str__(self):
        return str(self.user)
