"""In-process measurements on a seeded database (cache off), as JSON or a table:

python bench/measure.py pages            # bench/run.py's server: see serve_pages
python bench/measure.py onboard          # a new community created and its subdomain served
python bench/measure.py ratios [PAGE...] # ms per page against /healthz (default: the search pages)
python bench/measure.py search-index     # what indexing costs a post when it is published
"""

import json
import os
import re
import statistics
import sys
import time

os.environ["PAGE_CACHE"] = "0"
from common import lowest_ms
from portal import FeedEntry  # sets Django up: before the other imports

# isort: split
from django.db import connection, transaction
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
    regency = Community.objects.order_by("pk").first().regency
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


def ratios(names: list[str]) -> None:
    pages = timed_pages()
    pages["search, a typo"] = (Client(), "kim.localhost", "/cari/?q=pembangunen+jalan")
    names = ["baseline (/healthz)", *(names or [name for name in pages if name.startswith("search")])]
    calls = {name: lambda page=pages[name]: page[0].get(page[2], HTTP_HOST=page[1]) for name in names}
    best = lowest_ms(calls, n=20)
    for name, ms in best.items():
        print(f"{name:28s} {ms:7.2f} ms   {best[names[0]] / ms:5.3f} of the baseline's requests/s")


def search_index() -> None:
    """Stemming a post (no word cached, then cached) and its index UPDATE with the vocabulary."""
    from feed import services as feed_services
    from feed import textsearch
    from tests.feed.search_corpus import DOCS  # real Indonesian: the seed's words are made up

    entry = FeedEntry.objects.order_by("-published_at").first()
    body = " ".join(f"{doc.title}. {doc.body}" for doc in DOCS * 3).split()
    for label, words in {"a 300-word post": 300, "a 1,500-word post": 1500}.items():
        searched = (entry.title, entry.tag_names, entry.place_text, " ".join(body[:words]))

        def stem(searched=searched):
            document = textsearch.document((searched[0], "A"), (searched[3], "C"))
            return document, feed_services.entry_words(*searched)

        def write(searched=searched):
            with transaction.atomic():
                FeedEntry.objects.filter(pk=entry.pk).update(**feed_services.search_index(*searched))
                feed_services.words_recount(before=set(), after=feed_services.entry_words(*searched))
                transaction.set_rollback(True)

        textsearch.root.cache_clear()
        started = time.perf_counter()
        stem()
        cold = (time.perf_counter() - started) * 1000
        best = lowest_ms({"stem": stem, "write": write}, 5, 5)
        print(
            f"{label:20s} stemming {cold:6.1f} ms (no word cached) / {best['stem']:5.1f} ms (cached);"
            f" index UPDATE + vocabulary {best['write']:5.1f} ms"
        )


if __name__ == "__main__":
    mode, names = sys.argv[1], sys.argv[2:]
    if mode == "pages":
        serve_pages()
    elif mode == "onboard":
        print(json.dumps(onboard()))
    else:
        {"ratios": lambda: ratios(names), "search-index": search_index}[mode]()
