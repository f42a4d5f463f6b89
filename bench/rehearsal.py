"""Capacity rehearsal for docs/operations.md: `python bench/rehearsal.py [--seconds 600] [--target 10000]`.

On a private PostgreSQL (Debian's binaries, a fresh cluster in a temporary folder, dropped after):
migrate, then create communities (schemas copied from the template, as onboarding does) in batches
until --target or --seconds, then time: one more community (in-process, median of 5, and the
`create_community` command), `migrate_portal` with nothing to apply, `pg_dump -Fc` and
`pg_restore`, the catalog's size; and one PostgreSQL backend's memory after one gunicorn worker has
served the home pages of 100, 1,000, ... distinct communities. Prints JSON. Loopback only.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import prodstack  # noqa: E402

PG_BIN = Path(
    os.environ.get("PG_BIN") or sorted(Path("/usr/lib/postgresql").glob("*/bin"))[-1]  # Debian's newest
)
PY = sys.executable
# pg_dump locks every table it dumps in one transaction: the lock table must hold them all
# (max_locks_per_transaction x max_connections slots); see docs/operations.md.
MAX_LOCKS = 4096
MAX_CONNECTIONS = 50


def as_postgres(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root
        command = ["runuser", "-u", "postgres", "--", *command]
    return subprocess.run(command, check=True, capture_output=True, text=True, **kwargs)


class Cluster:
    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="kim-rehearsal-"))
        self.port = prodstack.free_port()
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres")
        as_postgres([str(PG_BIN / "initdb"), "-D", str(self.dir / "data"), "-U", "postgres", "-A", "trust"])
        options = f"-c max_locks_per_transaction={MAX_LOCKS} -c max_connections={MAX_CONNECTIONS} "
        options += f"-c listen_addresses=127.0.0.1 -c unix_socket_directories={self.dir} -p {self.port}"
        as_postgres(
            [str(PG_BIN / "pg_ctl"), "-D", str(self.dir / "data"), "-l", str(self.dir / "log"), "-w", "start"]
            + ["-o", options]
        )

    def url(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def psql(self, name: str, sql: str) -> str:
        out = subprocess.run(
            [str(PG_BIN / "psql"), "-XAtq", self.url(name), "-c", sql],
            check=True,
            capture_output=True,
            text=True,
        )
        return out.stdout.strip()

    def stop(self) -> None:
        as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(self.dir / "data"), "-m", "fast", "stop"])
        shutil.rmtree(self.dir, ignore_errors=True)


def env_for(url: str, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "0",
        "SECRET_KEY": "rehearsal-only-secret",
        "SITE_SCHEME": "http",
        "REDIS_URL": "",
        "LOG_LEVEL": "WARNING",
        **extra,
    }


def timed(command: list[str], env: dict) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True)
    return round(time.perf_counter() - started, 2)


CREATE = r"""
import json, sys, time
import django
django.setup()
from django.conf import settings
from django.db import connection, transaction
from communities.models import Community, Domain, Regency
target, seconds, batch = int(sys.argv[1]), float(sys.argv[2]), 100
regencies = list(Regency.objects.order_by("code")[:35])
template = settings.COMMUNITY_TEMPLATE_SCHEMA
started, made = time.monotonic(), Community.objects.filter(slug__startswith="kim-r-").count()
while made < target and time.monotonic() - started < seconds:
    rows = [Community(name=f"KIM R {i:05d}", slug=f"kim-r-{i:05d}", schema_name=f"kim_r_{i:05d}",
                      regency=regencies[i % len(regencies)]) for i in range(made, min(made + batch, target))]
    with transaction.atomic():
        Community.objects.bulk_create(rows)
        Domain.objects.bulk_create([Domain(tenant=c, domain=c.host, is_primary=True) for c in rows])
        with connection.cursor() as cursor:
            for c in rows:
                cursor.execute("SELECT public.kim_clone_schema(%s, %s)", [template, c.schema_name])
    made += len(rows)
print(json.dumps({"made": made, "seconds": round(time.monotonic() - started, 1)}))
"""

ONE_MORE = r"""
import json, statistics, time
import django
django.setup()
from django.db import connection
from django.test import Client
from communities import services
from communities.models import Community, Regency
regency, times = Regency.objects.order_by("code").first(), []
for i in range(5):
    started = time.perf_counter()
    slug = f"kim-satu-lagi-{i}"
    community = services.community_create(name=f"KIM Satu Lagi {i}", slug=slug, regency=regency)
    status = Client().get("/", HTTP_HOST=community.host).status_code
    times.append(time.perf_counter() - started)
    assert status == 200, status
    connection.set_schema_to_public()
    community.delete(force_drop=True)
print(json.dumps({"existing": Community.objects.count(), "seconds": [round(t, 3) for t in times],
                  "median": round(statistics.median(times), 3)}))
"""


def django_script(code: str, env: dict, *args: str) -> dict:
    out = subprocess.run(
        [PY, "-c", code, *args],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "kimportal.settings"},
        capture_output=True,
        text=True,
    )
    if out.returncode:
        raise RuntimeError(out.stderr[-3000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def backend_memory(cluster: Cluster, name: str, env: dict, made: int, checkpoints: list[int]) -> list[dict]:
    """One gunicorn worker, one thread, one persistent connection: serve community homes in turn and
    read its PostgreSQL backend's private memory (RssAnon) at each checkpoint."""
    port = prodstack.free_port()
    server = subprocess.Popen(
        [PY, "-m", "gunicorn", "kimportal.wsgi:application", "--config", "kimportal/gunicorn.conf.py"],
        cwd=ROOT,
        env={
            **env,
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "GUNICORN_WORKERS": "1",
            "GUNICORN_THREADS": "1",
            "PAGE_CACHE": "0",
            "CONN_MAX_AGE": "3600",
            "XDG_RUNTIME_DIR": str(cluster.dir),
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    results = []
    try:
        prodstack.wait_for(lambda: prodstack.port_open(port), "gunicorn", 60)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        served, started = 0, time.monotonic()
        for checkpoint in [c for c in checkpoints if c <= made]:
            while served < checkpoint:
                connection.request("GET", "/", headers={"Host": f"kim-r-{served:05d}.kim.localhost"})
                answer = connection.getresponse()
                answer.read()
                assert answer.status == 200, answer.status
                served += 1
            pid = cluster.psql(
                name,
                "SELECT pid FROM pg_stat_activity WHERE backend_type = 'client backend' "
                "AND pid <> pg_backend_pid() AND datname = current_database() ORDER BY backend_start LIMIT 1",
            )
            status = Path(f"/proc/{pid}/status").read_text()
            anon = int(next(line for line in status.splitlines() if line.startswith("RssAnon:")).split()[1])
            results.append(
                {
                    "communities": served,
                    "rss_anon_mb": round(anon / 1024, 1),
                    "seconds": round(time.monotonic() - started, 1),
                }
            )
    finally:
        server.terminate()
        server.wait(timeout=20)
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=600)
    parser.add_argument("--target", type=int, default=10_000)
    parser.add_argument("--memory", default="100,1000,3000,10000")
    parser.add_argument(
        "--keep", action="store_true", help="leave the cluster running (for bench/backend_memory.py)"
    )
    args = parser.parse_args()
    cluster = Cluster()
    result: dict = {"postgresql": cluster.psql("postgres", "SHOW server_version")}
    try:
        name = "kim_rehearsal"
        cluster.psql("postgres", f"CREATE DATABASE {name}")
        env = env_for(cluster.url(name))
        result["migrate_fresh_s"] = timed([PY, "manage.py", "migrate_portal", "-v", "0"], env)
        timed([PY, "manage.py", "load_regions"], env)
        created = django_script(CREATE, env, str(args.target), str(args.seconds))
        result["created"] = created
        made = created["made"]
        result["tables_per_community"] = int(
            cluster.psql(name, "SELECT count(*) FROM pg_tables WHERE schemaname = 'kim_r_00000'")
        )
        result["one_more"] = django_script(ONE_MORE, env)
        result["create_community_command_s"] = timed(
            [PY, "manage.py", "create_community", "KIM Perintah", "kim-perintah", "33.75"], env
        )
        result["migrate_noop_s"] = timed([PY, "manage.py", "migrate_portal", "-v", "0"], env)
        result["catalog"] = {
            "database_mb": round(
                int(cluster.psql(name, "SELECT pg_database_size(current_database())")) / 2**20
            ),
            "catalog_mb": round(
                int(
                    cluster.psql(
                        name,
                        "SELECT sum(pg_total_relation_size(oid)) FROM pg_class "
                        "WHERE relnamespace = 'pg_catalog'::regnamespace",
                    )
                )
                / 2**20
            ),
            "pg_class_rows": int(cluster.psql(name, "SELECT count(*) FROM pg_class")),
            "pg_attribute_rows": int(cluster.psql(name, "SELECT count(*) FROM pg_attribute")),
        }
        dump = cluster.dir / "kim.dump"
        started = time.perf_counter()
        subprocess.run([str(PG_BIN / "pg_dump"), "-Fc", "-f", str(dump), cluster.url(name)], check=True)
        result["pg_dump"] = {
            "seconds": round(time.perf_counter() - started, 1),
            "mb": round(dump.stat().st_size / 2**20, 1),
        }
        cluster.psql("postgres", "CREATE DATABASE kim_restored")
        started = time.perf_counter()
        subprocess.run(
            [str(PG_BIN / "pg_restore"), "-1", "-d", cluster.url("kim_restored"), str(dump)], check=True
        )
        result["pg_restore_single_transaction_s"] = round(time.perf_counter() - started, 1)
        cluster.psql("postgres", "DROP DATABASE kim_restored")
        if args.memory:
            checkpoints = [int(c) for c in args.memory.split(",")]
            result["backend_memory"] = backend_memory(cluster, name, env, made, sorted({*checkpoints, made}))
    finally:
        print(json.dumps(result, indent=1), flush=True)
        if args.keep:
            print(f"kept: {cluster.url(name)} in {cluster.dir}; stop: pg_ctl -D {cluster.dir}/data stop")
        else:
            cluster.stop()


if __name__ == "__main__":
    main()
