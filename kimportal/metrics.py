"""Prometheus metrics (prometheus-client), served at /metrics to METRICS_ALLOWED_NETWORKS only.

gunicorn runs several worker processes: with PROMETHEUS_MULTIPROC_DIR set (kimportal/gunicorn.conf.py
sets it), each writes its counters to files there and a scrape adds every worker's up
(prometheus-client's multiprocess mode). Job counts are read from the database at scrape time.

Page-cache hit ratio, in PromQL: `sum(rate(kim_page_cache_lookups_total{result="hit"}[5m]))
/ sum(rate(kim_page_cache_lookups_total[5m]))`.
"""

import ipaddress
import logging
import os
from collections.abc import Iterator
from datetime import datetime

from django.conf import settings
from django.db import DatabaseError
from django.db.models import Count, Min, Q
from django.http import HttpRequest, HttpResponse, HttpResponseNotFound
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

from kimportal.clients import client_address

logger = logging.getLogger(__name__)

REQUESTS = Counter("kim_http_requests", "Requests answered, by status and view.", ["status", "view"])
LATENCY = Histogram(
    "kim_http_request_duration_seconds",
    "Time from the first middleware to the response, by view.",
    ["view"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
PAGE_CACHE = Counter(
    "kim_page_cache_lookups", "Anonymous readers' cached-page lookups, by result (hit or miss).", ["result"]
)


def request_observe(*, status: int, view: str, seconds: float) -> None:
    REQUESTS.labels(status=str(status), view=view).inc()
    LATENCY.labels(view=view).observe(seconds)


def page_cache_lookup(*, hit: bool) -> None:
    PAGE_CACHE.labels(result="hit" if hit else "miss").inc()


class JobsCollector(Collector):
    """The job queue, from its table: due jobs (the queue depth) and how long the oldest has waited
    (alert on it: it grows while no worker runs), jobs waiting for a retry, running and failed ones."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        due = Q(run_after=get_date_max()) | Q(run_after__lte=timezone.now())
        try:
            counts = self._counts(due)
        except DatabaseError:
            # The database is down: the request metrics are still worth scraping.
            logger.warning("metrics: the job queue could not be read")
            return
        yield GaugeMetricFamily("kim_jobs_queued", "Jobs due to run now (the queue depth).", counts["due"])
        yield GaugeMetricFamily(
            "kim_jobs_waiting_retry", "Failed jobs waiting for their retry.", counts["later"]
        )
        yield GaugeMetricFamily(
            "kim_jobs_oldest_due_seconds",
            "How long the longest-waiting due job has been due (grows while no worker runs).",
            _age(counts["due_since_enqueued"], counts["due_since_run_after"]),
        )
        yield GaugeMetricFamily("kim_jobs_running", "Jobs a worker is running.", counts["running"])
        yield GaugeMetricFamily(
            "kim_jobs_failed", "Jobs that used every attempt (retry them in the admin).", counts["failed"]
        )

    @staticmethod
    def _counts(due: Q) -> dict:
        return DBTaskResult.objects.aggregate(
            due=Count("pk", filter=Q(status=TaskResultStatus.READY) & due),
            later=Count("pk", filter=Q(status=TaskResultStatus.READY) & ~due),
            running=Count("pk", filter=Q(status=TaskResultStatus.RUNNING)),
            failed=Count("pk", filter=Q(status=TaskResultStatus.FAILED)),
            # A job to run at once has no run_after (the far-future sentinel): it is due since enqueued.
            due_since_enqueued=Min(
                "enqueued_at", filter=Q(status=TaskResultStatus.READY, run_after=get_date_max())
            ),
            due_since_run_after=Min(
                "run_after", filter=Q(status=TaskResultStatus.READY, run_after__lte=timezone.now())
            ),
        )


def _age(*since: datetime | None) -> float:
    oldest = min((moment for moment in since if moment is not None), default=None)
    return max((timezone.now() - oldest).total_seconds(), 0.0) if oldest else 0.0


def _allowed(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(network) for network in settings.METRICS_ALLOWED_NETWORKS)


def metrics_response(request: HttpRequest) -> HttpResponse:
    """The metrics in Prometheus' text format; a 404 for anyone outside METRICS_ALLOWED_NETWORKS."""
    if not _allowed(client_address(request)):
        return HttpResponseNotFound()
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(registry)
    else:
        for collector in (REQUESTS, LATENCY, PAGE_CACHE):
            registry.register(collector)
    registry.register(JobsCollector())
    return HttpResponse(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)
