"""Search in-process on a seeded database: the search pages against /healthz (the ratio `make bench`
holds to its 0.08 target for search cold), and what indexing costs a post when it is published.

DATABASE_URL=... python bench/seed.py small     # once, into a database of its own
DATABASE_URL=... python bench/search.py pages   # ms per page, lowest of interleaved rounds
DATABASE_URL=... python bench/search.py index   # ms per post: stemming, its UPDATE, its words
"""

import os
import sys
import time

os.environ["PAGE_CACHE"] = "0"
from portal import FeedEntry  # sets Django up: before the other imports

# isort: split
from django.db import transaction
from django.test import Client

PAGES = {
    "baseline (/healthz)": "/healthz",
    "search": "/cari/?q=pembangunan+jalan+desa",  # bench/measure.py's
    "search, a common word": "/cari/?q=warga",
    "search, a typo": "/cari/?q=pembangunen+jalan",
}


def lowest_ms(function, n: int, rounds: int) -> list[float]:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        for _ in range(n):
            function()
        times.append((time.perf_counter() - started) / n * 1000)
    return times


def pages(n: int = 20, rounds: int = 15) -> None:
    client = Client(HTTP_HOST="kim.localhost")
    calls = {name: (lambda path=path: client.get(path)) for name, path in PAGES.items()}
    for name, call in calls.items():
        assert call().status_code == 200, name
    best = dict.fromkeys(calls, float("inf"))
    for _ in range(rounds):  # interleaved: a change in the machine's speed hits every page
        for name, call in calls.items():
            best[name] = min(best[name], *lowest_ms(call, n, 1))
    baseline = best["baseline (/healthz)"]
    for name, ms in best.items():
        print(f"{name:28s} {ms:7.2f} ms   {baseline / ms:5.3f} of the baseline's requests/s", flush=True)


def index() -> None:
    from feed import services, textsearch
    from tests.feed.search_corpus import DOCS  # real Indonesian: the seed's words are made up

    entries = list(FeedEntry.objects.order_by("-published_at")[:1])
    body = " ".join(f"{doc.title}. {doc.body}" for doc in DOCS * 3)
    sizes = {"a 300-word post": 300, "a 1,500-word post": 1500}
    for label, words in sizes.items():
        text = " ".join(body.split()[:words])
        entry = entries[0]
        searched = (entry.title, entry.tag_names, entry.place_text, text)

        def stem(searched=searched):
            return textsearch.document((searched[0], "A"), (searched[3], "C")), services.entry_words(
                *searched
            )

        textsearch.root.cache_clear()
        started = time.perf_counter()
        stem()
        cold = (time.perf_counter() - started) * 1000
        warm = min(lowest_ms(stem, 5, 5))

        def write(entry=entry, searched=searched):
            with transaction.atomic():
                FeedEntry.objects.filter(pk=entry.pk).update(**services.search_index(*searched))
                services.words_recount(before=set(), after=services.entry_words(*searched))
                transaction.set_rollback(True)

        written = min(lowest_ms(write, 5, 5))
        print(
            f"{label:20s} stemming {cold:6.1f} ms (no word cached) / {warm:5.1f} ms (cached);"
            f" index UPDATE + vocabulary {written:5.1f} ms",
            flush=True,
        )


if __name__ == "__main__":
    {"pages": pages, "index": index}[sys.argv[1] if len(sys.argv) > 1 else "pages"]()
