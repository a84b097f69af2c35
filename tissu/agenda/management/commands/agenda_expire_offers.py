from django.core.management.base import BaseCommand

from tissu.agenda.services import offers_expire


class Command(BaseCommand):
    help = (
        "Expire the waiting-list offers not accepted in time and offer the places to the next people. "
        "Idempotent: run it every few minutes (cron, systemd timer)."
    )

    def handle(self, *args, **options):
        count = offers_expire()
        self.stdout.write(f"{count} offer(s) expired.")
