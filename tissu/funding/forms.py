"""Forms of the funding module. They parse and validate input; services decide."""

from decimal import Decimal

from django import forms
from django.core.validators import FileExtensionValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tissu.accounts.models import StaffRole, User
from tissu.funding import budget
from tissu.funding.models import (
    AidScheme,
    CallForProjects,
    Decision,
    Document,
    DocumentKind,
    FunderKind,
    GrantApplication,
    GrantKind,
    Opinion,
    Recommendation,
    Status,
    Vote,
)

MAX_UPLOAD = 10 * 1024 * 1024
DOCUMENT_EXTENSIONS = ["pdf", "png", "jpg", "jpeg", "odt", "ods", "docx", "xlsx"]
YES_NO = [("", _("I do not know")), ("yes", _("yes")), ("no", _("no"))]


class AmountField(forms.DecimalField):
    """An amount in euros as people type it: "1 250,50" or "1250.50" (spaces and a decimal comma accepted)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 12)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(localize=True, **kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = "".join(value.split()).replace("\u202f", "").replace("€", "")
        return super().to_python(value)


def _yes_no(value):
    return {"yes": True, "no": False}.get(value)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class SchemeFilterForm(forms.Form):
    funder = forms.ChoiceField(label=_("Funder"), required=False, choices=[("", _("all funders")), *FunderKind.choices])
    kind = forms.ChoiceField(label=_("Kind of aid"), required=False, choices=[("", _("all kinds")), *GrantKind.choices])

    def filters(self) -> dict:
        if not self.is_valid():
            return {"funder_kind": "", "grant_kind": ""}
        return {"funder_kind": self.cleaned_data["funder"], "grant_kind": self.cleaned_data["kind"]}


class EligibilityForm(forms.Form):
    created_on = forms.DateField(label=_("Date the association was created"), required=False, widget=DateInput())
    local = forms.ChoiceField(label=_("Is its office in the city?"), choices=YES_NO, required=False)
    annual_budget = AmountField(label=_("Its annual budget (€)"), required=False, min_value=0, decimal_places=2)
    in_qpv = forms.ChoiceField(
        label=_("Does the project take place in a priority neighbourhood (QPV)?"), choices=YES_NO, required=False
    )
    employer = forms.ChoiceField(label=_("Does the association employ staff?"), choices=YES_NO, required=False)

    def answers(self) -> dict:
        data = self.cleaned_data
        return {
            "created_on": data.get("created_on"),
            "local": _yes_no(data.get("local")),
            "annual_budget": data.get("annual_budget"),
            "in_qpv": _yes_no(data.get("in_qpv")),
            "employer": _yes_no(data.get("employer")),
        }


class SchemeForm(forms.ModelForm):
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")
    required_documents = forms.MultipleChoiceField(
        label=_("Required documents"), choices=DocumentKind.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    criteria = forms.CharField(
        label=_("Scoring grid"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One criterion per line: “criterion | maximum points”."),
    )

    class Meta:
        model = AidScheme
        fields = [
            "name", "slug", "funder_kind", "funder_name", "grant_kind", "summary", "description", "eligibility",
            "min_age_months", "local_only", "max_annual_budget", "qpv_only", "employer_only", "amount_min",
            "amount_max", "calendar", "required_documents", "contact", "website", "applications_in_tissu", "is_active",
        ]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["criteria"] = "\n".join(f"{c.label} | {c.max_points}" for c in self.instance.criteria.all())


class CallForm(forms.ModelForm):
    class Meta:
        model = CallForProjects
        fields = ["scheme", "title", "description", "year", "opens_at", "closes_at"]
        widgets = {"opens_at": DateTimeInput(), "closes_at": DateTimeInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scheme"].queryset = AidScheme.objects.filter(applications_in_tissu=True)


class EnvelopeForm(forms.Form):
    scheme = forms.ModelChoiceField(label=_("Aid scheme"), queryset=AidScheme.objects.all())
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    amount = AmountField(label=_("Envelope (€)"), min_value=0, decimal_places=2, max_digits=12)


class DocumentForm(forms.ModelForm):
    class Meta:
        model = Document
        fields = ["kind", "title", "file", "valid_from", "valid_until"]
        widgets = {"valid_from": DateInput(), "valid_until": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].validators.append(FileExtensionValidator(DOCUMENT_EXTENSIONS))
        self.fields["file"].help_text = _("PDF, image or office document, 10 MB at most.")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload and upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        return upload


class ApplicationCreateForm(forms.Form):
    association = forms.ChoiceField(label=_("In the name of"))

    def __init__(self, *args, associations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["association"].choices = [(a.pk, a.name) for a in associations]


IDENTIFICATION_FIELDS = [
    ("name", _("Name"), 255), ("short_name", _("Short name"), 255), ("rna_id", _("RNA number"), 20),
    ("siret", _("SIRET"), 14), ("office_address", _("Registered office"), 500),
    ("management_address", _("Correspondence address"), 500), ("email", _("Email"), 254),
    ("phone", _("Phone"), 30), ("website", _("Website"), 500),
]  # fmt: skip


class ApplicationForm(forms.ModelForm):
    """CERFA 12156 sections 1 to 3 and 5 (the budgets and the attachments have their own pages)."""

    officers = forms.CharField(
        label=_("Officers"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line: “name | role”."),
    )

    class Meta:
        model = GrantApplication
        fields = [
            "approvals", "federation", "member_count", "volunteer_count", "employee_count", "employee_fte",
            "budget_year", "project_title", "project_description", "objectives", "audience", "place", "in_qpv",
            "start_date", "end_date", "evaluation", "amount_requested",
        ]  # fmt: skip
        widgets = {"start_date": DateInput(), "end_date": DateInput()}
        # French amounts are typed with a decimal comma.
        localized_fields = ["amount_requested", "employee_fte"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        identification = self.instance.identification or {}
        new = {}
        for key, label, length in IDENTIFICATION_FIELDS:
            new[f"id_{key}"] = forms.CharField(
                label=label, max_length=length, required=key == "name", initial=identification.get(key, "")
            )
        self.fields = {**new, **self.fields}
        self.fields["officers"].initial = "\n".join(
            f"{o.get('name', '')} | {o.get('role', '')}" for o in identification.get("officers", [])
        )
        self.fields["project_title"].required = True

    def identification_fields(self):
        return [self[f"id_{key}"] for key, _label, _length in IDENTIFICATION_FIELDS] + [self["officers"]]

    def clean_officers(self):
        # Officers pre-filled from the directory keep their account's id (account deletion removes them).
        known = {o.get("name"): o.get("user_id") for o in (self.instance.identification or {}).get("officers", [])}
        officers = []
        for line in self.cleaned_data["officers"].splitlines():
            if line.strip():
                name, _sep, role = line.partition("|")
                officer = {"name": name.strip()[:200], "role": role.strip()[:100]}
                if known.get(officer["name"]):
                    officer["user_id"] = known[officer["name"]]
                officers.append(officer)
        return officers

    def values(self) -> dict:
        data = self.cleaned_data
        identification = {key: data[f"id_{key}"] for key, _label, _length in IDENTIFICATION_FIELDS}
        identification["officers"] = data["officers"]
        identification["object"] = (self.instance.identification or {}).get("object", "")
        return {"identification": identification, **{f: data[f] for f in self.Meta.fields}}


class BudgetForm(forms.Form):
    """One amount per line of the chart of accounts; headings group them on the page."""

    def __init__(self, *args, amounts: dict, **kwargs):
        super().__init__(*args, **kwargs)
        for code, line in budget.entry_lines().items():
            self.fields[f"line_{code}"] = AmountField(
                label=line.label,
                required=False,
                min_value=0,
                max_digits=12,
                decimal_places=2,
                initial=amounts.get(code),
            )

    def sections(self):
        """[(side, [(heading line, [bound fields])])] in the form's order."""
        result = {}
        current = None
        for line in budget.all_lines():
            if line.is_heading:
                current = (line, [])
                result.setdefault(line.side, []).append(current)
            else:
                current[1].append(self[f"line_{line.code}"])
        return [(side, result.get(side, [])) for side in budget.SIDES]

    def amounts(self) -> dict[str, Decimal]:
        return {name[5:]: value or Decimal("0") for name, value in self.cleaned_data.items()}


class DocumentsForm(forms.Form):
    documents = forms.ModelMultipleChoiceField(
        label=_("Documents attached"),
        queryset=Document.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, association, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["documents"].queryset = association.funding_documents.order_by("kind", "-created_at")
        self.fields["documents"].label_from_instance = lambda d: (
            f"{d.get_kind_display()} – {d.title}"
            + (f" ({_('valid until')} {d.valid_until:%d/%m/%Y})" if d.valid_until else "")
        )


class SubmitForm(forms.Form):
    sworn_name = forms.CharField(label=_("Name of the legal representative"), max_length=200)
    sworn_capacity = forms.CharField(label=_("Capacity (president, or person holding a delegation)"), max_length=200)
    sworn = forms.BooleanField(
        label=_(
            "I certify that the association is regularly declared, is up to date with its social and tax "
            "obligations, and that the information in this application is accurate."
        ),
        required=False,
    )


class MissingItemsForm(forms.Form):
    missing_items = forms.CharField(label=_("Missing items"), widget=forms.Textarea(attrs={"rows": 3}))


class ReviewForm(forms.Form):
    opinion = forms.ChoiceField(label=_("Agent's opinion"), choices=Opinion.choices)
    comment = forms.CharField(label=_("Comments"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    proposed_amount = AmountField(
        label=_("Proposed amount (€)"), required=False, min_value=0, decimal_places=2, max_digits=12
    )

    def __init__(self, *args, application: GrantApplication, scores: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(application.call.scheme.criteria.all())
        for criterion in self.criteria:
            score = scores.get(criterion.pk)
            self.fields[f"score_{criterion.pk}"] = forms.IntegerField(
                label=f"{criterion.label} (/{criterion.max_points})",
                required=False,
                min_value=0,
                max_value=criterion.max_points,
                initial=score.points if score else None,
            )
        if not self.is_bound:
            self.initial.update(
                opinion=application.review_opinion,
                comment=application.review_comment,
                proposed_amount=application.proposed_amount,
            )

    def scores(self) -> dict[int, tuple]:
        return {c.pk: (self.cleaned_data.get(f"score_{c.pk}"), "") for c in self.criteria}


class CommitteeChoiceForm(forms.Form):
    session = forms.ChoiceField(label=_("Session of the allocation committee"))

    def __init__(self, *args, sessions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].choices = [
            (s.pk, f"{s.title} – {timezone.localtime(s.date):%d/%m/%Y}") for s in sessions
        ]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=Decision.choices, widget=forms.RadioSelect)
    amount = AmountField(label=_("Amount granted (€)"), required=False, min_value=0, decimal_places=2, max_digits=12)
    deliberation_ref = forms.CharField(label=_("Deliberation reference"), max_length=100)
    deliberation_date = forms.DateField(label=_("Deliberation date"), widget=DateInput())
    instalments = forms.IntegerField(label=_("Planned instalments"), min_value=1, max_value=12, initial=1)
    reason = forms.CharField(
        label=_("Reasons (required for a refusal)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class PaymentForm(forms.Form):
    amount = AmountField(label=_("Amount (€)"), min_value=Decimal("0.01"), decimal_places=2, max_digits=12)
    paid_on = forms.DateField(label=_("Paid on"), widget=DateInput())
    label = forms.CharField(label=_("Label"), max_length=200, required=False)


class FinalReportForm(forms.Form):
    achievements = forms.CharField(
        label=_("What was done (qualitative report)"), widget=forms.Textarea(attrs={"rows": 5})
    )
    differences = forms.CharField(
        label=_("Explanation of significant differences"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, lines, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = lines
        entry = budget.entry_lines()
        for line in lines:
            label = entry[line.code].label if line.code in entry else line.code
            self.fields[f"actual_{line.code}"] = AmountField(
                label=_("%(line)s – actual (planned: %(planned)s €)") % {"line": label, "planned": line.planned},
                min_value=0,
                max_digits=12,
                decimal_places=2,
                initial=line.actual,
            )

    def actuals(self) -> dict[str, Decimal]:
        return {line.code: self.cleaned_data.get(f"actual_{line.code}") for line in self.lines}


class SessionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    date = forms.DateTimeField(label=_("Date"), widget=DateTimeInput())
    place = forms.CharField(label=_("Place"), max_length=200, required=False)


def committee_candidates():
    roles = [r.value for r in StaffRole]
    return (
        User.objects.filter(groups__name__in=roles, is_active=True, deleted_at__isnull=True)
        .distinct()
        .order_by("full_name", "email")
    )


class MembersForm(forms.Form):
    members = forms.ModelMultipleChoiceField(
        label=_("Members"), queryset=User.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = committee_candidates()
        self.fields["members"].label_from_instance = lambda u: (
            f"{u.full_name or u.email} ({', '.join(map(str, u.role_labels))})"
        )


class ConflictForm(forms.Form):
    association = forms.ChoiceField(label=_("Association"))
    reason = forms.CharField(label=_("Nature of the link"), max_length=300)

    def __init__(self, *args, associations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["association"].choices = [(a.pk, a.name) for a in associations]


class OpinionForm(forms.Form):
    vote = forms.ChoiceField(label=_("Vote"), choices=Vote.choices, widget=forms.RadioSelect)
    comment = forms.CharField(label=_("Opinion"), max_length=500, required=False)


class ItemDecisionForm(forms.Form):
    recommendation = forms.ChoiceField(label=_("Committee's decision"), choices=Recommendation.choices)
    amount = AmountField(label=_("Amount (€)"), required=False, min_value=0, decimal_places=2, max_digits=12)


class MinutesForm(forms.Form):
    minutes = forms.CharField(label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 8}), required=False)
    held = forms.BooleanField(label=_("The session was held: close it"), required=False)


class AgreementForm(forms.Form):
    association = forms.ModelChoiceField(label=_("Association"), queryset=None)
    scheme = forms.ModelChoiceField(
        label=_("Aid scheme"), queryset=AidScheme.objects.filter(funder_kind=FunderKind.CITY)
    )
    reference = forms.CharField(label=_("Reference"), max_length=50)
    title = forms.CharField(label=_("Title"), max_length=200)
    start_year = forms.IntegerField(label=_("First year"), min_value=2000, max_value=2100)
    end_year = forms.IntegerField(label=_("Last year"), min_value=2000, max_value=2100)
    signed_on = forms.DateField(label=_("Signed on"), widget=DateInput())
    deliberation_ref = forms.CharField(label=_("Deliberation reference"), max_length=100)
    amounts = forms.CharField(label=_("Yearly amounts (€)"), help_text=_("One amount per year, separated by “;”."))
    objectives = forms.CharField(
        label=_("Objectives"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line: “objective | indicator | target”."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from tissu.directory.models import Association

        self.fields["association"].queryset = Association.objects.filter(grant_applications__isnull=False).distinct()

    def clean_amounts(self):
        try:
            return [
                Decimal(part.strip().replace(" ", "").replace(",", "."))
                for part in self.cleaned_data["amounts"].split(";")
                if part.strip()
            ]
        except ArithmeticError:
            raise forms.ValidationError(_("Write amounts such as “12000; 12500; 13000”.")) from None


class AgreementReviewForm(forms.Form):
    review = forms.CharField(label=_("Review of the year"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, objectives, year, **kwargs):
        super().__init__(*args, **kwargs)
        self.objectives = objectives
        for objective in objectives:
            self.fields[f"result_{objective.pk}"] = forms.CharField(
                label=_("%(indicator)s (target: %(target)s)")
                % {"indicator": objective.indicator, "target": objective.target},
                max_length=100,
                required=False,
                initial=year.results.get(str(objective.pk), ""),
            )
        if not self.is_bound:
            self.initial["review"] = year.review

    def results(self) -> dict[str, str]:
        return {str(o.pk): self.cleaned_data.get(f"result_{o.pk}", "") for o in self.objectives}


STATUS_FILTER = [("", _("all statuses")), *[(value, label) for value, label in Status.choices if value != Status.DRAFT]]


class StaffFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_FILTER, required=False)
    scheme = forms.ModelChoiceField(
        label=_("Aid scheme"),
        queryset=AidScheme.objects.filter(applications_in_tissu=True),
        required=False,
        empty_label=_("all schemes"),
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)
    q = forms.CharField(label=_("Search"), required=False, max_length=100)

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "status": data["status"],
            "scheme": data["scheme"].pk if data["scheme"] else None,
            "year": data["year"],
            "q": data["q"].strip(),
        }
