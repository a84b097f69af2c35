import re

from django import forms
from django.utils.translation import gettext_lazy as _
from stdnum.fr import siret as siret_number

from tissu.city.models import CitySettings
from tissu.lib.colours import AA_NORMAL_TEXT, contrast_ratio

INSEE_CODE = re.compile(r"^(\d{5}|2[AB]\d{3})$")


class CitySettingsForm(forms.ModelForm):
    # Wider than the stored 14 digits: people paste SIRETs with spaces or dots.
    siret = forms.CharField(label=_("SIRET of the city"), max_length=24, required=False)

    class Meta:
        model = CitySettings
        fields = [
            "name", "insee_codes", "siret", "logo", "logo_alt", "primary_colour", "primary_text_colour",
            "office_name", "office_address", "office_email", "office_phone", "office_hours",
            "legal_notice", "privacy_policy",
            "accessibility_status", "accessibility_rate", "accessibility_audit_date", "accessibility_auditor",
            "accessibility_non_compliant", "accessibility_exemptions", "accessibility_statement_date",
            "accessibility_contact", "events_need_moderation",
        ]  # fmt: skip
        widgets = {
            "primary_colour": forms.TextInput(attrs={"type": "color"}),
            "primary_text_colour": forms.TextInput(attrs={"type": "color"}),
            "accessibility_audit_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "accessibility_statement_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "office_address": forms.Textarea(attrs={"rows": 3}),
            "office_hours": forms.Textarea(attrs={"rows": 3}),
        }

    def clean_insee_codes(self):
        codes = [code.strip().upper() for code in self.cleaned_data["insee_codes"].split(",") if code.strip()]
        wrong = [code for code in codes if not INSEE_CODE.match(code)]
        if wrong:
            raise forms.ValidationError(
                _("Not an INSEE commune code: %(codes)s. Expected five characters such as 92046 or 2A004."),
                params={"codes": ", ".join(wrong)},
            )
        return ", ".join(dict.fromkeys(codes))

    def clean_siret(self):
        value = re.sub(r"[\s.\-]", "", self.cleaned_data["siret"])
        if value and not siret_number.is_valid(value):
            raise forms.ValidationError(_("This SIRET is not valid (14 digits with a correct check digit)."))
        return value

    def clean(self):
        cleaned = super().clean()
        background, text = cleaned.get("primary_colour"), cleaned.get("primary_text_colour")
        if background and text:
            ratio = contrast_ratio(background, text)
            if ratio < AA_NORMAL_TEXT:
                self.add_error(
                    "primary_text_colour",
                    _(
                        "The contrast between the text colour and the main colour is %(ratio).2f:1; "
                        "WCAG AA needs at least 4.5:1. Choose a darker or lighter colour."
                    )
                    % {"ratio": ratio},
                )
        if cleaned.get("logo") and not cleaned.get("logo_alt"):
            self.add_error("logo_alt", _("Describe the logo for people who cannot see it."))
        return cleaned
