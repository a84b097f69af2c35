from django.core.management.base import BaseCommand
from django.utils import timezone

from tissu.funding.services import stale_reminders


class Command(BaseCommand):
    help = (
        "Remind associations of incomplete applications left alone for 14 days and of overdue final reports. "
        "Idempotent: one reminder per application and kind."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=14)

    def handle(self, *args, days, **options):
        sent = stale_reminders(now=timezone.now(), incomplete_days=days)
        self.stdout.write(f"{sent} reminder(s) sent.")
