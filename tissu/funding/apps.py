from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundingConfig(AppConfig):
    name = "tissu.funding"
    verbose_name = _("Funding")

    def ready(self):
        from tissu.funding import selectors, services
        from tissu.lib import personal_data

        personal_data.register(key="funding", export=selectors.personal_data_export, erase=services.personal_data_erase)
