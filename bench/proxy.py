"""`make bench`, the reverse proxy: one post page under 64 connections through nginx's micro-cache
(https, as readers get it) against gunicorn alone (its own Redis page cache, warm) in the same run.

The stack is `make prod-smoke`'s (scripts/prodstack.py) with gunicorn's production worker count, on a
fresh database named after DATABASE_URL's with `_proxybench`, dropped after. Writes the section
"Reverse proxy" of docs/benchmarks.md. Loopback only; about 90 s.
"""

import os
import re
import sys
import time
from datetime import date
from pathlib import Path
from urllib.request import Request, urlopen

from common import DURATION, ROOT, database_url, require, write_section, wrk

sys.path.insert(0, str(ROOT / "scripts"))
import prodstack  # noqa: E402

CONNECTIONS = 64
REPEATS = 3  # alternating runs of each; the median by requests/s is reported
COMMUNITY = "kratonkidul"
HEADERS = ("Accept-Language: id-ID,id;q=0.9",)


def upstream_fetches(access_log: Path, start: int) -> tuple[int, int]:
    """(requests nginx sent to gunicorn, requests in all) in the access log after byte `start`."""
    with access_log.open("rb") as log:
        log.seek(start)
        states = re.findall(rb" cache=(\S*) ", log.read())
    return sum(state in (b"MISS", b"EXPIRED", b"BYPASS", b"-") for state in states), len(states)


def measure() -> dict:
    prodstack.resolve_localhost_names()
    with prodstack.running_stack("proxybench", gunicorn_workers=(os.cpu_count() or 1) * 2 + 1) as stack:
        context = stack.ssl_context()
        home = urlopen(Request(stack.url(COMMUNITY)), context=context).read().decode()  # noqa: S310
        path = re.search(r'href="[^"]*?(/berita/[^"/]+/)"', home).group(1)
        host = f"{COMMUNITY}.{prodstack.BASE_DOMAIN}"
        proxied = (f"https://127.0.0.1:{stack.https_port}{path}", f"{host}:{stack.https_port}")
        # gunicorn alone, told it is behind https (else it redirects there), as nginx tells it.
        direct = (f"http://127.0.0.1:{stack.app_port}{path}", f"{host}:{stack.https_port}")
        forwarded = "X-Forwarded-Proto: https"
        answer = urlopen(Request(stack.url(COMMUNITY, path)), context=context)  # noqa: S310
        answer = urlopen(Request(stack.url(COMMUNITY, path)), context=context)  # noqa: S310
        assert answer.headers["X-Cache-Status"] == "HIT", answer.headers["X-Cache-Status"]
        for _ in range(2):  # warm-up: gunicorn's workers and page cache, nginx's cache
            wrk(*direct, CONNECTIONS, *HEADERS, forwarded, threads=2)
            wrk(*proxied, CONNECTIONS, *HEADERS, threads=2)
        access_log = stack.workdir / "nginx" / "logs" / "access.log"
        runs: dict[str, list[dict]] = {"gunicorn": [], "nginx": []}
        for _ in range(REPEATS):
            runs["gunicorn"].append(wrk(*direct, CONNECTIONS, *HEADERS, forwarded, threads=2))
            start = access_log.stat().st_size
            began = time.monotonic()
            figure = wrk(*proxied, CONNECTIONS, *HEADERS, threads=2)
            figure["upstream"], figure["requests"] = upstream_fetches(access_log, start)
            figure["seconds"] = round(time.monotonic() - began, 1)
            runs["nginx"].append(figure)
        return {
            "date": date.today().isoformat(),
            "path": path,
            "runs": runs,
            "load": " ".join(f"{load:.1f}" for load in os.getloadavg()),
            "median": {name: sorted(r, key=lambda f: f["rps"])[len(r) // 2] for name, r in runs.items()},
        }


def section(result: dict) -> str:
    gunicorn, nginx = result["median"]["gunicorn"], result["median"]["nginx"]
    ratio = nginx["rps"] / gunicorn["rps"]
    errors = sum(f["errors"] for r in result["runs"].values() for f in r)
    rows = [
        ("gunicorn alone (its Redis page cache, warm), http", gunicorn),
        ("nginx micro-cache in front, https", nginx),
    ]
    table = "\n".join(
        f"| {name} | {f['rps']:.0f} | {f['p50_ms']} | {f['p99_ms']} | {f['errors']} |" for name, f in rows
    )
    upstream = ", ".join(f"{f['upstream']} of {f['requests']}" for f in result["runs"]["nginx"])
    met = lambda ok: "met" if ok else "**missed**"  # noqa: E731
    workers = (os.cpu_count() or 1) * 2 + 1
    return f"""## Reverse proxy

`make bench-proxy` (`bench/proxy.py`, also run by `make bench`) on {result["date"]}, load average
{result["load"]} at the end. One post page (`{result["path"]}`) on `make prod-smoke`'s stack
(seed_demo, DEBUG off, Redis, {workers} gunicorn workers, nginx with 2 workers) under wrk: 64 connections,
2 threads, gzip, {REPEATS} alternating runs of {DURATION}, the median run by requests/s. nginx keeps the
page 5 s, so in each run gunicorn answered {upstream} requests.

| path | rps @64 | p50 ms | p99 ms | errors |
|---|---|---|---|---|
{table}

| figure | target | measured |  |
|---|---|---|---|
| requests/s, nginx ÷ gunicorn alone | ≥ 10 | {ratio:.1f} | {met(ratio >= 10)} |
| p99 through nginx | ≤ 50 ms | {nginx["p99_ms"]} ms | {met(nginx["p99_ms"] <= 50)} |
| errors, every run | 0 | {errors} | {met(errors == 0)} |
"""


def main() -> None:
    require("wrk")
    if prodstack.NGINX is None:
        sys.exit("nginx is missing: install it with `apt-get install nginx` (Debian).")
    os.environ["DATABASE_URL"] = database_url()
    result = measure()
    for name, figures in result["runs"].items():
        print(name, figures)
    write_section("proxy", section(result))
    print(section(result))


if __name__ == "__main__":
    main()
