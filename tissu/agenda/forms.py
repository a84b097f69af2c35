import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from tissu.agenda import recurrence
from tissu.agenda.models import Event, Session
from tissu.agenda.selectors import AgendaFilters
from tissu.agenda.services import EVENT_FIELDS
from tissu.directory.models import Audience

IMAGE_MAX_BYTES = 2 * 1024 * 1024
SLUG = r"[-a-zA-Z0-9_]{1,120}"
DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class ExceptionDatesField(forms.CharField):
    widget = forms.TextInput

    def prepare_value(self, value):
        return ", ".join(value) if isinstance(value, list) else value

    def to_python(self, value):
        try:
            return recurrence.parse_exception_dates(super().to_python(value) or "")
        except ValidationError as error:
            raise ValidationError(error.message_dict["exception_dates"]) from None


class EventForm(forms.ModelForm):
    organiser = forms.ChoiceField(label=_("Organised by"), required=False)
    audiences = forms.ModelMultipleChoiceField(
        label=_("Audiences"), queryset=Audience.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )
    online_url = forms.URLField(label=_("Online link"), max_length=500, required=False, assume_scheme="https")
    exception_dates = ExceptionDatesField(
        label=_("Dates without the event"),
        required=False,
        help_text=_("For a recurring event: dates on which it does not take place, e.g. 2026-12-23, 2026-12-30."),
    )

    class Meta:
        model = Event
        fields = [name for name in EVENT_FIELDS if name != "exception_dates"]
        widgets = {
            "starts_at": DATETIME_WIDGET,
            "ends_at": DATETIME_WIDGET,
            "registration_opens_at": DATETIME_WIDGET,
            "registration_closes_at": DATETIME_WIDGET,
            "summary": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 8}),
            "accessibility_details": forms.Textarea(attrs={"rows": 3}),
            "consent_text": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, organisers: list[tuple[str, str]] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if organisers is None:
            del self.fields["organiser"]
        else:
            self.fields["organiser"].choices = organisers
        for name in ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"]
        self.fields["exception_dates"].initial = self.instance.exception_dates if self.instance.pk else ""
        from tissu.rooms.models import Room

        self.fields["room"].queryset = Room.objects.filter(is_active=True).select_related("building")

    def clean(self):
        cleaned = super().clean()
        starts_at, ends_at = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts_at and ends_at and ends_at < starts_at:
            self.add_error("ends_at", _("The event cannot end before it starts."))
        return cleaned

    def clean_image(self):
        image = self.cleaned_data.get("image")
        if image and getattr(image, "size", 0) > IMAGE_MAX_BYTES:
            raise ValidationError(_("The image is too large: 2 MB at most."))
        return image

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in EVENT_FIELDS}


class ModerationForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("refuse", _("Refuse"))])
    reason = forms.CharField(label=_("Reason for refusal"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class TicketCategoryForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120, help_text=_("For example: territorial agent, other."))
    capacity = forms.IntegerField(label=_("Places"), min_value=1, max_value=100_000)
    description = forms.CharField(label=_("Description"), max_length=300, required=False)
    access_code = forms.CharField(
        label=_("Registration code"),
        max_length=40,
        required=False,
        help_text=_("If set, only people who type this code can register in this category (e.g. 46 SXRVA 002)."),
    )


class QuestionForm(forms.Form):
    label = forms.CharField(label=_("Question"), max_length=200)
    required = forms.BooleanField(label=_("Answer required"), required=False)


class CheckInForm(forms.Form):
    code = forms.CharField(label=_("Check-in code"), max_length=20, help_text=_("The code on the confirmation."))


class AttendeeMessageForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=150)
    body = forms.CharField(label=_("Message"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6}))
    include_waiting = forms.BooleanField(label=_("Also write to the waiting list"), required=False)


class RegistrationForm(forms.Form):
    """Built from the event: the category, its code, the organiser's questions, consent."""

    def __init__(self, *args, event: Event, categories, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"] = forms.TypedChoiceField(
            label=_("Registration category"),
            coerce=int,
            choices=[(category.pk, _label(category)) for category in categories],
            widget=forms.RadioSelect,
        )
        if any(category.access_code for category in categories):
            self.fields["access_code"] = forms.CharField(
                label=_("Registration code"),
                max_length=40,
                required=False,
                help_text=_("Only for the categories that ask for one."),
            )
        self.questions = list(questions)
        for question in self.questions:
            self.fields[f"question_{question.pk}"] = forms.CharField(
                label=question.label, required=question.required, max_length=1000
            )
        if event.consent_text:
            self.fields["consent"] = forms.BooleanField(label=event.consent_text, required=True)

    def answers(self) -> dict:
        return {str(question.pk): self.cleaned_data.get(f"question_{question.pk}", "") for question in self.questions}


def _label(category) -> str:
    remaining = getattr(category, "remaining", None)
    parts = [category.name]
    if category.description:
        parts.append(f"– {category.description}")
    if remaining is not None:
        if remaining == 0:
            parts.append(str(_("(full: waiting list)")))
        else:
            parts.append(
                ngettext("(%(count)s place left)", "(%(count)s places left)", remaining) % {"count": remaining}
            )
    return " ".join(parts)


class MultipleValuesField(forms.Field):
    """Repeated query-string values (?category=forum&category=training) of a given shape; others dropped."""

    widget = forms.MultipleHiddenInput

    def __init__(self, *, pattern: str, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.regex = re.compile(pattern)

    def to_python(self, value):
        if not value:
            return ()
        values = [value] if isinstance(value, str) else list(value)
        return tuple(dict.fromkeys(item for item in values if isinstance(item, str) and self.regex.fullmatch(item)))[
            :30
        ]


class AgendaFilterForm(forms.Form):
    """A GET form: every filter lives in the URL. Malformed values are ignored, not refused."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    category = MultipleValuesField(pattern=SLUG)
    audience = MultipleValuesField(pattern=SLUG)
    neighbourhood = MultipleValuesField(pattern=SLUG)
    association = forms.CharField(required=False, max_length=120)
    free = forms.BooleanField(label=_("Free events only"), required=False)
    accessible = forms.BooleanField(label=_("Step-free access"), required=False)

    def filters(self) -> AgendaFilters:
        if not self.is_bound:
            return AgendaFilters()
        self.is_valid()
        data = {name: self.cleaned_data.get(name) for name in self.fields if name not in self.errors}
        association = data.get("association") or ""
        return AgendaFilters(
            q=" ".join((data.get("q") or "").split()),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            categories=data.get("category") or (),
            audiences=data.get("audience") or (),
            neighbourhoods=data.get("neighbourhood") or (),
            association=association if re.fullmatch(SLUG, association) else "",
            free=bool(data.get("free")),
            accessible=bool(data.get("accessible")),
        )


def parse_day(value: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        return None


class SessionForm(forms.ModelForm):
    class Meta:
        model = Session
        fields = ["title", "format", "starts_at", "ends_at", "room", "speakers", "capacity", "description"]
        widgets = {
            "starts_at": DATETIME_WIDGET,
            "ends_at": DATETIME_WIDGET,
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("starts_at", "ends_at"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"]

    def clean(self):
        cleaned = super().clean()
        starts_at, ends_at = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error("ends_at", _("A session cannot end before it starts."))
        return cleaned
