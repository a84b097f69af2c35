from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tissu.accounts.models import StaffRole, User
from tissu.lib.email import send_templated

LANGUAGE_CHOICES = [("fr", "Français"), ("en", "English")]


class SignUpForm(forms.Form):
    full_name = forms.CharField(
        label=_("Full name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    email = forms.EmailField(label=_("Email address"), widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 10 characters, not only digits, not a common password."),
    )
    language = forms.ChoiceField(label=_("Language for emails"), choices=LANGUAGE_CHOICES, initial="fr")
    accept_terms = forms.BooleanField(label=_("I have read the privacy policy."), required=True)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password"):
            candidate = User(email=cleaned.get("email", ""), full_name=cleaned.get("full_name", ""))
            try:
                password_validation.validate_password(cleaned["password"], candidate)
            except forms.ValidationError as error:
                self.add_error("password", error)
        return cleaned


class LoginForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("Email address"), widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True})
    )
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Wrong email address or password. Mind the capital letters of the password."),
        "unverified": _(
            "Please confirm your email address first: open the link we sent you. "
            "We have just sent a new one, in case the first is lost."
        ),
    }

    def clean_username(self):
        # Addresses are stored in lower case; django-axes counts failures per username as typed,
        # so without this, Alice@ and alice@ would each get their own allowance of attempts.
        return self.cleaned_data["username"].lower()

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not user.is_email_verified:
            from tissu.accounts import emails

            emails.send_verification(user=user)
            raise forms.ValidationError(self.error_messages["unverified"], code="unverified")


class ResendVerificationForm(forms.Form):
    email = forms.EmailField(label=_("Email address"), widget=forms.EmailInput(attrs={"autocomplete": "email"}))


class ProfileForm(forms.Form):
    full_name = forms.CharField(
        label=_("Full name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    language = forms.ChoiceField(label=_("Language for emails"), choices=LANGUAGE_CHOICES)


class PasswordConfirmMixin(forms.Form):
    password = forms.CharField(
        label=_("Your current password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("This is not your current password."))
        return password


class EmailChangeForm(PasswordConfirmMixin):
    email = forms.EmailField(label=_("New email address"), widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    field_order = ["email", "password"]


class AccountDeleteForm(PasswordConfirmMixin):
    confirm = forms.BooleanField(
        label=_("I understand that my account and my personal data will be erased, and that this cannot be undone."),
        required=True,
    )


class RolesForm(forms.Form):
    roles = forms.MultipleChoiceField(
        label=_("City roles"), choices=StaffRole.choices, required=False, widget=forms.CheckboxSelectMultiple
    )


class UserSearchForm(forms.Form):
    q = forms.CharField(label=_("Name or email"), required=False, max_length=100)
    role = forms.ChoiceField(label=_("Role"), required=False, choices=[("", _("All")), *StaffRole.choices])


class TissuPasswordResetForm(PasswordResetForm):
    """Django's reset form, sending through Tissu's one email path (after commit, via a task)."""

    def send_mail(
        self, subject_template_name, email_template_name, context, from_email, to_email, html_email_template_name=None
    ):
        user = context["user"]
        path = reverse("accounts:password-reset-confirm", args=[context["uid"], context["token"]])
        send_templated(
            template="accounts/emails/password_reset",
            to=to_email,
            language=user.language,
            context={"user": user, "url": settings.SITE_URL + path},
        )
