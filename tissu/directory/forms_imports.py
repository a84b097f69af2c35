import re
from pathlib import Path

from django import forms
from django.utils.translation import gettext_lazy as _

from tissu.directory.imports import ImportScope

INSEE_CODE_RE = re.compile(r"^(\d{5}|2[AB]\d{3})$")
POSTCODE_RE = re.compile(r"^\d{5}$")
MAX_UPLOAD_BYTES = 300 * 1024 * 1024  # a département's extract weighs a few to 30 MB; Paris's about 25 MB


def _codes(value: str) -> list[str]:
    return [code.strip().upper() for code in re.split(r"[\s,;]+", value or "") if code.strip()]


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("RNA extract (CSV)"),
        help_text=_(
            "The file of your département as published on data.gouv.fr (rna_waldec_… or rna_import_…), "
            "unzipped. Any encoding: it is detected."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
    insee_codes = forms.CharField(
        label=_("INSEE codes of the communes to keep"),
        required=False,
        max_length=500,
        help_text=_("Separated by commas, for example 92046. The city's codes by default."),
    )
    postcodes = forms.CharField(
        label=_("Postcodes to keep"),
        required=False,
        max_length=500,
        help_text=_("Optional, separated by commas. A line is kept if its INSEE code or its postcode matches."),
    )
    import_all = forms.BooleanField(
        label=_("Keep every line of the file (all communes)"),
        required=False,
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in {".csv", ".txt"}:
            raise forms.ValidationError(_("Choose the CSV file itself (.csv), unzipped."))
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("This file is too large for the back office: import it with the command."))
        return upload

    def clean_insee_codes(self):
        codes = _codes(self.cleaned_data["insee_codes"])
        wrong = [code for code in codes if not INSEE_CODE_RE.match(code)]
        if wrong:
            raise forms.ValidationError(
                _("These are not INSEE commune codes (5 characters, like 92046 or 2A004): %(codes)s"),
                params={"codes": ", ".join(wrong)},
            )
        return codes

    def clean_postcodes(self):
        codes = _codes(self.cleaned_data["postcodes"])
        wrong = [code for code in codes if not POSTCODE_RE.match(code)]
        if wrong:
            raise forms.ValidationError(
                _("These are not postcodes (5 digits): %(codes)s"), params={"codes": ", ".join(wrong)}
            )
        return codes

    def clean(self):
        data = super().clean()
        if not self.errors and not (data.get("import_all") or data.get("insee_codes") or data.get("postcodes")):
            raise forms.ValidationError(_("Give at least one INSEE code or postcode, or keep every line."))
        return data

    def scope(self) -> ImportScope:
        data = self.cleaned_data
        return ImportScope(
            insee_codes=tuple(data["insee_codes"]), postcodes=tuple(data["postcodes"]), import_all=data["import_all"]
        )
