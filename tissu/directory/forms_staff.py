from django import forms
from django.utils.translation import gettext_lazy as _

from tissu.directory.models import Audience, ClaimStatus, Neighbourhood, Origin, PriorityArea, qpv_code_validator


class ClaimFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *ClaimStatus.choices], initial="pending"
    )
    origin = forms.ChoiceField(
        label=_("Association"),
        required=False,
        choices=[
            ("", _("All")),
            (Origin.RNA, _("in the national register")),
            (Origin.DECLARED, _("declared in Tissu")),
        ],
    )
    q = forms.CharField(label=_("Name of the association or of the person"), required=False, max_length=100)


class ClaimApproveForm(forms.Form):
    verify = forms.BooleanField(label=_("Also mark the association as verified by the city"), required=False)


class ClaimRefuseForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for refusal"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Sent to the person by email."),
    )


class VerifyForm(forms.Form):
    action = forms.ChoiceField(choices=[("verify", "verify"), ("unverify", "unverify")])


class NeighbourhoodForm(forms.ModelForm):
    class Meta:
        model = Neighbourhood
        fields = ["name"]
        labels = {"name": _("Name of the neighbourhood")}


class PriorityAreaForm(forms.ModelForm):
    # Declared here so that a code typed in lower case is upper-cased before the format check.
    code = forms.CharField(label=_("QPV code"), max_length=20, help_text=_("As published by the ANCT, e.g. QN09101M."))

    class Meta:
        model = PriorityArea
        fields = ["code", "name"]
        labels = {"name": _("Name of the QPV")}

    def clean_code(self):
        code = self.cleaned_data["code"].strip().upper().replace(" ", "")
        qpv_code_validator(code)
        return code


class AudienceForm(forms.ModelForm):
    class Meta:
        model = Audience
        fields = ["name"]
        labels = {"name": _("Public served")}
