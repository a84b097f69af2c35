"""Multi-year agreements (CPO): the office signs them in; associations and elected officials read them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from tissu.city.permissions import associations_office_required
from tissu.directory.views_common import apply_errors, posted, render_form
from tissu.funding import permissions, selectors, services
from tissu.funding.forms import AgreementForm, AgreementReviewForm


@login_required
@require_safe
def agreement_list(request):
    return render(
        request,
        "funding/agreement_list.html",
        {
            "agreements": list(selectors.agreements_for_user(request.user)),
            "is_office": permissions.is_office(request.user),
        },
    )


@associations_office_required
@require_http_methods(["GET", "POST"])
def agreement_create(request):
    form = AgreementForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        values = {
            k: data[k]
            for k in [
                "association",
                "scheme",
                "reference",
                "title",
                "start_year",
                "end_year",
                "signed_on",
                "deliberation_ref",
            ]
        }
        try:
            objectives = services.parse_objectives(data["objectives"])
            agreement = services.agreement_create(
                actor=request.user, values=values, amounts=data["amounts"], objectives=objectives
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Agreement recorded."))
            return redirect("funding:agreement-detail", agreement.pk)
    return render_form(request, "funding/agreement_form.html", {"form": form})


@login_required
@require_safe
def agreement_detail(request, pk):
    agreement = permissions.get_agreement_for_user(request.user, pk)
    objectives = list(agreement.objectives.all())
    years = list(agreement.years.all())
    table = [{"year": year, "results": [year.results.get(str(o.pk), "") for o in objectives]} for year in years]
    return render(
        request,
        "funding/agreement_detail.html",
        {
            "agreement": agreement,
            "objectives": objectives,
            "table": table,
            "total": sum(y.amount for y in years),
            "is_office": permissions.is_office(request.user),
        },
    )


@associations_office_required
@require_http_methods(["GET", "POST"])
def agreement_review(request, pk, year):
    agreement = permissions.get_agreement_for_user(request.user, pk)
    if not permissions.is_office(request.user):
        raise PermissionDenied
    year_row = agreement.years.filter(year=year).first()
    if year_row is None:
        raise Http404
    objectives = list(agreement.objectives.all())
    form = AgreementReviewForm(posted(request), objectives=objectives, year=year_row)
    if request.method == "POST" and form.is_valid():
        try:
            services.agreement_review_year(
                actor=request.user, year=year_row, results=form.results(), review=form.cleaned_data["review"]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Review saved."))
            return redirect("funding:agreement-detail", agreement.pk)
    return render_form(
        request, "funding/agreement_review.html", {"form": form, "agreement": agreement, "year": year_row}
    )


urlpatterns = [
    path("conventions/", agreement_list, name="agreement-list"),
    path("conventions/nouvelle/", agreement_create, name="agreement-create"),
    path("conventions/<int:pk>/", agreement_detail, name="agreement-detail"),
    path("conventions/<int:pk>/bilan/<int:year>/", agreement_review, name="agreement-review"),
]
