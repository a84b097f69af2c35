from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CouncilConfig(AppConfig):
    name = "tissu.council"
    verbose_name = _("Council of associations")

    def ready(self):
        from tissu.council import selectors, services
        from tissu.lib import personal_data

        personal_data.register(key="council", export=selectors.personal_data_export, erase=services.personal_data_erase)
