"""In-process measurements on a seeded database for bench/run.py: `python bench/measure.py pages|onboard`.

pages serves timed requests, cache off (see serve_pages); onboard times creating a community and
serving its subdomain, as JSON.
"""

import json
import os
import re
import statistics
import sys
import time

os.environ["PAGE_CACHE"] = "0"
from portal import FeedEntry  # sets Django up: before the other imports

# isort: split
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from communities import services
from communities.models import Community

BURST = 5  # requests in a row per answer: their median is a warm request's time
# One post in a list: a feed card (feed/cards.py), an RSS item, a row of the moderation queue.
LISTED = re.compile(rb'<article class="card">|<item>|<li class="mod-item')
SEARCH_WORDS = "pembangunan jalan desa"  # the load test's search


def timed_pages() -> dict[str, tuple[Client, str, str]]:
    """name -> (client, host, path): the load test's pages in the seeded data, and the editor's queue."""
    from kimportal.pagination import encode_cursor

    hit = Community.objects.get(slug="kim-bench-0000")
    entry = FeedEntry.objects.filter(community=hit).order_by("-published_at").first()
    deep = FeedEntry.objects.filter(province=hit.regency.province).order_by("-published_at", "-pk")[1000]
    main, community = "kim.localhost", hit.host
    pages = {
        "baseline (/healthz)": (main, "/healthz"),
        "province feed": (main, "/"),
        "regency page": (main, f"/kabupaten/{hit.regency.slug}/"),
        "community home": (community, "/"),
        "post page": (community, f"/berita/{entry.slug}/"),
        "tag page": (main, f"/tag/{entry.tag_slugs[0]}/"),
        "search": (main, "/cari/?q=" + SEARCH_WORDS.replace(" ", "+")),
        # common enough to fill the 200 ranked candidates at both sizes
        "search, a common word": (main, "/cari/?q=warga"),
        "RSS feed": (main, f"/provinsi/{hit.regency.province.slug}/rss/"),
        "province feed, page 50": (main, "/?halaman=" + encode_cursor(deep.published_at, deep.pk)),
    }
    anonymous, reviewer = Client(), Client()
    reviewer.force_login(User.objects.get(email="editor@bench.kim"))
    timed = {name: (anonymous, host, path) for name, (host, path) in pages.items()}
    timed["moderation queue (editor)"] = (reviewer, "kim.localhost", "/moderasi/")
    return timed


def serve_pages() -> None:
    """One JSON line (each page's queries, posts listed, <img> tags and URL), then, for each page
    name read from stdin, the median ms of BURST requests in a row."""
    pages = timed_pages()
    described = {}
    for name, (client, host, path) in pages.items():
        client.get(path, HTTP_HOST=host)  # warms the host cache and the database's buffers
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(path, HTTP_HOST=host)
        assert response.status_code == 200, (host, path, response.status_code)
        described[name] = {
            "queries": len(ctx.captured_queries),
            "posts": len(LISTED.findall(response.content)),  # more posts listed is more work
            "images": response.content.count(b"<img "),
            "url": f"http://{host}{path}",
        }
    print(json.dumps(described), flush=True)
    for line in sys.stdin:
        client, host, path = pages[line.strip()]
        times = []
        for _ in range(BURST):
            started = time.perf_counter()
            response = client.get(path, HTTP_HOST=host)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (host, path, response.status_code)
        print(f"{statistics.median(times):.4f}", flush=True)


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
    seconds, median = [round(t, 3) for t in times], round(statistics.median(times), 3)
    return {"existing": existing, "seconds": seconds, "median": median}


if __name__ == "__main__":
    if sys.argv[1] == "pages":
        serve_pages()
    else:
        print(json.dumps(onboard()))
