from django.conf import settings

from tissu.city.selectors import city_settings_get


def city(request):
    return {"city": city_settings_get(), "source_url": settings.SOURCE_URL}
