from django.core.management.base import BaseCommand

from moderation import notifications, selectors


class Command(BaseCommand):
    help = "Email each kabupaten/kota's editors one digest of their overdue submissions (run from cron)."

    def handle(self, *args, **options):
        overdue = selectors.overdue_by_regency()
        emails = selectors.editor_emails_by_regency(list(overdue))
        sent = 0
        for regency_id, submissions in overdue.items():
            regency = submissions[0].regency
            recipients = emails.get(regency_id, [])
            if not recipients:
                self.stderr.write(f"{regency}: {len(submissions)} overdue, but no active editor to remind")
                continue
            notifications.editors_overdue_digest(
                regency=regency, submissions=submissions, recipients=recipients
            )
            sent += 1
        self.stdout.write(f"{sent} reminder digest(s) sent")
