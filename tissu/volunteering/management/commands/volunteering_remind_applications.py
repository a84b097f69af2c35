from django.core.management.base import BaseCommand

from tissu.volunteering.services import applications_remind


class Command(BaseCommand):
    help = (
        "Remind associations of applications left unanswered for VOLUNTEERING_REMINDER_DAYS days. "
        "Each application is recalled once: run it daily."
    )

    def handle(self, *args, **options):
        count = applications_remind()
        self.stdout.write(f"{count} application(s) recalled to their association.")
