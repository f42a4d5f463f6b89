"""gunicorn settings for production and `make bench`; each can be overridden by environment."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
# Threads let one worker overlap database waits; the ORM stays synchronous (django-tenants).
threads = int(os.environ.get("GUNICORN_THREADS", 2))
worker_class = "gthread"
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 5000))
# Load Django once in the master and fork workers from it: a worker recycled by max_requests is
# back in milliseconds instead of spending ~0.35 s of a core importing Django while the others queue
# (p99 of a cached page at 64 connections, local-memory cache: 175-1,010 ms without, 82-191 ms with).
# Nothing opens a connection at import time. New code needs a restart of the master, not a HUP.
preload_app = os.environ.get("GUNICORN_PRELOAD", "1") != "0"
max_requests_jitter = 500
timeout = 30
keepalive = 5
accesslog = os.environ.get("GUNICORN_ACCESSLOG") or None
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
