from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgendaConfig(AppConfig):
    name = "tissu.agenda"
    verbose_name = _("Shared agenda")

    def ready(self):
        from tissu.agenda import selectors, services
        from tissu.directory import profile_sections
        from tissu.lib import personal_data

        personal_data.register(
            key="agenda", export=selectors.registrations_export, erase=services.registrations_erase_for_user
        )
        profile_sections.register(
            key="events",
            title=_("Upcoming events"),
            template="agenda/includes/profile_events.html",
            items=selectors.upcoming_events_of,
            order=10,
        )
