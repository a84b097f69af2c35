from axes.models import AccessLog
from django.db.models import Q, QuerySet

from tissu.accounts.models import StaffRole, User
from tissu.lib import personal_data


def user_export_account(user: User) -> dict:
    return {
        "email": user.email,
        "full_name": user.full_name,
        "language": user.language,
        "date_joined": user.date_joined.isoformat(),
        "email_verified_at": user.email_verified_at.isoformat() if user.email_verified_at else None,
        "last_login": user.last_login.isoformat() if user.last_login else None,
        "roles": sorted(user.groups.values_list("name", flat=True)),
        "sign_ins": [
            {"at": entry.attempt_time.isoformat(), "ip_address": entry.ip_address, "browser": entry.user_agent}
            for entry in AccessLog.objects.filter(username__iexact=user.email).order_by("-attempt_time")
        ],
    }


def user_export(*, user: User) -> dict:
    """Everything Tissu holds about a person, one section per app (GDPR right of access)."""
    return {provider.key: provider.export(user) for provider in personal_data.providers()}


def user_list_for_staff(*, query: str = "", role: str = "") -> QuerySet[User]:
    users = User.objects.filter(deleted_at__isnull=True).prefetch_related("groups").order_by("full_name", "email")
    if query:
        users = users.filter(Q(email__icontains=query) | Q(full_name__icontains=query))
    if role in StaffRole.values:
        users = users.filter(groups__name=role)
    return users
