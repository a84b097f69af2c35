"""The associations office's pages: applications and their review, schemes, calls, envelopes, open data;
and the budget overview (also for elected officials)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from tissu.city.permissions import associations_office_required
from tissu.directory.views_common import apply_errors, post_only, posted, render_form
from tissu.funding import opendata, permissions, selectors, services
from tissu.funding.forms import (
    CallForm,
    CommitteeChoiceForm,
    DecisionForm,
    EnvelopeForm,
    MissingItemsForm,
    PaymentForm,
    ReviewForm,
    SchemeForm,
    StaffFilterForm,
)
from tissu.funding.models import AidScheme, CallForProjects, CommitteeSession, SessionStatus, Status

PAGE_SIZE = 50


@associations_office_required
@require_safe
def staff_applications(request):
    form = StaffFilterForm(request.GET or None)
    applications = selectors.staff_application_list(**form.filters())
    page = Paginator(applications, PAGE_SIZE).get_page(request.GET.get("page"))
    template = "funding/staff_applications.html#results" if request.htmx else "funding/staff_applications.html"
    return render(request, template, {"form": form, "page": page})


def _staff_context(request, application, **forms):
    scoring = permissions.can_see_scoring(request.user, application)
    scores = {s.criterion_id: s for s in application.scores.all()} if scoring else {}
    sessions = CommitteeSession.objects.filter(status=SessionStatus.PLANNED, date__gte=timezone.now()).order_by("date")
    context = {
        "application": application,
        "scoring": scoring,
        "criteria": list(application.call.scheme.criteria.all()),
        "scores": scores,
        "score_total": sum(s.points for s in scores.values()),
        "incomplete_form": MissingItemsForm(),
        "review_form": ReviewForm(application=application, scores=scores) if scoring else None,
        "committee_form": CommitteeChoiceForm(sessions=sessions),
        "decision_form": DecisionForm(initial={"amount": application.proposed_amount}),
        "payment_form": PaymentForm(initial={"paid_on": timezone.localdate()}),
        "session_items": list(application.session_items.select_related("session")),
        "final_report": getattr(application, "final_report", None),
        **selectors.application_detail_context(application),
    }
    context.update(forms)
    return context


@associations_office_required
@require_safe
def staff_application(request, pk):
    application = permissions.get_application_for_office(request.user, pk)
    if application.status == Status.DRAFT:
        raise Http404
    return render(request, "funding/staff_application.html", _staff_context(request, application))


ACTIONS = ["complete", "incomplete", "start-review", "review", "committee", "decide", "notify", "pay", "close"]


@login_required
def staff_application_act(request, pk, action):
    """One POST endpoint per step; the service checks the step is allowed from the current status."""
    application = permissions.get_application_for_office(request.user, pk)
    if action not in ACTIONS:
        raise Http404
    if response := post_only(request):
        return response
    actor = request.user
    form = None
    try:
        if action == "complete":
            services.application_mark_complete(actor=actor, application=application)
        elif action == "incomplete":
            form = MissingItemsForm(request.POST)
            if form.is_valid():
                services.application_mark_incomplete(
                    actor=actor, application=application, missing_items=form.cleaned_data["missing_items"]
                )
        elif action == "start-review":
            services.application_start_review(actor=actor, application=application)
        elif action == "review":
            if not permissions.can_see_scoring(actor, application):
                raise PermissionDenied
            scores = {s.criterion_id: s for s in application.scores.all()}
            form = ReviewForm(request.POST, application=application, scores=scores)
            if form.is_valid():
                services.application_review(
                    actor=actor,
                    application=application,
                    opinion=form.cleaned_data["opinion"],
                    comment=form.cleaned_data["comment"],
                    proposed_amount=form.cleaned_data["proposed_amount"],
                    scores=form.scores(),
                )
        elif action == "committee":
            sessions = CommitteeSession.objects.filter(status=SessionStatus.PLANNED)
            form = CommitteeChoiceForm(request.POST, sessions=sessions)
            if form.is_valid():
                session = sessions.get(pk=form.cleaned_data["session"])
                services.session_add_item(actor=actor, session=session, application=application)
        elif action == "decide":
            form = DecisionForm(request.POST)
            if form.is_valid():
                data = form.cleaned_data
                services.application_decide(
                    actor=actor,
                    application=application,
                    decision=data["decision"],
                    amount=data["amount"],
                    deliberation_ref=data["deliberation_ref"],
                    deliberation_date=data["deliberation_date"],
                    reason=data["reason"],
                    instalments=data["instalments"],
                )
        elif action == "notify":
            services.application_notify(actor=actor, application=application)
        elif action == "pay":
            form = PaymentForm(request.POST)
            if form.is_valid():
                services.payment_record(actor=actor, application=application, **form.cleaned_data)
        elif action == "close":
            services.application_close(actor=actor, application=application)
    except ValidationError as error:
        if form is None:
            messages.error(request, " ".join(error.messages))
            return redirect("funding:staff-application", application.pk)
        apply_errors(form, error)
    if form is not None and form.errors:
        application.refresh_from_db()
        names = {"incomplete": "incomplete_form", "review": "review_form", "committee": "committee_form"}
        names.update({"decide": "decision_form", "pay": "payment_form"})
        context = _staff_context(request, application, **{names[action]: form})
        context["failed_action"] = action
        return render(request, "funding/staff_application.html", context, status=400)
    messages.success(request, _("Done."))
    return redirect("funding:staff-application", application.pk)


# --- Schemes, calls ------------------------------------------------------------------------------------------


@associations_office_required
@require_safe
def staff_schemes(request):
    return render(
        request,
        "funding/staff_schemes.html",
        {
            "schemes": list(AidScheme.objects.order_by("name", "id")),
            "calls": list(CallForProjects.objects.select_related("scheme").order_by("-closes_at")[:50]),
        },
    )


def _scheme_form(request, scheme=None):
    form = SchemeForm(posted(request), instance=scheme)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        values = {field: data[field] for field in services.SCHEME_FIELDS if field in data}
        try:
            criteria = services.parse_criteria(data["criteria"])
            if scheme is None:
                scheme = services.scheme_create(actor=request.user, values=values, criteria=criteria)
            else:
                scheme = services.scheme_update(actor=request.user, scheme=scheme, values=values, criteria=criteria)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Aid scheme saved."))
            return redirect("funding:staff-schemes")
    return render_form(request, "funding/scheme_form.html", {"form": form, "scheme": scheme})


@associations_office_required
@require_http_methods(["GET", "POST"])
def scheme_create(request):
    return _scheme_form(request)


@associations_office_required
@require_http_methods(["GET", "POST"])
def scheme_edit(request, pk):
    return _scheme_form(request, permissions.get_scheme_for_office(request.user, pk))


def _call_form(request, call=None):
    form = CallForm(posted(request), instance=call)
    if request.method == "POST" and form.is_valid():
        values = {f: form.cleaned_data[f] for f in services.CALL_FIELDS}
        try:
            if call is None:
                services.call_create(actor=request.user, values=values)
            else:
                services.call_update(actor=request.user, call=call, values=values)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Call for projects saved."))
            return redirect("funding:staff-schemes")
    return render_form(request, "funding/call_form.html", {"form": form, "call": call})


@associations_office_required
@require_http_methods(["GET", "POST"])
def call_create(request):
    return _call_form(request)


@associations_office_required
@require_http_methods(["GET", "POST"])
def call_edit(request, pk):
    return _call_form(request, permissions.get_call_for_office(request.user, pk))


# --- Envelopes and overview ----------------------------------------------------------------------------------


@login_required
@require_safe
def overview(request):
    if not permissions.can_see_overview(request.user):
        raise PermissionDenied
    try:
        year = int(request.GET.get("annee", ""))
    except ValueError:
        year = timezone.localdate().year
    year = min(max(year, 2000), 2100)
    rows = selectors.envelope_overview(year=year)
    totals = {
        "envelope": sum((r.envelope or 0) for r in rows),
        "committed": sum(r.committed for r in rows),
        "decided": sum(r.decided for r in rows),
        "paid": sum(r.paid for r in rows),
    }
    return render(
        request,
        "funding/overview.html",
        {
            "rows": rows,
            "statuses": selectors.status_counts(year=year),
            "year": year,
            "totals": totals,
            "previous": year - 1,
            "next": year + 1,
            "is_office": permissions.is_office(request.user),
        },
    )


@associations_office_required
@require_http_methods(["GET", "POST"])
def envelope_set(request):
    form = EnvelopeForm(posted(request), initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        try:
            services.envelope_set(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Envelope saved."))
            return redirect(f"{reverse('funding:overview')}?annee={form.cleaned_data['year']}")
    return render_form(request, "funding/envelope_form.html", {"form": form})


@associations_office_required
@require_safe
def staff_opendata(request):
    return render(request, "funding/staff_opendata.html", {"missing": opendata.rows_without_identifier()})


urlpatterns = [
    path("gestion/demandes/", staff_applications, name="staff-applications"),
    path("gestion/demandes/<int:pk>/", staff_application, name="staff-application"),
    path("gestion/demandes/<int:pk>/<slug:action>/", staff_application_act, name="staff-application-act"),
    path("gestion/dispositifs/", staff_schemes, name="staff-schemes"),
    path("gestion/dispositifs/nouveau/", scheme_create, name="scheme-create"),
    path("gestion/dispositifs/<int:pk>/", scheme_edit, name="scheme-edit"),
    path("gestion/appels/nouveau/", call_create, name="call-create"),
    path("gestion/appels/<int:pk>/", call_edit, name="call-edit"),
    path("gestion/enveloppes/", overview, name="overview"),
    path("gestion/enveloppes/definir/", envelope_set, name="envelope-set"),
    path("gestion/donnees-ouvertes/", staff_opendata, name="staff-opendata"),
]
