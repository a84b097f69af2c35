from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SharingConfig(AppConfig):
    name = "tissu.sharing"
    verbose_name = _("Sharing between associations")

    def ready(self):
        from tissu.directory import profile_sections
        from tissu.lib import personal_data
        from tissu.sharing import experts, selectors, services

        profile_sections.register(
            key="equipment",
            title=_("Equipment it lends"),
            template="sharing/includes/profile_equipment.html",
            items=selectors.items_of_association,
            order=30,
        )
        personal_data.register(key="sharing", export=selectors.loans_export, erase=services.loans_erase_for_user)
        personal_data.register(
            key="sharing_experts", export=experts.experts_export, erase=experts.experts_erase_for_user
        )
