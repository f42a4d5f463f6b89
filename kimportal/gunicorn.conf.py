"""gunicorn settings for production and `make bench`; each can be overridden by environment."""

import gc
import multiprocessing
import os
import tempfile
from pathlib import Path

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
# Threads let one worker overlap database waits; the ORM stays synchronous (django-tenants).
threads = int(os.environ.get("GUNICORN_THREADS", 2))
worker_class = "gthread"
# Recycling guards against a slow leak; each recycle costs a fresh worker its warm-up, so it should be
# rare: at 2,000 requests/s over five workers, 5,000 requests meant a new worker every 2-3 seconds.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 50_000))
max_requests_jitter = max_requests // 10
# Load Django once in the master and fork workers from it (see when_ready), so a new worker does not
# spend a core importing Django while the others queue. Nothing opens a connection at import time.
# New code needs a restart of the master, not a HUP.
preload_app = os.environ.get("GUNICORN_PRELOAD", "1") != "0"
timeout = 30
keepalive = 5
accesslog = os.environ.get("GUNICORN_ACCESSLOG") or None
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


# Prometheus metrics from every worker: each writes its counters to files in this folder and /metrics
# adds them up (prometheus-client's multiprocess mode, kimportal/metrics.py). Set before the app, and
# so prometheus-client, is loaded; emptied when gunicorn starts, so a restart begins at zero.
if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="kim-metrics-")
METRICS_DIR = Path(os.environ["PROMETHEUS_MULTIPROC_DIR"])


def on_starting(server):
    METRICS_DIR.mkdir(parents=True, exist_ok=True)
    for stale in METRICS_DIR.glob("*.db"):
        stale.unlink()


def child_exit(server, worker):
    """A worker that exits leaves its counters to the sum, but not its live gauges."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def when_ready(server):
    """In the master, after preload_app has loaded Django and before any worker is forked: import
    what a first request would, then freeze the heap. Otherwise every new worker spends its first
    requests importing the URLconfs' views and redis-py, and its first full garbage collection
    walking (and so copying) every object it inherited, while its connections wait."""
    if not preload_app:
        return
    from django.conf import settings
    from django.core.cache import caches
    from django.urls import get_resolver

    for urlconf in {settings.ROOT_URLCONF, getattr(settings, "PUBLIC_SCHEMA_URLCONF", settings.ROOT_URLCONF)}:
        get_resolver(urlconf).url_patterns  # noqa: B018 - imports every view
    for cache in caches.all(initialized_only=False):
        getattr(cache, "_cache", None)  # Django's Redis backend imports redis-py here; nothing connects
    gc.collect()
    gc.freeze()
