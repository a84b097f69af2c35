from django.core.management.base import BaseCommand

from tissu.accounts.demo import PERSONAS
from tissu.accounts.models import User
from tissu.lib.demo import DEMO_PASSWORD


class Command(BaseCommand):
    help = "Print the demo accounts that exist in this database, with their password."

    def handle(self, *args, **options):
        emails = [email for email, *_ in PERSONAS.values()]
        existing = set(User.objects.filter(email__in=emails, is_active=True).values_list("email", flat=True))
        if not existing:
            self.stdout.write("No demo account in this database (run manage.py seed_demo).")
            return
        self.stdout.write("Demo accounts (password: %s):" % DEMO_PASSWORD)
        for email, _name, _roles, _superuser, description in PERSONAS.values():
            if email in existing:
                self.stdout.write(f"  {email:<34} {description}")
