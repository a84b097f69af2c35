from django import forms
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


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Message to the association"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Condition of the equipment"), required=False, widget=forms.Textarea(attrs={"rows": 3})
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
