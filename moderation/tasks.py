"""Moderation's background jobs (run by `manage.py jobs_worker`, scheduled in settings.JOB_SCHEDULES)."""

import logging

from django_tasks import task

from moderation import notifications, selectors

logger = logging.getLogger(__name__)


@task()
def overdue_reminders_send() -> int:
    """Email each kabupaten/kota's editors one digest of their overdue submissions; returns how many."""
    overdue = selectors.overdue_by_regency()
    emails = selectors.editor_emails_by_regency(list(overdue))
    sent = 0
    for regency_id, submissions in overdue.items():
        regency = submissions[0].regency
        recipients = emails.get(regency_id, [])
        if not recipients:
            logger.warning("%s: %d overdue, but no active editor to remind", regency, len(submissions))
            continue
        notifications.editors_overdue_digest(regency=regency, submissions=submissions, recipients=recipients)
        sent += 1
    return sent
