"""Capacity rehearsal for docs/operations.md: `python bench/rehearsal.py [--seconds 3600] [--target 10000]`.

On a private PostgreSQL (Debian's binaries, a fresh cluster in a temporary folder, dropped after):
migrate, then create communities (schemas copied from the template, as onboarding does) in batches
until --target or --seconds, then time: one more community (in-process, median of 5, and the
`create_community` command), `migrate_portal` with nothing to apply, `pg_dump -Fc` and restoring
one community from it, `pg_basebackup` and starting a copy from it, the catalog's size. Seeding runs
with fsync off; the cluster restarts durable before anything is timed. `--keep`, then
`--reuse <folder>`, seeds on or measures again without starting over; a kept cluster is what
bench/backend_memory.py measures. Prints JSON. Loopback only.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import common  # noqa: E402  (bench/ is the script's folder)
import pgcluster  # noqa: E402
from pgcluster import as_postgres, pg_bin  # noqa: E402

PY = sys.executable
# pg_dump locks every table it dumps in one transaction: the lock table must hold them all
# (max_locks_per_transaction x max_connections slots); see docs/operations.md.
MAX_LOCKS = 4096
MAX_CONNECTIONS = 50


class Cluster(pgcluster.Cluster):
    """A private PostgreSQL in a temporary folder, or the one a kept rehearsal left in `folder`."""

    prefix = "kim-rehearsal-"

    def start(self, options: str = "", durable: bool = True) -> None:
        """Seeding runs without durability (fsync off); every figure is taken after a restart with it."""
        options += f" -c max_locks_per_transaction={MAX_LOCKS} -c max_connections={MAX_CONNECTIONS}"
        if not durable:
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        super().start(options)


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
per_thousand, mark = [], started
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
    if made % 1000 == 0:
        per_thousand.append(round(time.monotonic() - mark, 1))
        mark = time.monotonic()
seconds = round(time.monotonic() - started, 1)
print(json.dumps({"made": made, "seconds": seconds, "per_thousand_s": per_thousand}))
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


def physical_backup(cluster: Cluster) -> dict:
    """pg_basebackup (tar, WAL streamed), then a cluster started from it: the disaster-recovery path."""
    base, restored = cluster.dir / "base", cluster.dir / "restored"
    started = time.perf_counter()
    as_postgres(
        [
            pg_bin("pg_basebackup"),
            "-D",
            str(base),
            "-Ft",
            "-X",
            "stream",
            "-c",
            "fast",
            "-d",
            cluster.url("postgres"),
        ]
    )
    result = {
        "pg_basebackup_s": round(time.perf_counter() - started, 1),
        "mb": round(sum(f.stat().st_size for f in base.iterdir()) / 2**20),
    }
    port = common.free_port()
    started = time.perf_counter()
    as_postgres(["mkdir", "-m", "700", str(restored)])
    as_postgres(["tar", "-xf", str(base / "base.tar"), "-C", str(restored)])
    as_postgres(["tar", "-xf", str(base / "pg_wal.tar"), "-C", str(restored / "pg_wal")])
    options = f"-c listen_addresses=127.0.0.1 -c unix_socket_directories={cluster.dir} -p {port}"
    options += f" -c max_locks_per_transaction={MAX_LOCKS}"
    log = str(cluster.dir / "restored.log")
    as_postgres(
        [pg_bin("pg_ctl"), "-D", str(restored), "-w", "-t", "3600", "-l", log, "-o", options, "start"]
    )
    result["restore_and_start_s"] = round(time.perf_counter() - started, 1)
    as_postgres([pg_bin("pg_ctl"), "-D", str(restored), "-m", "fast", "-w", "stop"])
    shutil.rmtree(base), shutil.rmtree(restored)
    return result


def one_community_restore(cluster: Cluster, name: str, dump: Path, schema: str) -> float:
    """Drop one community's schema and bring it back from the whole-database dump."""
    cluster.psql(name, f"DROP SCHEMA {schema} CASCADE")
    started = time.perf_counter()
    cluster.psql(name, f"CREATE SCHEMA {schema}")  # pg_restore -n brings what is in it, not the schema
    subprocess.run(
        [pg_bin("pg_restore"), "-n", schema, "-d", cluster.url(name), str(dump)],
        check=True,
    )
    return round(time.perf_counter() - started, 1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=3600)
    parser.add_argument("--target", type=int, default=10_000)
    parser.add_argument(
        "--keep", action="store_true", help="leave the cluster running (for backend_memory.py)"
    )
    parser.add_argument("--reuse", help="the folder of a kept rehearsal: seed on to --target, then measure")
    args = parser.parse_args()
    cluster = Cluster(args.reuse)
    name = "kim_rehearsal"
    env = common.env_for(cluster.url(name), REDIS_URL="")
    result: dict = {}
    try:
        if args.reuse and (cluster.dir / "data" / "postmaster.pid").exists():
            cluster.stop(remove=False)
        cluster.start(durable=False)
        result["postgresql"] = cluster.psql("postgres", "SHOW server_version")
        if not args.reuse:
            cluster.psql("postgres", f"CREATE DATABASE {name}")
        result["migrate_fresh_s"] = timed([PY, "manage.py", "migrate_portal", "-v", "0"], env)
        timed([PY, "manage.py", "load_regions"], env)
        timed([PY, "manage.py", "collectstatic", "--noinput", "-v", "0"], env)
        result["created"] = django_script(CREATE, env, str(args.target), str(args.seconds))
        cluster.stop(remove=False)
        cluster.start(durable=True)
        cluster.psql(name, "VACUUM ANALYZE")
        result["tables_per_community"] = int(
            cluster.psql(name, "SELECT count(*) FROM pg_tables WHERE schemaname = 'kim_r_00000'")
        )
        result["one_more"] = json.loads(common.run([PY, "bench/measure.py", "onboard"], env))
        result["create_community_command_s"] = timed(
            [PY, "manage.py", "create_community", "KIM Perintah", "kim-perintah", "33.75"], env
        )
        result["migrate_noop_s"] = [
            timed([PY, "manage.py", "migrate_portal", "-v", "0"], env) for _ in range(3)
        ]
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
        subprocess.run([pg_bin("pg_dump"), "-Fc", "-f", str(dump), cluster.url(name)], check=True)
        result["pg_dump"] = {
            "seconds": round(time.perf_counter() - started, 1),
            "mb": round(dump.stat().st_size / 2**20, 1),
        }
        result["one_community_restore_s"] = one_community_restore(cluster, name, dump, "kim_r_00042")
        dump.unlink()
        result["physical"] = physical_backup(cluster)
    finally:
        print(json.dumps(result, indent=1), flush=True)
        if args.keep:
            print(f"kept: {cluster.url(name)}; measure again: --reuse {cluster.dir}")
        else:
            cluster.stop()


if __name__ == "__main__":
    main()
