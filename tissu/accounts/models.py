import uuid

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class StaffRole(models.TextChoices):
    """The city's roles, stored as auth groups (see migration 0002)."""

    ASSOCIATIONS_OFFICE = "associations_office", _("Associations office")
    COMMITTEE_MEMBER = "committee_member", _("Committee member")
    ELECTED_OFFICIAL = "elected_official", _("Elected official")


class UserManager(BaseUserManager):
    use_in_migrations = True

    def get_by_natural_key(self, email):
        return self.get(email__iexact=email)

    def _create(self, email, password, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        extra.setdefault("email_verified_at", timezone.now())
        return self._create(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person with an account, keyed by email address (unique, case-insensitive)."""

    email = models.EmailField(_("email address"), max_length=254, unique=True)
    full_name = models.CharField(_("full name"), max_length=150)
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    language = models.CharField(
        _("preferred language"), max_length=8, choices=[("fr", "Français"), ("en", "English")], default="fr"
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(
        _("admin site access"), default=False, help_text=_("Technical administrators only; city roles use groups.")
    )
    email_verified_at = models.DateTimeField(_("email verified at"), null=True, blank=True)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)
    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique")]

    def __str__(self):
        return self.full_name or self.email

    @property
    def audit_label(self) -> str:
        """How the audit log names a person: no name or email, which must not outlive account deletion."""
        return f"user {self.public_id}"

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def is_email_verified(self) -> bool:
        return self.email_verified_at is not None

    def _role_names(self) -> set[str]:
        # One query per request at most: cached on the instance.
        if not hasattr(self, "_role_cache"):
            self._role_cache = set(self.groups.values_list("name", flat=True)) if self.pk else set()
        return self._role_cache

    def has_role(self, role: StaffRole) -> bool:
        return self.is_active and role.value in self._role_names()

    @property
    def role_labels(self) -> list[str]:
        """The translated names of the person's city roles. Reads groups.all(), so a prefetch serves lists."""
        names = {group.name for group in self.groups.all()}
        return [role.label for role in StaffRole if role.value in names]

    @property
    def is_associations_office(self) -> bool:
        """The city's service vie associative: runs the platform (superusers count as such)."""
        return self.is_active and (self.is_superuser or self.has_role(StaffRole.ASSOCIATIONS_OFFICE))

    @property
    def is_city_staff(self) -> bool:
        """Any city role: associations office, committee member or elected official."""
        return self.is_active and (self.is_superuser or bool(self._role_names() & {r.value for r in StaffRole}))
