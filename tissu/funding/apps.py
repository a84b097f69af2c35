from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundingConfig(AppConfig):
    name = "tissu.funding"
    verbose_name = _("Funding")

    def ready(self):
        from tissu.directory import profile_sections
        from tissu.funding import selectors, services
        from tissu.lib import personal_data

        profile_sections.register(
            key="grants",
            title=_("Grants from the city"),
            template="funding/includes/profile_grants.html",
            items=selectors.grants_of_association,
            order=40,
        )
        personal_data.register(key="funding", export=selectors.personal_data_export, erase=services.personal_data_erase)
