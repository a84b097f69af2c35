"""The directory's search form: a GET form whose every field lives in the URL (shareable, back button).

Facet values are validated by shape, not against the database: the page then needs no query to build
the form, and a stale link (a neighbourhood renamed since) simply matches nothing.
"""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from tissu.directory.models import QPV_CODE_PATTERN
from tissu.directory.search_selectors import (
    ORDER_NAME,
    ORDER_RELEVANCE,
    STATUS_ACTIVE,
    STATUS_DISSOLVED,
    STATUS_REMOVED,
    STATUS_VERIFIED,
    SearchFilters,
)

MAX_VALUES = 30  # per facet: more cannot be a person's choice


class MultipleValuesField(forms.Field):
    """Repeated query-string values (?family=011000&family=006000) of a given shape; others are dropped."""

    widget = forms.MultipleHiddenInput

    def __init__(self, *, pattern: str, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.regex = re.compile(pattern)

    def to_python(self, value):
        if not value:
            return ()
        values = [value] if isinstance(value, str) else list(value)
        kept = [item.strip() for item in values if isinstance(item, str) and self.regex.fullmatch(item.strip())]
        return tuple(dict.fromkeys(kept))[:MAX_VALUES]


class AssociationSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        help_text=_("A name, an activity, a word of the association's object…"),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off", "spellcheck": "false"}),
    )
    order = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[(ORDER_RELEVANCE, _("Best match first")), (ORDER_NAME, _("Name"))],
    )
    family = MultipleValuesField(pattern=r"\d{6}")
    neighbourhood = MultipleValuesField(pattern=r"[-a-zA-Z0-9_]{1,120}")
    qpv = MultipleValuesField(pattern=QPV_CODE_PATTERN.strip("^$"))
    audience = MultipleValuesField(pattern=r"[-a-zA-Z0-9_]{1,120}")
    status = MultipleValuesField(pattern="|".join([STATUS_ACTIVE, STATUS_DISSOLVED, STATUS_VERIFIED, STATUS_REMOVED]))
    volunteers = forms.BooleanField(required=False)
    employer = forms.BooleanField(required=False)

    def clean_q(self):
        return " ".join(self.cleaned_data["q"].split())

    def filters(self) -> SearchFilters:
        """The filters; anything malformed in the URL is ignored rather than refused (a GET page)."""
        if not self.is_bound:
            return SearchFilters()
        self.is_valid()
        data = {name: self.cleaned_data.get(name) for name in self.fields if name not in self.errors}
        if "q" in self.errors:  # too long: searched on its beginning
            data["q"] = " ".join(str(self.data.get("q", ""))[: self.fields["q"].max_length].split())
        return SearchFilters(
            q=data.get("q") or "",
            families=data.get("family") or (),
            neighbourhoods=data.get("neighbourhood") or (),
            qpvs=data.get("qpv") or (),
            audiences=data.get("audience") or (),
            employer=bool(data.get("employer")),
            volunteers=bool(data.get("volunteers")),
            statuses=data.get("status") or (),
            order=data.get("order") or "",
        )
