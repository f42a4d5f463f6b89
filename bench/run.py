"""`make bench`: the portal under load against a baseline and the framework's floor, at two sizes.

The large seed is served by gunicorn as in production and loaded with wrk beside a baseline (/healthz)
and a floor (bench/hello.py); every page is also timed in-process at both sizes; the results go to
docs/benchmarks.md. Loopback only; it drops and creates only databases named kim_bench_*
(BENCH_DATABASE_PREFIX).
"""

import contextlib
import json
import os
import platform
import re
import statistics
import subprocess
import time
from collections import Counter
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import Request, urlopen

import psycopg
from common import DURATION, PY, ROOT, database_url, env_for, free_port, require, run, with_database, wrk
from report import markdown

REPEATS = 3  # runs per page, each beside its own baseline runs; odd, so one has the median ratio
TURNS = 40  # in-process timings: turns per page, each a burst of requests at each size
CONNECTIONS = (16, 64)
BASELINE = "baseline (/healthz)"
LOAD_PAGES = "province feed|regency page|community home|post page|tag page|search|RSS feed".split("|")
# The seeded databases: <prefix>_small and <prefix>_large (another prefix keeps another checkout's apart).
DATABASE_PREFIX = os.environ.get("BENCH_DATABASE_PREFIX", "kim_bench")


def connect(url: str, **kwargs) -> psycopg.Connection:
    return psycopg.connect(url.replace("postgres://", "postgresql://", 1), **kwargs)


def seed(size: str, url: str) -> str:
    """Seed once; later runs reuse the database (migrated to the current code) and its seed timing."""
    record = ROOT / f".bench-seed-{size}.json"
    with contextlib.suppress(psycopg.Error), connect(url) as conn:  # no database or tables: not seeded
        if record.exists() and conn.execute("SELECT 1 FROM communities_community LIMIT 1").fetchone():
            run([PY, "manage.py", "migrate_portal", "-v", "0"], env_for(url))
            return json.loads(record.read_text())["seeded"] + " (seeded by an earlier run, reused)"
    name = urlsplit(url).path.lstrip("/")
    assert name.startswith(f"{DATABASE_PREFIX}_"), name
    with connect(with_database(url, "postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    started = time.perf_counter()
    run([PY, "manage.py", "migrate_portal", "-v", "0"], env_for(url))
    migrated = time.perf_counter() - started
    seeded = run([PY, "bench/seed.py", size], env_for(url)).strip() + f"; migrations first: {migrated:.1f} s"
    record.write_text(json.dumps({"seeded": seeded}))
    return seeded


@contextlib.contextmanager
def gunicorn(url: str, page_cache: bool = False, floor: bool = False):
    """The portal (or, with floor=True, bench/hello.py) behind the project's gunicorn config: its port."""
    port = free_port()
    env = env_for(url, PAGE_CACHE=str(int(page_cache)), GUNICORN_BIND=f"127.0.0.1:{port}")
    app, cwd = ("hello:application", ROOT / "bench") if floor else ("kimportal.wsgi:application", ROOT)
    if floor:
        env["DJANGO_SETTINGS_MODULE"] = "hello"
    command = [str(Path(PY).parent / "gunicorn"), app, "-c", str(ROOT / "kimportal/gunicorn.conf.py")]
    with open(ROOT / ".bench-gunicorn.log", "a") as log:
        process = subprocess.Popen(command, env=env, cwd=cwd, stdout=log, stderr=log)
        try:
            for _ in range(200):
                with contextlib.suppress(OSError):
                    fetch(port, "kim.localhost", "/healthz")
                    break
                time.sleep(0.1)
            else:
                raise RuntimeError("gunicorn did not start; see .bench-gunicorn.log")
            yield port, process.pid
        finally:
            process.terminate()
            process.wait(timeout=20)


def fetch(port: int, host: str, path: str, encoding: str = "identity") -> bytes:
    """The body as sent (still compressed when the server compressed it)."""
    request = Request(f"http://127.0.0.1:{port}{path}", headers={"Host": host, "Accept-Encoding": encoding})
    with urlopen(request, timeout=10) as response:  # noqa: S310 - loopback only
        return response.read()


def load_floor(url: str) -> dict:
    """bench/hello.py at each connection count: of REPEATS runs, the one with the median p99."""
    with gunicorn(url, floor=True) as (port, _):
        warm_up(port, "http://kim.localhost/")
        runs = {c: [wrk_page(port, "http://kim.localhost/", c) for _ in range(REPEATS)] for c in CONNECTIONS}
    return {c: sorted(figures, key=lambda f: f["p99_ms"])[REPEATS // 2] for c, figures in runs.items()}


def load(url: str, urls: dict, page_cache: bool) -> tuple[dict, list[float]]:
    """wrk on every page at each connection count: after one baseline run, REPEATS runs of each page,
    each followed by a baseline run; a run's ratio is to the mean of the baseline runs either side."""
    results: dict[str, dict] = {"baseline": {}, **{name: {} for name in LOAD_PAGES}}
    with gunicorn(url, page_cache) as (port, pid):
        for name in [BASELINE, *LOAD_PAGES]:
            warm_up(port, urls[name])
        for connections in CONNECTIONS:
            before = results["baseline"][connections] = wrk_page(port, urls[BASELINE], connections)
            for name in LOAD_PAGES:
                runs = []
                for _ in range(REPEATS):
                    figure = wrk_page(port, urls[name], connections)
                    after = wrk_page(port, urls[BASELINE], connections)
                    figure["baseline"] = {
                        "rps": round((before["rps"] + after["rps"]) / 2, 2),
                        "p99_ms": round((before["p99_ms"] + after["p99_ms"]) / 2, 1),
                        **{key: after[key] for key in ("errors", "error_kinds")},
                    }
                    runs.append(figure)
                    before = after
                results[name][connections] = median_run(runs)
        rss = subprocess.run(["ps", "-o", "rss=", "--ppid", str(pid)], capture_output=True).stdout.split()
    return results, [round(int(kb) / 1024, 1) for kb in rss]


def median_run(runs: list[dict]) -> dict:
    """The run with the median ratio to its baseline, every run's ratio, and the errors of all runs."""

    def ratio(run: dict) -> float:
        return run["rps"] / run["baseline"]["rps"] if run["baseline"]["rps"] else 0.0

    def errors(figures: list[dict]) -> dict:
        kinds = sum((Counter(figure["error_kinds"]) for figure in figures), Counter())
        return {"errors": kinds.total(), "error_kinds": dict(kinds)}

    chosen = sorted(runs, key=ratio)[len(runs) // 2]
    baseline = {**chosen["baseline"], **errors([run["baseline"] for run in runs])}
    return {**chosen, "ratios": [round(ratio(run), 3) for run in runs], **errors(runs), "baseline": baseline}


def wrk_page(port: int, url: str, connections: int) -> dict:
    host, path = split_url(url)
    return wrk(f"http://127.0.0.1:{port}{path}", host, connections)


def split_url(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.netloc, parts.path + (f"?{parts.query}" if parts.query else "")


def warm_up(port: int, url: str) -> None:
    """Every worker has served the page (and, with the cache on, filled it) before it is measured."""
    host, path = split_url(url)
    for _ in range(20):
        fetch(port, host, path)
    command = ["wrk", "-t2", "-c16", "-d2s", "-H", f"Host: {host}", f"http://127.0.0.1:{port}{path}"]
    subprocess.run(command, capture_output=True, check=True)


def page_weight(url: str, urls: dict) -> dict:
    """Bytes of HTML + the CSS and JS it links, plain and gzipped, and the page's <img> tags."""
    weights = {}
    with gunicorn(url) as (port, _):
        for name in ("province feed", "post page"):
            host, path = split_url(urls[name])
            html = fetch(port, host, path)
            assets = re.findall(rb'<link rel="stylesheet" href="([^"]+)"|<script[^>]+src="([^"]+)"', html)
            paths = [path] + [(a or b).decode() for a, b in assets]
            weights[name] = {
                "raw": sum(len(fetch(port, host, p)) for p in paths),
                "gzip": sum(len(fetch(port, host, p, "gzip")) for p in paths),
                "assets": len(assets),
                "images": html.count(b"<img "),
            }
    return weights


def measure_paired(base: str) -> dict:
    """Server time per page at both sizes: one `measure.py pages` process per seed, asked in turn
    (which size goes first alternates) so changes in the machine's speed hit both; median of TURNS."""
    sizes = ("small", "large")
    pipes = {"cwd": ROOT, "text": True, "stdin": subprocess.PIPE, "stdout": subprocess.PIPE}
    servers = {
        size: subprocess.Popen(
            [PY, "bench/measure.py", "pages"],
            env=env_for(with_database(base, f"{DATABASE_PREFIX}_{size}")),
            **pipes,
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
            server.wait(timeout=60)
    if any(server.returncode for server in servers.values()):
        raise SystemExit("bench/measure.py pages failed (its error is above)")
    for size in sizes:
        for name, page in described[size].items():
            page["ms"] = round(statistics.median(times[size][name]), 2)
    return described


def answer(server: subprocess.Popen, page: str | None = None) -> str:
    """The next line from a `measure.py pages` process, after asking it for `page` if given."""
    line = ""
    with contextlib.suppress(BrokenPipeError):
        if page is not None:
            server.stdin.write(page + "\n")
            server.stdin.flush()
        line = server.stdout.readline()
    if not line:
        raise SystemExit("bench/measure.py pages stopped (its error is above)")
    return line


def checkpoint(url: str) -> None:
    """Have PostgreSQL write out what seeding changed now, not in the background of the load runs."""
    with contextlib.suppress(psycopg.errors.InsufficientPrivilege), connect(url, autocommit=True) as conn:
        conn.execute("CHECKPOINT")


def photo_bench() -> dict:
    try:
        return json.loads(run([PY, "bench/photo_pipeline.py"], env_for("postgres://unused/unused")))
    except subprocess.CalledProcessError as error:
        return {"error": error.stderr[-2000:]}


def machine(base: str) -> str:
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    models = [line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")]
    with connect(base) as conn:
        postgres = conn.execute("SHOW server_version").fetchone()[0]
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    cpu = f"{os.cpu_count()} × {models[0] if models else platform.machine()}"
    return f"{cpu}; Python {platform.python_version()}; PostgreSQL {postgres}; load average {load}"


def main() -> None:
    require("wrk")
    base = database_url()
    redis = os.environ.get("REDIS_URL")
    r: dict = {"date": date.today().isoformat(), "cache": "Redis" if redis else "local memory (per worker)"}
    r |= {"command": (f"REDIS_URL={redis} " if redis else "") + "make bench", "turns": TURNS}
    r["load"] = f"{REPEATS} runs of {DURATION}, timeout 2s"
    run([PY, "manage.py", "collectstatic", "--noinput", "-v", "0"], env_for(with_database(base, "postgres")))
    r["sizes"] = {}
    for size in ("small", "large"):
        print(f"[{size}] seeding…", flush=True)
        r["sizes"][size] = {"seed": seed(size, with_database(base, f"{DATABASE_PREFIX}_{size}"))}
    checkpoint(base)
    print("measuring pages in-process, small and large in turn…", flush=True)
    for size, pages in measure_paired(base).items():
        r["sizes"][size]["pages"] = pages
    r["urls"] = {name: page["url"] for name, page in r["sizes"]["large"]["pages"].items() if page["url"]}
    large = with_database(base, f"{DATABASE_PREFIX}_large")
    print("[large] onboarding and migrate_portal…", flush=True)
    r["onboard"] = json.loads(run([PY, "bench/measure.py", "onboard"], env_for(large)).splitlines()[-1])
    started = time.perf_counter()
    run([PY, "manage.py", "migrate_portal", "-v", "0"], env_for(large))
    r["migrate_portal_s"] = round(time.perf_counter() - started, 2)
    checkpoint(large)
    r["floor"] = {}
    for phase, page_cache in (("cold", False), ("warm", True)):
        print(f"[large] load: cache {phase}…", flush=True)
        r["floor"][phase] = load_floor(large)
        r[phase], r["worker_rss_mb"] = load(large, r["urls"], page_cache)
    r["weight"] = page_weight(large, r["urls"])
    print("photo pipeline…", flush=True)
    r["photo"] = photo_bench()
    r["machine"] = machine(base)
    (ROOT / ".bench-results.json").write_text(json.dumps(r, indent=2))
    (ROOT / "docs" / "benchmarks.md").write_text(markdown(json.loads(json.dumps(r))))
    print("wrote docs/benchmarks.md")


if __name__ == "__main__":
    main()
