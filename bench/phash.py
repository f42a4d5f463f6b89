"""Photos seen before (issue 23): near-duplicate lookups among a million stored hashes, and what the
hash costs an upload. Prints JSON and writes its own section of docs/benchmarks.md.

`make bench-phash`, or `DATABASE_URL=<server> python bench/phash.py [--database kim_bench_phash]`: that
database is created if missing and migrated; its feed_photohash is refilled with 1,000,000 hashes whose
bits are set as often as in the hashes of generated photo-like pictures.
"""

import argparse
import io
import json
import os
import random
import statistics
import subprocess
import sys
import time
from operator import attrgetter
from pathlib import Path

import psycopg
from PIL import Image, ImageDraw, ImageFilter

ROOT = Path(__file__).resolve().parents[1]
import common  # noqa: E402

HASHES, ENTRIES, LOOKUPS = 1_000_000, 1_000, 200


def picture(rng: random.Random) -> Image.Image:
    im = Image.new("RGB", (320, 240), tuple(rng.randrange(256) for _ in range(3)))
    draw = ImageDraw.Draw(im)
    for _ in range(40):
        x, y, r = rng.randrange(320), rng.randrange(240), rng.randrange(4, 50)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=tuple(rng.randrange(256) for _ in range(3)))
    return im.filter(ImageFilter.GaussianBlur(2))


def near_copy(rng: random.Random, im: Image.Image) -> Image.Image:
    """Up to 5% cut from each side, shrunk to 50-100%, saved again as JPEG at quality 50-85."""
    w, h = im.size
    cut = [rng.uniform(0, 0.05) for _ in range(4)]
    im = im.crop((w * cut[0], h * cut[1], w * (1 - cut[2]), h * (1 - cut[3])))
    scale, out = rng.uniform(0.5, 1), io.BytesIO()
    im.resize((round(im.width * scale), round(im.height * scale))).save(
        out, "JPEG", quality=rng.randint(50, 85)
    )
    return Image.open(out)


def distances(rng: random.Random, n: int = 150) -> tuple[list[int], list[int], list[float]]:
    """Nearest distances of near copies and of unrelated pictures; how often each bit is set."""
    from posts.phash import distance, photo_hashes

    pictures = [picture(rng) for _ in range(n)]
    hashes = [photo_hashes(im) for im in pictures]
    pairs = [(h, photo_hashes(near_copy(rng, im))) for h, im in zip(hashes, pictures, strict=True)]
    pairs += list(zip(hashes, hashes[1:], strict=False))  # then unrelated neighbours
    nearest = [min(distance(x, y) for x in a for y in b) for a, b in pairs]
    bits = [sum((h[0] >> (63 - i)) & 1 for h in hashes) / n for i in range(64)]
    return sorted(nearest[:n]), sorted(nearest[n:]), bits


def seed(bits: list[float]) -> None:
    from django.db import connection
    from django.utils import timezone

    from communities import services
    from communities.models import Community, Regency
    from feed.models import FeedEntry

    services.regions_load()
    community = Community.objects.filter(slug="phash").first() or services.community_create(
        name="KIM Phash", slug="phash", regency=Regency.objects.get(code="33.75")
    )
    FeedEntry.objects.filter(community=community).delete()
    now, place = timezone.now(), {"regency": community.regency, "province": community.regency.province}
    entries = FeedEntry.objects.bulk_create(
        FeedEntry(community=community, post_id=n, slug=f"p{n}", published_at=now, **place)
        for n in range(ENTRIES)
    )
    with connection.cursor() as cursor:  # each bit set with its measured odds; `g > 0`: a new draw per row
        cursor.execute(
            "INSERT INTO feed_photohash (entry_id, photo_id, src, phash) SELECT %s + g %% %s, g, '',"
            " (SELECT bit_or(CASE WHEN random() < p THEN 1::bigint << (64 - i)::int ELSE 0 END)"
            " FROM unnest(%s::float8[]) WITH ORDINALITY u(p, i) WHERE g > 0) FROM generate_series(1, %s) g",
            [entries[0].pk, ENTRIES, bits, HASHES],
        )
        cursor.execute("VACUUM ANALYZE feed_photohash")


def lookups(rng: random.Random) -> dict:
    """The review screen's query for one photo (its whole and centre hashes): half near copies of
    stored hashes (6 and 10 bits flipped), half new photos."""
    from django.db import connection

    from feed.selectors import near_photo_hashes
    from posts.phash import signed

    with connection.cursor() as cursor:
        cursor.execute("SELECT phash FROM feed_photohash TABLESAMPLE SYSTEM (1) LIMIT %s", [LOOKUPS // 2])
        stored = [row[0] for row in cursor.fetchall()]

    def flip(h: int, n: int) -> int:
        return signed((h % 2**64) ^ sum(1 << bit for bit in rng.sample(range(64), n)))

    queries = [[flip(h, 6), flip(h, 10)] for h in stored]
    queries += [[flip(rng.getrandbits(64), 0), flip(rng.getrandbits(64), 0)] for _ in stored]
    times, found = [], 0
    for query in rng.sample(queries, len(queries)):
        started = time.perf_counter()
        found += bool(near_photo_hashes(query))
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    median, p95 = statistics.median(times), times[int(len(times) * 0.95)]
    return {"median_ms": round(median, 2), "p95_ms": round(p95, 2), "queries": len(times), "found": found}


def upload_cost(runs: int = 25) -> dict:
    """process_photo on a 12 MP JPEG with and without the hash, in turns, and the hash alone on its
    input: CPU time, which other work on the machine disturbs far less than wall time."""
    sys.path.insert(0, str(ROOT / "bench"))
    from photo_pipeline import make_photo

    from posts import images
    from posts.phash import photo_hashes

    buffer = io.BytesIO()
    make_photo().save(buffer, "JPEG", quality=90)
    cpu: dict[str, list[float]] = {"with": [], "without": []}
    for _ in range(runs):
        for name, hasher in (("with", photo_hashes), ("without", lambda im: (0, 0))):
            images.photo_hashes = hasher
            started = time.process_time()  # of every thread: the pipeline's worker too
            largest = max(
                images.process_photo(io.BytesIO(buffer.getvalue())).renditions, key=attrgetter("width")
            )
            cpu[name].append((time.process_time() - started) * 1000)
    images.photo_hashes = photo_hashes
    top = Image.open(io.BytesIO(largest.content)).convert("RGB")  # the size the hash is taken at
    started = time.process_time()
    for _ in range(50):
        photo_hashes(top)
    alone = (time.process_time() - started) / 50 * 1000
    with_, without = statistics.median(cpu["with"]), statistics.median(cpu["without"])
    return {"hash_ms": round(alone, 2), "on": f"{top.width}x{top.height}",
            "process_photo_cpu_ms": round(with_), "added_cpu_ms": round(with_ - without, 1)}  # fmt: skip


def section(r: dict) -> str:
    look, cost = r["lookup"], r["upload"]
    return "\n".join([
        "## Photos seen before (perceptual hashes)", "",
        f"`make bench-phash` (`bench/phash.py`) on {r['date']}, load average {r['load']}; match within "
        f"{r['threshold']} bits (`posts.phash.MATCH_DISTANCE`).", "",
        "| figure | aim | measured |", "|---|---|---|",
        f"| near-duplicate lookup among {HASHES:,} hashes, median / p95 of {look['queries']} | ≤ 20 ms | "
        f"{look['median_ms']} / {look['p95_ms']} ms |",
        f"| the hash alone on the {cost['on']} decode / CPU time it adds to a 12 MP upload "
        f"({cost['process_photo_cpu_ms']} ms) | ≤ 5 ms | {cost['hash_ms']} / {cost['added_cpu_ms']} ms |",
        f"| near copies (≤ 5% cut a side, 50-100%, JPEG q50-85) within the threshold | | {r['copies']} |",
        f"| nearest unrelated picture, lowest / median | above it | {r['unrelated']} bits |", "",
        f"Half the lookups were near copies of stored hashes; {look['found']} found a match.",
    ])  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    prefix = os.environ.get("BENCH_DATABASE_PREFIX", "kim_bench")
    parser.add_argument("--database", default=f"{prefix}_phash")
    name, server = parser.parse_args().database, common.database_url()
    with psycopg.connect(common.with_database(server, "postgres"), autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    os.environ.update(DATABASE_URL=common.with_database(server, name), DEBUG="0")
    os.environ.setdefault("SECRET_KEY", "bench-only")
    subprocess.run([sys.executable, "manage.py", "migrate_portal", "-v", "0"], cwd=ROOT, check=True)
    import portal  # noqa: F401  (sets Django up)

    from posts.phash import MATCH_DISTANCE

    rng = random.Random(23)
    copies, unrelated, bits = distances(rng)
    print("seeding a million hashes…", flush=True)
    seed(bits)
    r = {"date": time.strftime("%Y-%m-%d"), "load": " ".join(f"{x:.1f}" for x in os.getloadavg())}
    r |= {"threshold": MATCH_DISTANCE, "lookup": lookups(rng), "upload": upload_cost()}
    r["copies"] = (
        f"{sum(d <= MATCH_DISTANCE for d in copies)} of {len(copies)} (median {copies[len(copies) // 2]})"
    )
    r["unrelated"] = f"{unrelated[0]} / {statistics.median(unrelated):g}"
    common.write_section("phash", section(r))
    print(json.dumps(r, indent=2))


if __name__ == "__main__":
    main()
