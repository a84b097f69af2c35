from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoomsConfig(AppConfig):
    name = "tissu.rooms"
    verbose_name = _("Rooms")
