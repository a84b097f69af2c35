from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from tissu.directory.claims import normalise_siret
from tissu.directory.models import RNA_FIELDS, Association, MembershipRole, Origin
from tissu.directory.profile import EDITABLE_FIELDS, IDENTITY_FIELDS

LOGO_MAX_BYTES = 2 * 1024 * 1024
REGISTER_NOTE = _(
    "This value comes from the national register; if you change it here, later imports will no longer update it."
)
EDITED_NOTE = _("Edited in Tissu: imports of the national register no longer update this value.")


class SocialLinksField(forms.CharField):
    """One web address per line, stored as a list."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(value)
        return value

    def to_python(self, value):
        text = super().to_python(value)
        return [line.strip() for line in text.splitlines() if line.strip()]

    def validate(self, value):
        if self.required and not value:
            raise ValidationError(self.error_messages["required"], code="required")
        check = URLValidator(schemes=["http", "https"])
        wrong = []
        for link in value:
            try:
                check(link)
            except ValidationError:
                wrong.append(link)
        if wrong:
            raise ValidationError(
                _("Not web addresses (one per line, starting with https:// or http://): %(links)s"),
                params={"links": ", ".join(wrong)},
            )
        if len(value) > 10:
            raise ValidationError(_("Ten links at most."))


class ProfileForm(forms.ModelForm):
    siret = forms.CharField(label=_("SIRET"), max_length=24, required=False)
    website = forms.URLField(label=_("Website"), max_length=500, required=False, assume_scheme="https")
    social_links = SocialLinksField(
        label=_("Social networks"),
        required=False,
        help_text=_("One address per line, e.g. https://www.facebook.com/my-association"),
    )

    FIELDSETS = [
        (_("Identity"), IDENTITY_FIELDS),
        (_("In the city"), ["neighbourhood", "qpv", "audiences", "keywords"]),
        (
            _("People"),
            [
                "is_employer",
                "employee_fte",
                "member_count",
                "volunteer_count",
                "accepts_volunteers",
                "federation",
                "languages",
            ],
        ),
        (
            _("Premises and contact"),
            [
                "premises_accessibility",
                "premises_accessibility_details",
                "opening_hours",
                "public_email",
                "public_phone",
                "website",
                "social_links",
                "latitude",
                "longitude",
            ],
        ),
        (_("Presentation"), ["logo", "logo_alt", "presentation"]),
    ]

    class Meta:
        model = Association
        fields = EDITABLE_FIELDS
        widgets = {
            "object": forms.Textarea(attrs={"rows": 4}),
            "audiences": forms.CheckboxSelectMultiple,
            "premises_accessibility_details": forms.Textarea(attrs={"rows": 3}),
            "opening_hours": forms.Textarea(attrs={"rows": 3}),
            "presentation": forms.Textarea(attrs={"rows": 10}),
            "logo": forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
        }
        help_texts = {
            "presentation": _("Markdown: **bold**, *italics*, lists with -, links as [text](https://…)."),
            "keywords": _("Words people may search for, separated by commas."),
            "employee_fte": _("Required for an employer, e.g. 2.5."),
            "latitude": _("Decimal degrees, e.g. 48.6421 (to place the association on the map)."),
            "longitude": _("Decimal degrees, e.g. 2.3412."),
            "logo": _("PNG, JPEG or WebP, 2 MB at most."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        association = self.instance
        for name in [*IDENTITY_FIELDS, "website"]:
            if name not in RNA_FIELDS or association.origin != Origin.RNA:
                continue
            note = EDITED_NOTE if name in association.field_sources else REGISTER_NOTE
            field = self.fields[name]
            field.help_text = f"{field.help_text} {note}".strip() if field.help_text else note
        self.fields["neighbourhood"].empty_label = _("Not stated")
        self.fields["qpv"].empty_label = _("None")

    def fieldsets(self):
        return [(legend, [self[name] for name in names]) for legend, names in self.FIELDSETS]

    def clean_siret(self):
        try:
            return normalise_siret(self.cleaned_data["siret"])
        except ValidationError as error:
            raise ValidationError(error.message_dict["siret"]) from None

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if logo and hasattr(logo, "content_type") and logo.size > LOGO_MAX_BYTES:
            raise ValidationError(
                _("The logo weighs %(size)s MB; the limit is 2 MB."),
                params={"size": formats.number_format(logo.size / 1048576, 1)},
            )
        return logo

    def _coordinate(self, name, limit):
        value = self.cleaned_data.get(name)
        if value is not None and not (Decimal(-limit) <= value <= Decimal(limit)):
            raise ValidationError(_("Between -%(limit)s and %(limit)s."), params={"limit": limit})
        return value

    def clean_latitude(self):
        return self._coordinate("latitude", 90)

    def clean_longitude(self):
        return self._coordinate("longitude", 180)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("is_employer") and cleaned.get("employee_fte") is None and "employee_fte" not in self.errors:
            self.add_error("employee_fte", _("An employer states its number of employees in full-time equivalent."))
        if cleaned.get("logo") and not (cleaned.get("logo_alt") or "").strip() and "logo_alt" not in self.errors:
            self.add_error("logo_alt", _("Describe the logo for people who cannot see it."))
        has_lat, has_lon = cleaned.get("latitude") is not None, cleaned.get("longitude") is not None
        if has_lat != has_lon and not ({"latitude", "longitude"} & set(self.errors)):
            self.add_error("longitude" if has_lat else "latitude", _("Give both the latitude and the longitude."))
        return cleaned


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address of the person"),
        help_text=_("They receive a link; they can accept it signed in with any account."),
    )
    role = forms.ChoiceField(label=_("Role"), choices=MembershipRole.choices, initial=MembershipRole.MEMBER)


class MembershipRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=MembershipRole.choices)


class FieldResetForm(forms.Form):
    field = forms.ChoiceField(choices=[(name, name) for name in RNA_FIELDS])
