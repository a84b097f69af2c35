"""Editing an association's profile, with provenance.

Each field edited here is recorded in ``Association.field_sources`` ({"field": {"source": "tissu",
"by": user id, "at": ISO datetime}}); the RNA import skips those fields, so a correction made by the
association or the office survives later imports. Staff may hand a field back to the register: it
leaves field_sources and the next import writes the register's value again.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tissu.audit.services import audit_log
from tissu.directory.models import RNA_FIELDS, Association
from tissu.directory.services import association_derived_fields

# The register's fields an association may correct (the others, such as dates and codes, stay the RNA's).
IDENTITY_FIELDS = [
    "name", "short_name", "object", "siret",
    "office_complement", "office_street_number", "office_street_repetition", "office_street_type",
    "office_street_name", "office_distribution", "office_postcode", "office_city",
]  # fmt: skip
CITY_FIELDS = [
    "neighbourhood", "qpv", "audiences", "is_employer", "employee_fte", "member_count", "volunteer_count",
    "accepts_volunteers", "federation", "languages", "premises_accessibility", "premises_accessibility_details",
    "public_email", "public_phone", "website", "social_links", "logo", "logo_alt", "presentation",
    "opening_hours", "keywords", "latitude", "longitude",
]  # fmt: skip
EDITABLE_FIELDS = IDENTITY_FIELDS + CITY_FIELDS
MANY_TO_MANY = {"audiences"}
DERIVED_FROM = {"name", "short_name", "object", "keywords", "theme_1", "theme_2"}


def _differs(association: Association, field: str, value) -> bool:
    if field in MANY_TO_MANY:
        return {item.pk for item in value} != set(association.audiences.values_list("pk", flat=True))
    if field == "logo":
        # A form gives an upload (new file), False (cleared) or the current file (unchanged).
        return isinstance(value, UploadedFile) or (value in (False, None, "") and bool(association.logo))
    return getattr(association, field) != value


def _check(values: dict, association: Association) -> None:
    errors = {}
    is_employer = values.get("is_employer", association.is_employer)
    fte = values.get("employee_fte", association.employee_fte)
    if is_employer and fte is None:
        errors["employee_fte"] = _("An employer states its number of employees in full-time equivalent.")
    logo = values.get("logo", association.logo)
    alt = values.get("logo_alt", association.logo_alt)
    if logo and not (alt or "").strip():
        errors["logo_alt"] = _("Describe the logo for people who cannot see it.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def association_update_profile(*, actor, association: Association, values: dict) -> list[str]:
    """Write the changed fields only; returns their names (empty when nothing changed).

    Compares with the row as stored (locked), not with the instance given, which a bound ModelForm
    has already modified in memory.
    """
    unknown = set(values) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable here: {sorted(unknown)}")
    current = Association.objects.select_for_update().get(pk=association.pk)
    changed = [field for field in EDITABLE_FIELDS if field in values and _differs(current, field, values[field])]
    if not changed:
        return []
    _check({field: values[field] for field in changed}, current)
    now = timezone.now().isoformat()
    sources = dict(current.field_sources)
    update_fields = {"field_sources", "updated_at"}
    for field in changed:
        sources[field] = {"source": "tissu", "by": actor.pk, "at": now}
        if field in MANY_TO_MANY:
            continue
        value = values[field]
        if field == "logo" and not isinstance(value, UploadedFile):
            value = ""
        setattr(current, field, value)
        update_fields.add(field)
    current.field_sources = sources
    if DERIVED_FROM & set(changed):
        derived = association_derived_fields({field: getattr(current, field) for field in DERIVED_FROM})
        for field, value in derived.items():
            if getattr(current, field) != value:
                setattr(current, field, value)
                update_fields.add(field)
    # Only what changed is validated: an odd value the register holds elsewhere must not block an edit.
    current.full_clean(
        exclude=[f.name for f in Association._meta.fields if f.name not in update_fields or f.name == "logo"]
    )
    current.save(update_fields=sorted(update_fields))
    if "audiences" in changed:
        current.audiences.set(values["audiences"])
    audit_log(actor=actor, action="directory.association.updated", target=current, data={"fields": sorted(changed)})
    _refresh(association, current, update_fields)
    return sorted(changed)


def _refresh(association: Association, current: Association, fields) -> None:
    """Bring the caller's instance up to date (it may be the one the view keeps rendering)."""
    for field in fields:
        setattr(association, field, getattr(current, field))


@transaction.atomic
def association_reset_field(*, actor, association: Association, field: str) -> None:
    """Staff hand a register field back to the RNA: the value stays until the next import replaces it."""
    if not actor.is_associations_office:
        raise PermissionDenied
    if field not in RNA_FIELDS:
        raise ValidationError(
            _("Only a field that comes from the national register can go back to the register's value.")
        )
    current = Association.objects.select_for_update().get(pk=association.pk)
    if field not in current.field_sources:
        return
    sources = dict(current.field_sources)
    sources.pop(field)
    current.field_sources = sources
    current.save(update_fields=["field_sources", "updated_at"])
    association.field_sources = sources
    audit_log(actor=actor, action="directory.association.field_reset", target=current, data={"field": field})
