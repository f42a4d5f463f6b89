from django.core.management.base import BaseCommand

from moderation.tasks import overdue_reminders_send


class Command(BaseCommand):
    help = (
        "Email each kabupaten/kota's editors one digest of their overdue submissions now "
        "(the worker also does it daily: settings.JOB_SCHEDULES)."
    )

    def handle(self, *args, **options):
        sent = overdue_reminders_send.call()
        self.stdout.write(f"{sent} reminder digest(s) sent")
