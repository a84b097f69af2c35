"""The city's own lists, kept by the associations office: neighbourhoods, QPVs and publics served.

One set of services for the three kinds, keyed by the slug used in their URLs. An entry can be
renamed at any time but deleted only while no association uses it (deleting it would silently
erase the choice associations made).
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Count
from django.utils.functional import Promise
from django.utils.text import slugify
from django.utils.translation import gettext_lazy, ngettext

from tissu.audit.services import audit_log
from tissu.directory.models import Audience, Neighbourhood, PriorityArea


@dataclass(frozen=True)
class Taxonomy:
    key: str  # in URLs and audit codes
    model: type[models.Model]
    title: Promise
    usage: str  # the reverse name from the entry to its associations

    def entries(self):
        return self.model.objects.annotate(usage_count=Count(self.usage, distinct=True))


TAXONOMIES = {
    taxonomy.key: taxonomy
    for taxonomy in [
        Taxonomy("quartiers", Neighbourhood, gettext_lazy("Neighbourhoods"), "association"),
        Taxonomy("qpv", PriorityArea, gettext_lazy("Priority neighbourhoods (QPV)"), "association"),
        Taxonomy("publics", Audience, gettext_lazy("Publics served"), "association"),
    ]
}
AUDIT_NAMES = {"quartiers": "neighbourhood", "qpv": "priority_area", "publics": "audience"}


def _unique_slug(model, name: str, *, exclude_pk=None) -> str:
    base = slugify(name)[:110] or "x"
    candidate, number = base, 1
    while model.objects.filter(slug=candidate).exclude(pk=exclude_pk).exists():
        number += 1
        candidate = f"{base}-{number}"
    return candidate


def _apply(entry, values: dict) -> None:
    for field, value in values.items():
        setattr(entry, field, value.strip() if isinstance(value, str) else value)
    if hasattr(entry, "slug"):
        entry.slug = _unique_slug(type(entry), entry.name, exclude_pk=entry.pk)


@transaction.atomic
def taxonomy_entry_create(*, actor, kind: str, values: dict) -> models.Model:
    taxonomy = TAXONOMIES[kind]
    entry = taxonomy.model()
    _apply(entry, values)
    entry.full_clean()
    entry.save()
    audit_log(actor=actor, action=f"directory.{AUDIT_NAMES[kind]}.created", target=entry)
    return entry


@transaction.atomic
def taxonomy_entry_update(*, actor, kind: str, entry: models.Model, values: dict) -> models.Model:
    entry = type(entry).objects.select_for_update().get(pk=entry.pk)
    before = {field: getattr(entry, field) for field in values}
    _apply(entry, values)
    changed = sorted(field for field in values if getattr(entry, field) != before[field])
    if not changed:
        return entry
    entry.full_clean()
    entry.save(update_fields=[*changed, *(["slug"] if hasattr(entry, "slug") else [])])
    audit_log(
        actor=actor,
        action=f"directory.{AUDIT_NAMES[kind]}.updated",
        target=entry,
        data={"fields": changed, "before": {field: before[field] for field in changed}},
    )
    return entry


@transaction.atomic
def taxonomy_entry_delete(*, actor, kind: str, entry: models.Model) -> None:
    taxonomy = TAXONOMIES[kind]
    usage = taxonomy.entries().get(pk=entry.pk).usage_count
    if usage:
        raise ValidationError(
            ngettext(
                "“%(name)s” is used by %(count)s association: it can be renamed but not deleted.",
                "“%(name)s” is used by %(count)s associations: it can be renamed but not deleted.",
                usage,
            )
            % {"name": entry, "count": usage}
        )
    label = str(entry)
    audit_log(actor=actor, action=f"directory.{AUDIT_NAMES[kind]}.deleted", target=entry, data={"name": label})
    entry.delete()
