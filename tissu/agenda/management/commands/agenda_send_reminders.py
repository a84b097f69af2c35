from django.core.management.base import BaseCommand

from tissu.agenda.services import reminders_send


class Command(BaseCommand):
    help = (
        "Email a reminder to the people registered for an event taking place tomorrow. "
        "Idempotent (each registration is reminded once): run it daily, or hourly."
    )

    def handle(self, *args, **options):
        count = reminders_send()
        self.stdout.write(f"{count} reminder(s) sent.")
