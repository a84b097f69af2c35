from django.core.management.base import BaseCommand
from django.utils import timezone

from tissu.funding.services import document_expiry_reminders


class Command(BaseCommand):
    help = "Tell associations about vault documents expiring within 30 days. Idempotent: one reminder per document."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=30)

    def handle(self, *args, days, **options):
        sent = document_expiry_reminders(today=timezone.localdate(), days_ahead=days)
        self.stdout.write(f"{sent} document reminder(s) sent.")
