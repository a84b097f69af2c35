import json
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.encoding import force_str
from django.utils.http import url_has_allowed_host_and_scheme, urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from tissu.accounts import forms, selectors, services
from tissu.accounts.models import User
from tissu.accounts.tokens import email_verification_token, read_email_change_token
from tissu.city.permissions import associations_office_required


def _apply_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _posted(request):
    # Not `request.POST or None`: a POST with nothing ticked (every role removed) must still bind the form.
    return request.POST if request.method == "POST" else None


def _render_form(request, template, context):
    form = context["form"]
    return render(request, template, context, status=400 if form.is_bound and form.errors else 200)


@require_http_methods(["GET", "POST"])
def sign_up(request):
    if request.user.is_authenticated:
        return redirect("accounts:dashboard")
    if not settings.ACCOUNT_SIGNUP_OPEN:
        raise PermissionDenied
    form = forms.SignUpForm(_posted(request), initial={"language": request.LANGUAGE_CODE})
    next_url = _safe_next(request)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.user_sign_up(
                email=data["email"], full_name=data["full_name"], password=data["password"], language=data["language"]
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            request.session["signup_email"] = data["email"]
            if next_url:
                # Where the person was going (an invitation link): sign-in after verification leads back there.
                request.session["signup_next"] = next_url
            return redirect("accounts:sign-up-done")
    return _render_form(request, "accounts/sign_up.html", {"form": form, "next": next_url})


def _safe_next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return ""


@require_http_methods(["GET", "POST"])
def sign_up_done(request):
    form = forms.ResendVerificationForm(_posted(request), initial={"email": request.session.get("signup_email", "")})
    if request.method == "POST" and form.is_valid():
        services.user_resend_verification(email=form.cleaned_data["email"])
        messages.info(request, _("If an unconfirmed account uses this address, a new link is on its way."))
        return redirect("accounts:sign-up-done")
    return _render_form(request, "accounts/sign_up_done.html", {"form": form})


@require_safe
def verify_email(request, uidb64, token):
    try:
        user = User.objects.get(pk=force_str(urlsafe_base64_decode(uidb64)), deleted_at__isnull=True)
    except (User.DoesNotExist, ValueError, TypeError, OverflowError):
        user = None
    # The token is checked first: answering differently for a verified account would tell anyone
    # who tries uids which accounts exist. A used link no longer matches (the hash covers the state).
    if user is None or not email_verification_token.check_token(user, token):
        return render(request, "accounts/verify_email_failed.html", status=400)
    services.user_verify_email(user=user)
    messages.success(request, _("Thank you, your email address is confirmed. You can now sign in."))
    next_url = request.session.pop("signup_next", "")
    if next_url:
        return redirect(f"{reverse('accounts:login')}?{urlencode({'next': next_url})}")
    return redirect("accounts:login")


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    form_class = forms.LoginForm
    redirect_authenticated_user = True

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response


@require_POST
def log_out(request):
    logout(request)
    messages.info(request, _("You are signed out."))
    return redirect(settings.LOGOUT_REDIRECT_URL)


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    form_class = forms.TissuPasswordResetForm
    success_url = reverse_lazy("accounts:password-reset-done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password-reset-complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:dashboard")

    def form_valid(self, form):
        messages.success(self.request, _("Your password was changed."))
        return super().form_valid(form)


@login_required
@require_http_methods(["GET", "POST"])
def dashboard(request):
    user = request.user
    form = forms.ProfileForm(_posted(request), initial={"full_name": user.full_name, "language": user.language})
    if request.method == "POST" and form.is_valid():
        try:
            services.user_update_profile(user=user, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Your profile was saved."))
            return redirect("accounts:dashboard")
    return _render_form(request, "accounts/dashboard.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def email_change(request):
    form = forms.EmailChangeForm(_posted(request), user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_request_email_change(user=request.user, new_email=form.cleaned_data["email"])
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.info(
                request,
                _("We sent a confirmation link to %(email)s. Your address changes once you open it.")
                % {"email": form.cleaned_data["email"]},
            )
            return redirect("accounts:dashboard")
    return _render_form(request, "accounts/email_change.html", {"form": form})


@login_required
@require_safe
def email_change_confirm(request, token):
    try:
        payload = read_email_change_token(token, max_age=settings.PASSWORD_RESET_TIMEOUT)
    except signing.BadSignature:
        return render(request, "accounts/email_change_failed.html", status=400)
    if payload["u"] != request.user.pk:
        raise Http404
    try:
        services.user_confirm_email_change(user=request.user, old_email=payload["old"], new_email=payload["new"])
    except ValidationError as error:
        return render(request, "accounts/email_change_failed.html", {"errors": error.messages}, status=400)
    messages.success(request, _("Your email address is now %(email)s.") % {"email": payload["new"]})
    return redirect("accounts:dashboard")


@login_required
@require_http_methods(["GET", "POST"])
def account_delete(request):
    form = forms.AccountDeleteForm(_posted(request), user=request.user)
    if request.method == "POST" and form.is_valid():
        services.user_delete(user=request.user)
        logout(request)
        messages.success(request, _("Your account was deleted and your personal data erased."))
        return redirect("city:home")
    return _render_form(request, "accounts/account_delete.html", {"form": form})


@login_required
@require_safe
def data_export(request):
    payload = selectors.user_export(user=request.user)
    response = HttpResponse(
        json.dumps(payload, ensure_ascii=False, indent=2, default=str), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="tissu-mes-donnees.json"'
    return response


@associations_office_required
@require_safe
def people_list(request):
    form = forms.UserSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    users = selectors.user_list_for_staff(query=filters.get("q", ""), role=filters.get("role", ""))
    page = Paginator(users, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "accounts/people_list.html", {"form": form, "page": page, "query": query.urlencode()})


@associations_office_required
@require_http_methods(["GET", "POST"])
def person_roles(request, public_id):
    person = get_object_or_404(User, public_id=public_id, deleted_at__isnull=True)
    current = list(person.groups.values_list("name", flat=True))
    form = forms.RolesForm(_posted(request), initial={"roles": current})
    if request.method == "POST" and form.is_valid():
        try:
            services.user_set_roles(actor=request.user, user=person, roles=form.cleaned_data["roles"])
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The roles of %(name)s were saved.") % {"name": person})
            return redirect("accounts:people")
    return _render_form(request, "accounts/person_roles.html", {"form": form, "person": person})
