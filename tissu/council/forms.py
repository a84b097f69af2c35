from django import forms
from django.utils.translation import gettext_lazy as _

from tissu.accounts.models import User
from tissu.council.models import (
    AttendanceStatus,
    College,
    CouncilSettings,
    Election,
    Meeting,
    MeetingKind,
    ParticipationLevel,
    WorkingGroup,
)
from tissu.directory.models import Association, Theme


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class CouncilSettingsForm(forms.ModelForm):
    class Meta:
        model = CouncilSettings
        fields = ["name", "mandate_years", "rules"]


class CollegeForm(forms.ModelForm):
    themes = forms.ModelMultipleChoiceField(
        label=_("Theme families placing an association in this college"),
        queryset=Theme.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Families of the national nomenclature (main theme first, then the second one)."),
    )

    class Meta:
        model = College
        fields = ["name", "seats", "substitute_seats", "position"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from django.db.models import F

        self.fields["themes"].queryset = Theme.objects.filter(code=F("family_code")).order_by("code")
        if self.instance.pk:
            self.fields["themes"].initial = list(self.instance.themes.values_list("pk", flat=True))


class OverrideForm(forms.Form):
    college = forms.ModelChoiceField(
        label=_("College"), queryset=College.objects.all(), required=False, empty_label=_("the college of its themes")
    )
    reason = forms.CharField(label=_("Reason"), max_length=255, required=False)


class ElectionForm(forms.ModelForm):
    class Meta:
        model = Election
        fields = [
            "title", "candidacy_opens_at", "candidacy_closes_at", "voting_opens_at", "voting_closes_at",
            "mandate_starts_on", "mandate_ends_on", "tie_break",
        ]  # fmt: skip
        widgets = {
            "candidacy_opens_at": DateTimeInput(),
            "candidacy_closes_at": DateTimeInput(),
            "voting_opens_at": DateTimeInput(),
            "voting_closes_at": DateTimeInput(),
            "mandate_starts_on": DateInput(),
            "mandate_ends_on": DateInput(),
            "tie_break": forms.RadioSelect,
        }

    def clean(self):
        from django.core.exceptions import ValidationError

        from tissu.council.services import check_calendar

        data = super().clean()
        if all(data.get(field) for field in self.Meta.fields if field not in ("title", "tie_break")):
            try:
                check_calendar(Election(**{f: data[f] for f in self.Meta.fields if f in data}))
            except ValidationError as error:
                for field, messages in error.message_dict.items():
                    self.add_error(field, messages)
        return data

    def validate_unique(self):
        # The calendar's order is checked by clean() with a message per field; the database constraint
        # stays the last guard (its generic message would only repeat it).
        if not self.errors:
            super().validate_unique()


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.full_name or obj.email


def _members(association: Association):
    return User.objects.filter(memberships__association=association, is_active=True).order_by("full_name", "id")


class CandidacyForm(forms.Form):
    association = forms.ModelChoiceField(label=_("Association"), queryset=Association.objects.none())
    representative = MemberChoiceField(
        label=_("Representative"),
        queryset=User.objects.none(),
        help_text=_("The person who will sit on the bureau for the association, among its members in Tissu."),
    )
    statement = forms.CharField(label=_("Statement"), widget=forms.Textarea(attrs={"rows": 6}), max_length=3000)

    def __init__(self, *args, associations, **kwargs):
        super().__init__(*args, **kwargs)
        ids = [a.pk for a in associations]
        self.fields["association"].queryset = Association.objects.filter(pk__in=ids)
        if len(associations) == 1:
            self.fields["association"].initial = associations[0].pk
        self.fields["representative"].queryset = User.objects.filter(
            memberships__association__in=ids, is_active=True
        ).distinct()

    def clean(self):
        data = super().clean()
        association, person = data.get("association"), data.get("representative")
        if association and person and not _members(association).filter(pk=person.pk).exists():
            self.add_error("representative", _("This person is not a member of the association."))
        return data


class RepresentativeForm(forms.Form):
    user = MemberChoiceField(label=_("Who votes for the association"), queryset=User.objects.none())

    def __init__(self, *args, association, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = _members(association)


class BallotForm(forms.Form):
    """The ballot of one college: up to `seats` names, or blank."""

    names = forms.MultipleChoiceField(label=_("Names"), required=False, widget=forms.CheckboxSelectMultiple)
    blank = forms.BooleanField(label=_("Cast a blank ballot"), required=False)
    association = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, candidacies, seats, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["names"].choices = [
            (str(c.pk), f"{c.association.name} — {c.representative_name}") for c in candidacies
        ]
        self.fields["names"].help_text = _("Choose %(seats)s names at most.") % {"seats": seats}


class MeetingForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["kind", "working_group", "title", "starts_at", "place", "invited_speaker"]
        widgets = {"starts_at": DateTimeInput()}

    def __init__(self, *args, led_groups=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["working_group"].queryset = WorkingGroup.objects.filter(is_active=True)
        self.fields["working_group"].help_text = _("Only for a working group meeting.")
        if led_groups is not None and led_groups.exists():
            # A group's lead (not the office): only meetings of the groups they lead.
            self.fields["kind"].choices = [(MeetingKind.GROUP, MeetingKind.GROUP.label)]
            self.fields["working_group"].queryset = led_groups
            self.fields["working_group"].required = True
            self.fields["working_group"].empty_label = None


class ItemForm(forms.Form):
    association = forms.ModelChoiceField(label=_("Proposed by"), queryset=Association.objects.none())
    title = forms.CharField(label=_("Item"), max_length=200)
    description = forms.CharField(label=_("Details"), widget=forms.Textarea(attrs={"rows": 4}), required=False)

    def __init__(self, *args, associations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["association"].queryset = Association.objects.filter(pk__in=[a.pk for a in associations])


class AttendanceForm(forms.Form):
    person_name = forms.CharField(label=_("Name"), max_length=200)
    association = forms.ModelChoiceField(
        label=_("Association"), queryset=Association.objects.all(), required=False, widget=forms.TextInput
    )
    status = forms.ChoiceField(label=_("Attendance"), choices=AttendanceStatus.choices, widget=forms.RadioSelect)
    represented_by = forms.CharField(label=_("Represented by"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["association"].help_text = _("Its number in Tissu, if the person speaks for an association.")


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(label=_("File"))


class MinutesForm(forms.Form):
    minutes = forms.CharField(label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 16}), help_text=_("Markdown."))


class ActionForm(forms.Form):
    title = forms.CharField(label=_("Action"), max_length=255)
    owner = forms.CharField(label=_("Owner"), max_length=200)
    due_on = forms.DateField(label=_("Due on"), widget=DateInput())


class GroupForm(forms.ModelForm):
    class Meta:
        model = WorkingGroup
        fields = ["name", "description", "is_active"]


class GroupMemberForm(forms.Form):
    email = forms.EmailField(label=_("Email of the person's account"))
    is_lead = forms.BooleanField(label=_("Leads the group"), required=False)


class MessageForm(forms.Form):
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)


class ConsultationForm(forms.Form):
    title = forms.CharField(label=_("Topic"), max_length=200)
    question = forms.CharField(label=_("What the city asks"), widget=forms.Textarea(attrs={"rows": 6}))
    level = forms.ChoiceField(
        label=_("Level of participation"),
        choices=ParticipationLevel.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Information: the city informs. Consultation: the city asks an opinion and decides. "
            "Concertation: the city and the bureau work the decision out together."
        ),
    )
    answer_due_on = forms.DateField(label=_("Answer expected by"), widget=DateInput())


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("The bureau's answer"), widget=forms.Textarea(attrs={"rows": 8}))
