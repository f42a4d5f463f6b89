"""/readyz reports the database, the cache and the job queue; /healthz stays the cheap liveness check."""

import json

from django.db import connection


def test_it_reports_a_ready_node(world, main_client):
    response = main_client.get("/readyz")

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert json.loads(response.content) == {"database": "ok", "cache": "local", "jobs": "unknown"}


def test_every_host_answers_it(world, client_for):
    assert client_for(world.community_a).get("/readyz").status_code == 200


def test_it_counts_the_jobs_waiting_when_the_queue_is_there(world, main_client):
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE django_tasks_database_dbtaskresult (status varchar(20))")
        cursor.execute(
            "INSERT INTO django_tasks_database_dbtaskresult VALUES ('READY'), ('READY'), ('SUCCEEDED')"
        )

    report = json.loads(main_client.get("/readyz").content)

    assert (report["jobs"], report["jobs_waiting"]) == ("ok", 2)


def test_a_queue_of_another_shape_does_not_fail_readiness(world, main_client):
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE django_tasks_database_dbtaskresult (id int)")

    response = main_client.get("/readyz")

    assert response.status_code == 200
    assert json.loads(response.content)["jobs"] == "unknown"
