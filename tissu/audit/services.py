from typing import Any

from django.db import models

from tissu.audit.models import AuditEntry


def audit_log(
    *, actor, action: str, target: models.Model | None = None, data: dict[str, Any] | None = None
) -> AuditEntry:
    """Record a sensitive action with a dotted code such as ``directory.association.verified``.

    Call it inside the service's transaction, so the entry exists if and only if the action does.
    Keep personal data out of ``data``: the entry outlives account deletion.
    """
    if action.count(".") < 2:
        raise ValueError(f"audit action codes look like app.object.verb, not {action!r}")
    entry = AuditEntry(
        actor=actor if actor is not None and actor.pk else None,
        action=action,
        data=data or {},
    )
    if target is not None:
        entry.target_type = target._meta.label_lower
        entry.target_id = str(target.pk)
        # Models whose str() holds personal data (a person's name) define audit_label instead.
        entry.target_repr = str(getattr(target, "audit_label", target))[:255]
    entry.save()
    return entry
