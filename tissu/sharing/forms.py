from django import forms
from django.core.validators import FileExtensionValidator
from django.utils.translation import gettext_lazy as _

from tissu.directory.models import MANAGER_ROLES, Association
from tissu.sharing.models import Category, Item

CITY = "city"


class CatalogueFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    category = forms.ChoiceField(label=_("Category"), required=False, choices=[("", _("All")), *Category.choices])
    owner = forms.ChoiceField(
        label=_("Lent by"),
        required=False,
        choices=[("", _("Everyone")), (CITY, _("the city")), ("associations", _("associations"))],
    )

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {key: value for key, value in self.cleaned_data.items() if value}


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ItemForm(forms.ModelForm):
    owner_choice = forms.ChoiceField(label=_("Lent by"))
    allowed_borrowers = forms.ModelMultipleChoiceField(
        label=_("Associations allowed to borrow"),
        required=False,
        queryset=Association.objects.none(),
        help_text=_("Only when “who may borrow” is “only the associations listed”."),
    )

    class Meta:
        model = Item
        fields = [
            "name", "category", "description", "quantity", "photo", "photo_alt", "pickup_place", "deposit",
            "conditions", "max_loan_days", "notice_days", "approval_required", "borrower_policy", "is_active",
        ]  # fmt: skip
        widgets = {"description": forms.Textarea(attrs={"rows": 4}), "conditions": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, owners: list, **kwargs):
        """owners: [(value, label)] the person may lend as; a single owner is fixed (edit or one choice)."""
        super().__init__(*args, **kwargs)
        self.fields["owner_choice"].choices = owners
        if self.instance.pk:
            del self.fields["owner_choice"]
        # Only associations someone manages in Tissu can borrow: the list stays short.
        self.fields["allowed_borrowers"].queryset = (
            Association.objects.filter(memberships__role__in=MANAGER_ROLES).distinct().order_by("search_name")
        )
        if self.instance.pk:
            self.initial["allowed_borrowers"] = list(self.instance.allowed_borrowers.all())
        self.order_fields(["owner_choice", *self.Meta.fields, "allowed_borrowers"])

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("owner_choice", None)
        data.pop("allowed_borrowers", None)
        return data


class LoanRequestForm(forms.Form):
    borrower = forms.ModelChoiceField(label=_("Borrowing association"), queryset=Association.objects.none())
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, initial=1)
    start_date = forms.DateField(label=_("From"), widget=DateInput(), help_text=_("Day of pickup."))
    end_date = forms.DateField(label=_("Until"), widget=DateInput(), help_text=_("Day of return, included."))
    message = forms.CharField(
        label=_("Message to the owner"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the equipment is for, who picks it up."),
    )

    def __init__(self, *args, associations: list, item: Item, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["borrower"].queryset = Association.objects.filter(pk__in=[a.pk for a in associations]).order_by(
            "search_name"
        )
        if len(associations) == 1:
            self.fields["borrower"].initial = associations[0].pk
        self.fields["quantity"].max_value = item.quantity
        self.fields["quantity"].widget.attrs["max"] = item.quantity
        slots = list(item.pickup_slots.all())
        if slots:
            # Choices from the list already read: no second query when the form renders.
            for name, label, help_text in (
                ("pickup_slot", _("Pickup slot"), _("On the first day of the loan.")),
                ("return_slot", _("Return slot"), _("On the last day of the loan.")),
            ):
                self.fields[name] = forms.TypedChoiceField(
                    label=label,
                    help_text=help_text,
                    choices=[("", "—")] + [(slot.pk, str(slot)) for slot in slots],
                    coerce=lambda pk, slots=slots: next(slot for slot in slots if str(slot.pk) == str(pk)),
                )
            self.order_fields(["borrower", "quantity", "start_date", "pickup_slot", "end_date", "return_slot"])


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Message to the association"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


PHOTO_MAX_BYTES = 5 * 1024 * 1024


class ConditionForm(forms.Form):
    """Check-out and return: the condition of the equipment, in words and optionally in a photo."""

    note = forms.CharField(
        label=_("Condition of the equipment"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    photo = forms.ImageField(
        label=_("Photo"),
        required=False,
        validators=[FileExtensionValidator(["jpg", "jpeg", "png", "webp"])],
        help_text=_("JPEG, PNG or WebP, 5 MB at most. Only both sides of the loan see it."),
    )
    photo_alt = forms.CharField(
        label=_("What the photo shows"),
        required=False,
        max_length=200,
        help_text=_("Required with a photo, for people who cannot see it."),
    )

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if photo and photo.size > PHOTO_MAX_BYTES:
            raise forms.ValidationError(_("The photo weighs more than 5 MB."))
        return photo


class DepositReceiveForm(forms.Form):
    amount = forms.DecimalField(label=_("Amount received (euros)"), min_value=0, max_digits=8, decimal_places=2)
    received_on = forms.DateField(label=_("Received on"), widget=DateInput())


class DepositReturnForm(forms.Form):
    amount = forms.DecimalField(label=_("Amount given back (euros)"), min_value=0, max_digits=8, decimal_places=2)
    returned_on = forms.DateField(label=_("Given back on"), widget=DateInput())
    note = forms.CharField(
        label=_("Why part of the deposit is kept"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when less than the amount received is given back."),
    )


class ListingFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All"))])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from tissu.sharing.models import ListingKind

        self.fields["kind"].choices = [("", _("All")), *ListingKind.choices]


class ListingForm(forms.Form):
    association = forms.ModelChoiceField(label=_("Association"), queryset=Association.objects.none())
    kind = forms.ChoiceField(label=_("The association…"))
    title = forms.CharField(label=_("Title"), max_length=140)
    body = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What, when, where, for how long; how to answer."),
    )
    expires_on = forms.DateField(label=_("Published until"), widget=DateInput(), help_text=_("Six months at most."))

    def __init__(self, *args, associations: list, **kwargs):
        super().__init__(*args, **kwargs)
        from tissu.sharing.models import ListingKind

        self.fields["kind"].choices = ListingKind.choices
        self.fields["association"].queryset = Association.objects.filter(pk__in=[a.pk for a in associations]).order_by(
            "search_name"
        )
        if len(associations) == 1:
            self.fields["association"].initial = associations[0].pk


class ReportForm(forms.Form):
    reason = forms.CharField(
        label=_("What is wrong with this listing?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Only the associations office reads it."),
    )


class LoanHistoryFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from tissu.sharing.models import LoanStatus
        from tissu.sharing.selectors import OVERDUE

        self.fields["status"].choices = [("", _("All")), *LoanStatus.choices, (OVERDUE, _("overdue"))]

    def chosen_status(self) -> str:
        return self.cleaned_data["status"] if self.is_valid() else ""


# --- The expert base -----------------------------------------------------------------------------------

ME = "me"  # the "offered by" choice of a person's own profile


class ExpertProfileForm(forms.Form):
    """A plain form built from the model's fields: the owner (person or association) is only known once the
    form is valid, and the model's either-or constraint would fail a ModelForm's validation before that."""

    FIELDS = [
        "kind", "headline", "experience", "offers_advice", "offers_training", "offers_mentoring",
        "availability", "is_available", "contact_email", "contact_phone",
    ]  # fmt: skip

    def __init__(self, *args, owners: list, instance=None, for_association: bool = False, **kwargs):
        """owners: [(value, label)] the person may create a profile for; none when editing."""
        from django.forms.models import fields_for_model, model_to_dict

        from tissu.sharing.models import ExpertiseArea, ExpertKind, ExpertProfile

        if instance is not None:
            kwargs.setdefault("initial", {})
            kwargs["initial"] = {
                **model_to_dict(instance, fields=self.FIELDS),
                "areas": list(instance.areas.values_list("area", flat=True)),
                **kwargs["initial"],
            }
        super().__init__(*args, **kwargs)
        if owners:
            self.fields["offered_by"] = forms.ChoiceField(label=_("Who offers these skills"), choices=owners)
        self.fields.update(
            fields_for_model(
                ExpertProfile, fields=self.FIELDS, widgets={"experience": forms.Textarea(attrs={"rows": 4})}
            )
        )
        self.fields["areas"] = forms.MultipleChoiceField(
            label=_("Areas"),
            choices=ExpertiseArea.choices,
            widget=forms.CheckboxSelectMultiple,
            help_text=_("Choose every area you can help in."),
        )
        kind = self.fields["kind"]
        kind.required = False
        kind.choices = [("", "—")] + [(v, label) for v, label in ExpertKind.choices if v != ExpertKind.ASSOCIATION]
        kind.help_text = _("For a person: volunteer, employee or retired professional. Empty for an association.")
        if for_association:
            del self.fields["kind"]
        self.fields["contact_phone"].widget.attrs["autocomplete"] = "tel"
        self.fields["contact_email"].widget.attrs["autocomplete"] = "email"
        self.fields["contact_email"].help_text = _("Shown to an association only once you accept its request.")
        self.order_fields(["offered_by", "kind", "headline", "areas"])

    def values(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.FIELDS if name in self.cleaned_data}
        if not data.get("kind"):
            data.pop("kind", None)
        return data


class ExpertFilterForm(forms.Form):
    area = forms.ChoiceField(label=_("Area"), required=False)
    help_format = forms.ChoiceField(label=_("Format"), required=False)
    kind = forms.ChoiceField(label=_("Who"), required=False)

    def __init__(self, *args, **kwargs):
        from tissu.sharing.models import ExpertiseArea, ExpertKind, HelpFormat

        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [("", _("All")), *ExpertiseArea.choices]
        self.fields["help_format"].choices = [("", _("All")), *HelpFormat.choices]
        self.fields["kind"].choices = [("", _("All")), *ExpertKind.choices]

    def filters(self) -> dict:
        return {key: value for key, value in self.cleaned_data.items() if value} if self.is_valid() else {}


class HelpRequestForm(forms.Form):
    association = forms.ModelChoiceField(label=_("Association"), queryset=Association.objects.none())
    title = forms.CharField(label=_("Title"), max_length=140)
    description = forms.CharField(
        label=_("What the association needs"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("The situation, what you expect, by when. Experts of this area read it."),
    )
    area = forms.ChoiceField(label=_("Area"))
    help_format = forms.ChoiceField(label=_("Format"))

    def __init__(self, *args, associations: list, **kwargs):
        from tissu.sharing.models import ExpertiseArea, HelpFormat

        super().__init__(*args, **kwargs)
        self.fields["area"].choices = ExpertiseArea.choices
        self.fields["help_format"].choices = HelpFormat.choices
        self.fields["association"].queryset = Association.objects.filter(pk__in=[a.pk for a in associations]).order_by(
            "search_name"
        )
        if len(associations) == 1:
            self.fields["association"].initial = associations[0].pk


class ProposeForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the expert"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Introduce the association and what you expect. Your contact details go with it."),
    )


class HelpMessageForm(forms.Form):
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 4}))


class HelpRecordForm(forms.Form):
    day = forms.DateField(label=_("Day"), widget=DateInput())
    hours = forms.DecimalField(label=_("Hours"), min_value=0, max_digits=5, decimal_places=1)
    help_format = forms.ChoiceField(label=_("Format"))
    note = forms.CharField(label=_("What was done"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        from tissu.sharing.models import HelpFormat

        super().__init__(*args, **kwargs)
        self.fields["help_format"].choices = HelpFormat.choices


class SlotForm(forms.Form):
    weekday = forms.TypedChoiceField(label=_("Day"), coerce=int)
    start_time = forms.TimeField(label=_("From"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    end_time = forms.TimeField(label=_("To"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    capacity = forms.IntegerField(
        label=_("Handovers per slot"),
        min_value=1,
        max_value=100,
        initial=3,
        help_text=_("How many pickups and returns fit in this slot on one day."),
    )

    def __init__(self, *args, **kwargs):
        from tissu.sharing.models import Weekday

        super().__init__(*args, **kwargs)
        self.fields["weekday"].choices = Weekday.choices
