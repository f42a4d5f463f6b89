"""The worker's rules: retries with exponential backoff, and recurring jobs kept in the code.

Jobs are django-tasks rows in the public schema (django-tasks-db). A job that touches a
community's data is given the schema name and switches to it itself (`schema_context`); the worker
puts the connection back on public after every job.
"""

import logging
import time
from datetime import datetime, timedelta
from datetime import time as clock

from django.conf import settings
from django.db import InterfaceError, OperationalError, close_old_connections, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import TaskResultStatus, task
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult, get_date_max

from kimportal.db import connection
from kimportal.models import ScheduledJob

logger = logging.getLogger("kimportal.jobs")


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after the given number of failed attempts: doubling, with a ceiling."""
    seconds = settings.JOBS_RETRY_SECONDS * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, settings.JOBS_RETRY_MAX_SECONDS))


def job_retry_later(job: DBTaskResult) -> bool:
    """Put a failed job back in the queue after its backoff, unless it has used every attempt."""
    attempts = len(job.worker_ids)
    if attempts >= settings.JOBS_MAX_ATTEMPTS:
        logger.error("job %s %s failed for good after %d attempts", job.task_path, job.id, attempts)
        return False
    job.status = TaskResultStatus.READY
    job.run_after = timezone.now() + retry_delay(attempts)
    job.finished_at = None
    # The last error stays on the row (traceback, exception class) for the admin to show.
    job.save(update_fields=["status", "run_after", "finished_at"])
    logger.warning(
        "job %s %s failed (attempt %d of %d), retried after %s",
        job.task_path,
        job.id,
        attempts,
        settings.JOBS_MAX_ATTEMPTS,
        job.run_after.isoformat(timespec="seconds"),
    )
    return True


def jobs_retry(job_ids) -> int:
    """Queue failed jobs again now, with a fresh set of attempts (the admin's action)."""
    return DBTaskResult.objects.filter(pk__in=job_ids, status=TaskResultStatus.FAILED).update(
        status=TaskResultStatus.READY, run_after=get_date_max(), finished_at=None, worker_ids=[]
    )


@task()
def finished_jobs_prune(days: int = 14) -> int:
    """Delete jobs that succeeded more than `days` ago (failed ones stay for the admin); how many."""
    cutoff = timezone.now() - timedelta(days=days)
    deleted, _by_model = DBTaskResult.objects.filter(
        status=TaskResultStatus.SUCCESSFUL, finished_at__lt=cutoff
    ).delete()
    return deleted


def jobs_stalled_requeue() -> int:
    """Queue again the jobs left running longer than JOBS_STALLED_MINUTES: their worker was killed
    (a crash, or a stop that did not wait for the job); they count as a failed attempt."""
    stalled_before = timezone.now() - timedelta(minutes=settings.JOBS_STALLED_MINUTES)
    requeued = DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING, started_at__lt=stalled_before
    ).update(status=TaskResultStatus.READY, run_after=get_date_max())
    if requeued:
        logger.warning("%d stalled job(s) queued again", requeued)
    return requeued


def jobs_waiting() -> int:
    """Jobs due now that no worker has picked up: a number that grows while no worker runs."""
    due = Q(run_after__lte=timezone.now()) | Q(run_after=get_date_max())
    return DBTaskResult.objects.filter(due, status=TaskResultStatus.READY).count()


def next_run(spec: dict, after: datetime) -> datetime:
    """The first time strictly after `after` that a schedule (`daily_at` "HH:MM" local, or
    `every_minutes`) is due."""
    if "every_minutes" in spec:
        return after + timedelta(minutes=int(spec["every_minutes"]))
    hour, minute = (int(part) for part in str(spec["daily_at"]).split(":"))
    local = timezone.localtime(after)
    due = timezone.make_aware(datetime.combine(local.date(), clock(hour, minute)))
    return (
        due
        if due > after
        else timezone.make_aware(datetime.combine(local.date() + timedelta(days=1), clock(hour, minute)))
    )


def schedules_enqueue_due(now: datetime | None = None) -> list[str]:
    """Enqueue every recurring job that is due, once across all workers; returns their names."""
    now = now or timezone.now()
    fired = []
    for name, spec in settings.JOB_SCHEDULES.items():
        with transaction.atomic():
            state = ScheduledJob.objects.select_for_update(skip_locked=True).filter(name=name).first()
            if state is None:
                # First start: wait for the first due time rather than firing on every deploy.
                ScheduledJob.objects.get_or_create(name=name, defaults={"next_run_at": next_run(spec, now)})
                continue
            if state.next_run_at > now:
                continue
            import_string(str(spec["task"])).enqueue()
            state.last_enqueued_at = now
            state.next_run_at = next_run(spec, now)
            state.save(update_fields=["last_enqueued_at", "next_run_at"])
        fired.append(name)
        logger.info("scheduled job %s enqueued, next at %s", name, state.next_run_at.isoformat())
    return fired


class JobWorker(Worker):
    """django-tasks-db's worker with this project's retries, schedules and schema reset."""

    schedule_check_seconds = 10.0

    def run(self) -> None:
        logger.info("jobs worker %s started", self.worker_id)
        last_schedule_check = 0.0
        while self.running:
            try:
                close_old_connections()
                connection.set_schema_to_public()
                if time.monotonic() - last_schedule_check >= self.schedule_check_seconds:
                    schedules_enqueue_due()
                    jobs_stalled_requeue()
                    last_schedule_check = time.monotonic()
                job = self._claim()
            except (OperationalError, InterfaceError) as error:
                # The database is away (restart, failover): wait for it rather than exit.
                logger.warning("jobs worker: database unavailable (%s), trying again", str(error).strip())
                connection.close()
                time.sleep(max(self.interval, 5.0))
                continue
            if job is not None:
                self.run_task(job)
            elif self.batch:
                return
            if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                return
            if self.running and job is None:
                time.sleep(self.interval)

    def _claim(self) -> DBTaskResult | None:
        with transaction.atomic():
            job = DBTaskResult.objects.ready().filter(backend_name=self.backend_name).get_locked()
            if job is not None:
                job.claim(self.worker_id)
        return job

    def run_task(self, db_task_result: DBTaskResult) -> None:
        try:
            super().run_task(db_task_result)
        finally:
            # A job that forgot to leave its community's schema must not leak it into the next.
            connection.set_schema_to_public()
        if db_task_result.status == TaskResultStatus.FAILED:
            job_retry_later(db_task_result)
