import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tissu.directory.forms_search import MultipleValuesField
from tissu.directory.models import Theme
from tissu.volunteering.models import (
    DAYS,
    PARTS,
    DeclineReason,
    Mission,
    MissionType,
    Public,
    Skill,
    VolunteerProfile,
    codes,
)
from tissu.volunteering.selectors import MissionFilters
from tissu.volunteering.services import MISSION_FIELDS

SLOT_CHOICES = [(f"{day}-{part}", f"{day_label} {part_label}") for day, day_label in DAYS for part, part_label in PARTS]
SLOT_LINE = re.compile(
    r"^(?P<date>\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{2}-\d{2})\s+(?P<start>\d{1,2})[:h](?P<start_m>\d{2})\s*[-–]\s*"
    r"(?P<end>\d{1,2})[:h](?P<end_m>\d{2})$"
)


def family_queryset():
    return Theme.objects.filter(code__endswith="000").order_by("label")


class CodesField(forms.MultipleChoiceField):
    """Checkboxes stored as space-separated codes."""

    widget = forms.CheckboxSelectMultiple

    def prepare_value(self, value):
        return codes(value) if isinstance(value, str) else value

    def clean(self, value):
        return " ".join(super().clean(value))


class SlotsField(forms.CharField):
    """The one-off mission's dates, one per line: 14/12/2026 09:00-12:00."""

    widget = forms.Textarea(attrs={"rows": 4})

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(
                f"{timezone.localtime(start):%d/%m/%Y %H:%M}-{timezone.localtime(end):%H:%M}" for start, end in value
            )
        return value

    def to_python(self, value):
        text = super().to_python(value) or ""
        slots, wrong = [], []
        for line in (line.strip() for line in text.splitlines()):
            if not line:
                continue
            match = SLOT_LINE.match(line)
            if not match:
                wrong.append(line)
                continue
            raw = match["date"]
            try:
                day = (
                    datetime.date.fromisoformat(raw)
                    if "-" in raw
                    else datetime.datetime.strptime(raw, "%d/%m/%Y").date()
                )
                start = datetime.time(int(match["start"]), int(match["start_m"]))
                end = datetime.time(int(match["end"]), int(match["end_m"]))
            except ValueError:
                wrong.append(line)
                continue
            zone = timezone.get_current_timezone()
            slots.append(
                (
                    timezone.make_aware(datetime.datetime.combine(day, start), zone),
                    timezone.make_aware(datetime.datetime.combine(day, end), zone),
                )
            )
        if wrong:
            raise ValidationError(
                _("Not understood (one date per line, like 14/12/2026 09:00-12:00): %(lines)s"),
                params={"lines": "; ".join(wrong)},
            )
        if len(slots) > 50:
            raise ValidationError(_("Fifty dates at most."))
        return slots


class MissionForm(forms.ModelForm):
    skills = forms.ModelMultipleChoiceField(
        label=_("Skills"), queryset=Skill.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )
    causes = forms.ModelMultipleChoiceField(
        label=_("Causes"), queryset=Theme.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    schedule = CodesField(
        label=_("Usual days and times"),
        choices=SLOT_CHOICES,
        required=False,
        help_text=_("For a recurring mission or a board role: when it usually happens."),
    )
    publics = CodesField(label=_("Publics welcome"), choices=Public.choices, required=False)
    slots = SlotsField(
        label=_("Dates of a one-off mission"),
        required=False,
        help_text=_("One date per line, like 14/12/2026 09:00-12:00."),
    )

    class Meta:
        model = Mission
        fields = [field for field in MISSION_FIELDS if field not in ("schedule", "publics")]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 8}),
            "prerequisites": forms.Textarea(attrs={"rows": 3}),
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "mission_type": forms.RadioSelect,
        }
        help_texts = {
            "rhythm": _("For instance: every Wednesday afternoon, two Saturdays a month."),
            "ends_on": _("The mission expires after this day. For a one-off mission, the last date is used."),
            "places": _("How many volunteers you are looking for."),
        }

    field_order = [
        "title", "description", "mission_type", "slots", "board_role", "rhythm", "schedule", "commitment_hours",
        "commitment_period", "places", "skills", "causes", "is_remote", "address", "neighbourhood", "publics",
        "prerequisites", "motivation_required", "starts_on", "ends_on",
    ]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["causes"].queryset = family_queryset()
        self.fields["schedule"].initial = self.instance.schedule
        self.fields["publics"].initial = self.instance.publics
        if self.instance.pk:
            self.fields["skills"].initial = list(self.instance.skills.all())
            self.fields["causes"].initial = list(self.instance.causes.all())
            self.fields["slots"].initial = [(slot.starts_at, slot.ends_at) for slot in self.instance.slots.all()]
        self.order_fields(self.field_order)

    def values(self) -> dict:
        return {field: self.cleaned_data[field] for field in MISSION_FIELDS}


class ApplyForm(forms.Form):
    slot = forms.ModelChoiceField(label=_("Date"), queryset=None, required=False, widget=forms.RadioSelect)
    message = forms.CharField(
        label=_("Message to the association"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Say why this mission interests you and what you would bring."),
    )

    def __init__(self, *args, mission: Mission, slots, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slot"].queryset = mission.slots.filter(pk__in=[slot.pk for slot in slots])
        if mission.mission_type == MissionType.ONE_OFF:
            self.fields["slot"].required = True
            self.fields["slot"].empty_label = None
            self.fields["slot"].label_from_instance = lambda slot: (
                f"{timezone.localtime(slot.starts_at):%d/%m/%Y %H:%M}–{timezone.localtime(slot.ends_at):%H:%M}"
            )
        else:
            del self.fields["slot"]
        if mission.motivation_required:
            self.fields["message"].required = True


class DeclineForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=DeclineReason.choices)


class MessageForm(forms.Form):
    body = forms.CharField(label=_("Your message"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))


class ApplicationActionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[(name, name) for name in ("discuss", "accept", "decline", "cancel", "withdraw")]
    )


class MissionActionForm(forms.Form):
    action = forms.ChoiceField(choices=[(name, name) for name in ("submit", "close", "reopen")])


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("approve", _("Publish")), ("return", _("Send back to draft"))]
    )
    note = forms.CharField(
        label=_("What to change"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class VolunteerProfileForm(forms.ModelForm):
    skills = forms.ModelMultipleChoiceField(
        label=_("My skills"), queryset=Skill.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )
    interests = forms.ModelMultipleChoiceField(
        label=_("Causes I care about"),
        queryset=Theme.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    availability = CodesField(label=_("When I am available"), choices=SLOT_CHOICES, required=False)

    class Meta:
        model = VolunteerProfile
        fields = [
            "availability", "neighbourhood", "languages", "phone", "presentation", "contact_opt_in", "is_minor",
            "parental_consent",
        ]  # fmt: skip
        widgets = {"presentation": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "contact_opt_in": _(
                "Associations then see your name, neighbourhood, skills and email address among the volunteers "
                "they may contact. Without it, only the associations you apply to see you."
            ),
            "phone": _("Shown only to the associations you apply to."),
            "parental_consent": _("Under 18, you may apply from 16 to missions open to minors, with this consent."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["interests"].queryset = family_queryset()
        self.fields["availability"].initial = self.instance.availability
        if self.instance.pk:
            self.fields["skills"].initial = list(self.instance.skills.all())
            self.fields["interests"].initial = list(self.instance.interests.all())
        self.order_fields(["skills", "interests", "availability"])

    def values(self) -> dict:
        return {field: self.cleaned_data[field] for field in self.Meta.fields}


class MissionSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    skill = MultipleValuesField(pattern=r"[-a-zA-Z0-9_]{1,120}")
    cause = MultipleValuesField(pattern=r"\d{6}")
    type = MultipleValuesField(pattern="|".join(MissionType.values))
    neighbourhood = MultipleValuesField(pattern=r"[-a-zA-Z0-9_]{1,120}")
    public = MultipleValuesField(pattern="|".join(Public.values))
    remote = forms.BooleanField(label=_("Remote only"), required=False)
    date = forms.DateField(label=_("On this day"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def filters(self) -> MissionFilters:
        if not self.is_bound:
            return MissionFilters()
        self.is_valid()
        data = {name: self.cleaned_data.get(name) for name in self.fields if name not in self.errors}
        return MissionFilters(
            q=" ".join((data.get("q") or "").split()),
            skills=data.get("skill") or (),
            causes=data.get("cause") or (),
            types=data.get("type") or (),
            neighbourhoods=data.get("neighbourhood") or (),
            publics=data.get("public") or (),
            remote=bool(data.get("remote")),
            on_date=data.get("date"),
        )


class SkillForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)


class HoursForm(forms.Form):
    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    hours = forms.DecimalField(label=_("Hours"), min_value=0.25, max_value=24, decimal_places=2)
    note = forms.CharField(label=_("What I did"), required=False, max_length=255)


class HoursDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("confirm", "confirm"), ("refuse", "refuse")])


class InvitationForm(forms.Form):
    volunteer = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    message = forms.CharField(
        label=_("A word for them (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def chosen_volunteer(self):
        from django.contrib.auth import get_user_model

        return get_user_model().objects.filter(pk=self.cleaned_data["volunteer"], is_active=True).first()
