"""Sharing between associations: the common equipment pool and its loans.

An item belongs to the city (``owner`` empty: the associations office manages it) or to an association
(its managers manage it). A loan reserves a quantity of an item for a range of days, both ends included.
Accepted and checked-out loans hold their units: on any day, their quantities never exceed the item's
stock (services.loan_* lock the item row before counting, see docs/sharing.md).
"""

import datetime
import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tissu.directory.models import Association
from tissu.lib.storage import private_storage


class Category(models.TextChoices):
    TENTS = "tents", _("tents and marquees")
    FURNITURE = "furniture", _("tables and chairs")
    SOUND = "sound", _("sound and light")
    PROJECTION = "projection", _("projectors and screens")
    KITCHEN = "kitchen", _("crockery and kitchen")
    SPORT = "sport", _("sport and games")
    SIGNAGE = "signage", _("barriers and signage")
    OTHER = "other", _("other equipment")


class BorrowerPolicy(models.TextChoices):
    ALL = "all", _("every association")
    VERIFIED = "verified", _("associations verified by the city")
    LIST = "list", _("only the associations listed")


class Item(models.Model):
    owner = models.ForeignKey(
        Association,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="lent_items",
        help_text=_("Empty: the city's equipment pool."),
    )
    name = models.CharField(_("name"), max_length=160)
    category = models.CharField(_("category"), max_length=20, choices=Category, db_index=True)
    description = models.TextField(_("description"), blank=True)
    photo = models.ImageField(_("photo"), upload_to="sharing/items/", blank=True)
    photo_alt = models.CharField(
        _("photo text alternative"), max_length=200, blank=True, help_text=_("What the photo shows, in a sentence.")
    )
    quantity = models.PositiveIntegerField(_("quantity"), default=1)
    deposit = models.DecimalField(_("deposit (euros)"), max_digits=8, decimal_places=2, null=True, blank=True)
    conditions = models.TextField(
        _("conditions"), blank=True, help_text=_("Deposit, insurance, cleaning, transport: what borrowers agree to.")
    )
    pickup_place = models.CharField(_("pickup place"), max_length=255)
    max_loan_days = models.PositiveSmallIntegerField(_("longest loan (days)"), default=7)
    notice_days = models.PositiveSmallIntegerField(_("notice required (days)"), default=2)
    approval_required = models.BooleanField(
        _("each request needs the owner's approval"),
        default=True,
        help_text=_("Otherwise a request is accepted at once when the units are free."),
    )
    borrower_policy = models.CharField(
        _("who may borrow"), max_length=10, choices=BorrowerPolicy, default=BorrowerPolicy.ALL
    )
    allowed_borrowers = models.ManyToManyField(
        Association, verbose_name=_("associations allowed to borrow"), blank=True, related_name="+"
    )
    is_active = models.BooleanField(_("offered for loan"), default=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("equipment item")
        verbose_name_plural = _("equipment items")
        constraints = [models.CheckConstraint(condition=Q(quantity__gte=1), name="sharing_item_quantity_positive")]
        indexes = [models.Index(fields=["is_active", "category", "name"])]

    def __str__(self):
        return self.name

    @property
    def is_city_owned(self) -> bool:
        return self.owner_id is None


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class PickupSlot(models.Model):
    """A weekly window when the owner hands the item over and takes it back. An item with slots is
    borrowed from a slot on the first day to a slot on the last day; each slot takes `capacity`
    handovers (pickups and returns together) a day."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="pickup_slots")
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday)
    start_time = models.TimeField(_("from"))
    end_time = models.TimeField(_("to"))
    capacity = models.PositiveSmallIntegerField(
        _("handovers per slot"), default=3, help_text=_("How many pickups and returns fit in this slot, each week.")
    )

    class Meta:
        ordering = ["weekday", "start_time", "id"]
        verbose_name = _("pickup slot")
        verbose_name_plural = _("pickup slots")
        constraints = [
            models.CheckConstraint(condition=Q(end_time__gt=F("start_time")), name="sharing_slot_time_ordered"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="sharing_slot_capacity_positive"),
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.start_time:%H:%M}–{self.end_time:%H:%M}"


class LoanStatus(models.TextChoices):
    REQUESTED = "requested", _("requested")
    ACCEPTED = "accepted", _("accepted")
    REFUSED = "refused", _("refused")
    CANCELLED = "cancelled", _("cancelled")
    CHECKED_OUT = "checked_out", _("checked out")
    RETURNED = "returned", _("returned")


# The loans that hold units of the item on their days.
HOLDING = [LoanStatus.ACCEPTED, LoanStatus.CHECKED_OUT]
OPEN = [LoanStatus.REQUESTED, *HOLDING]


def overdue_condition(today: datetime.date) -> Q:
    """Overdue is derived from the status and the dates, not stored: it is true the morning after the last
    day without a job having to run, and it can never disagree with the loan's dates."""
    return Q(status=LoanStatus.CHECKED_OUT, end_date__lt=today)


def condition_photo_path(instance, filename: str) -> str:
    """A random name: condition photos are served through a permission-checked view
    (views.loan_photo), and the name must not be guessable under MEDIA_ROOT either."""
    return f"sharing/loans/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()[:6]}"


class Loan(models.Model):
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="loans", verbose_name=_("item"))
    borrower = models.ForeignKey(
        Association, on_delete=models.CASCADE, related_name="borrowed_loans", verbose_name=_("borrowing association")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    quantity = models.PositiveIntegerField(_("quantity"), default=1)
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"))
    status = models.CharField(_("status"), max_length=12, choices=LoanStatus, default=LoanStatus.REQUESTED)
    message = models.TextField(_("message to the owner"), blank=True)
    answer = models.TextField(_("owner's answer"), blank=True)
    checkout_note = models.TextField(_("condition at check-out"), blank=True)
    return_note = models.TextField(_("condition at return"), blank=True)
    pickup_slot = models.ForeignKey(
        PickupSlot, null=True, blank=True, on_delete=models.SET_NULL, related_name="pickups", verbose_name=_("pickup")
    )
    return_slot = models.ForeignKey(
        PickupSlot, null=True, blank=True, on_delete=models.SET_NULL, related_name="returns", verbose_name=_("return")
    )
    checkout_photo = models.ImageField(
        _("photo at check-out"), upload_to=condition_photo_path, storage=private_storage, blank=True
    )
    checkout_photo_alt = models.CharField(_("what the photo at check-out shows"), max_length=200, blank=True)
    return_photo = models.ImageField(
        _("photo at return"), upload_to=condition_photo_path, storage=private_storage, blank=True
    )
    return_photo_alt = models.CharField(_("what the photo at return shows"), max_length=200, blank=True)
    checked_out_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The deposit (caution) actually handed to the owner, and what came back to the borrower.
    deposit_amount = models.DecimalField(
        _("deposit received (euros)"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    deposit_received_on = models.DateField(_("deposit received on"), null=True, blank=True)
    deposit_received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    deposit_returned_amount = models.DecimalField(
        _("deposit returned (euros)"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    deposit_returned_on = models.DateField(_("deposit returned on"), null=True, blank=True)
    deposit_returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    deposit_note = models.TextField(_("why part of the deposit was kept"), blank=True)
    # Reminders sent by sharing_send_loan_reminders (each once per loan).
    due_reminder_sent_at = models.DateTimeField(null=True, blank=True)
    overdue_reminder_sent_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    checked_out_at = models.DateTimeField(null=True, blank=True)
    returned_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-start_date", "-id"]
        verbose_name = _("loan")
        verbose_name_plural = _("loans")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="sharing_loan_quantity_positive"),
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="sharing_loan_range_ordered"),
            # A deposit comes back only once received, and never more than was received.
            models.CheckConstraint(
                condition=Q(deposit_returned_on__isnull=True)
                | Q(deposit_received_on__isnull=False, deposit_returned_amount__lte=F("deposit_amount")),
                name="sharing_loan_deposit_returned_after_received",
            ),
        ]
        indexes = [models.Index(fields=["item", "status", "start_date", "end_date"])]

    def __str__(self):
        return f"{self.item} × {self.quantity} – {self.borrower}"

    @property
    def days(self) -> int:
        return (self.end_date - self.start_date).days + 1

    @property
    def is_overdue(self) -> bool:
        """Derived, never stored (see OVERDUE): handed over and not back after its last day."""
        return self.status == LoanStatus.CHECKED_OUT and self.end_date < timezone.localdate()

    @property
    def deposit_kept(self):
        if self.deposit_returned_amount is None or self.deposit_amount is None:
            return None
        return self.deposit_amount - self.deposit_returned_amount


class ListingKind(models.TextChoices):
    GIVE = "give", _("gives material")
    LEND = "lend", _("lends material")
    SEEK = "seek", _("looks for material")
    PREMISES = "premises", _("shares premises")
    STAFF_TIME = "staff_time", _("shares an employee's time")
    CO_ORGANISE = "co_organise", _("looks for partners for an event")


class ListingStatus(models.TextChoices):
    PUBLISHED = "published", _("published")
    CLOSED = "closed", _("closed by its author")
    HIDDEN = "hidden", _("hidden by the associations office")


class Listing(models.Model):
    """A small ad between associations (offers and wants), published until it expires."""

    association = models.ForeignKey(
        Association, on_delete=models.CASCADE, related_name="listings", verbose_name=_("association")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=ListingKind, db_index=True)
    title = models.CharField(_("title"), max_length=140)
    body = models.TextField(_("text"))
    expires_on = models.DateField(_("published until"))
    status = models.CharField(_("status"), max_length=10, choices=ListingStatus, default=ListingStatus.PUBLISHED)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("listing")
        verbose_name_plural = _("listings")
        indexes = [models.Index(fields=["status", "expires_on"])]

    def __str__(self):
        return self.title


class ListingReport(models.Model):
    """Someone signals a listing to the associations office (one report per person and listing)."""

    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.TextField(_("reason"))
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [models.UniqueConstraint(fields=["listing", "reporter"], name="sharing_one_report_per_person")]

    def __str__(self):
        return f"report #{self.pk} on {self.listing_id}"


# The expert base: people and associations offering their skills to associations, and requests for help.


class ExpertiseArea(models.TextChoices):
    """A fixed list, not volunteering's Skill table: the office edits Skill freely (cooking, first aid…),
    whereas the observatory counts help given per area over the years, which needs stable codes."""

    ACCOUNTING = "accounting", _("accounting and finance")
    LAW = "law", _("law and statutes")
    EMPLOYMENT = "employment", _("employment and payroll")
    COMMUNICATION = "communication", _("communication")
    DIGITAL = "digital", _("digital tools")
    FUNDRAISING = "fundraising", _("fundraising and grants")
    VOLUNTEERS = "volunteers", _("volunteer management")
    GOVERNANCE = "governance", _("governance and board")
    PROJECT = "project", _("project management")
    EVENTS = "events", _("event organisation")


class HelpFormat(models.TextChoices):
    ADVICE = "advice", _("one-off advice")
    TRAINING = "training", _("training")
    MENTORING = "mentoring", _("mentoring")


class ExpertKind(models.TextChoices):
    VOLUNTEER = "volunteer", _("volunteer")
    EMPLOYEE = "employee", _("employee (skills sponsorship)")
    RETIRED = "retired", _("retired professional")
    ASSOCIATION = "association", _("association")


class ExpertProfile(models.Model):
    """Someone (a person, or an association through its managers) offering skills to associations.
    Its contact details are shown to an association only once the expert accepts its request."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="expert_profile"
    )
    association = models.OneToOneField(
        Association, null=True, blank=True, on_delete=models.CASCADE, related_name="expert_profile"
    )
    kind = models.CharField(_("who offers"), max_length=12, choices=ExpertKind)
    headline = models.CharField(_("in a sentence"), max_length=160, help_text=_("What you can help associations with."))
    experience = models.TextField(_("experience"), blank=True, help_text=_("Your background, in a few lines."))
    offers_advice = models.BooleanField(_("one-off advice"), default=True)
    offers_training = models.BooleanField(_("training"), default=False)
    offers_mentoring = models.BooleanField(_("mentoring"), default=False)
    availability = models.CharField(
        _("availability"), max_length=200, help_text=_("For example: two evenings a month, remote or in person.")
    )
    is_available = models.BooleanField(
        _("available for new requests"), default=True, help_text=_("Untick to pause without leaving the base.")
    )
    contact_email = models.EmailField(_("contact email"))
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "id"]
        verbose_name = _("expert")
        verbose_name_plural = _("experts")
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False, association__isnull=True)
                | Q(user__isnull=True, association__isnull=False),
                name="sharing_expert_person_or_association",
            ),
        ]

    def __str__(self):
        return self.display_name

    @property
    def audit_label(self) -> str:
        return f"expert #{self.pk}"

    @property
    def display_name(self) -> str:
        return self.association.name if self.association_id else self.user.full_name

    @property
    def formats(self) -> list[str]:
        return [value for value in HelpFormat.values if getattr(self, f"offers_{value}")]


class ExpertArea(models.Model):
    expert = models.ForeignKey(ExpertProfile, on_delete=models.CASCADE, related_name="areas")
    area = models.CharField(_("area"), max_length=20, choices=ExpertiseArea)

    class Meta:
        ordering = ["area"]
        constraints = [models.UniqueConstraint(fields=["expert", "area"], name="sharing_expert_area_once")]
        indexes = [models.Index(fields=["area", "expert"])]

    def __str__(self):
        return self.get_area_display()


class HelpRequestStatus(models.TextChoices):
    OPEN = "open", _("looking for an expert")
    CLOSED = "closed", _("closed")


class HelpRequest(models.Model):
    """An association asks for help in one area, in one format."""

    association = models.ForeignKey(
        Association, on_delete=models.CASCADE, related_name="help_requests", verbose_name=_("association")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(_("title"), max_length=140)
    description = models.TextField(_("what the association needs"))
    area = models.CharField(_("area"), max_length=20, choices=ExpertiseArea, db_index=True)
    format = models.CharField(_("format"), max_length=12, choices=HelpFormat)
    status = models.CharField(_("status"), max_length=8, choices=HelpRequestStatus, default=HelpRequestStatus.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("request for help")
        verbose_name_plural = _("requests for help")

    def __str__(self):
        return self.title


class HelpContactStatus(models.TextChoices):
    PROPOSED = "proposed", _("waiting for the expert's answer")
    ACCEPTED = "accepted", _("accepted by the expert")
    DECLINED = "declined", _("declined by the expert")


class HelpContact(models.Model):
    """An association asks one expert for help with one request; nothing personal about the expert is
    shown to the association until the expert accepts."""

    request = models.ForeignKey(HelpRequest, on_delete=models.CASCADE, related_name="contacts")
    expert = models.ForeignKey(ExpertProfile, on_delete=models.CASCADE, related_name="contacts")
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    message = models.TextField(_("message to the expert"))
    status = models.CharField(max_length=10, choices=HelpContactStatus, default=HelpContactStatus.PROPOSED)
    answered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["request", "expert"], name="sharing_one_contact_per_expert")]

    def __str__(self):
        return f"{self.request} – {self.expert}"

    @property
    def audit_label(self) -> str:
        return f"help contact #{self.pk} (request #{self.request_id})"

    @property
    def is_accepted(self) -> bool:
        return self.status == HelpContactStatus.ACCEPTED


class HelpMessage(models.Model):
    contact = models.ForeignKey(HelpContact, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    from_expert = models.BooleanField()
    body = models.TextField(_("message"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"message #{self.pk} in {self.contact_id}"


class HelpRecord(models.Model):
    """Help given (for the observatory): kept without the expert's identity if the expert leaves."""

    contact = models.ForeignKey(HelpContact, null=True, blank=True, on_delete=models.SET_NULL, related_name="records")
    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="help_records")
    area = models.CharField(_("area"), max_length=20, choices=ExpertiseArea)
    format = models.CharField(_("format"), max_length=12, choices=HelpFormat)
    expert_kind = models.CharField(_("who helped"), max_length=12, choices=ExpertKind)
    day = models.DateField(_("day"))
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1)
    note = models.TextField(_("what was done"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-day", "-id"]
        verbose_name = _("help given")
        verbose_name_plural = _("help given")
        constraints = [models.CheckConstraint(condition=Q(hours__gt=0), name="sharing_help_hours_positive")]

    def __str__(self):
        return f"{self.association_id} {self.area} {self.day}"
