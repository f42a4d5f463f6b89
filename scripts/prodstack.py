"""The production stack on this machine, without containers: what `make prod-smoke` and the proxy
benchmark run.

PostgreSQL (a fresh database on the server DATABASE_URL names), a private Redis when redis-server is
installed, gunicorn with the production settings (DEBUG off) on a loopback port, the job worker when
KIM_WORKER_COMMAND names it, and Debian's nginx with deploy/nginx/kimportal.conf.template as a
process of its own (its own prefix, temp and cache folders) on loopback ports, serving https with a
wildcard certificate for kim.localhost and *.kim.localhost from a test CA (trustme).
"""

from __future__ import annotations

import contextlib
import os
import shlex
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "deploy" / "nginx"))
import render  # noqa: E402 - deploy/nginx/render.py, the operator's renderer

PY = sys.executable
BASE_DOMAIN = "kim.localhost"
NGINX = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if Path(p).exists()), None)
# The job worker's manage.py arguments (issue 19: `jobs_worker`); the variable the units and compose use.
WORKER_COMMAND = os.environ.get("KIM_WORKER_COMMAND", "").strip()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def resolve_localhost_names() -> None:
    """Let this process reach *.kim.localhost on 127.0.0.1 (browsers do; glibc may not), so that TLS
    sees the real host name (SNI and certificate check) while only loopback is ever dialled."""
    original = socket.getaddrinfo

    def getaddrinfo(host, *args, **kwargs):
        if isinstance(host, str) and (host == BASE_DOMAIN or host.endswith("." + BASE_DOMAIN)):
            host = "127.0.0.1"
        return original(host, *args, **kwargs)

    socket.getaddrinfo = getaddrinfo


def wait_for(check, what: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError):
            if check():
                return
        time.sleep(0.1)
    raise RuntimeError(f"{what} did not start in {seconds:.0f} s")


def port_open(port: int) -> bool:
    with socket.create_connection(("127.0.0.1", port), timeout=1):
        return True


@dataclass
class Stack:
    workdir: Path
    database_url: str
    https_port: int = field(default_factory=free_port)
    http_port: int = field(default_factory=free_port)
    app_port: int = field(default_factory=free_port)
    smtp_port: int | None = None
    gunicorn_workers: int = 2
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)
    redis_url: str = ""

    @property
    def ca_file(self) -> Path:
        return self.workdir / "ca.pem"

    @property
    def media_root(self) -> Path:
        return self.workdir / "media"

    def url(self, subdomain: str = "", path: str = "/") -> str:
        host = f"{subdomain}.{BASE_DOMAIN}" if subdomain else BASE_DOMAIN
        return f"https://{host}:{self.https_port}{path}"

    def ssl_context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(self.ca_file))

    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "DATABASE_URL": self.database_url,
            "DEBUG": "0",
            "SECRET_KEY": "prod-smoke-only-secret-key-0123456789abcdef",
            "BASE_DOMAIN": BASE_DOMAIN,
            "SITE_SCHEME": "https",
            "SITE_PORT": f":{self.https_port}",
            "MEDIA_ROOT": str(self.media_root),
            "REDIS_URL": self.redis_url,
            "TRUSTED_PROXIES": "127.0.0.1",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(self.smtp_port or 25),
            "GUNICORN_BIND": f"127.0.0.1:{self.app_port}",
            "GUNICORN_WORKERS": str(self.gunicorn_workers),
            "LOG_LEVEL": "WARNING",
            # gunicorn's control socket goes here, not in the user's home (shared by every stack).
            "XDG_RUNTIME_DIR": str(self.workdir),
        }

    def log(self, name: str):
        return open(self.workdir / f"{name}.log", "a")  # noqa: SIM115 - the child process keeps it

    def manage(self, *args: str) -> None:
        result = subprocess.run(
            [PY, "manage.py", *args], cwd=ROOT, env=self.env(), capture_output=True, text=True
        )
        if result.returncode:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")

    # --- the pieces ------------------------------------------------------------------------------

    def start_redis(self) -> None:
        server = shutil.which("redis-server")
        if server is None:
            print(
                "redis-server not found: the app uses its local-memory cache (apt-get install redis-server)"
            )
            return
        sock = self.workdir / "redis.sock"
        self.processes["redis"] = subprocess.Popen(
            [server, "--port", "0", "--unixsocket", str(sock), "--save", "", "--appendonly", "no"],
            stdout=self.log("redis"),
            stderr=subprocess.STDOUT,
        )
        wait_for(sock.exists, "redis-server")
        self.redis_url = f"unix://{sock}?db=0"

    def prepare_database(self, *, seed: bool = True) -> None:
        self.manage("migrate_portal", "-v", "0")
        if seed:
            self.manage("seed_demo")
        self.manage("collectstatic", "--noinput", "-v", "0")

    def start_gunicorn(self) -> None:
        self.processes["gunicorn"] = subprocess.Popen(
            [PY, "-m", "gunicorn", "kimportal.wsgi:application", "--config", "kimportal/gunicorn.conf.py"],
            cwd=ROOT,
            env=self.env(),
            stdout=self.log("gunicorn"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_for(lambda: port_open(self.app_port), "gunicorn", 60)

    def stop(self, name: str) -> None:
        process = self.processes.pop(name, None)
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def start_worker(self) -> bool:
        if not WORKER_COMMAND:
            return False
        self.processes["worker"] = subprocess.Popen(
            [PY, "manage.py", *shlex.split(WORKER_COMMAND)],
            cwd=ROOT,
            env=self.env(),
            stdout=self.log("worker"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        return True

    def make_certificate(self) -> None:
        import trustme

        ca = trustme.CA(organization_name="KIM Portal test CA")
        cert = ca.issue_cert(BASE_DOMAIN, f"*.{BASE_DOMAIN}")
        ca.cert_pem.write_to_path(str(self.ca_file))
        cert.private_key_pem.write_to_path(str(self.workdir / "tls.key"))
        chain = self.workdir / "tls.pem"
        chain.write_bytes(b"".join(blob.bytes() for blob in cert.cert_chain_pems))

    def start_nginx(self) -> None:
        if NGINX is None:
            raise RuntimeError("nginx is not installed: `apt-get install nginx` (Debian's package), as root")
        prefix = self.workdir / "nginx"
        for sub in ("logs", "cache", "temp"):
            (prefix / sub).mkdir(parents=True, exist_ok=True)
        pages = prefix / "errors"
        shutil.copytree(ROOT / "deploy" / "nginx" / "errors", pages, dirs_exist_ok=True)
        settings = render.values(
            {
                "BASE_DOMAIN": BASE_DOMAIN,
                "UPSTREAM": f"127.0.0.1:{self.app_port}",
                "MEDIA_ROOT": str(self.media_root),
                "HTTP_LISTEN": f"127.0.0.1:{self.http_port}",
                "HTTPS_LISTEN": f"127.0.0.1:{self.https_port}",
                "SITE_PORT": f":{self.https_port}",
                "TLS_CERT": str(self.workdir / "tls.pem"),
                "TLS_KEY": str(self.workdir / "tls.key"),
                "CACHE_DIR": str(prefix / "cache"),
                "ACCESS_LOG": str(prefix / "logs" / "access.log"),
                "ERROR_PAGES": str(pages),
                # nginx's body cap is gunicorn's, as render.py reads it from the app's env file.
                **{k: v for k, v in self.env().items() if k == "UPLOAD_MAX_REQUEST_BYTES"},
            }
        )
        (prefix / "kimportal.conf").write_text(render.render(settings))
        temp = prefix / "temp"
        # As root (CI) the master drops its workers to www-data, as Debian's own config does; any
        # other user runs master and workers as itself.
        user = "user www-data;" if os.geteuid() == 0 else ""
        (prefix / "nginx.conf").write_text(
            f"""{user}
daemon off;
worker_processes 2;
pid {prefix}/nginx.pid;
error_log {prefix}/logs/error.log warn;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    tcp_nopush on;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    include {prefix}/kimportal.conf;
}}
"""
        )
        conf = ["-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-e", str(prefix / "logs" / "error.log")]
        check = subprocess.run([NGINX, *conf, "-t", "-q"], capture_output=True, text=True)
        if check.returncode:
            raise RuntimeError(f"nginx -t failed:\n{check.stderr}")
        self.processes["nginx"] = subprocess.Popen(
            [NGINX, *conf], stdout=self.log("nginx"), stderr=subprocess.STDOUT, start_new_session=True
        )
        wait_for(lambda: port_open(self.https_port), "nginx")

    def close(self) -> None:
        for name in ("nginx", "worker", "gunicorn", "redis"):
            self.stop(name)


def fresh_database(base_url: str, name: str) -> str:
    """DROP and CREATE database `name` on the server of base_url; returns its URL."""
    import psycopg
    from psycopg import sql

    url = urlunsplit(urlsplit(base_url)._replace(path=f"/{name}"))
    admin = urlunsplit(urlsplit(base_url)._replace(path="/postgres")).replace(
        "postgres://", "postgresql://", 1
    )
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return url


def drop_database(base_url: str, name: str) -> None:
    import psycopg
    from psycopg import sql

    admin = urlunsplit(urlsplit(base_url)._replace(path="/postgres")).replace(
        "postgres://", "postgresql://", 1
    )
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@contextlib.contextmanager
def running_stack(
    suffix: str, *, smtp_port: int | None = None, seed: bool = True, gunicorn_workers: int = 2
) -> Iterator[Stack]:
    """Database `<DATABASE_URL's name>_<suffix>`, made fresh and dropped after."""
    base_url = os.environ["DATABASE_URL"]
    name = f"{urlsplit(base_url).path.lstrip('/')}_{suffix}"
    workdir = Path(tempfile.mkdtemp(prefix=f"kim-{suffix}-"))
    workdir.chmod(0o755)  # nginx's workers (www-data when run as root) read media and error pages
    stack = Stack(
        workdir=workdir,
        database_url=fresh_database(base_url, name),
        smtp_port=smtp_port,
        gunicorn_workers=gunicorn_workers,
    )
    try:
        stack.media_root.mkdir()
        stack.start_redis()
        stack.prepare_database(seed=seed)
        stack.make_certificate()
        stack.start_gunicorn()
        stack.start_nginx()
        yield stack
    except BaseException:
        for log in sorted(workdir.glob("*.log")) + sorted(workdir.glob("nginx/logs/error.log")):
            tail = log.read_text(errors="replace")[-3000:]
            if tail.strip():
                print(f"--- {log.name} (last lines) ---\n{tail}", file=sys.stderr)
        raise
    finally:
        stack.close()
        with contextlib.suppress(Exception):
            drop_database(base_url, name)
        shutil.rmtree(workdir, ignore_errors=True)
