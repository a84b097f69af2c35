"""Volunteering: missions posted by associations, volunteers' profiles, applications and their messages, hours.

Multi-valued codes that are only ever tested for membership (the publics a mission welcomes, the day × part
of day slots of an availability) are stored as space-separated codes in one column: every code is a whole
word that no other code contains, so ``publics__contains="students"`` is exact on SQLite and PostgreSQL.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tissu.directory.models import Association, Neighbourhood, Theme


class Skill(models.Model):
    """A skill a mission asks for and a volunteer offers; the associations office keeps the list."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("skill")
        verbose_name_plural = _("skills")

    def __str__(self):
        return self.name


class MissionType(models.TextChoices):
    ONE_OFF = "one_off", _("one-off, on dated slots")
    RECURRING = "recurring", _("recurring")
    BOARD = "board", _("board role")


class BoardRole(models.TextChoices):
    PRESIDENT = "president", _("president")
    TREASURER = "treasurer", _("treasurer")
    SECRETARY = "secretary", _("secretary")
    BOARD_MEMBER = "board_member", _("board member")


class CommitmentPeriod(models.TextChoices):
    WEEK = "week", _("hours a week")
    MONTH = "month", _("hours a month")
    YEAR = "year", _("hours a year")
    TOTAL = "total", _("hours in all")


class MissionStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    PENDING_REVIEW = "pending_review", _("pending review")
    PUBLISHED = "published", _("published")
    FULL = "full", _("full")
    CLOSED = "closed", _("closed")
    EXPIRED = "expired", _("expired")


# Seen by everyone (when the association itself is public); drafts and missions in review by its managers only.
PUBLIC_STATUSES = [MissionStatus.PUBLISHED, MissionStatus.FULL, MissionStatus.CLOSED, MissionStatus.EXPIRED]
OPEN_STATUSES = [MissionStatus.PUBLISHED, MissionStatus.FULL]


class Public(models.TextChoices):
    MINORS = "minors", _("minors from 16 with parental consent")
    STUDENTS = "students", _("students")
    DISABILITIES = "disabilities", _("people with disabilities")
    REINSERTION = "reinsertion", _("people in reinsertion")
    EXILES = "exiles", _("asylum seekers and refugees")
    COMMUNITY_SERVICE = "community_service", _("community service")


DAYS = [
    ("mon", pgettext_lazy("day", "Monday")),
    ("tue", pgettext_lazy("day", "Tuesday")),
    ("wed", pgettext_lazy("day", "Wednesday")),
    ("thu", pgettext_lazy("day", "Thursday")),
    ("fri", pgettext_lazy("day", "Friday")),
    ("sat", pgettext_lazy("day", "Saturday")),
    ("sun", pgettext_lazy("day", "Sunday")),
]
PARTS = [
    ("morning", pgettext_lazy("part of day", "morning")),
    ("afternoon", pgettext_lazy("part of day", "afternoon")),
    ("evening", pgettext_lazy("part of day", "evening")),
]
SLOT_CODES = [f"{day}-{part}" for day, _day in DAYS for part, _part in PARTS]


def codes(value: str) -> list[str]:
    return [code for code in (value or "").split() if code]


class Mission(models.Model):
    association = models.ForeignKey(
        Association, verbose_name=_("association"), on_delete=models.CASCADE, related_name="missions"
    )
    title = models.CharField(_("title"), max_length=160)
    description = models.TextField(_("description"), help_text=_("Markdown."))
    skills = models.ManyToManyField(Skill, verbose_name=_("skills"), blank=True, related_name="missions")
    causes = models.ManyToManyField(
        Theme,
        verbose_name=_("causes"),
        blank=True,
        related_name="+",
        limit_choices_to={"code__endswith": "000"},
    )
    mission_type = models.CharField(_("type"), max_length=10, choices=MissionType, default=MissionType.RECURRING)
    board_role = models.CharField(_("board role"), max_length=20, choices=BoardRole, blank=True)
    rhythm = models.CharField(_("rhythm"), max_length=200, blank=True)
    schedule = models.CharField(_("usual days and times"), max_length=300, blank=True)
    commitment_hours = models.PositiveSmallIntegerField(_("time commitment (hours)"), null=True, blank=True)
    commitment_period = models.CharField(
        _("time commitment period"), max_length=10, choices=CommitmentPeriod, default=CommitmentPeriod.WEEK
    )
    places = models.PositiveSmallIntegerField(_("places"), default=1)
    is_remote = models.BooleanField(_("remote"), default=False)
    address = models.CharField(_("place"), max_length=255, blank=True)
    neighbourhood = models.ForeignKey(
        Neighbourhood, verbose_name=_("neighbourhood"), null=True, blank=True, on_delete=models.SET_NULL
    )
    publics = models.CharField(_("publics welcome"), max_length=200, blank=True)
    prerequisites = models.TextField(_("prerequisites"), blank=True)
    motivation_required = models.BooleanField(_("motivation message required"), default=False)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=MissionStatus, default=MissionStatus.DRAFT, db_index=True
    )
    review_note = models.TextField(_("note from the associations office"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    published_at = models.DateTimeField(_("published on"), null=True, blank=True)
    search_text = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("mission")
        verbose_name_plural = _("missions")
        indexes = [models.Index(fields=["status", "-published_at"])]

    def __str__(self):
        return self.title

    @property
    def public_codes(self) -> list[str]:
        return codes(self.publics)

    def get_publics_display(self) -> list[str]:
        labels = dict(Public.choices)
        return [str(labels[code]) for code in self.public_codes if code in labels]

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class MissionSlot(models.Model):
    """A dated slot of a one-off mission."""

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("slot")
        verbose_name_plural = _("slots")
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="volunteering_slot_order")
        ]

    def __str__(self):
        return f"{self.starts_at:%Y-%m-%d %H:%M}–{self.ends_at:%H:%M}"


class VolunteerProfile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="volunteer_profile")
    skills = models.ManyToManyField(Skill, verbose_name=_("skills"), blank=True, related_name="volunteers")
    interests = models.ManyToManyField(
        Theme,
        verbose_name=_("causes I care about"),
        blank=True,
        related_name="+",
        limit_choices_to={"code__endswith": "000"},
    )
    availability = models.CharField(_("availability"), max_length=400, blank=True)
    neighbourhood = models.ForeignKey(
        Neighbourhood, verbose_name=_("neighbourhood"), null=True, blank=True, on_delete=models.SET_NULL
    )
    languages = models.CharField(_("languages spoken"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    presentation = models.TextField(_("a few words about me"), blank=True)
    contact_opt_in = models.BooleanField(_("associations may suggest missions to me"), default=False)
    is_minor = models.BooleanField(_("I am under 18"), default=False)
    parental_consent = models.BooleanField(_("I have my parents' consent"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("volunteer profile")
        verbose_name_plural = _("volunteer profiles")

    def __str__(self):
        return self.audit_label

    @property
    def audit_label(self) -> str:
        return f"volunteer profile {self.pk}"

    @property
    def availability_codes(self) -> list[str]:
        return codes(self.availability)


class ApplicationStatus(models.TextChoices):
    NEW = "new", _("new")
    DISCUSSING = "discussing", _("in discussion")
    ACCEPTED = "accepted", _("accepted")
    DECLINED = "declined", _("declined")
    WITHDRAWN = "withdrawn", _("withdrawn")
    CANCELLED = "cancelled", _("cancelled")
    WAITLISTED = "waitlisted", _("on the waiting list")


ACTIVE_APPLICATION_STATUSES = [
    ApplicationStatus.NEW,
    ApplicationStatus.DISCUSSING,
    ApplicationStatus.ACCEPTED,
    ApplicationStatus.WAITLISTED,
]
UNANSWERED_STATUSES = [ApplicationStatus.NEW]


class DeclineReason(models.TextChoices):
    FULL = "full", _("the mission is already filled")
    PROFILE = "profile", _("the profile does not match the mission")
    AVAILABILITY = "availability", _("the availability does not match")
    MISSION_CHANGED = "mission_changed", _("the mission has changed or is cancelled")
    NO_ANSWER = "no_answer", _("no answer from the candidate")
    OTHER = "other", _("another reason")


class Application(models.Model):
    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="applications")
    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="volunteer_applications"
    )
    slot = models.ForeignKey(
        MissionSlot, verbose_name=_("slot"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    message = models.TextField(_("message"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ApplicationStatus, default=ApplicationStatus.NEW, db_index=True
    )
    decline_reason = models.CharField(_("reason"), max_length=20, choices=DeclineReason, blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    responded_at = models.DateTimeField(_("first answer on"), null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            models.UniqueConstraint(
                fields=["mission", "volunteer"],
                condition=Q(status__in=["new", "discussing", "accepted", "waitlisted"]),
                name="volunteering_one_active_application",
            )
        ]

    def __str__(self):
        return self.audit_label

    @property
    def audit_label(self) -> str:
        return f"application {self.pk}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_APPLICATION_STATUSES


class InvitationStatus(models.TextChoices):
    PENDING = "pending", _("waiting for an answer")
    APPLIED = "applied", _("applied")
    DECLINED = "declined", _("declined")


class Invitation(models.Model):
    """An association invites a suggested volunteer (who opted in) to apply to a mission, inside Tissu: the
    association never sees the volunteer's email address; the volunteer applies or declines."""

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="invitations")
    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="volunteer_invitations"
    )
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    message = models.TextField(_("message"), blank=True, max_length=2000)
    status = models.CharField(
        _("status"), max_length=10, choices=InvitationStatus, default=InvitationStatus.PENDING, db_index=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("invitation to apply")
        verbose_name_plural = _("invitations to apply")
        constraints = [
            # One invitation per volunteer and mission: an association cannot insist.
            models.UniqueConstraint(fields=["mission", "volunteer"], name="volunteering_one_invitation_per_mission")
        ]

    def __str__(self):
        return self.audit_label

    @property
    def audit_label(self) -> str:
        return f"invitation {self.pk}"


class ApplicationMessage(models.Model):
    """A message between the association and the candidate, inside Tissu."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    from_association = models.BooleanField(default=False)
    body = models.TextField(_("message"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")

    def __str__(self):
        return f"message {self.pk}"


class HoursStatus(models.TextChoices):
    DECLARED = "declared", _("declared")
    CONFIRMED = "confirmed", _("confirmed")
    REFUSED = "refused", _("refused")


class VolunteerHours(models.Model):
    """Hours a volunteer declares on a mission they were accepted on; the association confirms them."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="hours")
    day = models.DateField(_("day"))
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=2)
    note = models.CharField(_("what I did"), max_length=255, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=HoursStatus, default=HoursStatus.DECLARED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-day", "-id"]
        verbose_name = _("volunteer hours")
        verbose_name_plural = _("volunteer hours")
        constraints = [
            models.CheckConstraint(condition=Q(hours__gt=0) & Q(hours__lte=24), name="volunteering_hours_range")
        ]

    def __str__(self):
        return f"{self.hours} h ({self.day})"


class SavedSearch(models.Model):
    """A mission search a volunteer keeps: new missions matching it are emailed to them."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_mission_searches")
    query = models.CharField(_("search"), max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    notified_until = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")
        constraints = [models.UniqueConstraint(fields=["user", "query"], name="volunteering_one_saved_search")]

    def __str__(self):
        return f"saved search {self.pk}"
