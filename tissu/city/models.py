from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

hex_colour = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Enter a colour as #rrggbb, for example #1d4f91."))


class ComplianceStatus(models.TextChoices):
    """RGAA 4.1 compliance levels, as the accessibility statement must state them."""

    FULL = "full", _("fully compliant")
    PARTIAL = "partial", _("partially compliant")
    NONE = "none", _("not compliant")


class CitySettings(models.Model):
    """The one row describing the city that runs this Tissu (always pk=1)."""

    name = models.CharField(_("city name"), max_length=120, default="Ma ville")
    insee_codes = models.CharField(
        _("INSEE codes"),
        max_length=200,
        blank=True,
        help_text=_("Commune codes, comma-separated (e.g. 92046). Used to import the city's associations."),
    )
    siret = models.CharField(_("SIRET of the city"), max_length=14, blank=True)
    logo = models.ImageField(_("logo"), upload_to="city/", blank=True)
    logo_alt = models.CharField(_("logo text alternative"), max_length=200, blank=True)
    primary_colour = models.CharField(_("main colour"), max_length=7, default="#1d4f91", validators=[hex_colour])
    primary_text_colour = models.CharField(
        _("text colour on the main colour"), max_length=7, default="#ffffff", validators=[hex_colour]
    )
    office_name = models.CharField(_("office name"), max_length=200, default="Service vie associative")
    office_address = models.TextField(_("office address"), blank=True)
    office_email = models.EmailField(_("office email"), blank=True)
    office_phone = models.CharField(_("office phone"), max_length=30, blank=True)
    office_hours = models.TextField(_("opening hours"), blank=True)
    legal_notice = models.TextField(_("legal notice (mentions légales)"), blank=True, help_text=_("Markdown."))
    privacy_policy = models.TextField(_("privacy policy"), blank=True, help_text=_("Markdown."))
    # Accessibility statement, in the structure the RGAA model statement requires.
    accessibility_status = models.CharField(
        _("compliance status"), max_length=10, choices=ComplianceStatus, default=ComplianceStatus.PARTIAL
    )
    accessibility_rate = models.DecimalField(
        _("compliance rate (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    accessibility_audit_date = models.DateField(_("audit date"), null=True, blank=True)
    accessibility_auditor = models.CharField(_("audited by"), max_length=200, blank=True)
    accessibility_non_compliant = models.TextField(_("non-compliant content"), blank=True, help_text=_("Markdown."))
    accessibility_exemptions = models.TextField(_("exemptions (disproportionate burden)"), blank=True)
    accessibility_statement_date = models.DateField(_("statement date"), null=True, blank=True)
    accessibility_contact = models.TextField(
        _("feedback and contact"), blank=True, help_text=_("How to report an accessibility problem. Markdown.")
    )
    # The shared agenda: with moderation on, associations' events wait for the office before they are public.
    events_need_moderation = models.BooleanField(
        _("associations' events need the office's approval"),
        default=False,
        help_text=_(
            "When checked, an event published by an association appears in the agenda once the office approves it."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("city settings")
        verbose_name_plural = _("city settings")
        constraints = [models.CheckConstraint(condition=models.Q(pk=1), name="city_settings_singleton")]

    def __str__(self):
        return self.name

    @property
    def insee_code_list(self) -> list[str]:
        return [code.strip().upper() for code in self.insee_codes.split(",") if code.strip()]
