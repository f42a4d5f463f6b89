"""The portal under a 16-connection wrk load while Redis, then PostgreSQL, is killed and restarted:
answers by kind in each phase, and how long until every answer is a fresh 200 again.

    .venv/bin/python bench/outage.py      # ~1 minute; private PostgreSQL and redis-server, loopback

Runs gunicorn (the project's config) on a private PostgreSQL (pgserver) and redis-server from
tests/servers.py; a mix of anonymous pages (cached) and a signed-in member's page (never cached).
"""

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

from common import ROOT, require

sys.path.insert(0, str(ROOT))

from tests.servers import (  # noqa: E402
    COMMUNITY_HOST,
    MEMBER,
    POST_SLUG,
    Browser,
    Gunicorn,
    PostgresProcess,
    RedisProcess,
    portal_env,
    prepare_database,
)

# seconds from the start of the load: (when, what)
PLAN = [(8, "kill Redis"), (16, "restart Redis"), (26, "kill PostgreSQL"), (34, "restart PostgreSQL")]
DURATION = 50


def main() -> None:
    require("wrk", "redis-server")
    postgres, redis = PostgresProcess(), RedisProcess()
    portal = None
    try:
        postgres.start()
        redis.start()
        env = portal_env(postgres.url, redis.url)
        prepare_database(env)
        portal = Gunicorn(env, workers=int(os.environ.get("GUNICORN_WORKERS", 3)), threads=2)
        portal.start()
        member = Browser(portal.port)
        member.sign_in(MEMBER)
        session = "; ".join(f"{k}={v}" for k, v in member.cookies.items())
        pages = [
            ("kim.localhost", "/", ""),
            (COMMUNITY_HOST, "/", ""),
            (COMMUNITY_HOST, f"/berita/{POST_SLUG}/", ""),
            ("kim.localhost", "/komunitas/", ""),
            (COMMUNITY_HOST, "/kelola/", session),
        ]
        for host, path, _cookie in pages:  # warm the page cache
            Browser(portal.port).get(host, path)
        run(postgres, redis, portal.port, pages)
    finally:
        if portal:
            portal.stop()
        redis.stop()
        postgres.remove()


def run(postgres: PostgresProcess, redis: RedisProcess, port: int, pages) -> None:
    folder = Path(tempfile.mkdtemp(prefix="kim-outage-"))
    (folder / "pages").write_text("".join(f"{h}|{p}|{c}\n" for h, p, c in pages))
    env = {**os.environ, "PAGES": str(folder / "pages"), "OUT": str(folder / "counts")}
    command = [
        "wrk",
        "-t2",
        "-c16",
        f"-d{DURATION}s",
        "--timeout",
        "5s",
        "-s",
        str(ROOT / "bench/outage.lua"),
    ]
    started = time.time()
    wrk = subprocess.Popen([*command, f"http://127.0.0.1:{port}/"], env=env, stdout=subprocess.DEVNULL)
    events = []

    def act() -> None:
        for at, what in PLAN:
            time.sleep(max(0.0, started + at - time.time()))
            begun = time.time()
            {
                "kill Redis": lambda: redis.signal(signal.SIGKILL),
                "restart Redis": redis.start,
                "kill PostgreSQL": lambda: postgres.stop("immediate"),
                "restart PostgreSQL": postgres.restart,
            }[what]()
            events.append((begun, time.time(), what))

    actor = threading.Thread(target=act)
    actor.start()
    wrk.wait()
    actor.join()
    report(folder / "counts", started, events)
    shutil.rmtree(folder)


PHASES = {
    "kill Redis": "Redis down",
    "restart Redis": "Redis back",
    "kill PostgreSQL": "PostgreSQL down",
    "restart PostgreSQL": "PostgreSQL back",
}


def report(counts_file: Path, started: float, events: list[tuple[float, float, str]]) -> None:
    buckets: Counter = Counter()
    socket_errors = ""
    for line in counts_file.read_text().splitlines():
        if line.startswith("socket"):
            socket_errors = line.removeprefix("socket ")
            continue
        bucket, kind, n = line.split()
        buckets[((int(bucket) + 1) / 4 - started, kind)] += int(n)  # by the end of its quarter second
    # An outage starts when the kill starts, and lasts until the restarted server answers.
    bounds = [(0.0, "steady")] + [
        ((b if w.startswith("kill") else e) - started, PHASES[w]) for b, e, w in events
    ]
    bounds.append((float(DURATION), "end"))
    print("| phase (s from start) | answers/s | answers by kind | last non-200 after the restart |")
    print("|---|---|---|---|")
    for (start, name), (end, _next) in zip(bounds, bounds[1:], strict=False):
        kinds: Counter = Counter()
        for (t, kind), n in buckets.items():
            if start <= t < end:
                kinds[kind] += n
        bad = [t for (t, kind), n in buckets.items() if start <= t < end and kind != "200"]
        recovery = "–"
        if name.endswith("back"):
            recovery = f"{max(bad) - start:.2f} s" if bad else "none"
        detail = ", ".join(f"{kind}: {n}" for kind, n in kinds.most_common())
        rate = sum(kinds.values()) / (end - start)
        print(f"| {name} ({start:.1f}-{end:.1f}) | {rate:.0f} | {detail} | {recovery} |")
    print(f"\nwrk socket errors: {socket_errors}")
    for begun, done, what in events:
        print(f"{what}: {done - begun:.2f} s")


if __name__ == "__main__":
    main()
