from django.core.cache import cache
from django.db import transaction

from tissu.audit.services import audit_log
from tissu.city.models import CitySettings
from tissu.city.selectors import CACHE_KEY


@transaction.atomic
def city_settings_update(*, actor, values: dict) -> CitySettings:
    """Apply the edited fields; the form has already checked contrast and codes (see forms.CitySettingsForm)."""
    row, _ = CitySettings.objects.select_for_update().get_or_create(pk=1)
    changed = [field for field, value in values.items() if getattr(row, field) != value]
    for field in changed:
        setattr(row, field, values[field])
    row.full_clean()
    if changed:
        row.save(update_fields=[*changed, "updated_at"])
        audit_log(actor=actor, action="city.settings.updated", target=row, data={"fields": sorted(changed)})
    # Now for this request, and again after commit in case a concurrent request cached the old row meanwhile.
    cache.delete(CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(CACHE_KEY))
    return row
