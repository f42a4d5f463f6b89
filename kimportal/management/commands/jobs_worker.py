from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from kimportal.jobs import JobWorker


class Command(DatabaseWorkerCommand):
    help = (
        "Run background jobs from the queue in PostgreSQL (emails, reminders, clean-up), their retries "
        "and the recurring schedules (settings.JOB_SCHEDULES). Run one or more, e.g. under systemd."
    )

    def handle(self, *, verbosity: int, interval: float, batch: bool, backend_name: str, **options) -> None:
        self.configure_logging(verbosity)
        worker = JobWorker(
            queue_names=["*"],
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=False,
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"] or get_random_string(32),
            excluded_queue_names=[],
        )
        if not batch:
            worker.configure_signals()
        worker.run()
