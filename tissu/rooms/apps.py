from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoomsConfig(AppConfig):
    name = "tissu.rooms"
    verbose_name = _("Rooms")

    def ready(self):
        from tissu.lib import personal_data
        from tissu.rooms import selectors, services

        personal_data.register(key="rooms", export=selectors.bookings_export, erase=services.bookings_erase_for_user)
