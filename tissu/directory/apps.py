from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "tissu.directory"
    verbose_name = _("Directory of associations")

    def ready(self):
        from tissu.directory import selectors, services
        from tissu.lib import personal_data

        personal_data.register(
            key="directory", export=selectors.memberships_export, erase=services.memberships_erase_for_user
        )
