"""Background jobs in PostgreSQL: email never waits in a request, retries back off, schedules fire,
and a superuser sees and retries failed jobs in the admin."""

import os
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta

import pytest
from aiosmtpd.controller import Controller
from django.core import mail
from django.core.management import call_command
from django.db import OperationalError, connection
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import TaskResultStatus, task
from django_tasks.base import Task
from django_tasks_db.models import DBTaskResult

from accounts.models import User
from kimportal import jobs
from kimportal.models import ScheduledJob
from moderation.models import Submission
from tests.factories import make_post

DB_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
RAN: list[str] = []


@task()
def always_fails() -> None:
    raise ConnectionRefusedError("mail server down")


@task()
def remember(word: str = "ran") -> None:
    RAN.append(word)


SEEN: list[str] = []


@task()
def stays_in_community(schema_name: str) -> None:
    """A careless job: switches to a community and does not switch back."""
    connection.set_schema(schema_name)
    SEEN.append(connection.schema_name)


@pytest.fixture
def queue(settings, monkeypatch):
    """Jobs go to the database queue (as in production); `run_worker()` runs what is due, in this
    test's transaction (the worker's reconnect between jobs would end it)."""
    settings.TASKS = DB_QUEUE
    settings.EMAIL_BACKEND = "kimportal.mail.QueuedEmailBackend"
    monkeypatch.setattr(jobs, "close_old_connections", lambda: None)
    RAN.clear()
    SEEN.clear()

    def run_worker() -> None:
        call_command("jobs_worker", "--batch", verbosity=0)

    return run_worker


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def hanging_smtp():
    """A mail server that accepts connections and never answers: the port number."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    yield server.getsockname()[1]
    server.close()


class Sink:
    def __init__(self) -> None:
        self.messages: list[bytes] = []

    async def handle_DATA(self, server, session, envelope) -> str:
        self.messages.append(envelope.content)
        return "250 OK"


@pytest.fixture
def smtp_sink():
    """A local SMTP server keeping what it receives: (port, Sink)."""
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller.port, sink
    controller.stop()


def due_now(job: DBTaskResult) -> None:
    DBTaskResult.objects.filter(pk=job.pk).update(run_after=timezone.now() - timedelta(seconds=1))


def test_a_request_never_waits_on_smtp_and_the_worker_delivers_later(
    world, client_for, queue, settings, hanging_smtp, smtp_sink, django_capture_on_commit_callbacks
):
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    # Sending from the request would wait the whole timeout on this server.
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", hanging_smtp, 10
    admin = client_for(world.community_a, world.admin_a)

    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(
            "/kelola/komunitas/undangan/",
            {"kind": "email", "email-email": "baru@example.id", "email-role": "member"},
        )
    answered_in = time.monotonic() - started

    assert response.status_code == 302
    assert answered_in < 5, f"the request took {answered_in:.2f} s"
    (job,) = DBTaskResult.objects.all()
    assert job.status == TaskResultStatus.READY and job.task_path == "kimportal.mail.email_deliver"

    settings.EMAIL_TIMEOUT = 1
    queue()  # the mail server hangs: the attempt times out and is retried later
    job.refresh_from_db()
    assert job.status == TaskResultStatus.READY and len(job.worker_ids) == 1
    assert job.run_after > timezone.now() + timedelta(seconds=20)
    assert "timed out" in job.traceback

    port, sink = smtp_sink
    settings.EMAIL_PORT = port  # the mail server is back
    due_now(job)
    queue()

    job.refresh_from_db()
    assert job.status == TaskResultStatus.SUCCESSFUL
    (message,) = sink.messages
    assert b"To: baru@example.id" in message and b"KIM Kraton Kidul" in message


def test_a_failing_job_is_retried_with_growing_delays_then_fails_for_good(queue, settings, db):
    settings.JOBS_MAX_ATTEMPTS, settings.JOBS_RETRY_SECONDS = 4, 30
    always_fails.enqueue()
    delays = []
    for _attempt in range(4):
        job = DBTaskResult.objects.get()
        due_now(job)
        before = timezone.now()
        queue()
        job.refresh_from_db()
        if job.status == TaskResultStatus.READY:
            delays.append(round((job.run_after - before).total_seconds()))

    assert delays == [30, 60, 120]
    assert job.status == TaskResultStatus.FAILED and len(job.worker_ids) == 4
    assert job.exception_class_path == "builtins.ConnectionRefusedError"


def test_the_delay_has_a_ceiling(settings):
    settings.JOBS_RETRY_SECONDS, settings.JOBS_RETRY_MAX_SECONDS = 30, 3600
    assert [jobs.retry_delay(n).total_seconds() for n in (1, 2, 8, 20)] == [30, 60, 3600, 3600]


def test_a_superuser_sees_failed_jobs_and_retries_them(world, queue, settings, client_for):
    settings.JOBS_MAX_ATTEMPTS = 1
    always_fails.enqueue()
    queue()
    job = DBTaskResult.objects.get()
    assert job.status == TaskResultStatus.FAILED
    superuser = User.objects.create_superuser(email="root@example.id", password="x-very-secret-1")
    admin = client_for(None, superuser)
    changelist = "/admin/django_tasks_database/dbtaskresult/"

    assert changelist in admin.get("/admin/").text  # listed on the admin's home page
    page = admin.get(changelist, {"status__exact": "FAILED"})
    assert page.status_code == 200
    assert "always_fails" in page.text and "ConnectionRefusedError" in page.text

    response = admin.post(changelist, {"action": "retry", "_selected_action": [str(job.pk)]}, follow=True)
    assert "1 tugas diantrekan lagi." in response.text
    job.refresh_from_db()
    assert job.status == TaskResultStatus.READY and job.worker_ids == []


def test_only_a_superuser_sees_jobs(world, client_for):
    staff = User.objects.create_user(email="staf@example.id", password="x-very-secret-1", is_staff=True)
    assert client_for(None, staff).get("/admin/django_tasks_database/dbtaskresult/").status_code == 403


def test_a_schedule_fires_once_when_due_then_waits_for_its_next_time(queue, settings, db):
    settings.JOB_SCHEDULES = {
        "test-remember": {"task": "tests.kimportal.test_jobs.remember", "daily_at": "08:00"}
    }
    at_ten = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)  # 10:00 in Jakarta

    assert jobs.schedules_enqueue_due(at_ten) == []  # first start: wait for the next 08:00
    state = ScheduledJob.objects.get(name="test-remember")
    assert timezone.localtime(state.next_run_at).isoformat() == "2026-03-03T08:00:00+07:00"

    next_day = at_ten + timedelta(days=1)
    assert jobs.schedules_enqueue_due(next_day) == ["test-remember"]
    assert jobs.schedules_enqueue_due(next_day) == []  # fired once, not once per worker tick
    state.refresh_from_db()
    assert timezone.localtime(state.next_run_at).isoformat() == "2026-03-04T08:00:00+07:00"

    state.next_run_at = timezone.now() + timedelta(hours=1)  # the worker's own check is at the real time
    state.save()
    queue()
    assert RAN == ["ran"]


def test_the_worker_sends_the_overdue_reminders_on_their_schedule(world, queue, settings):
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    post = make_post(world.community_a, world.member_a, title="Posyandu lansia", submit=True)
    connection.set_schema_to_public()
    Submission.objects.filter(post_id=post.pk, community=world.community_a).update(
        submitted_at=timezone.now() - timedelta(days=3)
    )
    ScheduledJob.objects.create(name="moderation-overdue-reminders", next_run_at=timezone.now())

    queue()

    (digest,) = mail.outbox
    assert digest.to == ["editor.a@example.id"] and "Posyandu lansia" in digest.body
    assert ScheduledJob.objects.get(name="moderation-overdue-reminders").next_run_at > timezone.now()


def test_every_schedule_names_a_task(settings):

    for spec in settings.JOB_SCHEDULES.values():
        assert isinstance(import_string(spec["task"]), Task)


def test_the_worker_puts_the_connection_back_on_public_after_a_job(world, queue):
    stays_in_community.enqueue(world.community_a.schema_name)
    queue()
    assert [world.community_a.schema_name] == SEEN
    assert connection.schema_name == "public"


def test_jobs_done_two_weeks_ago_are_pruned_failed_ones_stay(db):
    common = {"task_path": "x.y", "args_kwargs": {"args": [], "kwargs": {}}, "backend_name": "default"}
    old, recent = timezone.now() - timedelta(days=15), timezone.now() - timedelta(days=13)
    DBTaskResult.objects.create(**common, run_after=old, status=TaskResultStatus.SUCCESSFUL, finished_at=old)
    kept = DBTaskResult.objects.create(
        **common, run_after=old, status=TaskResultStatus.SUCCESSFUL, finished_at=recent
    )
    failed = DBTaskResult.objects.create(
        **common, run_after=old, status=TaskResultStatus.FAILED, finished_at=old
    )

    assert jobs.finished_jobs_prune.call() == 1
    assert set(DBTaskResult.objects.values_list("pk", flat=True)) == {kept.pk, failed.pk}


def test_the_worker_command_delivers_queued_email_to_smtp(committed_world, settings, smtp_sink):
    """The real `manage.py jobs_worker`, in its own process, on what a request committed."""
    from django.core.mail import send_mail

    from tests.kimportal.test_metrics_gunicorn import ROOT, database_url

    settings.TASKS = DB_QUEUE
    settings.EMAIL_BACKEND = "kimportal.mail.QueuedEmailBackend"
    port, sink = smtp_sink
    try:
        send_mail("Kiriman disetujui", "Tulisan Anda tayang.", None, ["anggota.a@example.id"])
        env = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "DEBUG": "1",
            "SECRET_KEY": "test-only",
            "EMAIL_DELIVERY_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(port),
        }
        worker = subprocess.run(
            [sys.executable, "manage.py", "jobs_worker", "--batch"],
            env=env,
            cwd=ROOT,
            capture_output=True,
            timeout=60,
        )
        assert worker.returncode == 0, worker.stderr.decode()[-2000:]
        (message,) = sink.messages
        assert b"Subject: Kiriman disetujui" in message and b"To: anggota.a@example.id" in message
        assert DBTaskResult.objects.get().status == TaskResultStatus.SUCCESSFUL
    finally:
        DBTaskResult.objects.all().delete()


def test_a_job_whose_worker_died_is_queued_again(queue, settings, db):
    settings.JOBS_STALLED_MINUTES = 60
    remember.enqueue("again")
    job = DBTaskResult.objects.get()
    job.claim("a-worker-that-was-killed")
    DBTaskResult.objects.filter(pk=job.pk).update(started_at=timezone.now() - timedelta(minutes=61))

    assert jobs.jobs_stalled_requeue() == 1
    queue()

    job.refresh_from_db()
    assert job.status == TaskResultStatus.SUCCESSFUL and len(job.worker_ids) == 2
    assert RAN == ["again"]


def test_a_job_running_for_less_time_is_left_alone(queue, settings, db):
    remember.enqueue()
    DBTaskResult.objects.get().claim("busy-worker")
    assert jobs.jobs_stalled_requeue() == 0


def test_the_worker_waits_for_the_database_to_come_back(queue, monkeypatch, db):
    claims = iter([OperationalError("server closed the connection"), None])

    def claim(self):
        outcome = next(claims)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    monkeypatch.setattr(jobs.JobWorker, "_claim", claim)
    monkeypatch.setattr(jobs.time, "sleep", lambda seconds: None)
    queue()  # batch mode: returns once the queue is empty, after the outage
    assert next(claims, "drained") == "drained"
