"""/readyz reports the database, the cache and the job queue; /healthz stays the cheap liveness check."""

import json

from django.core.mail import send_mail


def test_it_reports_a_ready_node(world, main_client):
    response = main_client.get("/readyz")

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    report = json.loads(response.content)
    assert report == {"database": "ok", "cache": "local", "jobs": "ok", "jobs_waiting": 0}


def test_every_host_answers_it(world, client_for):
    assert client_for(world.community_a).get("/readyz").status_code == 200


def test_it_counts_the_jobs_waiting(world, main_client, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.EMAIL_BACKEND = "kimportal.mail.QueuedEmailBackend"
    send_mail("Halo", "Isi", None, ["a@example.id"])
    send_mail("Halo", "Isi", None, ["b@example.id"])

    report = json.loads(main_client.get("/readyz").content)

    assert (report["jobs"], report["jobs_waiting"]) == ("ok", 2)
