"""What the bench scripts share: paths, the database and the environment of a measured server, wrk,
interleaved in-process timings, and their own sections of docs/benchmarks.md. No Django here."""

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
REPORT = ROOT / "docs" / "benchmarks.md"
DURATION = os.environ.get("BENCH_DURATION", "5s")  # each wrk run


def require(*tools: str) -> None:
    for tool in tools:
        if not shutil.which(tool):
            sys.exit(f"{tool} is missing: install it with `apt-get install {tool}` (Debian).")


def database_url() -> str:
    """DATABASE_URL, else scripts/devdb.py's private PostgreSQL (started if need be)."""
    if os.environ.get("DATABASE_URL"):
        return os.environ["DATABASE_URL"]
    sys.path.insert(0, str(ROOT / "scripts"))
    import devdb

    return devdb.private_database_url()


def with_database(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def env_for(url: str, **extra: str) -> dict:
    """A measured server's environment: production settings on loopback over http."""
    return {
        **os.environ,
        **{"DATABASE_URL": url, "DEBUG": "0", "SECRET_KEY": "bench-only-secret", "SITE_SCHEME": "http"},
        **{"MEDIA_ROOT": str(ROOT / ".bench-media"), "CONN_MAX_AGE": "600", "LOG_LEVEL": "WARNING"},
        **extra,
    }


def run(command: list[str], env: dict) -> str:
    """The command's output; its error's end on stderr if it fails."""
    result = subprocess.run(command, env=env, cwd=ROOT, text=True, capture_output=True)
    if result.returncode:
        sys.stderr.write(result.stderr[-4000:])
        result.check_returncode()
    return result.stdout


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wrk(url: str, host: str, connections: int, *headers: str, threads: int = 0, timeout: str = "2s") -> dict:
    """One wrk run (gzip accepted): requests/s, p50 and p99 in ms, and its errors by kind. wrk counts
    a request still unanswered at one of its `timeout` checks as an error."""
    command = ["wrk", f"-t{threads or min(connections, 4)}", f"-c{connections}", f"-d{DURATION}"]
    command += [f"--timeout={timeout}", "--latency"]
    for header in (f"Host: {host}", "Accept-Encoding: gzip", *headers):
        command += ["-H", header]
    out = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout

    def ms(percentile: int) -> float:
        value, unit = re.search(rf"{percentile}%\s+([\d.]+)(us|ms|s)", out).groups()
        return round(float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit], 1)

    patterns = {"non-2xx/3xx": r"Non-2xx or 3xx responses: (\d+)"}
    patterns |= {kind: rf"Socket errors:.*\b{kind} (\d+)" for kind in ("connect", "read", "write", "timeout")}
    found = {kind: re.search(pattern, out) for kind, pattern in patterns.items()}
    kinds = {kind: int(m[1]) for kind, m in found.items() if m and int(m[1])}
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    return {
        "rps": rps,
        "p50_ms": ms(50),
        "p99_ms": ms(99),
        "errors": sum(kinds.values()),
        "error_kinds": kinds,
    }


def lowest_ms(calls: dict[str, Callable], n: int = 100, rounds: int = 15) -> dict[str, float]:
    """ms per call of each: the lowest of `rounds` rounds of `n` calls, the calls taking turns in
    each round, so a change in the machine's speed hits them all."""
    for call in calls.values():
        call()
    best = dict.fromkeys(calls, float("inf"))
    for _ in range(rounds):
        for name, call in calls.items():
            started = time.perf_counter()
            for _ in range(n):
                call()
            best[name] = min(best[name], (time.perf_counter() - started) / n * 1000)
    return best


def write_section(key: str, text: str) -> None:
    """Put `text` into docs/benchmarks.md between <!-- key --> and <!-- /key -->: in place of what
    was there, else before "## Machine and commands" (bench/run.py writes the rest of the page)."""
    start, end = f"<!-- {key} -->", f"<!-- /{key} -->"
    page, section = REPORT.read_text(), f"{start}\n{text.strip()}\n{end}"
    if start in page:
        page = re.sub(re.escape(start) + ".*?" + re.escape(end), lambda _: section, page, flags=re.DOTALL)
    elif "## Machine and commands" in page:
        page = page.replace("## Machine and commands", f"{section}\n\n## Machine and commands", 1)
    else:
        page = f"{page.rstrip()}\n\n{section}\n"
    REPORT.write_text(page)
