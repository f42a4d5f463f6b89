"""In-process measurements against a seeded benchmark database (run by bench/run.py).

    python bench/measure.py pages     # server time and query count of each page, cache off
    python bench/measure.py onboard   # time to create a community and serve its subdomain

Prints one JSON object.
"""

import json
import os
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kimportal.settings")
os.environ["PAGE_CACHE"] = "0"

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts.models import User  # noqa: E402
from communities import services  # noqa: E402
from communities.models import Community  # noqa: E402
from moderation.models import FeedEntry  # noqa: E402

RUNS = 30
# One post in a list: a feed card (feed/cards.py), an RSS item, a row of the moderation queue.
LISTED = re.compile(rb'<article class="card">|<item>|<li class="mod-item')


def bench_pages() -> dict[str, str]:
    """The pages of the load test: name -> (host, path), found in the seeded data."""
    hit = Community.objects.get(slug="kim-bench-0000")
    entry = FeedEntry.objects.filter(community=hit).order_by("-published_at").first()
    tag = entry.tag_slugs[0]
    main, community = "kim.localhost", hit.host
    return {
        "baseline (/healthz)": (main, "/healthz"),
        "province feed": (main, "/"),
        "regency page": (main, f"/kabupaten/{hit.regency.slug}/"),
        "community home": (community, "/"),
        "post page": (community, f"/berita/{entry.slug}/"),
        "tag page": (main, f"/tag/{tag}/"),
        "search": (main, "/cari/?q=pembangunan+jalan+desa"),
        # A word common enough to fill the 200 ranked candidates at both sizes (the three words
        # above match 13 posts at the small seed and 308 at the large one).
        "search, a common word": (main, "/cari/?q=warga"),
        "RSS feed": (main, f"/provinsi/{hit.regency.province.slug}/rss/"),
        "province feed, page 50": (main, "/?setelah=" + deep_cursor(hit)),
    }


def deep_cursor(hit) -> str:
    from kimportal.pagination import encode_cursor

    row = FeedEntry.objects.filter(province=hit.regency.province).order_by("-published_at", "-pk")[1000]
    return encode_cursor(row.published_at, row.pk)


def measure(client: Client, host: str, path: str) -> dict:
    client.get(path, HTTP_HOST=host)  # warm the host cache and the database's buffers
    times, queries = [], 0
    for _ in range(RUNS):
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            response = client.get(path, HTTP_HOST=host)
            times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (host, path, response.status_code)
        queries = len(ctx.captured_queries)
    # Posts listed: a page that lists more posts at one size does more work there, whatever the data.
    posts = len(LISTED.findall(response.content))
    return {"ms": round(statistics.median(times), 2), "queries": queries, "posts": posts}


def pages() -> dict:

    client = Client()
    result = {name: measure(client, host, path) for name, (host, path) in bench_pages().items()}
    editor = User.objects.get(email="editor@bench.kim")
    reviewer = Client()
    reviewer.force_login(editor)
    result["moderation queue (editor)"] = measure(reviewer, "kim.localhost", "/moderasi/")
    result["_urls"] = {name: f"http://{host}{path}" for name, (host, path) in bench_pages().items()}
    return result


def onboard() -> dict:

    regency = Community.objects.get(slug="kim-bench-0000").regency
    existing = Community.objects.count()
    times = []
    for i in range(5):
        slug = f"kim-onboard-{i}-{int(time.time())}"
        started = time.perf_counter()
        community = services.community_create(name=f"KIM Onboard {i}", slug=slug, regency=regency)
        status = Client().get("/", HTTP_HOST=community.host).status_code
        times.append(time.perf_counter() - started)
        assert status == 200, status
        connection.set_schema_to_public()
        community.delete(force_drop=True)
    return {
        "existing": existing,
        "seconds": [round(t, 3) for t in times],
        "median": round(statistics.median(times), 3),
    }


if __name__ == "__main__":
    print(json.dumps({"pages": pages, "onboard": onboard}[sys.argv[1]]()))
