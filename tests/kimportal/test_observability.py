"""Request logs, request ids, Prometheus metrics and short warnings for foreign Host headers."""

import json
import logging
import re

import pytest
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from kimportal.logs import JsonFormatter


@pytest.fixture
def request_log(caplog):
    """The JSON lines the request logger wrote, parsed."""
    caplog.set_level(logging.INFO, logger="kimportal.requests")
    formatter = JsonFormatter()

    def lines() -> list[dict]:
        return [json.loads(formatter.format(r)) for r in caplog.records if r.name == "kimportal.requests"]

    return lines


def metric(text: str, name: str, **labels: str) -> float:
    """The value of one sample in Prometheus' text format (0 when absent)."""
    wanted = ",".join(f'{key}="{value}"' for key, value in sorted(labels.items()))
    for line in text.splitlines():
        sample, _, value = line.rpartition(" ")
        series, _, label_text = sample.partition("{")
        if series == name and ",".join(sorted(label_text.rstrip("}").split(","))) == wanted:
            return float(value)
    return 0.0


def test_each_request_is_one_json_line_with_who_where_and_how_long(world, client_for, request_log):
    response = client_for(world.community_a, world.member_a).get("/kelola/")

    assert response.status_code == 200
    (line,) = request_log()
    assert line["request_id"] == response["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", line["request_id"])
    assert line["host"] == "kratonkidul.kim.localhost" and line["community"] == world.community_a.schema_name
    assert line["user_id"] == world.member_a.pk
    assert line["status"] == 200 and line["method"] == "GET" and line["path"] == "/kelola/"
    assert line["duration_ms"] > 0 and line["queries"] > 0
    assert line["view"] == "posts:list"


def test_an_anonymous_request_on_the_main_domain(world, main_client, request_log):
    main_client.get("/healthz")
    (line,) = request_log()
    assert line["community"] is None and line["user_id"] is None and line["queries"] == 0


def test_the_proxys_request_id_is_kept(world, main_client, request_log):
    response = main_client.get("/healthz", HTTP_X_REQUEST_ID="nginx-7f3a9c0e12")
    assert response["X-Request-ID"] == "nginx-7f3a9c0e12"
    assert request_log()[0]["request_id"] == "nginx-7f3a9c0e12"


@pytest.mark.parametrize("given", ["", "a b", "x" * 65, 'id"\nInjected: yes', "<script>"])
def test_a_malformed_request_id_is_replaced(world, main_client, given):
    response = main_client.get("/healthz", HTTP_X_REQUEST_ID=given)
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


def test_a_foreign_host_is_one_short_warning(client, caplog, request_log):
    caplog.set_level(logging.INFO)
    response = client.get("/", HTTP_HOST="evil.example")

    assert response.status_code == 400
    (warning,) = [r for r in caplog.records if r.name.startswith("django.security")]
    assert warning.levelno == logging.WARNING and warning.exc_info is None
    assert warning.getMessage() == "Invalid HTTP_HOST header: 'evil.example'"
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert request_log()[0]["status"] == 400


def test_metrics_count_requests_by_status_and_view_and_time_them(world, main_client, client):
    before = client.get("/metrics").text
    main_client.get("/healthz")
    main_client.get("/tidak-ada/")
    after = client.get("/metrics").text

    def grew(name: str, **labels: str) -> float:
        return metric(after, name, **labels) - metric(before, name, **labels)

    assert grew("kim_http_requests_total", status="200", view="health") == 1
    assert grew("kim_http_requests_total", status="404", view="-") == 1
    assert grew("kim_http_request_duration_seconds_count", view="health") == 1
    assert grew("kim_http_request_duration_seconds_bucket", view="health", le="10.0") == 1


def test_metrics_show_the_job_queue(db, client, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    common = {"task_path": "x.y", "args_kwargs": {"args": [], "kwargs": {}}, "backend_name": "default"}
    DBTaskResult.objects.create(**common, run_after=get_date_max())  # "at once", as enqueue() stores it
    DBTaskResult.objects.create(**common, run_after=timezone.now() - timezone.timedelta(minutes=10))
    DBTaskResult.objects.create(**common, run_after=timezone.now() + timezone.timedelta(minutes=5))
    DBTaskResult.objects.create(**common, run_after=timezone.now(), status=TaskResultStatus.FAILED)

    text = client.get("/metrics").text

    assert metric(text, "kim_jobs_queued") == 2
    assert metric(text, "kim_jobs_waiting_retry") == 1
    assert metric(text, "kim_jobs_failed") == 1
    assert 600 <= metric(text, "kim_jobs_oldest_due_seconds") < 660  # no worker took it for 10 minutes


def test_metrics_count_page_cache_hits_and_misses(world, client_for, client):
    before = client.get("/metrics").text
    reader = client_for(world.community_a)
    reader.get("/")
    reader.get("/")
    after = client.get("/metrics").text

    def grew(result: str) -> float:
        return metric(after, "kim_page_cache_lookups_total", result=result) - metric(
            before, "kim_page_cache_lookups_total", result=result
        )

    assert (grew("miss"), grew("hit")) == (1, 1)


def test_metrics_are_only_for_the_configured_networks(db, client, settings, world):
    assert client.get("/metrics").status_code == 200  # the test client comes from 127.0.0.1
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.9").status_code == 404
    settings.METRICS_ALLOWED_NETWORKS = ["10.0.0.0/8"]
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 200
    assert client.get("/metrics").status_code == 404
    # Through our proxy, the reader's address counts, not the proxy's.
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    forwarded = client.get("/metrics", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert forwarded.status_code == 404


def test_metrics_still_answer_when_the_job_queue_cannot_be_read(world, main_client, client, monkeypatch):
    from django.db import OperationalError

    from kimportal.metrics import JobsCollector

    def database_down(due):
        raise OperationalError("connection refused")

    monkeypatch.setattr(JobsCollector, "_counts", staticmethod(database_down))
    main_client.get("/healthz")
    response = client.get("/metrics")

    assert response.status_code == 200
    assert metric(response.text, "kim_http_requests_total", status="200", view="health") >= 1
    assert "kim_jobs_queued" not in response.text
