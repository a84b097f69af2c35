from django.core.management.base import BaseCommand

from tissu.sharing.services import DUE_REMINDER_DAYS, loans_send_reminders


class Command(BaseCommand):
    help = (
        "Remind borrowers before the last day of a loan, and both sides once it is overdue (the day after, "
        "then weekly). Idempotent: run it daily."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days-before", type=int, default=DUE_REMINDER_DAYS, help="Days before the last day to remind."
        )

    def handle(self, *args, **options):
        sent = loans_send_reminders(days_before=options["days_before"])
        self.stdout.write(f"{sent['due']} loan(s) due soon and {sent['overdue']} overdue loan(s) reminded.")
