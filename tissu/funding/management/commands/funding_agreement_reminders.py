from django.core.management.base import BaseCommand
from django.utils import timezone

from tissu.funding.services import agreement_renewal_reminders


class Command(BaseCommand):
    help = "Remind the office and associations of multi-year agreements ending within 6 months. Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--months", type=int, default=6)

    def handle(self, *args, months, **options):
        sent = agreement_renewal_reminders(today=timezone.localdate(), months_ahead=months)
        self.stdout.write(f"{sent} renewal reminder(s) sent.")
