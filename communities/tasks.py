"""Communities' background jobs (run by `manage.py jobs_worker`, scheduled in settings.JOB_SCHEDULES)."""

from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from .registrations import decrees_abandoned_delete


@task()
def abandoned_decrees_delete(days: int = 2) -> int:
    """Delete decree files checked for a registration form that was never sent (kept for a re-shown
    form a day at most); returns how many."""
    return decrees_abandoned_delete(older_than=timezone.now() - timedelta(days=max(days, 1)))
