from datetime import date

from django.db.models import QuerySet

from tissu.audit.models import AuditEntry


def audit_entry_list(
    *, action: str = "", actor: str = "", target_type: str = "", since: date | None = None, until: date | None = None
) -> QuerySet[AuditEntry]:
    entries = AuditEntry.objects.select_related("actor")
    if action:
        entries = entries.filter(action__startswith=action)
    if actor:
        entries = entries.filter(actor__email__icontains=actor)
    if target_type:
        entries = entries.filter(target_type=target_type)
    if since:
        entries = entries.filter(created_at__date__gte=since)
    if until:
        entries = entries.filter(created_at__date__lte=until)
    return entries


def audit_action_prefixes() -> list[str]:
    """The distinct app.object prefixes, for the filter menu."""
    codes = AuditEntry.objects.order_by().values_list("action", flat=True).distinct()
    return sorted({code.rsplit(".", 1)[0] for code in codes})
