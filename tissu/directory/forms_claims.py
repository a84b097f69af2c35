from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from tissu.directory.claims import normalise_siret, validate_supporting_document
from tissu.directory.models import RNA_ID_RE, Claim, Theme

DOCUMENT_HELP = _(
    "Optional. A document showing your role: minutes of the general meeting, receipt of the prefecture… "
    "PDF, JPEG or PNG, 5 MB at most. Only the associations office sees it."
)


class DocumentField(forms.FileField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Supporting document"))
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", DOCUMENT_HELP)
        kwargs.setdefault(
            "widget", forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/*"})
        )
        super().__init__(**kwargs)

    def validate(self, value):
        super().validate(value)
        validate_supporting_document(value)


def theme_choices() -> list:
    """The national nomenclature grouped by family (one <optgroup> per family)."""
    groups: dict[str, tuple[str, list]] = {}
    for theme in Theme.objects.order_by("code"):
        if theme.is_family:
            groups[theme.code] = (theme.label, [])
        else:
            groups.setdefault(theme.family_code, (theme.family_code, []))[1].append((theme.code, theme.label))
    return [(label.capitalize(), options) for label, options in groups.values() if options]


class ClaimForm(forms.Form):
    role = forms.ChoiceField(
        label=_("Your role in the association"), choices=Claim._meta.get_field("role").choices, initial="president"
    )
    message = forms.CharField(
        label=_("Message to the associations office"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Optional. Anything that helps the office check your request (how to reach you, context)."),
    )
    document = DocumentField()


class DeclareForm(ClaimForm):
    """An association missing from the national register, then the declarer's own claim."""

    name = forms.CharField(label=_("Name of the association"), max_length=255)
    short_name = forms.CharField(label=_("Short name or acronym"), max_length=255, required=False)
    object = forms.CharField(
        label=_("Object"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The purpose stated in the statutes."),
    )
    rna_id = forms.CharField(
        label=_("RNA number"),
        max_length=12,
        required=False,
        help_text=_(
            "If the prefecture already gave one (W followed by 9 characters). Associations under local law in "
            "Alsace-Moselle have none: leave it empty."
        ),
    )
    siret = forms.CharField(
        label=_("SIRET"), max_length=24, required=False, help_text=_("Optional. Spaces and dots are accepted.")
    )
    creation_date = forms.DateField(
        label=_("Creation date"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    theme_1 = forms.ChoiceField(label=_("Main theme"), required=False)
    office_street_number = forms.CharField(label=_("Street number"), max_length=20, required=False)
    office_street_name = forms.CharField(label=_("Street"), max_length=255, required=False)
    office_complement = forms.CharField(label=_("Address complement"), max_length=255, required=False)
    office_postcode = forms.CharField(label=_("Postcode"), max_length=10, required=False)
    office_city = forms.CharField(label=_("Town"), max_length=100)

    field_order = [
        "name", "short_name", "object", "rna_id", "siret", "creation_date", "theme_1",
        "office_street_number", "office_street_name", "office_complement", "office_postcode", "office_city",
        "role", "message", "document",
    ]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme_1"].choices = [("", _("Choose a theme")), *theme_choices()]

    def clean_rna_id(self):
        value = self.cleaned_data["rna_id"].strip().upper()
        if value and not RNA_ID_RE.match(value):
            raise ValidationError(_("An RNA number looks like W751085568: W, then 9 characters."))
        return value

    def clean_siret(self):
        try:
            return normalise_siret(self.cleaned_data["siret"])
        except ValidationError as error:
            raise ValidationError(error.message_dict["siret"]) from None

    def association_values(self) -> dict:
        return {
            field: self.cleaned_data[field] for field in self.fields if field not in ("role", "message", "document")
        }
