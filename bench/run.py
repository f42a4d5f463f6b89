"""`make bench`: the portal under load, against the framework's floor, at two sizes.

Seeds (once) a small and a large database, serves each with gunicorn as production does (the
project's gunicorn config, DEBUG off, WhiteNoise, persistent connections, Redis when REDIS_URL is
set), loads every page with wrk at 16 and 64 connections, cache cold and warm, next to a baseline
(/healthz through the same middleware), and writes docs/benchmarks.md. Loopback only.
"""

import contextlib
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit
from urllib.request import Request, urlopen

import psycopg

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
DURATION = os.environ.get("BENCH_DURATION", "5s")
# Runs per page and connection count, each next to its own baseline runs; the page's figure is its
# run with the median ratio. The machine's speed moves from one run to the next: four 10 s runs of
# the cold community home, each between two of the baseline, measured 0.152, 0.170, 0.222 and
# 0.175 of it, and the baseline itself 2,112-2,782 requests/s.
REPEATS = 3
# wrk counts a timeout for a request its check (every 2 s) finds waiting longer than this: wrk's
# default, which every run has used (a 10 s setting was written in an early round but never passed
# to wrk, and no run had a timeout). A slow answer between two checks is not counted.
TIMEOUT = "2s"
# In-process page timings: turns per page, each a burst of requests at each size (measure_paired).
TURNS = 40
CONNECTIONS = (16, 64)
LOAD_PAGES = [
    "province feed",
    "regency page",
    "community home",
    "post page",
    "tag page",
    "search",
    "RSS feed",
]
sys.path.insert(0, str(ROOT / "scripts"))

from report import SEARCH_INDEX, write_markdown  # noqa: E402


def base_database_url() -> str:
    if os.environ.get("DATABASE_URL"):
        return os.environ["DATABASE_URL"]
    import devdb

    return devdb.private_database_url()


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def env_for(url: str, **extra) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-secret",
        "SITE_SCHEME": "http",
        "MEDIA_ROOT": str(ROOT / ".bench-media"),
        "CONN_MAX_AGE": "600",
        "LOG_LEVEL": "WARNING",
        **extra,
    }


def run(command: list[str], env: dict, **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run(command, env=env, cwd=ROOT, text=True, capture_output=True, **kwargs)
    if result.returncode:
        sys.stderr.write(result.stderr[-4000:])
        result.check_returncode()
    return result


def database_exists_and_seeded(url: str) -> bool:
    try:
        with psycopg.connect(url_to_conninfo(url)) as conn:
            row = conn.execute("SELECT 1 FROM communities_community WHERE slug = 'kim-bench-0000'").fetchone()
            return row is not None
    except Exception:  # noqa: BLE001 - missing database or tables: not seeded
        return False


def url_to_conninfo(url: str) -> str:
    """postgres://user@/db?host=/socket -> a libpq URI psycopg understands."""
    return url.replace("postgres://", "postgresql://", 1)


def recreate(url: str) -> None:
    name = urlsplit(url).path.lstrip("/")
    with psycopg.connect(url_to_conninfo(with_database(url, "postgres")), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def seed(size: str, url: str) -> str:
    """Seed once; later runs reuse the database (migrated to the current code) and its seed timing."""
    record = ROOT / f".bench-seed-{size}.json"
    if database_exists_and_seeded(url) and record.exists():
        run([PY, "manage.py", "migrate_portal", "-v", "0"], env_for(url))
        return json.loads(record.read_text())["seeded"] + " (seeded by an earlier run, reused)"
    recreate(url)
    env = env_for(url)
    started = time.perf_counter()
    run([PY, "manage.py", "migrate_portal", "-v", "0"], env)
    migrated = time.perf_counter() - started
    output = run([PY, "bench/seed.py", size], env).stdout.strip()
    seeded = f"{output}; migrations first: {migrated:.1f} s"
    record.write_text(json.dumps({"seeded": seeded}))
    return seeded


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Gunicorn:
    def __init__(self, url: str, page_cache: bool):
        self.port = free_port()
        self.env = env_for(url, PAGE_CACHE="1" if page_cache else "0", GUNICORN_BIND=f"127.0.0.1:{self.port}")

    def __enter__(self):
        self.process = subprocess.Popen(
            [
                str(Path(PY).parent / "gunicorn"),
                "kimportal.wsgi:application",
                "-c",
                "kimportal/gunicorn.conf.py",
            ],
            env=self.env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=open(ROOT / ".bench-gunicorn.log", "a"),  # noqa: SIM115 - lives as long as the server
        )
        for _ in range(200):
            try:
                fetch(self.port, "kim.localhost", "/healthz")
                return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("gunicorn did not start; see .bench-gunicorn.log")

    def worker_rss_mb(self) -> list[float]:
        children = subprocess.run(
            ["ps", "-o", "rss=", "--ppid", str(self.process.pid)], capture_output=True, text=True
        ).stdout.split()
        return [round(int(kb) / 1024, 1) for kb in children]

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=20)


def fetch(port: int, host: str, path: str, encoding: str = "identity") -> bytes:
    """The body as sent (still compressed when the server compressed it)."""
    request = Request(f"http://127.0.0.1:{port}{path}", headers={"Host": host, "Accept-Encoding": encoding})
    with urlopen(request, timeout=10) as response:  # noqa: S310 - loopback only
        return response.read()


def wrk(port: int, host: str, path: str, connections: int) -> dict:
    command = [
        "wrk",
        f"-t{min(connections, 4)}",
        f"-c{connections}",
        f"-d{DURATION}",
        f"--timeout={TIMEOUT}",
        "--latency",
        "-H",
        f"Host: {host}",
        "-H",
        "Accept-Encoding: gzip",
        f"http://127.0.0.1:{port}{path}",
    ]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    scale = {"us": 0.001, "ms": 1, "s": 1000}[p99.group(2)]
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    kinds = {"non-2xx/3xx": int(non_2xx.group(1)) if non_2xx else 0}
    if socket_errors:
        kinds.update(
            zip(("connect", "read", "write", "timeout"), map(int, socket_errors.groups()), strict=True)
        )
    return {
        "rps": rps,
        "p99_ms": round(float(p99.group(1)) * scale, 1),
        "errors": sum(kinds.values()),
        "error_kinds": {kind: n for kind, n in kinds.items() if n},
    }


def load(url: str, urls: dict, page_cache: bool) -> tuple[dict, list[float]]:
    """wrk on every page at each connection count: REPEATS runs of each page, every one followed by a
    run of the baseline, after one baseline run to start. A run's ratio is to the mean of the
    baseline runs on either side of it, and a page's figure is its run with the median ratio (its
    errors: those of all its runs and of the baseline runs after them)."""
    targets = {"baseline": urls["baseline (/healthz)"], **{name: urls[name] for name in LOAD_PAGES}}
    paths = {name: split_url(target) for name, target in targets.items()}
    results: dict[str, dict] = {name: {} for name in targets}
    with Gunicorn(url, page_cache) as server:
        for host, path in paths.values():
            warm_up(server.port, host, path)
        for connections in CONNECTIONS:
            before = results["baseline"][connections] = wrk(server.port, *paths["baseline"], connections)
            for name in LOAD_PAGES:
                runs = []
                for _ in range(REPEATS):
                    figure = wrk(server.port, *paths[name], connections)
                    after = wrk(server.port, *paths["baseline"], connections)
                    figure["baseline"] = {
                        "rps": round((before["rps"] + after["rps"]) / 2, 2),
                        "p99_ms": round((before["p99_ms"] + after["p99_ms"]) / 2, 1),
                        "errors": after["errors"],
                        "error_kinds": after["error_kinds"],
                    }
                    runs.append(figure)
                    before = after
                results[name][connections] = median_run(runs)
        rss = server.worker_rss_mb()
    return results, rss


def median_run(runs: list[dict]) -> dict:
    """The run with the median ratio to its baseline (REPEATS is odd), with every run's ratio, and the
    errors of all the runs and of the baseline runs after them."""

    def ratio(run: dict) -> float:
        return run["rps"] / run["baseline"]["rps"] if run["baseline"]["rps"] else 0.0

    def errors(figures: list[dict]) -> dict:
        kinds = sum((Counter(figure["error_kinds"]) for figure in figures), Counter())
        return {"errors": sum(figure["errors"] for figure in figures), "error_kinds": dict(kinds)}

    chosen = sorted(runs, key=ratio)[len(runs) // 2]
    return {
        **chosen,
        "ratios": [round(ratio(run), 3) for run in runs],
        **errors(runs),
        "baseline": {**chosen["baseline"], **errors([run["baseline"] for run in runs])},
    }


def split_url(url: str) -> tuple[str, str]:
    """(host, path with query) of a page's URL."""
    parts = urlsplit(url)
    return parts.netloc, parts.path + (f"?{parts.query}" if parts.query else "")


def warm_up(port: int, host: str, path: str) -> None:
    """Every worker has served the page (and, with the cache on, filled it) before it is measured."""
    for _ in range(20):
        fetch(port, host, path)
    subprocess.run(
        ["wrk", "-t2", "-c16", "-d2s", "-H", f"Host: {host}", f"http://127.0.0.1:{port}{path}"],
        capture_output=True,
        check=True,
    )


def page_weight(url: str, urls: dict) -> dict:
    """Bytes of HTML + the CSS and JS it links: uncompressed, and as the server sends them to a
    browser that accepts gzip (pages from GZipMiddleware, static files precompressed by WhiteNoise)."""
    weights = {}
    with Gunicorn(url, page_cache=False) as server:
        for name in ("province feed", "post page"):
            parts = urlsplit(urls[name])
            html = fetch(server.port, parts.netloc, parts.path)
            assets = re.findall(rb'<link rel="stylesheet" href="([^"]+)"|<script[^>]+src="([^"]+)"', html)
            paths = [parts.path] + [(a or b).decode() for a, b in assets]
            weights[name] = {
                "raw": sum(len(fetch(server.port, parts.netloc, path)) for path in paths),
                "gzip": sum(len(fetch(server.port, parts.netloc, path, "gzip")) for path in paths),
                "assets": len(assets),
            }
    return weights


def measure_paired(base: str) -> dict:
    """Server time per page at both sizes: one process per seed (bench/measure.py pages), asked for
    a page in turn, small and large (which goes first alternates), so the machine's changes of
    speed hit both alike. Each page's figure is the median of its TURNS answers (each the median
    of a burst of requests)."""
    sizes = ("small", "large")
    servers = {
        size: subprocess.Popen(
            [PY, "bench/measure.py", "pages"],
            env=env_for(with_database(base, f"kim_bench_{size}")),
            cwd=ROOT,
            text=True,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        for size in sizes
    }
    try:
        described = {size: json.loads(answer(server)) for size, server in servers.items()}
        times = {size: {name: [] for name in described[size]} for size in sizes}
        for turn in range(TURNS):
            for name in described["small"]:
                for size in sizes if turn % 2 else sizes[::-1]:
                    times[size][name].append(float(answer(servers[size], name)))
    finally:
        for server in servers.values():
            with contextlib.suppress(BrokenPipeError):
                server.stdin.close()  # end of input: the process exits
        for server in servers.values():
            try:
                server.wait(timeout=60)
            except subprocess.TimeoutExpired:
                server.kill()
    if any(server.returncode for server in servers.values()):
        sys.exit("bench/measure.py pages failed (its error is above)")
    result = {}
    for size in sizes:
        pages = {"_urls": {name: page["url"] for name, page in described[size].items() if page["url"]}}
        for name, page in described[size].items():
            median = statistics.median(times[size][name])
            digits = 3 if name == SEARCH_INDEX else 2  # the index lookup takes ~0.03 ms at the small seed
            pages[name] = {"ms": round(median, digits), "queries": page["queries"], "posts": page["posts"]}
        result[size] = pages
    return result


def answer(server: subprocess.Popen, page: str | None = None) -> str:
    """The next line from a `measure.py pages` process, after asking it for `page` if given."""
    try:
        if page is not None:
            server.stdin.write(page + "\n")
            server.stdin.flush()
        line = server.stdout.readline()
    except BrokenPipeError:
        line = ""
    if not line:
        sys.exit("bench/measure.py pages stopped (its error is above)")
    return line


def measure(mode: str, url: str) -> dict:
    out = run([PY, "bench/measure.py", mode], env_for(url)).stdout.strip().splitlines()[-1]
    return json.loads(out)


def checkpoint(url: str) -> bool:
    """Have PostgreSQL write out the pages that seeding and onboarding changed, so that its
    checkpointer does not write them back during the measurements that follow (a fresh clone seeds
    ~0.7 GB just before them). Needs a superuser or the pg_checkpoint role; False without it."""
    try:
        with psycopg.connect(url_to_conninfo(url), autocommit=True) as conn:
            conn.execute("CHECKPOINT")
    except psycopg.errors.InsufficientPrivilege:
        return False
    time.sleep(1)  # the checkpointer reports its statistics after CHECKPOINT returns
    return True


def checkpoint_buffers(url: str) -> int:
    """Buffers written by checkpoints, on the whole server, since its statistics were last reset."""
    with psycopg.connect(url_to_conninfo(url)) as conn:
        if conn.info.server_version >= 170000:
            return conn.execute("SELECT buffers_written FROM pg_stat_checkpointer").fetchone()[0]
        return conn.execute("SELECT buffers_checkpoint FROM pg_stat_bgwriter").fetchone()[0]


def migrate_timing(url: str) -> float:
    started = time.perf_counter()
    run([PY, "manage.py", "migrate_portal", "-v", "0"], env_for(url))
    return round(time.perf_counter() - started, 2)


def photo_bench() -> str:
    try:
        return run([PY, "bench/photo_pipeline.py"], env_for("postgres://unused/unused")).stdout.strip()
    except subprocess.CalledProcessError as error:
        return f"The photo benchmark failed:\n\n```\n{error.stderr[-2000:]}\n```"


def main() -> None:
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: install it with `apt-get install wrk` (Debian).")
    base = base_database_url()
    report = {
        "date": date.today().isoformat(),
        "cores": os.cpu_count(),
        "duration": DURATION,
        "repeats": REPEATS,
        "timeout": TIMEOUT,
        "cache": "Redis" if os.environ.get("REDIS_URL") else "local memory (per worker)",
        "command": (f"REDIS_URL={os.environ['REDIS_URL']} " if os.environ.get("REDIS_URL") else "")
        + "make bench",
    }
    run([PY, "manage.py", "collectstatic", "--noinput", "-v", "0"], env_for(with_database(base, "postgres")))
    sizes = {}
    for size in ("small", "large"):
        print(f"[{size}] seeding…", flush=True)
        sizes[size] = {"seed": seed(size, with_database(base, f"kim_bench_{size}"))}
    checkpoint(with_database(base, "postgres"))
    print("measuring pages in-process, small and large in turn…", flush=True)
    for size, pages in measure_paired(base).items():
        sizes[size]["search_index"] = pages.pop(SEARCH_INDEX)
        sizes[size]["pages"] = pages
    large = with_database(base, "kim_bench_large")
    urls = sizes["large"]["pages"].pop("_urls")
    sizes["small"]["pages"].pop("_urls")
    print("[large] onboarding and migrate_portal…", flush=True)
    report["onboard"] = measure("onboard", large)
    report["migrate_portal_s"] = migrate_timing(large)
    report["checkpointed"] = checkpoint(large)
    before = checkpoint_buffers(large)
    print("[large] load: cache cold…", flush=True)
    report["cold"], _ = load(large, urls, page_cache=False)
    print("[large] load: cache warm…", flush=True)
    report["warm"], report["worker_rss_mb"] = load(large, urls, page_cache=True)
    report["load_checkpoint_buffers"] = checkpoint_buffers(large) - before
    report["weight"] = page_weight(large, urls)
    report["photo"] = photo_bench()
    report["sizes"] = sizes
    report["urls"] = urls
    (ROOT / ".bench-results.json").write_text(json.dumps(report, indent=2))
    write_markdown(report, ROOT / "docs" / "benchmarks.md")
    print("wrote docs/benchmarks.md")


if __name__ == "__main__":
    main()
