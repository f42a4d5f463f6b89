"""Real processes for the outage tests and bench/outage.py: a private PostgreSQL (pgserver), a private
redis-server and the portal under gunicorn, each started, killed and restarted on demand.

Never the shared servers: these are killed on purpose.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import warnings
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
REDIS_SERVER = shutil.which("redis-server")
SEED_PASSWORD = "rahasia-uji-123"
MEMBER = "anggota@kratonkidul.uji"
EDITOR = "editor@pekalongan.uji"
COMMUNITY_HOST = "kratonkidul.kim.localhost"
POST_SLUG = "kabar-uji-gangguan"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RedisProcess:
    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        import redis

        assert REDIS_SERVER is not None, "install redis-server: apt-get install redis-server"
        command = [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1"]
        self.process = subprocess.Popen(
            [*command, "--save", "", "--appendonly", "no"], stdout=subprocess.DEVNULL
        )
        client = redis.Redis(port=self.port)
        for _ in range(200):
            try:
                client.ping()
                return
            except redis.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def signal(self, signum: int) -> None:
        assert self.process is not None
        os.kill(self.process.pid, signum)
        if signum == signal.SIGKILL:
            self.process.wait()

    def keys(self) -> int:
        import redis

        return redis.Redis(port=self.port).dbsize()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGCONT)
            self.process.terminate()
            self.process.wait()


class PostgresProcess:
    """A pgserver PostgreSQL in a short temporary folder (its socket path must stay under 107 bytes)."""

    def __init__(self) -> None:
        self.pgdata = Path(tempfile.mkdtemp(prefix="kimpg-", dir="/tmp")) / "data"
        self.socket_dir: Path | None = None

    def start(self) -> None:
        warnings.filterwarnings("ignore", module="platformdirs")
        import pgserver

        logging.getLogger("pgserver").setLevel(logging.WARNING)
        server = pgserver.get_server(self.pgdata, cleanup_mode=None)
        atexit.unregister(server._cleanup)  # it would log at exit, after pytest closed the stream
        self.socket_dir = server.get_postmaster_info().socket_dir
        if "(0 rows)" in server.psql("SELECT 1 FROM pg_database WHERE datname = 'kim';"):
            server.psql("CREATE DATABASE kim;")

    @property
    def url(self) -> str:
        return f"postgres://postgres@/kim?host={quote(str(self.socket_dir))}"

    def _pg_ctl(self, *args: str) -> None:
        from pgserver._commands import pg_ctl

        pg_ctl(["-w", *args], pgdata=self.pgdata, user="pgserver" if os.geteuid() == 0 else None, timeout=30)

    def stop(self, mode: str = "fast") -> None:
        """fast: sessions are ended and the server shuts down; immediate: as if it crashed."""
        self._pg_ctl("stop", "-m", mode)

    def restart(self) -> None:
        log = str(self.pgdata / "log")
        self._pg_ctl("-o", '-h ""', "-o", f"-k {self.socket_dir}", "-l", log, "start")

    def remove(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):  # already stopped
            self.stop("immediate")
        shutil.rmtree(self.pgdata.parent, ignore_errors=True)


def portal_env(database_url: str, redis_url: str = "", media_root: str = "") -> dict[str, str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.outage_settings",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "DEBUG": "0",
        "SECRET_KEY": "outage-test-only",
        "SITE_SCHEME": "http",
        "MEDIA_ROOT": media_root or tempfile.mkdtemp(prefix="kimmedia-"),
        "LOG_LEVEL": "CRITICAL",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    env.pop("TEST_DATABASE_NAME", None)
    return env


SEED = f"""
import django; django.setup()
from communities import services
from communities.models import Regency
from moderation import services as moderation_services
from moderation.models import Submission
from tests.factories import make_post
services.regions_load()
community = services.community_create(name="KIM Kraton Kidul", slug="kratonkidul",
                                      regency=Regency.objects.get(code="33.75"))
member = services.user_get_or_create(email="{MEMBER}", full_name="Siti Anggota", password="{SEED_PASSWORD}")
services.membership_set(user=member, community=community, role="member")
editor = services.user_get_or_create(email="{EDITOR}", full_name="Rina Editor", password="{SEED_PASSWORD}")
services.editor_assign(user=editor, regency=community.regency)
post = make_post(community, member, title="Kabar uji gangguan", slug="{POST_SLUG}", submit=True)
submission = Submission.objects.get(post_id=post.pk)
moderation_services.submission_approve(submission_id=submission.pk, editor=editor)
"""


def prepare_database(env: dict[str, str]) -> None:
    """Migrate the empty database and add one community, a member, an editor and a published post."""
    subprocess.run([PY, "manage.py", "migrate_portal", "-v", "0"], cwd=ROOT, env=env, check=True)
    subprocess.run([PY, "-c", SEED], cwd=ROOT, env=env, check=True)


class Gunicorn:
    def __init__(self, env: dict[str, str], workers: int = 1, threads: int = 4):
        self.port = free_port()
        self.env = {
            **env,
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
            "GUNICORN_WORKERS": str(workers),
            "GUNICORN_THREADS": str(threads),
        }
        self.process: subprocess.Popen | None = None
        self.log = Path(tempfile.mkstemp(prefix="kim-gunicorn-", suffix=".log")[1])

    def start(self) -> None:
        gunicorn = str(Path(PY).parent / "gunicorn")
        command = [gunicorn, "kimportal.wsgi", "-c", str(ROOT / "kimportal/gunicorn.conf.py")]
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=log, stderr=log)
        for _ in range(300):
            try:
                probe = urllib.request.Request(
                    f"http://127.0.0.1:{self.port}/healthz", headers={"Host": "kim.localhost"}
                )
                urllib.request.urlopen(probe, timeout=5)
                return
            except OSError:  # refused, reset or timed out (URLError is one too): not serving yet
                time.sleep(0.05)
        raise RuntimeError(f"gunicorn did not start:\n{self.log.read_text()[-3000:]}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)
        self.log.unlink(missing_ok=True)
        if self.env["MEDIA_ROOT"].startswith(tempfile.gettempdir()):
            shutil.rmtree(self.env["MEDIA_ROOT"], ignore_errors=True)


class Browser:
    """A reader at the portal over real HTTP: one cookie jar for every host, no redirects followed."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, host: str, path: str, data: dict[str, str] | None = None):
        import http.client
        from http.cookies import SimpleCookie
        from urllib.parse import urlencode

        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Host": host, "Accept-Language": "id"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = headers["Referer"] = f"http://{host}"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        response.text = response.read().decode(errors="replace")  # type: ignore[attr-defined]
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        connection.close()
        return response

    def get(self, host: str, path: str):
        return self.request("GET", host, path)

    def post(self, host: str, path: str, data: dict[str, str]):
        token = {"csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
        return self.request("POST", host, path, {**token, **data})

    def sign_in(self, email: str, password: str = SEED_PASSWORD) -> None:
        self.get("kim.localhost", "/akun/masuk/")
        response = self.post("kim.localhost", "/akun/masuk/", {"username": email, "password": password})
        assert response.status == 302, response.status
