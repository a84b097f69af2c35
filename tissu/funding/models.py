"""Funding: aid schemes, calls for projects, the document vault, grant applications and their review,
allocation committee sessions, budget envelopes and multi-year agreements (docs/funding.md).

A grant application follows CERFA 12156. Once submitted it is never altered silently: the association
edits it only as a draft or when the office asks for missing items, and every submission freezes a
numbered ``ApplicationVersion`` (a JSON snapshot of the whole file). Review, committee, decision,
notification, payments and the final report (CERFA 15059) are steps of ``GrantApplication.status``,
each written by a service that records it in ``ApplicationStep`` and the audit log.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tissu.directory.models import Association
from tissu.lib.storage import private_storage

AMOUNT = {"max_digits": 12, "decimal_places": 2}


class FunderKind(models.TextChoices):
    CITY = "city", _("the city")
    CAF = "caf", _("family allowance fund (CAF)")
    STATE = "state", _("the State (FDVA, ANS…)")
    REGION = "region", _("region or département")
    FOUNDATION = "foundation", _("foundation or sponsor")
    SUPPORT = "support", _("support scheme (DLA, PIVA…)")


class GrantKind(models.TextChoices):
    OPERATING = "operating", _("operating grant")
    PROJECT = "project", _("project grant")
    SUPPORT = "support", _("support (not money)")


class DocumentKind(models.TextChoices):
    STATUTES = "statutes", _("statutes")
    OFFICERS = "officers", _("list of officers")
    ACTIVITY_REPORT = "activity_report", _("last activity report")
    ACCOUNTS = "accounts", _("last approved accounts")
    BANK_DETAILS = "bank_details", _("bank details (RIB)")
    BUDGET = "budget", _("budget of the year")
    INSURANCE = "insurance", _("insurance certificate")
    OTHER = "other", _("other document")


class AidScheme(models.Model):
    """A dispositif d'aide: the city's own (applications filed in Tissu) or another funder's (information)."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("address"), max_length=80, unique=True)
    funder_kind = models.CharField(_("funder"), max_length=12, choices=FunderKind, default=FunderKind.CITY)
    funder_name = models.CharField(_("funder's name"), max_length=200)
    grant_kind = models.CharField(_("kind of aid"), max_length=12, choices=GrantKind, default=GrantKind.PROJECT)
    summary = models.CharField(_("summary"), max_length=300)
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown."))
    eligibility = models.TextField(_("eligibility rules"), blank=True, help_text=_("Markdown."))
    # Rules the self-check can test (empty: no such rule).
    min_age_months = models.PositiveIntegerField(_("minimum age of the association (months)"), null=True, blank=True)
    local_only = models.BooleanField(_("only associations whose office is in the city"), default=False)
    max_annual_budget = models.DecimalField(
        _("maximum annual budget of the association (€)"), null=True, blank=True, **AMOUNT
    )
    qpv_only = models.BooleanField(_("only projects in a priority neighbourhood (QPV)"), default=False)
    employer_only = models.BooleanField(_("only employer associations"), default=False)
    amount_min = models.DecimalField(_("minimum amount (€)"), null=True, blank=True, **AMOUNT)
    amount_max = models.DecimalField(_("ceiling (€)"), null=True, blank=True, **AMOUNT)
    calendar = models.TextField(_("calendar"), blank=True)
    required_documents = models.JSONField(_("required documents"), default=list, blank=True)
    contact = models.TextField(_("contact"), blank=True)
    website = models.URLField(_("website"), blank=True)
    applications_in_tissu = models.BooleanField(
        _("applications are filed in Tissu"),
        default=False,
        help_text=_("For the city's schemes. Other funders' schemes are information only."),
    )
    is_active = models.BooleanField(_("shown in the catalogue"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("aid scheme")
        verbose_name_plural = _("aid schemes")

    def __str__(self):
        return self.name

    def get_required_documents_display(self) -> list[str]:
        labels = dict(DocumentKind.choices)
        return [str(labels.get(kind, kind)) for kind in self.required_documents]


class ScoringCriterion(models.Model):
    """One line of a scheme's scoring grid, filled by the reviewing agent."""

    scheme = models.ForeignKey(AidScheme, on_delete=models.CASCADE, related_name="criteria")
    label = models.CharField(_("criterion"), max_length=200)
    max_points = models.PositiveSmallIntegerField(_("maximum points"), validators=[MinValueValidator(1)])
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["scheme", "order", "id"]
        verbose_name = _("scoring criterion")
        verbose_name_plural = _("scoring criteria")

    def __str__(self):
        return self.label


class CallForProjects(models.Model):
    scheme = models.ForeignKey(AidScheme, verbose_name=_("aid scheme"), on_delete=models.PROTECT, related_name="calls")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown."))
    year = models.PositiveSmallIntegerField(_("budget year"), validators=[MinValueValidator(2000)])
    opens_at = models.DateTimeField(_("opens on"))
    closes_at = models.DateTimeField(_("closes on (deadline)"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-closes_at", "id"]
        verbose_name = _("call for projects")
        verbose_name_plural = _("calls for projects")
        constraints = [
            models.CheckConstraint(condition=Q(closes_at__gt=models.F("opens_at")), name="funding_call_dates"),
        ]

    def __str__(self):
        return self.title

    def is_open(self, now) -> bool:
        return self.opens_at <= now < self.closes_at


class Document(models.Model):
    """A document of an association's vault, reused across applications. Never edited: a new version is a
    new document, so that a submitted application keeps pointing at the file it was filed with."""

    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="funding_documents")
    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind)
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="funding/documents/%Y/", storage=private_storage, max_length=255)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True, help_text=_("Empty: does not expire."))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    expiry_reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["association", "kind", "-created_at"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        indexes = [models.Index(fields=["valid_until"], name="funding_doc_valid_until")]

    def __str__(self):
        return self.title

    def is_valid_on(self, day) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_until is None or day <= self.valid_until
        )


class Status(models.TextChoices):
    DRAFT = "draft", _("draft")
    RECEIVED = "received", _("received")
    INCOMPLETE = "incomplete", _("incomplete")
    COMPLETE = "complete", _("complete")
    UNDER_REVIEW = "under_review", _("under review")
    COMMITTEE = "committee", _("at the allocation committee")
    DECIDED = "decided", _("decided")
    NOTIFIED = "notified", _("notified")
    PAID = "paid", _("being paid")
    REPORT_DUE = "report_due", _("final report due")
    CLOSED = "closed", _("closed")


EDITABLE_STATUSES = [Status.DRAFT, Status.INCOMPLETE]


class Decision(models.TextChoices):
    GRANTED = "granted", _("granted")
    REFUSED = "refused", _("refused")


class Opinion(models.TextChoices):
    FAVOURABLE = "favourable", _("favourable")
    RESERVED = "reserved", _("favourable with reservations")
    UNFAVOURABLE = "unfavourable", _("unfavourable")


class GrantApplication(models.Model):
    reference = models.CharField(_("reference"), max_length=20, unique=True)
    call = models.ForeignKey(
        CallForProjects, verbose_name=_("call for projects"), on_delete=models.PROTECT, related_name="applications"
    )
    association = models.ForeignKey(
        Association, verbose_name=_("association"), on_delete=models.PROTECT, related_name="grant_applications"
    )
    status = models.CharField(_("status"), max_length=12, choices=Status, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # 1. Identification (pre-filled from the directory, then the association's own words).
    identification = models.JSONField(_("identification"), default=dict, blank=True)
    # 2. Relations with administrations and other associations.
    approvals = models.TextField(_("approvals and accreditations"), blank=True)
    federation = models.CharField(_("federation or network"), max_length=255, blank=True)
    # 3. Human resources.
    member_count = models.PositiveIntegerField(_("members"), null=True, blank=True)
    volunteer_count = models.PositiveIntegerField(_("regular volunteers"), null=True, blank=True)
    employee_count = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    employee_fte = models.DecimalField(
        _("employees (full-time equivalent)"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    # 4. The association's budget year (lines in BudgetLine).
    budget_year = models.PositiveSmallIntegerField(_("year of the association's budget"), null=True, blank=True)
    # 5. The project.
    project_title = models.CharField(_("project title"), max_length=200)
    project_description = models.TextField(_("description of the project"), blank=True)
    objectives = models.TextField(_("objectives"), blank=True)
    audience = models.TextField(_("people reached"), blank=True)
    place = models.CharField(_("place"), max_length=255, blank=True)
    in_qpv = models.BooleanField(_("the project takes place in a priority neighbourhood (QPV)"), default=False)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    evaluation = models.TextField(_("how the project will be evaluated"), blank=True)
    amount_requested = models.DecimalField(_("amount requested (€)"), null=True, blank=True, **AMOUNT)
    # 7. Sworn statement (filled at submission).
    sworn_name = models.CharField(_("name of the legal representative"), max_length=200, blank=True)
    sworn_capacity = models.CharField(_("capacity"), max_length=200, blank=True)
    sworn_at = models.DateTimeField(null=True, blank=True)
    documents = models.ManyToManyField(
        Document, verbose_name=_("attached documents"), blank=True, related_name="applications"
    )

    submitted_at = models.DateTimeField(_("first submitted on"), null=True, blank=True)
    missing_items = models.TextField(_("missing items"), blank=True)
    # Review.
    review_opinion = models.CharField(_("agent's opinion"), max_length=12, choices=Opinion, blank=True)
    review_comment = models.TextField(_("agent's comments"), blank=True)
    proposed_amount = models.DecimalField(_("proposed amount (€)"), null=True, blank=True, **AMOUNT)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Decision.
    decision = models.CharField(_("decision"), max_length=8, choices=Decision, blank=True)
    decided_amount = models.DecimalField(_("amount granted (€)"), null=True, blank=True, **AMOUNT)
    deliberation_ref = models.CharField(_("deliberation reference"), max_length=100, blank=True)
    deliberation_date = models.DateField(_("deliberation date"), null=True, blank=True)
    decision_reason = models.TextField(_("reasons"), blank=True)
    instalments = models.PositiveSmallIntegerField(
        _("planned instalments"), default=1, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    notified_at = models.DateTimeField(null=True, blank=True)
    report_due_on = models.DateField(_("final report due on"), null=True, blank=True)
    report_reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    incomplete_reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("grant application")
        verbose_name_plural = _("grant applications")
        indexes = [
            models.Index(fields=["status", "-created_at"], name="funding_app_status"),
            # The office's list: newest submissions first (docs/benchmarks.md, "Funding (issue 8)").
            models.Index(fields=["-submitted_at", "-id"], name="funding_app_submitted"),
            models.Index(fields=["decision", "deliberation_date"], name="funding_app_decision"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(decided_amount__isnull=True) | Q(decided_amount__gte=0), name="funding_app_decided_positive"
            ),
        ]

    def __str__(self):
        return f"{self.reference} – {self.project_title}"

    @property
    def scheme(self) -> AidScheme:
        return self.call.scheme

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def is_granted(self) -> bool:
        return self.decision == Decision.GRANTED


class BudgetKind(models.TextChoices):
    ASSOCIATION = "association", _("the association's budget")
    PROJECT = "project", _("the project's budget")


class BudgetLine(models.Model):
    application = models.ForeignKey(GrantApplication, on_delete=models.CASCADE, related_name="budget_lines")
    budget = models.CharField(max_length=12, choices=BudgetKind)
    code = models.CharField(max_length=20)
    planned = models.DecimalField(_("planned (€)"), default=0, **AMOUNT)
    actual = models.DecimalField(_("actual (€)"), null=True, blank=True, **AMOUNT)

    class Meta:
        ordering = ["application", "budget", "id"]
        constraints = [
            models.UniqueConstraint(fields=["application", "budget", "code"], name="funding_budget_line_unique"),
            models.CheckConstraint(condition=Q(planned__gte=0), name="funding_budget_line_positive"),
        ]

    def __str__(self):
        return f"{self.budget} {self.code}: {self.planned}"


class ApplicationVersion(models.Model):
    """A frozen copy of the whole file at each submission. Only ever inserted."""

    application = models.ForeignKey(GrantApplication, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField()
    snapshot = models.JSONField()

    class Meta:
        ordering = ["application", "number"]
        constraints = [models.UniqueConstraint(fields=["application", "number"], name="funding_version_unique")]

    def __str__(self):
        return f"{self.application_id} v{self.number}"


class ApplicationStep(models.Model):
    """The visible history of an application: one row per change of status, with its note."""

    application = models.ForeignKey(GrantApplication, on_delete=models.CASCADE, related_name="steps")
    status = models.CharField(max_length=12, choices=Status)
    note = models.TextField(blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField()

    class Meta:
        ordering = ["application", "at", "id"]

    def __str__(self):
        return f"{self.application_id} {self.status}"


class Score(models.Model):
    application = models.ForeignKey(GrantApplication, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(ScoringCriterion, on_delete=models.PROTECT, related_name="+")
    points = models.PositiveSmallIntegerField(_("points"))
    comment = models.CharField(_("comment"), max_length=300, blank=True)

    class Meta:
        ordering = ["application", "criterion__order", "criterion_id"]
        constraints = [models.UniqueConstraint(fields=["application", "criterion"], name="funding_score_unique")]

    def __str__(self):
        return f"{self.criterion_id}: {self.points}"


class Payment(models.Model):
    application = models.ForeignKey(GrantApplication, on_delete=models.PROTECT, related_name="payments")
    amount = models.DecimalField(_("amount (€)"), validators=[MinValueValidator(0.01)], **AMOUNT)
    paid_on = models.DateField(_("paid on"))
    label = models.CharField(_("label"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["application", "paid_on", "id"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="funding_payment_positive")]

    def __str__(self):
        return f"{self.amount} € ({self.paid_on})"


class FinalReport(models.Model):
    """CERFA 15059: planned vs actual per budget line (BudgetLine.actual) and a qualitative report."""

    application = models.OneToOneField(GrantApplication, on_delete=models.CASCADE, related_name="final_report")
    achievements = models.TextField(_("what was done"))
    differences = models.TextField(_("explanation of significant differences"), blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField()

    def __str__(self):
        return f"final report {self.application_id}"


class SessionStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    HELD = "held", _("held (minutes written)")


class CommitteeSession(models.Model):
    """A sitting of the allocation committee (commission d'attribution)."""

    title = models.CharField(_("title"), max_length=200)
    date = models.DateTimeField(_("date"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=SessionStatus, default=SessionStatus.PLANNED)
    minutes = models.TextField(_("minutes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "id"]
        verbose_name = _("allocation committee session")
        verbose_name_plural = _("allocation committee sessions")

    def __str__(self):
        return self.title


class MemberCapacity(models.TextChoices):
    STAFF = "staff", _("city staff")
    ELECTED = "elected", _("elected official")
    COUNCIL = "council", _("representative of the council of associations")


class CommitteeMember(models.Model):
    session = models.ForeignKey(CommitteeSession, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="committee_seats")
    capacity = models.CharField(_("capacity"), max_length=8, choices=MemberCapacity)

    class Meta:
        ordering = ["session", "capacity", "id"]
        constraints = [models.UniqueConstraint(fields=["session", "user"], name="funding_member_unique")]

    def __str__(self):
        return f"{self.session_id}: {self.user_id}"


class ConflictDeclaration(models.Model):
    """A member declares a link with an applicant association (besides being one of its members)."""

    member = models.ForeignKey(CommitteeMember, on_delete=models.CASCADE, related_name="conflicts")
    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("nature of the link"), max_length=300)
    declared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["member", "association"], name="funding_conflict_unique")]

    def __str__(self):
        return f"{self.member_id} ↔ {self.association_id}"


class Recommendation(models.TextChoices):
    GRANT = "grant", _("grant")
    REFUSE = "refuse", _("refuse")
    POSTPONE = "postpone", _("postpone")


class SessionItem(models.Model):
    """An application on a session's meeting items, with the decision the committee recorded."""

    session = models.ForeignKey(CommitteeSession, on_delete=models.CASCADE, related_name="items")
    application = models.ForeignKey(GrantApplication, on_delete=models.PROTECT, related_name="session_items")
    order = models.PositiveSmallIntegerField(default=0)
    recommendation = models.CharField(_("committee's decision"), max_length=8, choices=Recommendation, blank=True)
    recommended_amount = models.DecimalField(_("amount recommended (€)"), null=True, blank=True, **AMOUNT)

    class Meta:
        ordering = ["session", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["session", "application"], name="funding_item_unique")]

    def __str__(self):
        return f"{self.session_id}: {self.application_id}"


class Vote(models.TextChoices):
    FOR = "for", _("for")
    AGAINST = "against", _("against")
    ABSTAIN = "abstain", _("abstention")


class MemberOpinion(models.Model):
    item = models.ForeignKey(SessionItem, on_delete=models.CASCADE, related_name="opinions")
    member = models.ForeignKey(CommitteeMember, on_delete=models.CASCADE, related_name="opinions")
    vote = models.CharField(_("vote"), max_length=8, choices=Vote)
    comment = models.CharField(_("opinion"), max_length=500, blank=True)
    at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["item", "member"], name="funding_opinion_unique")]

    def __str__(self):
        return f"{self.item_id}: {self.vote}"


class BudgetEnvelope(models.Model):
    scheme = models.ForeignKey(AidScheme, on_delete=models.CASCADE, related_name="envelopes")
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.DecimalField(_("envelope (€)"), validators=[MinValueValidator(0)], **AMOUNT)

    class Meta:
        ordering = ["-year", "scheme__name"]
        constraints = [models.UniqueConstraint(fields=["scheme", "year"], name="funding_envelope_unique")]

    def __str__(self):
        return f"{self.scheme_id} {self.year}: {self.amount}"


class MultiYearAgreement(models.Model):
    """A convention pluriannuelle d'objectifs (CPO): 2 to 4 years, an amount per year, objectives."""

    association = models.ForeignKey(
        Association, verbose_name=_("association"), on_delete=models.PROTECT, related_name="agreements"
    )
    scheme = models.ForeignKey(
        AidScheme, verbose_name=_("aid scheme"), on_delete=models.PROTECT, related_name="agreements"
    )
    reference = models.CharField(_("reference"), max_length=50, unique=True)
    title = models.CharField(_("title"), max_length=200)
    start_year = models.PositiveSmallIntegerField(_("first year"), validators=[MinValueValidator(2000)])
    end_year = models.PositiveSmallIntegerField(_("last year"), validators=[MinValueValidator(2000)])
    signed_on = models.DateField(_("signed on"))
    deliberation_ref = models.CharField(_("deliberation reference"), max_length=100)
    renewal_reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start_year", "reference"]
        verbose_name = _("multi-year agreement")
        verbose_name_plural = _("multi-year agreements")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__gte=models.F("start_year") + 1) & Q(end_year__lte=models.F("start_year") + 3),
                name="funding_agreement_two_to_four_years",
            )
        ]

    def __str__(self):
        return f"{self.reference} – {self.title}"


class AgreementObjective(models.Model):
    agreement = models.ForeignKey(MultiYearAgreement, on_delete=models.CASCADE, related_name="objectives")
    title = models.CharField(_("objective"), max_length=300)
    indicator = models.CharField(_("indicator"), max_length=300)
    target = models.CharField(_("target"), max_length=100)

    class Meta:
        ordering = ["agreement", "id"]

    def __str__(self):
        return self.title


class AgreementYear(models.Model):
    agreement = models.ForeignKey(MultiYearAgreement, on_delete=models.CASCADE, related_name="years")
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.DecimalField(_("amount (€)"), validators=[MinValueValidator(0)], **AMOUNT)
    # Yearly review: {objective id: achieved value}, and the office's assessment.
    results = models.JSONField(default=dict, blank=True)
    review = models.TextField(_("yearly review"), blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["agreement", "year"]
        constraints = [models.UniqueConstraint(fields=["agreement", "year"], name="funding_agreement_year_unique")]

    def __str__(self):
        return f"{self.agreement_id} {self.year}"
