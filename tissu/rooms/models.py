"""Rooms lent by the city: buildings, rooms, their rules and closures, one-off bookings and seasonal campaigns.

A booking holds a room from ``start`` to ``end`` (aware datetimes). Pending and approved bookings hold it:
two of them never overlap in the same room. On PostgreSQL the database refuses an overlap itself (an
exclusion constraint over ``tstzrange(start, "end")``, migration 0002); on SQLite, which runs one writer at a
time, the booking services check for an overlap inside the transaction that writes (see docs/rooms.md).

A seasonal campaign collects, for one season (September to June), requests for weekly slots; the optimiser
(tissu.rooms.allocation) proposes an allocation, the commission validates it, publication turns each weekly
slot into bookings for every open date of the season.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tissu.directory.models import Association


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class Equipment(models.Model):
    """Something a room offers: a projector, a sprung floor, a kitchen, mirrors…"""

    name = models.CharField(_("name"), max_length=80, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("equipment")
        verbose_name_plural = _("equipment")

    def __str__(self):
        return self.name


class Building(models.Model):
    name = models.CharField(_("name"), max_length=160)
    address = models.CharField(_("address"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    accessibility = models.TextField(
        _("access"), blank=True, help_text=_("Step-free entrance, lift, parking, public transport.")
    )

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("building")
        verbose_name_plural = _("buildings")

    def __str__(self):
        return self.name


class OpeningHours(models.Model):
    """The building is open on this weekday from ``opens`` to ``closes`` (several rows: several periods)."""

    building = models.ForeignKey(Building, on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday)
    opens = models.TimeField(_("opens at"))
    closes = models.TimeField(_("closes at"))

    class Meta:
        ordering = ["weekday", "opens"]
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        constraints = [models.CheckConstraint(condition=Q(closes__gt=F("opens")), name="rooms_hours_ordered")]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"


class RoomKind(models.TextChoices):
    MEETING = "meeting", _("meeting room")
    HALL = "hall", _("hall")
    GYM = "gym", _("gymnasium")
    WORKSHOP = "workshop", _("workshop or studio")


class BookerPolicy(models.TextChoices):
    ALL = "all", _("every association")
    VERIFIED = "verified", _("associations verified by the city")
    OFFICE = "office", _("only the associations office")


class Room(models.Model):
    building = models.ForeignKey(Building, on_delete=models.CASCADE, related_name="rooms", verbose_name=_("building"))
    name = models.CharField(_("name"), max_length=160)
    kind = models.CharField(_("kind"), max_length=10, choices=RoomKind, default=RoomKind.MEETING)
    capacity = models.PositiveIntegerField(_("capacity (people)"))
    surface = models.PositiveIntegerField(_("surface (m²)"), null=True, blank=True)
    equipment = models.ManyToManyField(Equipment, verbose_name=_("equipment"), blank=True, related_name="rooms")
    step_free = models.BooleanField(_("accessible to wheelchair users"), default=False)
    description = models.TextField(_("description"), blank=True)
    photo = models.ImageField(_("photo"), upload_to="rooms/", blank=True)
    photo_alt = models.CharField(_("photo text alternative"), max_length=200, blank=True)
    # Booking rules
    notice_days = models.PositiveSmallIntegerField(_("notice required (days)"), default=2)
    max_hours = models.PositiveSmallIntegerField(_("longest booking (hours)"), default=12)
    booker_policy = models.CharField(_("who may book"), max_length=10, choices=BookerPolicy, default=BookerPolicy.ALL)
    approval_required = models.BooleanField(
        _("each booking needs the office's approval"),
        default=True,
        help_text=_("Otherwise a booking of a free slot is approved at once."),
    )
    buffer_minutes = models.PositiveSmallIntegerField(
        _("gap between bookings (minutes)"), default=0, help_text=_("Cleaning or setting up between two users.")
    )
    is_active = models.BooleanField(_("open for booking"), default=True)

    class Meta:
        ordering = ["building__name", "name", "id"]
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        constraints = [models.CheckConstraint(condition=Q(capacity__gte=1), name="rooms_room_capacity_positive")]

    def __str__(self):
        return f"{self.name} ({self.building.name})"


class ClosureKind(models.TextChoices):
    SCHOOL_HOLIDAYS = "school", _("school holidays")
    BUILDING = "building", _("building closed")
    OTHER = "other", _("other closure")


class Closure(models.Model):
    """Days when rooms are not lent, both ends included: one building, or every building (building empty).

    French public holidays are not stored: tissu.rooms.closures reads them from the ``holidays`` package.
    """

    building = models.ForeignKey(
        Building,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="closures",
        verbose_name=_("building"),
        help_text=_("Empty: every building."),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ClosureKind, default=ClosureKind.BUILDING)
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"))
    label = models.CharField(_("reason"), max_length=160)

    class Meta:
        ordering = ["start_date", "id"]
        verbose_name = _("closure")
        verbose_name_plural = _("closures")
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="rooms_closure_range_ordered")
        ]

    def __str__(self):
        return f"{self.label} ({self.start_date}–{self.end_date})"


class BookingStatus(models.TextChoices):
    PENDING = "pending", _("waiting for approval")
    APPROVED = "approved", _("approved")
    REFUSED = "refused", _("refused")
    CANCELLED = "cancelled", _("cancelled")


# The bookings that hold their room: never two overlapping in one room (the exclusion constraint's WHERE).
HOLDING = [BookingStatus.PENDING, BookingStatus.APPROVED]


class Booking(models.Model):
    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="bookings", verbose_name=_("room"))
    association = models.ForeignKey(
        Association,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="room_bookings",
        verbose_name=_("association"),
        help_text=_("Empty: the city itself."),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    purpose = models.CharField(_("purpose"), max_length=200)
    attendees = models.PositiveIntegerField(_("people expected"), default=1)
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    status = models.CharField(_("status"), max_length=10, choices=BookingStatus, default=BookingStatus.PENDING)
    answer = models.TextField(_("reason of the decision"), blank=True)
    slot_request = models.ForeignKey(
        "SlotRequest", null=True, blank=True, on_delete=models.SET_NULL, related_name="bookings", editable=False
    )
    absence_declared_at = models.DateTimeField(_("declared unused on"), null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["start", "id"]
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        constraints = [models.CheckConstraint(condition=Q(end__gt=F("start")), name="rooms_booking_range_ordered")]
        indexes = [models.Index(fields=["room", "start"]), models.Index(fields=["association", "start"])]

    def __str__(self):
        return f"{self.room} {timezone.localtime(self.start):%Y-%m-%d %H:%M}"


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("in preparation")
    OPEN = "open", _("open to requests")
    REVIEW = "review", _("requests closed, allocation in progress")
    VALIDATED = "validated", _("validated by the commission")
    PUBLISHED = "published", _("published")


class RunState(models.TextChoices):
    IDLE = "idle", _("not run yet")
    QUEUED = "queued", _("waiting to run")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


class Campaign(models.Model):
    """One season's call for weekly slots, its rules of priority and the state of its allocation."""

    name = models.CharField(_("name"), max_length=160)
    season_start = models.DateField(_("season starts on"))
    season_end = models.DateField(_("season ends on"))
    requests_close_on = models.DateField(_("requests accepted until"))
    rooms = models.ManyToManyField(Room, verbose_name=_("rooms offered"), related_name="campaigns")
    status = models.CharField(_("status"), max_length=10, choices=CampaignStatus, default=CampaignStatus.DRAFT)
    # Preferences: points for a request granted on its 1st, 2nd, 3rd choice or an acceptable alternative.
    weight_rank_1 = models.PositiveSmallIntegerField(_("points for a first choice"), default=100)
    weight_rank_2 = models.PositiveSmallIntegerField(_("points for a second choice"), default=70)
    weight_rank_3 = models.PositiveSmallIntegerField(_("points for a third choice"), default=50)
    weight_alternative = models.PositiveSmallIntegerField(_("points for an acceptable alternative"), default=30)
    # Priorities: a percentage added to those points.
    bonus_youth = models.PositiveSmallIntegerField(_("bonus for a youth public (%)"), default=50)
    bonus_qpv = models.PositiveSmallIntegerField(_("bonus for an association of a QPV (%)"), default=30)
    bonus_continuity = models.PositiveSmallIntegerField(_("bonus for last season's slot (%)"), default=20)
    bonus_small = models.PositiveSmallIntegerField(_("bonus for a small association (%)"), default=20)
    small_association_members = models.PositiveIntegerField(
        _("small association: members at most"), default=50, help_text=_("And no employee.")
    )
    fairness = models.BooleanField(
        _("serve as many associations as possible first"),
        default=True,
        help_text=_("No association is left with nothing when another allocation can serve it."),
    )
    time_limit_seconds = models.PositiveSmallIntegerField(_("optimiser time limit (seconds)"), default=60)
    # The last run of the optimiser.
    run_state = models.CharField(max_length=10, choices=RunState, default=RunState.IDLE, editable=False)
    run_started_at = models.DateTimeField(null=True, blank=True, editable=False)
    run_finished_at = models.DateTimeField(null=True, blank=True, editable=False)
    run_report = models.JSONField(default=dict, blank=True, editable=False)
    validated_at = models.DateTimeField(null=True, blank=True, editable=False)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-season_start", "-id"]
        verbose_name = _("allocation campaign")
        verbose_name_plural = _("allocation campaigns")
        constraints = [
            models.CheckConstraint(condition=Q(season_end__gt=F("season_start")), name="rooms_campaign_season_ordered")
        ]

    def __str__(self):
        return self.name


class Public(models.TextChoices):
    YOUTH = "youth", _("children and young people")
    ADULTS = "adults", _("adults")
    SENIORS = "seniors", _("seniors")
    ALL = "all", _("all ages")


class RequestStatus(models.TextChoices):
    SUBMITTED = "submitted", _("submitted")
    WITHDRAWN = "withdrawn", _("withdrawn")


class Decision(models.TextChoices):
    NONE = "", _("not decided yet")
    ALLOCATED = "allocated", _("slot allocated")
    REFUSED = "refused", _("refused")


class SlotRequest(models.Model):
    """An association asks for a weekly slot for one of its activities (its group) for the season."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="requests")
    association = models.ForeignKey(
        Association, on_delete=models.CASCADE, related_name="slot_requests", verbose_name=_("association")
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    activity = models.CharField(_("activity"), max_length=160)
    group = models.CharField(
        _("group"),
        max_length=80,
        blank=True,
        help_text=_("Requests of one association with the same group (the same people) never overlap."),
    )
    public = models.CharField(_("public"), max_length=10, choices=Public, default=Public.ALL)
    participants = models.PositiveIntegerField(_("participants"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"))
    equipment = models.ManyToManyField(Equipment, verbose_name=_("equipment needed"), blank=True, related_name="+")
    step_free = models.BooleanField(_("needs a room accessible to wheelchair users"), default=False)
    comment = models.TextField(_("comment"), blank=True)
    # Last season's slot, for continuity.
    previous_weekday = models.PositiveSmallIntegerField(_("last season: day"), choices=Weekday, null=True, blank=True)
    previous_start = models.TimeField(_("last season: start"), null=True, blank=True)
    previous_room = models.ForeignKey(
        Room, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("last season: room")
    )
    status = models.CharField(max_length=10, choices=RequestStatus, default=RequestStatus.SUBMITTED)
    # Staff: pin the request to an option (and room), re-run.
    pinned_option = models.ForeignKey(
        "SlotOption", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    pinned_room = models.ForeignKey(Room, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # The allocation: the option and room proposed (then published), with the reason in words.
    decision = models.CharField(max_length=10, choices=Decision, default=Decision.NONE, blank=True)
    allocated_option = models.ForeignKey(
        "SlotOption", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    allocated_room = models.ForeignKey(
        Room, null=True, blank=True, on_delete=models.SET_NULL, related_name="allocated_requests", editable=False
    )
    reason = models.JSONField(default=dict, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("slot request")
        verbose_name_plural = _("slot requests")
        constraints = [
            models.CheckConstraint(condition=Q(participants__gte=1), name="rooms_request_participants_positive"),
            models.CheckConstraint(condition=Q(duration_minutes__gte=15), name="rooms_request_duration_min"),
        ]

    def __str__(self):
        return f"{self.association} – {self.activity}"


class SlotOption(models.Model):
    """A weekly slot a request accepts: rank 1 to 3 (its preferences, in order) or 0 (an acceptable alternative)."""

    request = models.ForeignKey(SlotRequest, on_delete=models.CASCADE, related_name="options")
    rank = models.PositiveSmallIntegerField(_("rank"))
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday)
    start = models.TimeField(_("start"))
    room = models.ForeignKey(
        Room, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("room wanted")
    )
    forbidden = models.BooleanField(_("forbidden by the office"), default=False, editable=False)

    class Meta:
        ordering = ["request", "id"]
        verbose_name = _("slot option")
        verbose_name_plural = _("slot options")
        constraints = [models.CheckConstraint(condition=Q(rank__lte=3), name="rooms_option_rank_range")]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.start:%H:%M}"

    @property
    def start_minute(self) -> int:
        return self.start.hour * 60 + self.start.minute
