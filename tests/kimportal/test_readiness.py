"""/readyz reports the database, the cache and the job queue; /healthz stays the cheap liveness check."""

import json


def test_it_reports_a_ready_node(world, main_client):
    response = main_client.get("/readyz")

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert json.loads(response.content) == {"database": "ok", "cache": "local", "jobs": "unknown"}


def test_every_host_answers_it(world, client_for):
    assert client_for(world.community_a).get("/readyz").status_code == 200
