"""The directory: every association of the city, started from the national register (RNA).

Provenance: ``Association.field_sources`` records, for each field edited in Tissu, who edited it
and when. A field listed there is never overwritten by a later RNA import; a field absent from it
holds the register's value (for associations imported from the RNA) or the declared value.
"""

import re
import secrets

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tissu.directory.search import fold

RNA_ID_PATTERN = r"^W\d[A-Z\d]\d{7}$"
RNA_ID_RE = re.compile(RNA_ID_PATTERN)
# Older ids (rna_import files): the management site (3 characters + P or S) then digits, e.g. 751P00085568.
RNA_FORMER_ID_RE = re.compile(r"^\d[\dAB]\d[PS]\d{1,10}$")
QPV_CODE_PATTERN = r"^(QN\d[\dAB]\d\d{2}[A-Z]|QP\d[\dAB]\d\d{3})$"

rna_id_validator = RegexValidator(RNA_ID_PATTERN, _("An RNA number looks like W751085568: W, then 9 characters."))
qpv_code_validator = RegexValidator(
    QPV_CODE_PATTERN, _("A QPV code looks like QN07501M (since 2024) or QP075001 (2015 generation).")
)


class Theme(models.Model):
    """A code of the national nomenclature (objet_social). Families are the codes ending in 000 of their group."""

    code = models.CharField(_("code"), max_length=6, primary_key=True)
    label = models.CharField(_("label"), max_length=255)
    family_code = models.CharField(_("family"), max_length=6, db_index=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self):
        return self.label

    @property
    def is_family(self) -> bool:
        return self.code == self.family_code


class Neighbourhood(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("neighbourhood")
        verbose_name_plural = _("neighbourhoods")

    def __str__(self):
        return self.name


class PriorityArea(models.Model):
    """A QPV (quartier prioritaire de la politique de la ville), entered by the city."""

    code = models.CharField(_("QPV code"), max_length=8, unique=True, validators=[qpv_code_validator])
    name = models.CharField(_("name"), max_length=200)
    outline = models.JSONField(_("outline (GeoJSON)"), null=True, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("priority neighbourhood (QPV)")
        verbose_name_plural = _("priority neighbourhoods (QPV)")

    def __str__(self):
        return f"{self.name} ({self.code})"


class Audience(models.Model):
    """A public an association serves (youth, seniors, families, people with disabilities…); staff edit the list."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("public served")
        verbose_name_plural = _("publics served")

    def __str__(self):
        return self.name


class RnaPosition(models.TextChoices):
    ACTIVE = "A", _("active")
    DISSOLVED = "D", _("dissolved")
    REMOVED = "S", _("removed")
    TAKEN_OVER = "R", _("taken over")


class Nature(models.TextChoices):
    DECLARED = "D", _("declared")
    PUBLIC_UTILITY = "R", _("recognised as being of public utility")
    WORSHIP = "U", _("worship")
    ASSISTANCE = "A", _("assistance")
    CHARITY = "B", _("charity")
    GENERAL_INTEREST = "G", _("general interest")
    MEDICAL_RESEARCH = "M", _("medical research")
    SCIENTIFIC_RESEARCH = "S", _("scientific research")
    UNDETERMINED = "I", _("undetermined")


class Grouping(models.TextChoices):
    SIMPLE = "S", _("simple")
    UNION = "U", _("union")
    FEDERATION = "F", _("federation")


class Origin(models.TextChoices):
    RNA = "rna", _("national register (RNA)")
    DECLARED = "declared", _("declared in Tissu")


class PremisesAccessibility(models.TextChoices):
    UNKNOWN = "", _("not stated")
    ACCESSIBLE = "accessible", _("accessible to wheelchair users")
    PARTIAL = "partial", _("partly accessible")
    NOT_ACCESSIBLE = "not_accessible", _("not accessible")


# Fields the RNA import writes. A field edited in Tissu (present in field_sources) is skipped by later imports.
RNA_FIELDS = [
    "rna_id", "rna_former_id", "siret", "rup_mi", "management_site",
    "creation_date", "declaration_date", "publication_date", "dissolution_date",
    "nature", "grouping", "name", "short_name", "object", "theme_1", "theme_2",
    "office_complement", "office_street_number", "office_street_repetition", "office_street_type",
    "office_street_name", "office_distribution", "office_insee_code", "office_postcode", "office_city",
    "mgmt_declarant", "mgmt_complement_id", "mgmt_complement_geo", "mgmt_street", "mgmt_distribution",
    "mgmt_postcode", "mgmt_city", "mgmt_country", "director_title", "website", "publish_on_web",
    "rna_observation", "rna_position", "rna_updated_at",
]  # fmt: skip


class Association(models.Model):
    # Identity (RNA)
    rna_id = models.CharField(_("RNA number"), max_length=10, null=True, blank=True, validators=[rna_id_validator])
    rna_former_id = models.CharField(_("former RNA id"), max_length=20, blank=True)
    siret = models.CharField(_("SIRET"), max_length=14, blank=True)
    rup_mi = models.CharField(_("public utility decree number"), max_length=20, blank=True)
    management_site = models.CharField(_("managing prefecture"), max_length=4, blank=True)
    creation_date = models.DateField(_("creation date"), null=True, blank=True)
    declaration_date = models.DateField(_("last declaration date"), null=True, blank=True)
    publication_date = models.DateField(_("publication date (JO)"), null=True, blank=True)
    dissolution_date = models.DateField(_("dissolution date"), null=True, blank=True)
    nature = models.CharField(_("nature"), max_length=1, choices=Nature, blank=True)
    grouping = models.CharField(_("grouping"), max_length=1, choices=Grouping, blank=True)
    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=255, blank=True)
    object = models.TextField(_("object"), blank=True)
    theme_1 = models.CharField(_("main theme code"), max_length=6, blank=True)
    theme_2 = models.CharField(_("second theme code"), max_length=6, blank=True)
    # Theme families of theme_1/theme_2, derived on write (family_2 is empty when equal to family_1): facets.
    family_1 = models.CharField(_("main theme family"), max_length=6, blank=True)
    family_2 = models.CharField(_("second theme family"), max_length=6, blank=True)
    # Registered office (adrs_*)
    office_complement = models.CharField(_("address complement"), max_length=255, blank=True)
    office_street_number = models.CharField(_("street number"), max_length=20, blank=True)
    office_street_repetition = models.CharField(_("repetition index"), max_length=10, blank=True)
    office_street_type = models.CharField(_("street type"), max_length=20, blank=True)
    office_street_name = models.CharField(_("street name"), max_length=255, blank=True)
    office_distribution = models.CharField(_("distribution"), max_length=255, blank=True)
    office_insee_code = models.CharField(_("INSEE code"), max_length=5, blank=True)
    office_postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    office_city = models.CharField(_("town"), max_length=100, blank=True)
    # Management address (adrg_*)
    mgmt_declarant = models.CharField(_("management address: addressee"), max_length=255, blank=True)
    mgmt_complement_id = models.CharField(_("management address: complement"), max_length=255, blank=True)
    mgmt_complement_geo = models.CharField(_("management address: place"), max_length=255, blank=True)
    mgmt_street = models.CharField(_("management address: street"), max_length=255, blank=True)
    mgmt_distribution = models.CharField(_("management address: distribution"), max_length=255, blank=True)
    mgmt_postcode = models.CharField(_("management address: postcode"), max_length=10, blank=True)
    mgmt_city = models.CharField(_("management address: town"), max_length=100, blank=True)
    mgmt_country = models.CharField(_("management address: country"), max_length=100, blank=True)
    director_title = models.CharField(_("director title code"), max_length=10, blank=True)
    website = models.URLField(_("website"), max_length=500, blank=True)
    publish_on_web = models.BooleanField(_("RNA allows publication on the web"), default=True)
    rna_observation = models.CharField(_("RNA observation"), max_length=255, blank=True)
    rna_position = models.CharField(_("RNA position"), max_length=1, choices=RnaPosition, default=RnaPosition.ACTIVE)
    rna_updated_at = models.DateTimeField(_("last update in the RNA"), null=True, blank=True)
    rna_hash = models.CharField(max_length=32, blank=True, editable=False)

    # The city's own fields
    origin = models.CharField(_("origin"), max_length=10, choices=Origin, default=Origin.RNA)
    slug = models.SlugField(_("address in Tissu"), max_length=80, db_index=False)
    verified_at = models.DateTimeField(_("verified by the city on"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    neighbourhood = models.ForeignKey(
        Neighbourhood,
        verbose_name=_("neighbourhood"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        db_index=False,
    )
    qpv = models.ForeignKey(
        PriorityArea, verbose_name=_("QPV"), null=True, blank=True, on_delete=models.SET_NULL, db_index=False
    )
    audiences = models.ManyToManyField(Audience, verbose_name=_("publics served"), blank=True)
    is_employer = models.BooleanField(_("employer"), default=False)
    employee_fte = models.DecimalField(
        _("employees (full-time equivalent)"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    member_count = models.PositiveIntegerField(_("number of members"), null=True, blank=True)
    volunteer_count = models.PositiveIntegerField(_("number of volunteers"), null=True, blank=True)
    accepts_volunteers = models.BooleanField(_("looking for volunteers"), default=False)
    federation = models.CharField(_("federation"), max_length=255, blank=True)
    languages = models.CharField(_("languages spoken"), max_length=255, blank=True)
    premises_accessibility = models.CharField(
        _("accessibility of premises"), max_length=20, choices=PremisesAccessibility, blank=True
    )
    premises_accessibility_details = models.TextField(_("accessibility details"), blank=True)
    public_email = models.EmailField(_("public email"), blank=True)
    public_phone = models.CharField(_("public phone"), max_length=30, blank=True)
    social_links = models.JSONField(_("social networks"), default=list, blank=True)
    logo = models.ImageField(_("logo"), upload_to="associations/logos/", blank=True)
    logo_alt = models.CharField(_("logo text alternative"), max_length=200, blank=True)
    presentation = models.TextField(_("presentation"), blank=True, help_text=_("Markdown."))
    opening_hours = models.TextField(_("opening hours"), blank=True)
    keywords = models.CharField(_("keywords"), max_length=255, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)

    # Provenance: {"field": {"source": "tissu", "by": user_id, "at": "ISO datetime"}}.
    field_sources = models.JSONField(default=dict, blank=True, editable=False)
    # Normalised text for search (unaccented, lowercased, French stems): written by services and the import.
    search_text = models.TextField(blank=True, editable=False)
    search_name = models.CharField(max_length=255, blank=True, editable=False)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["search_name", "id"]
        verbose_name = _("association")
        verbose_name_plural = _("associations")
        # Declared here rather than with unique=True/db_index=True: on PostgreSQL Django adds to every
        # indexed CharField a varchar_pattern_ops twin (*_like) for LIKE 'prefix%', which the directory
        # never runs on these columns, and each index costs the RNA import a table scan or a
        # maintenance per row. Each one below is used by a query (docs/benchmarks.md, "RNA import").
        # Partial indexes cover the city's own fields: empty on every imported row, so the import
        # never maintains them.
        constraints = [
            models.UniqueConstraint(fields=["rna_id"], name="directory_association_rna_id_uniq"),
            models.UniqueConstraint(fields=["slug"], name="directory_association_slug_uniq"),
        ]
        indexes = [
            # rna_import files: lookups by former id.
            models.Index(fields=["rna_former_id"], name="directory_assoc_former_id"),
            # A declared association's SIRET is checked against the directory.
            models.Index(fields=["siret"], name="directory_assoc_siret"),
            # Theme facet filters (family_1 IN … OR family_2 IN …).
            models.Index(fields=["family_1"], name="directory_assoc_family_1"),
            models.Index(fields=["family_2"], name="directory_assoc_family_2"),
            # Open data filter by commune.
            models.Index(fields=["office_insee_code"], name="directory_assoc_insee"),
            # The default order (search_name, id), and the status filter with that order.
            models.Index(fields=["search_name", "id"], name="directory_assoc_search_name"),
            models.Index(fields=["rna_position", "search_name"], name="directory_a_rna_pos_3af0cc_idx"),
            # "Verified" and "accepts volunteers" filters; ON DELETE SET NULL of users, neighbourhoods, QPVs.
            models.Index(
                fields=["verified_at"], name="directory_assoc_verified", condition=Q(verified_at__isnull=False)
            ),
            models.Index(
                fields=["accepts_volunteers"], name="directory_assoc_volunteers", condition=Q(accepts_volunteers=True)
            ),
            models.Index(
                fields=["verified_by"], name="directory_assoc_verified_by", condition=Q(verified_by__isnull=False)
            ),
            models.Index(
                fields=["neighbourhood"], name="directory_assoc_neighbourhood", condition=Q(neighbourhood__isnull=False)
            ),
            models.Index(fields=["qpv"], name="directory_assoc_qpv", condition=Q(qpv__isnull=False)),
        ]

    def __str__(self):
        return self.name

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None

    @property
    def distinct_short_name(self) -> str:
        """The short name when it tells something: the RNA's titre_court is often the name cut at 38 characters."""
        short = self.short_name.strip()
        cut = fold(short)
        if not cut or fold(self.name).startswith(cut):
            return ""
        return short

    @property
    def is_active(self) -> bool:
        return self.rna_position == RnaPosition.ACTIVE

    def source_of(self, field: str) -> str:
        """'tissu' if edited in Tissu, else 'rna' or 'declared' depending on the origin."""
        if field in self.field_sources:
            return "tissu"
        return self.origin if field in RNA_FIELDS else "tissu"


class MembershipRole(models.TextChoices):
    PRESIDENT = "president", _("president")
    TREASURER = "treasurer", _("treasurer")
    SECRETARY = "secretary", _("secretary")
    BOARD_MEMBER = "board_member", _("board member")
    VOLUNTEER_REFERENT = "volunteer_referent", _("volunteering referent")
    MEMBER = "member", _("member")


MANAGER_ROLES = [role for role in MembershipRole.values if role != MembershipRole.MEMBER]


class Membership(models.Model):
    """A person's place in an association. Every role but 'member' manages the association in Tissu."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=MembershipRole)
    is_representative = models.BooleanField(_("representative"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "association"], name="directory_membership_unique"),
            models.UniqueConstraint(
                fields=["association"], condition=Q(is_representative=True), name="directory_one_representative"
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.association} ({self.get_role_display()})"

    @property
    def is_manager(self) -> bool:
        return self.role in MANAGER_ROLES


class ClaimStatus(models.TextChoices):
    PENDING = "pending", _("pending")
    APPROVED = "approved", _("approved")
    REFUSED = "refused", _("refused")
    WITHDRAWN = "withdrawn", _("withdrawn")


class Claim(models.Model):
    """A signed-in person asks to manage an association (found in the directory, or declared by them)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="association_claims")
    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="claims")
    role = models.CharField(
        _("role"),
        max_length=20,
        choices=[(value, label) for value, label in MembershipRole.choices if value != "member"],
    )
    message = models.TextField(_("message to the associations office"), blank=True)
    document = models.FileField(_("supporting document"), upload_to="directory/claims/", blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ClaimStatus, default=ClaimStatus.PENDING)
    refusal_reason = models.TextField(_("reason for refusal"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "association"], condition=Q(status="pending"), name="directory_one_pending_claim"
            )
        ]

    def __str__(self):
        return f"{self.user} → {self.association}"


def _invitation_token() -> str:
    return secrets.token_urlsafe(32)


class Invitation(models.Model):
    """A manager invites someone, by email, to join the association with a role."""

    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("email address"))
    role = models.CharField(_("role"), max_length=20, choices=MembershipRole)
    token = models.CharField(max_length=64, unique=True, default=_invitation_token, editable=False)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self):
        return f"{self.email} → {self.association}"

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


class ImportRun(models.Model):
    """One RNA import (command line or back office), with its summary and its report of rejected lines."""

    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source = models.CharField(
        _("source"), max_length=10, choices=[("command", _("command line")), ("upload", _("back office"))]
    )
    file_names = models.TextField(_("files"), blank=True)
    upload = models.FileField(_("uploaded file"), upload_to="directory/imports/", blank=True)
    insee_codes = models.CharField(_("INSEE codes kept"), max_length=500, blank=True)
    postcodes = models.CharField(_("postcodes kept"), max_length=500, blank=True)
    import_all = models.BooleanField(_("all communes"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=ImportStatus, default=ImportStatus.QUEUED)
    lines_read = models.PositiveIntegerField(_("lines read"), default=0)
    bytes_total = models.BigIntegerField(default=0)
    bytes_read = models.BigIntegerField(default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    dissolved = models.PositiveIntegerField(_("dissolved or removed"), default=0)
    skipped = models.PositiveIntegerField(_("outside the city"), default=0)
    rejected = models.PositiveIntegerField(_("rejected"), default=0)
    # [{"file": "…", "line": 12, "id": "W…", "reason": "…"}] for rejected lines and warnings (unknown themes…).
    report = models.JSONField(_("report"), default=list, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("RNA import")
        verbose_name_plural = _("RNA imports")

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.file_names}"

    @property
    def progress_percent(self) -> int:
        return int(100 * self.bytes_read / self.bytes_total) if self.bytes_total else 0
