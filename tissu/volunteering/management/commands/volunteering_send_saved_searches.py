from django.core.management.base import BaseCommand

from tissu.volunteering.saved_searches import saved_searches_send


class Command(BaseCommand):
    help = "Email each saved mission search the missions published since its last email. Idempotent: run it daily."

    def handle(self, *args, **options):
        count = saved_searches_send()
        self.stdout.write(f"{count} email(s) sent.")
