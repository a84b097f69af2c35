from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteeringConfig(AppConfig):
    name = "tissu.volunteering"
    verbose_name = _("Volunteering")

    def ready(self):
        from tissu.directory import profile_sections
        from tissu.lib import personal_data
        from tissu.volunteering import saved_searches, selectors, services

        personal_data.register(key="volunteering", export=selectors.volunteer_export, erase=services.volunteer_erase)
        personal_data.register(
            key="volunteering_saved_searches",
            export=saved_searches.saved_searches_export,
            erase=saved_searches.saved_searches_erase,
        )
        profile_sections.register(
            key="missions",
            title=_("Volunteering missions"),
            template="volunteering/includes/profile_missions.html",
            items=selectors.open_missions_of,
            order=20,
        )
