from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "tissu.accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from tissu.accounts import selectors, services
        from tissu.lib import personal_data

        personal_data.register(
            key="account", export=selectors.user_export_account, erase=services.user_erase_account_records
        )
