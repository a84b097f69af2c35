from importlib import import_module

from django.core.management.base import BaseCommand
from django.db import transaction

from tissu.city.models import CitySettings
from tissu.lib.demo import DEMO_PASSWORD, DemoContext

# Order matters: later steps use what earlier ones created (ctx.users, ctx.objects).
DEMO_STEPS = [
    "tissu.city.demo",
    "tissu.accounts.demo",
    "tissu.directory.demo",
    "tissu.directory.demo_people",
    "tissu.agenda.demo",
    "tissu.volunteering.demo",
    "tissu.sharing.demo",
    "tissu.council.demo",
    "tissu.funding.demo",
    "tissu.rooms.demo",
]


class Command(BaseCommand):
    help = "Create (or complete) the fictional demo city Bellerive-sur-Orge. Idempotent and reproducible."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="Do nothing if the city is already configured.")

    def handle(self, *args, if_empty=False, **options):
        if if_empty and CitySettings.objects.exists():
            self.stdout.write("Demo city already loaded: nothing to do.")
            return
        ctx = DemoContext()
        with transaction.atomic():
            for step in DEMO_STEPS:
                import_module(step).seed(ctx)
        from django.core.cache import cache

        cache.clear()
        self.stdout.write(self.style.SUCCESS(f"Demo city ready ({len(ctx.users)} demo accounts)."))
        self.stdout.write(f"Password for every demo account: {DEMO_PASSWORD}")
