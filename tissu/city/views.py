from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from tissu.city import services
from tissu.city.forms import CitySettingsForm
from tissu.city.permissions import associations_office_required
from tissu.city.selectors import city_settings_get


@require_safe
def home(request):
    return render(request, "city/home.html")


@require_safe
def legal_notice(request):
    return render(request, "city/legal_notice.html")


@require_safe
def privacy(request):
    return render(request, "city/privacy.html")


@require_safe
def accessibility(request):
    return render(request, "city/accessibility.html")


@require_safe
def theme_css(request):
    """The city's colours as CSS custom properties (a file, because the CSP forbids inline styles)."""
    city = city_settings_get()
    css = f":root {{ --primary: {city.primary_colour}; --on-primary: {city.primary_text_colour}; }}\n"
    response = HttpResponse(css, content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "public, max-age=300"
    return response


@associations_office_required
@require_safe
def backoffice(request):
    return render(request, "city/backoffice.html")


@associations_office_required
@require_http_methods(["GET", "POST"])
def settings_edit(request):
    city = city_settings_get()
    form = CitySettingsForm(request.POST or None, request.FILES or None, instance=city)
    if request.method == "POST" and form.is_valid():
        try:
            services.city_settings_update(actor=request.user, values=form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The city settings were saved."))
            return redirect("city:settings")
    return render(request, "city/settings_form.html", {"form": form}, status=400 if form.errors else 200)


def csrf_failure(request, reason=""):
    return render(request, "csrf_failure.html", status=403)
