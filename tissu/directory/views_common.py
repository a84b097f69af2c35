"""Small helpers shared by the directory's views (claims, management, staff)."""

from django.core.exceptions import ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme


def posted(request):
    """request.POST on a POST (even an empty one, so the form binds), else None."""
    return request.POST if request.method == "POST" else None


def posted_files(request):
    return request.FILES if request.method == "POST" else None


def apply_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def render_form(request, template: str, context: dict):
    """The page of a form: 400 when a submitted form has errors."""
    form = context["form"]
    return render(request, template, context, status=400 if form.is_bound and form.errors else 200)


def post_only(request):
    """For POST endpoints checked for permission first: the others get 405 once they may act at all."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    return None


def redirect_next(request, fallback: str, *args):
    """Back to the page the form came from (a local `next`), else to the fallback URL name."""
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(fallback, *args)
