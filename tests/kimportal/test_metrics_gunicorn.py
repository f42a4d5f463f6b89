"""/metrics under gunicorn adds up every worker process, those recycled since included."""

import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.error import URLError
from urllib.request import Request, urlopen

from django.db import connection

from tests.kimportal.test_jobs import free_port
from tests.kimportal.test_observability import metric

ROOT = Path(__file__).resolve().parents[2]


def database_url() -> str:
    params = connection.settings_dict
    host = params["HOST"] or params["OPTIONS"].get("host", "")
    if host.startswith("/"):
        return f"postgres://{params['USER']}@/{params['NAME']}?host={host}"
    return (
        f"postgres://{params['USER']}:{params['PASSWORD']}@{host}:{params['PORT'] or 5432}/{params['NAME']}"
    )


def get(port: int, path: str) -> str | None:
    request = Request(f"http://127.0.0.1:{port}{path}", headers={"Host": "kim.localhost"})
    try:
        with urlopen(request, timeout=5) as response:
            return response.read().decode()
    except (URLError, ConnectionError):
        return None


def test_metrics_add_up_every_gunicorn_worker(db, tmp_path):
    port = free_port()
    metrics_dir = tmp_path / "metrics"
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "DEBUG": "1",
        "SECRET_KEY": "test-only",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "2",
        "GUNICORN_THREADS": "1",
        # Each worker is replaced after 5 requests: the sum must keep what the old ones counted.
        "GUNICORN_MAX_REQUESTS": "5",
        "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir),
    }
    command = [sys.executable, "-m", "gunicorn", "-c", "kimportal/gunicorn.conf.py", "kimportal.wsgi"]
    server = subprocess.Popen(
        command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        answered, deadline = 0, time.monotonic() + 30
        while answered == 0 and time.monotonic() < deadline:
            answered += get(port, "/healthz") is not None
            time.sleep(0.1)
        for _ in range(29):
            answered += get(port, "/healthz") is not None
        text = get(port, "/metrics")
    finally:
        server.terminate()
        server.wait(timeout=10)

    assert answered == 30
    assert text is not None and metric(text, "kim_http_requests_total", status="200", view="health") == 30
    assert metric(text, "kim_http_request_duration_seconds_count", view="health") == 30
    workers = {path.stem.rsplit("_", 1)[-1] for path in metrics_dir.glob("counter_*.db")}
    assert len(workers) >= 4, workers
