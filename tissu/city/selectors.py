from django.core.cache import cache

from tissu.city.models import CitySettings

CACHE_KEY = "tissu.city.settings.v1"


def city_settings_get() -> CitySettings:
    """The singleton, cached; a fresh install gets defaults without a write."""
    settings_row = cache.get(CACHE_KEY)
    if settings_row is None:
        settings_row = CitySettings.objects.filter(pk=1).first() or CitySettings(pk=1)
        cache.set(CACHE_KEY, settings_row, 300)
    return settings_row
