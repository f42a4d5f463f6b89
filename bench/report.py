"""docs/benchmarks.md from bench/run.py's results: `python bench/report.py` rereads .bench-results.json."""

import json
from pathlib import Path

KEY_PAGES = ["province feed", "community home", "post page"]
TARGETS = {  # key: (figure, target)
    "warm": ("province feed, community home, post page, cache warm (rps ÷ baseline)", "≥ 0.6"),
    "cold": ("the same pages, cache cold", "≥ 0.15"),
    "search": ("search, cache cold", "≥ 0.08"),
    "p99": ("p99 at 64 connections, cache warm (÷ baseline p99)", "≤ 3"),
    "growth": ("server time, large ÷ small seed (worst page)", "≤ 1.2"),
    "onboard": ("new community with 1,000 existing (median of 5)", "≤ 0.3 s"),
    "migrate": ("`migrate_portal` with nothing to apply, 1,000 schemas", "≤ 10 s"),
    "weight": ("feed page weight, HTML + CSS + JS as sent gzip-compressed", "≤ 30 KB"),
    "errors": ("errors during every load run", "0"),
    "photo": (
        "photo pipeline, 12 MP JPEG: wall time (and CPU time) ÷ naive Pillow; peak memory",
        "≥ 4x faster, ≤ 0.5x memory",
    ),
}
PAGE = """# Benchmarks

Written by `{command}` (`bench/run.py`) on {date}; every figure is in `.bench-results.json`.
Regenerate this page rather than edit it; what was tried, and why, lives in the git history.

## Targets

{targets}

## Load

The large seed, gunicorn with `kimportal/gunicorn.conf.py`, DEBUG off, cache: {cache}. wrk per page and
connection count: {load}, each beside a run of the **baseline** (`/healthz`, the whole middleware
stack); shown: the run with the median ratio (lowest–highest in brackets). The **floor** is
`bench/hello.py`, a bare Django view under the same gunicorn command. Compare ratios, not absolutes.

Cache cold (page cache off):

{cold_table}

Cache warm:

{warm_table}

Errors: {errors}. Worker memory (RSS) after the warm runs: {rss} MB.

## Cost against size

In-process, cache off: one process per seed, asked in turn, {turns} turns of 5 requests; the median.
Queries, posts listed and `<img>` tags: small / large. Pages: {url_list}.

{size_table}

## Onboarding and page weight

- New community (schema ready, subdomain serving) with {onboard[existing]} existing: {onboard_s} s.
- `manage.py migrate_portal` with nothing to apply: {migrate_portal_s:.1f} s (Python start-up included).
{weights}

## Photo pipeline

`bench/photo_pipeline.py`: {photo_setup}. Medians; process_photo runs on two threads, so its CPU time
counts both.

{photos}

## Machine and commands

- {machine} (at the end of the run).
- `{command}`; `BENCH_DURATION=10s` lengthens each wrk run, `python bench/photo_pipeline.py --quick`
  runs the photo benchmark alone.
- Seeds: {sizes[small][seed]}; {sizes[large][seed]}.
"""


def rps_ratio(phase: dict, page: str, connections: str = "16") -> float:
    return phase[page][connections]["rps"] / phase[page][connections]["baseline"]["rps"]


def measured(r: dict) -> dict:
    """key of TARGETS -> (what was measured, whether the target was met)."""
    warm, cold = ([rps_ratio(r[phase], p) for p in KEY_PAGES] for phase in ("warm", "cold"))
    search = rps_ratio(r["cold"], "search")
    at_64 = [r["warm"][p]["64"] for p in KEY_PAGES]
    p99 = max(f["p99_ms"] / max(f["baseline"]["p99_ms"], 0.1) for f in at_64)
    small, large = r["sizes"]["small"]["pages"], r["sizes"]["large"]["pages"]
    growth = {name: large[name]["ms"] / small[name]["ms"] for name in small if name != "baseline (/healthz)"}
    worst = max(growth, key=growth.get)
    weight = r["weight"]["province feed"]["gzip"] / 1024
    onboard, migrate, errors = r["onboard"]["median"], r["migrate_portal_s"], sum(n for _, n in error_list(r))
    result = {
        "warm": (f"{min(warm):.3f} – {max(warm):.3f}", min(warm) >= 0.6),
        "cold": (f"{min(cold):.3f} – {max(cold):.3f}", min(cold) >= 0.15),
        "search": (f"{search:.3f}", search >= 0.08),
        "p99": (f"{p99:.2f}", p99 <= 3),
        "growth": (f"{growth[worst]:.2f} ({worst})", growth[worst] <= 1.2),
        "onboard": (f"{onboard:.3f} s", onboard <= 0.3),
        "migrate": (f"{migrate:.1f} s", migrate <= 10),
        "weight": (f"{weight:.1f} KB", weight <= 30),
        "errors": (str(errors), not errors),
        "photo": ("not measured", False),
    }
    if photos := r["photo"].get("photos"):
        slow = min(photos, key=lambda p: p["wall_ratio"])
        cpu, memory = min(p["cpu_ratio"] for p in photos), max(p["memory_ratio"] for p in photos)
        text = f"{slow['wall_ratio']:.2f}x faster; CPU {cpu:.2f}x; {memory:.3f}x memory"
        result["photo"] = (text, slow["wall_ratio"] >= 4 and memory <= 0.5)
    return result


def error_list(r: dict) -> list[tuple[str, int]]:
    """(where, how many) for every load run with errors, its baseline runs counted apart."""
    return [
        (
            f"{name}{'' if seen is f else ' (its baseline)'}, {phase} @{c}: {seen['error_kinds']}",
            seen["errors"],
        )
        for phase in ("cold", "warm")
        for name, by_conn in r[phase].items()
        for c, f in by_conn.items()
        for seen in (f, f.get("baseline", {}))
        if seen.get("errors")
    ]


def table(header: str, rows: list[list]) -> str:
    lines = [f"| {header} |", "|" + "---|" * (header.count("|") + 1)]
    return "\n".join(lines + ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows])


def load_table(phase: dict, floor: dict) -> str:
    def cells(c: str, f: dict, ratio: str = "") -> list:
        return [f"{f['rps']:.0f}", ratio, f["p50_ms"], f["p99_ms"], f"{f['p99_ms'] / floor[c]['p99_ms']:.1f}"]

    rows = [["floor: bare Django (`bench/hello.py`)", *(x for c, f in floor.items() for x in cells(c, f))]]
    for name, by_conn in phase.items():
        row = ["baseline (`/healthz`), first run" if name == "baseline" else name]
        for c, f in by_conn.items():
            spread = f" ({min(f['ratios']):.2f}–{max(f['ratios']):.2f})" if "ratios" in f else ""
            row += cells(c, f, f"{rps_ratio(phase, name, c):.2f}{spread}" if "baseline" in f else "")
        rows.append(row)
    header = " | ".join(f"rps @{c} | ÷ baseline | p50 ms | p99 ms | p99 ÷ floor" for c in floor)
    return table(f"page | {header}", rows)


def markdown(r: dict) -> str:
    small, large = r["sizes"]["small"]["pages"], r["sizes"]["large"]["pages"]
    sizes = [
        [name, s["ms"], large[name]["ms"], f"{large[name]['ms'] / s['ms']:.2f}"]
        + [f"{s[key]} / {large[name][key]}" for key in ("queries", "posts", "images")]
        for name, s in small.items()
    ]
    targets = [
        [*TARGETS[key], value, "met" if ok else "**missed**"] for key, (value, ok) in measured(r).items()
    ]
    keys = "photo naive_ms ms cpu_ms wall_ratio cpu_ratio memory_ratio bytes_ratio".split()
    photo_header = (
        "photo (4000x3000 JPEG) | naive ms | process_photo ms | its CPU ms | naive ÷ it | CPU ratio"
    )
    return PAGE.format(
        **r,
        targets=table("figure | target | measured | ", targets),
        cold_table=load_table(r["cold"], r["floor"]["cold"]),
        warm_table=load_table(r["warm"], r["floor"]["warm"]),
        errors="; ".join(where for where, _ in error_list(r)) or "none",
        rss=", ".join(map(str, r["worker_rss_mb"])),
        size_table=table(
            "page | small: ms | large: ms | large ÷ small | queries | posts listed | `<img>`", sizes
        ),
        onboard_s=", ".join(f"{s:.3f}" for s in r["onboard"]["seconds"]),
        weights="\n".join(
            f"- {name}: {w['raw'] / 1024:.1f} KB HTML + CSS + JS, {w['gzip'] / 1024:.1f} KB as sent gzipped"
            f" ({w['assets']} linked file(s), {w['images']} `<img>`)."
            for name, w in r["weight"].items()
        ),
        photo_setup=r["photo"].get("setup") or f"failed: `{r['photo'].get('error', '')[-300:]}`",
        photos=table(
            f"{photo_header} | memory | bytes", [[p[k] for k in keys] for p in r["photo"].get("photos", [])]
        ),
        url_list="; ".join(f"{name} `{url}`" for name, url in r["urls"].items()),
    )


if __name__ == "__main__":
    root = Path(__file__).resolve().parent.parent
    (root / "docs/benchmarks.md").write_text(markdown(json.loads((root / ".bench-results.json").read_text())))
