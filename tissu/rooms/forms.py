import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tissu.directory.models import Association
from tissu.rooms.models import Building, Campaign, Closure, Equipment, Room, SlotRequest, Weekday

CITY = "city"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


def parse_periods(text: str) -> list[tuple[datetime.time, datetime.time]]:
    """'09:00-12:00, 14:00-22:00' → [(09:00, 12:00), (14:00, 22:00)]."""
    periods = []
    for chunk in [c.strip() for c in text.replace(";", ",").split(",") if c.strip()]:
        try:
            opens, closes = (datetime.datetime.strptime(p.strip(), "%H:%M").time() for p in chunk.split("-"))
        except ValueError:
            raise forms.ValidationError(_("Write periods as 09:00-12:00, 14:00-22:00.")) from None
        if closes <= opens:
            raise forms.ValidationError(_("A period must close after it opens."))
        periods.append((opens, closes))
    return periods


class BuildingForm(forms.ModelForm):
    class Meta:
        model = Building
        fields = ["name", "address", "description", "accessibility"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "accessibility": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = {}
        if self.instance.pk:
            for hours in self.instance.opening_hours.all():
                current.setdefault(hours.weekday, []).append(f"{hours.opens:%H:%M}-{hours.closes:%H:%M}")
        for day in Weekday:
            self.fields[f"hours_{day.value}"] = forms.CharField(
                label=_("Opening hours on %(day)s") % {"day": day.label.lower()},
                required=False,
                initial=", ".join(current.get(day.value, [])),
                help_text=_("For example 09:00-12:00, 14:00-22:00; empty: closed."),
            )

    def hours(self) -> dict:
        return {day.value: parse_periods(self.cleaned_data[f"hours_{day.value}"]) for day in Weekday}

    def clean(self):
        cleaned = super().clean()
        for day in Weekday:
            try:
                parse_periods(cleaned.get(f"hours_{day.value}", ""))
            except forms.ValidationError as error:
                self.add_error(f"hours_{day.value}", error)
        return cleaned


class RoomForm(forms.ModelForm):
    new_equipment = forms.CharField(
        label=_("Other equipment"), required=False, max_length=300,
        help_text=_("Equipment not in the list, separated by commas: it is added to the list."),
    )  # fmt: skip

    class Meta:
        model = Room
        fields = [
            "building", "name", "kind", "capacity", "surface", "equipment", "step_free", "description", "photo",
            "photo_alt", "notice_days", "max_hours", "booker_policy", "approval_required", "buffer_minutes",
            "is_active",
        ]  # fmt: skip
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "equipment": forms.CheckboxSelectMultiple}

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("equipment", None)
        data.pop("new_equipment", None)
        return data


class ClosureForm(forms.ModelForm):
    class Meta:
        model = Closure
        fields = ["label", "kind", "building", "start_date", "end_date"]
        widgets = {"start_date": DateInput(), "end_date": DateInput()}


class BookingForm(forms.Form):
    booker = forms.ChoiceField(label=_("Booking for"))
    date = forms.DateField(label=_("Date"), widget=DateInput())
    start = forms.TimeField(label=_("From"), widget=TimeInput())
    end = forms.TimeField(label=_("Until"), widget=TimeInput())
    attendees = forms.IntegerField(label=_("People expected"), min_value=1, initial=10)
    purpose = forms.CharField(label=_("Purpose"), max_length=200, help_text=_("A meeting, a rehearsal, a party…"))

    def __init__(self, *args, bookers: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["booker"].choices = bookers

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("date") and cleaned.get("start") and cleaned.get("end"):
            tz = timezone.get_current_timezone()
            cleaned["start_at"] = datetime.datetime.combine(cleaned["date"], cleaned["start"], tz)
            cleaned["end_at"] = datetime.datetime.combine(cleaned["date"], cleaned["end"], tz)
            if cleaned["end_at"] <= cleaned["start_at"]:
                self.add_error("end", _("The booking must end after it starts."))
        return cleaned


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required to refuse: the association will read it."),
    )  # fmt: skip


class CampaignForm(forms.ModelForm):
    class Meta:
        model = Campaign
        fields = [
            "name", "season_start", "season_end", "requests_close_on", "rooms", "weight_rank_1", "weight_rank_2",
            "weight_rank_3", "weight_alternative", "bonus_youth", "bonus_qpv", "bonus_continuity", "bonus_small",
            "small_association_members", "fairness", "time_limit_seconds",
        ]  # fmt: skip
        widgets = {
            "season_start": DateInput(),
            "season_end": DateInput(),
            "requests_close_on": DateInput(),
            "rooms": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rooms"].queryset = Room.objects.filter(is_active=True).select_related("building")

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("rooms", None)
        return data


ALTERNATIVE = (0, _("Acceptable alternative"))
RANK_LABELS = [(1, _("First choice")), (2, _("Second choice")), (3, _("Third choice")), ALTERNATIVE, ALTERNATIVE,
               ALTERNATIVE]  # fmt: skip


class SlotRequestForm(forms.ModelForm):
    association = forms.ModelChoiceField(label=_("Association"), queryset=Association.objects.none())

    class Meta:
        model = SlotRequest
        fields = [
            "activity", "group", "public", "participants", "duration_minutes", "equipment", "step_free",
            "previous_weekday", "previous_start", "previous_room", "comment",
        ]  # fmt: skip
        widgets = {
            "equipment": forms.CheckboxSelectMultiple,
            "previous_start": TimeInput(),
            "comment": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, associations, rooms, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["association"].queryset = associations
        self.fields["equipment"].queryset = Equipment.objects.all()
        self.fields["previous_room"].queryset = rooms
        self.fields["duration_minutes"].min_value = 15
        self.order_fields(["association", *self.Meta.fields])
        for number, (_rank, label) in enumerate(RANK_LABELS):
            required = number == 0
            self.fields[f"option_{number}_weekday"] = forms.TypedChoiceField(
                label=_("%(choice)s: day") % {"choice": label}, required=required, coerce=int, empty_value=None,
                choices=[("", "—"), *Weekday.choices],
            )  # fmt: skip
            self.fields[f"option_{number}_start"] = forms.TimeField(
                label=_("%(choice)s: start") % {"choice": label}, required=required, widget=TimeInput()
            )
            self.fields[f"option_{number}_room"] = forms.ModelChoiceField(
                label=_("%(choice)s: room") % {"choice": label}, required=False, queryset=rooms,
                empty_label=_("any suitable room"),
            )  # fmt: skip

    def clean(self):
        cleaned = super().clean()
        for number, _rank_label in enumerate(RANK_LABELS):
            day, start = cleaned.get(f"option_{number}_weekday"), cleaned.get(f"option_{number}_start")
            if (day is None) != (start is None) and not self.has_error(f"option_{number}_start"):
                self.add_error(f"option_{number}_start", _("Give both the day and the start, or neither."))
        return cleaned

    def options(self) -> list:
        result = []
        for number, (rank, _label) in enumerate(RANK_LABELS):
            day, start = (
                self.cleaned_data.get(f"option_{number}_weekday"),
                self.cleaned_data.get(f"option_{number}_start"),
            )
            if day is not None and start is not None:
                result.append((rank, day, start, self.cleaned_data.get(f"option_{number}_room")))
        return result

    def values(self) -> dict:
        return {f: self.cleaned_data.get(f) for f in self.Meta.fields if f != "equipment"}


class PinForm(forms.Form):
    option = forms.ModelChoiceField(label=_("Slot"), queryset=None)
    room = forms.ModelChoiceField(
        label=_("Room"), queryset=None, required=False, empty_label=_("the optimiser chooses")
    )

    def __init__(self, *args, slot_request, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["option"].queryset = slot_request.options.filter(forbidden=False)
        self.fields["room"].queryset = slot_request.campaign.rooms.select_related("building")
