from django.core.management.base import BaseCommand

from tissu.volunteering.services import missions_expire


class Command(BaseCommand):
    help = "Mark as expired the open missions whose end date has passed. Idempotent: run it daily."

    def handle(self, *args, **options):
        count = missions_expire()
        self.stdout.write(f"{count} mission(s) expired.")
