"""Reads for the public pages: all from the public FeedEntry table, never a loop over schemas.

The reads every cold public page makes (lists, a post, search) are hand-written SQL in
`feed.fastpath`, which says what each replaces and what that saves; they return ordinary FeedEntry
instances.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import combinations

from django.db import connection, transaction
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.expressions import RawSQL
from django.db.models.functions import Length

from communities.models import Community, Province, Regency
from communities.selectors import regency_by_id, regions
from kimportal.hosts import site_url
from kimportal.pagination import PAGE_SIZE, Page, decode_cursor, keyset_page, queryset_page
from notices.models import ClarifiedPost, Notice
from posts.models import Post
from posts.phash import MATCH_DISTANCE

from . import fastpath, textsearch
from .fastpath import (
    CARD_COLUMNS,
    SEARCH_MAX_QUERY,
    CommunityLatest,
    EntryFilter,
    entry_rows,
    regency_choices,
    search,
    search_query,
    search_statement,
)
from .models import FeedEntry, PhotoHash, SearchWord

__all__ = [
    "CARD_COLUMNS",
    "SEARCH_MAX_QUERY",
    "CommunityLatest",
    "EntryFilter",
    "entry_rows",
    "search",
    "search_query",
    "search_statement",
]


def entries_page(where: EntryFilter, cursor: str | None, *, picks: int = 0) -> tuple[Page, list]:
    """One page of a list and, on its first page, its `picks` newest featured entries (read in the
    same query); raises BadCursor for a tampered cursor."""
    after = decode_cursor(cursor)
    if after is None and picks:
        newest, picked = fastpath.newest_with_picks(where, PAGE_SIZE + 1, picks)
        return keyset_page(lambda _after, _limit: newest, None, PAGE_SIZE), picked  # already read
    cards = CARD_COLUMNS
    return keyset_page(lambda after, limit: entry_rows(where, after, limit, cards), after, PAGE_SIZE), []


def published_post(community: Community, slug: str) -> FeedEntry | None:
    """The community's published entry with this slug, its `snapshot` the approved version readers
    see, in one query: the entry from the public table, the snapshot from the community's own schema
    (named, not left to the search path: post ids repeat from one schema to the next)."""
    entry = fastpath.published_entry(community, slug)
    if entry is None:
        return None
    entry.regency = regency_by_id(entry.regency_id)
    return entry


def province_by_slug(slug: str) -> Province | None:
    return regions().provinces_by_slug.get(slug)


def regency_by_slug(slug: str) -> Regency | None:
    return regions().regencies_by_slug.get(slug)


def provinces_with_communities() -> QuerySet[Province]:
    return Province.objects.filter(regencies__communities__isnull=False).distinct().order_by("name")


DIRECTORY_MATCHES = 50


def regencies_with_communities(province: Province) -> list[tuple[Regency, int]]:
    """The province's kabupaten/kota that have communities, with how many (one query)."""
    counts = (
        Community.objects.filter(regency__province=province)
        .values_list("regency_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    by_id = regions().regencies_by_id
    found = [(by_id[regency_id], n) for regency_id, n in counts if regency_id in by_id]
    return sorted(found, key=lambda pair: (pair[0].kind, pair[0].name))


def communities_named(province: Province, text: str) -> list[Community]:
    """The province's communities whose name contains `text`, by name (at most DIRECTORY_MATCHES)."""
    found = list(
        Community.objects.filter(regency__province=province, name__icontains=text)
        .only("name", "slug", "regency_id", "logo", "schema_name")
        .order_by("name")[:DIRECTORY_MATCHES]
    )
    for community in found:
        community.regency = regency_by_id(community.regency_id)
    return found


RECENTLY_ACTIVE = 12  # communities on a regency page; the rest are on its community list


def communities_recently_active(regency: Regency, limit: int = RECENTLY_ACTIVE) -> list[CommunityLatest]:
    """The kabupaten/kota's communities that published last, each with its latest post (one query:
    an index scan over `limit` communities, one probe each, however many the regency has)."""
    return fastpath.communities_recently_active(regency, limit)


def regency_communities(regency: Regency) -> list[Community]:
    """Every community of a kabupaten/kota by name: its directory page (a few hundred at most)."""
    return list(
        Community.objects.filter(regency=regency).only(
            "name", "slug", "last_published_at", "logo", "schema_name"
        )
    )


def gallery_page(cursor: str | None, size: int = 12) -> Page:
    """Published posts of the current community with their photos, newest first (one query a page)."""
    posts = Post.objects.filter(live_revision__isnull=False).select_related("live_revision")
    posts = posts.only("published_at", "slug", "live_revision__snapshot")
    return queryset_page(posts, decode_cursor(cursor), size)


def is_published(*, community: Community, post_id: int) -> bool:
    return FeedEntry.objects.filter(community=community, post_id=post_id).exists()


# "Kab. Pekalongan" as readers write it: the words before a name that say which kind it is.
KIND_WORDS: dict[str, tuple[str, ...]] = {
    Regency.Kind.KOTA: ("kota",),
    Regency.Kind.KABUPATEN: ("kabupaten", "kab"),
}


def regencies_named_in(query: str) -> list[Regency]:
    """The home province's kabupaten/kota a query names: "sungai Pekalongan" names Kota and
    Kabupaten Pekalongan, "Kota Pekalongan" the kota only (no query: the regions are in memory)."""
    text = f" {' '.join(textsearch.words_of(query))} "
    by_slug = regions().regencies_by_slug
    found = []
    for slug, _label in regency_choices():
        regency = by_slug[slug]
        name = " ".join(textsearch.words_of(regency.name))
        if f" {name} " in text:
            found.append(regency)
    with_kind = [r for r in found if any(f" {kind} {r.name.lower()} " in text for kind in KIND_WORDS[r.kind])]
    return with_kind or found


SIMILAR_ENOUGH = 0.3  # pg_trgm's default similarity threshold


def search_suggestion(query: str, parsed: textsearch.Query | None = None) -> str | None:
    """The query (`parsed`: as search_query parsed it) with each word the published posts never use
    replaced by the most similar one they do ("posyandy" -> "posyandu"), or None when there is
    nothing to correct."""
    parsed = parsed or search_query(query)
    typed = [w for w in dict.fromkeys(parsed.words) if len(w) >= 3 and not w.isdigit()]
    known = set(SearchWord.objects.filter(word__in=typed, entries__gt=0).values_list("word", flat=True))
    corrections = {}
    for word in typed:
        if word not in known and (similar := _similar_word(word)):
            corrections[word] = similar
    if not corrections:
        return None
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, corrections)) + r")\b", re.IGNORECASE)
    return pattern.sub(lambda m: corrections[m.group(0).lower()], query)


def _similar_word(word: str) -> str | None:
    """The vocabulary's word most similar to `word` by trigrams (as pg_trgm's similarity), the more
    used first. Only words of its first letter (a range of the primary key: typos rarely hit the
    first letter) and about its length are compared, a few thousand at most."""
    grams = textsearch.trigrams(word)
    shared = "(SELECT count(*) FROM unnest(trigrams) g WHERE g = ANY(%s::varchar[]))"
    similarity = RawSQL(
        f"{shared}::float / (cardinality(trigrams) + %s - {shared})", (grams, len(grams), grams)
    )
    best = (
        SearchWord.objects.annotate(length=Length("word"), similarity=similarity)
        .filter(
            word__gte=word[0], word__lt=chr(ord(word[0]) + 1), length__range=(len(word) - 2, len(word) + 2)
        )
        .filter(trigrams__overlap=grams, entries__gt=0)
        .order_by("-similarity", "-entries")
        .values_list("word", "similarity")
        .first()
    )
    return best[0] if best and best[1] >= SIMILAR_ENOUGH else None


# --- official notices: their re-shares and the posts a clarification answers -----------------------

RESHARES_SHOWN = 100


def reshares(notice: Notice, limit: int = RESHARES_SHOWN) -> tuple[list[FeedEntry], int]:
    """The published posts written from this notice, oldest first (who carried it first), at most
    `limit`, and how many there are (two queries on the `feed_reshares` index)."""
    entries = FeedEntry.objects.filter(source_notice=notice)
    shown = list(
        entries.only("community_name", "community_slug", "path", "regency", "title", "published_at").order_by(
            "published_at", "id"
        )[:limit]
    )
    for entry in shown:
        entry.regency = regency_by_id(entry.regency_id)
    count = len(shown) if len(shown) < limit else entries.count()
    return shown, count


def clarified_posts(notice: Notice) -> list[ClarifiedPost]:
    """The posts a clarification answers, each with `url` while it is still published ('' once taken
    down: its page is gone), in one query."""
    entry = FeedEntry.objects.filter(community_id=OuterRef("community_id"), post_id=OuterRef("post_id"))
    links: list[ClarifiedPost] = list(
        ClarifiedPost.objects.filter(notice=notice)
        .select_related("community")
        .annotate(entry_path=Subquery(entry.values("path")[:1]))
        .order_by("linked_at", "id")
    )
    for link in links:
        path = getattr(link, "entry_path", None)
        link.url = site_url(path, subdomain=link.community.slug) if path else ""
    return links


# --- photos seen before: near-duplicate perceptual hashes (PhotoHash) -----------------------------


@dataclass(frozen=True)
class PhotoMatch:
    """A published photo within MATCH_DISTANCE bits of a photo being reviewed."""

    entry: FeedEntry
    src: str  # the published photo's smallest rendition
    distance: int


_PARTS = 4  # 16-bit parts of a hash, each indexed (PhotoHash)


def _part_neighbours(value: int, radius: int) -> list[int]:
    """Every 16-bit value within `radius` bits of `value`."""
    return [
        value ^ sum(1 << bit for bit in bits)
        for n in range(radius + 1)
        for bits in combinations(range(16), n)
    ]


def near_photo_hashes(
    hashes: Sequence[int], *, within: int = MATCH_DISTANCE
) -> list[tuple[int, int, str, int]]:
    """(entry id, photo id, src, distance) of the stored hashes within `within` bits of any of `hashes`.

    Multi-index hashing: if each of the four parts of a stored hash differed from the query's same
    part in more than r0, r1, r2 and r3 bits, the whole would differ in at least r0 + r1 + r2 + r3 + 4;
    with that sum one above `within` (1, 2, 2, 2 for 10), a hash within `within` bits has a part
    within its radius. Each part's index is read for the values within its radius only (index-only:
    it includes the hash), the bits counted there, and only the few survivors read from the table.
    The first part, the lowest frequencies, has the fewest distinct values: it gets the smallest
    radius."""
    radii = [(within - _PARTS + 1 + n) // _PARTS for n in range(_PARTS)]
    keys = [
        sorted({k for h in hashes for k in _part_neighbours((h >> (48 - 16 * n)) & 0xFFFF, radii[n])})
        for n in range(_PARTS)
    ]
    distance = "LEAST(" + ", ".join(["bit_count((phash # %s::bigint)::bit(64))"] * len(hashes)) + ")"
    table = PhotoHash._meta.db_table
    near = " UNION ALL ".join(
        f"SELECT id FROM {table} WHERE part{n} = ANY(%s::int[]) AND {distance} <= %s" for n in range(_PARTS)
    )
    params: list = [*hashes]
    for part_keys in keys:
        params += [part_keys, *hashes, within]
    # Four small index ranges: parallel workers would only add their start-up (twice as slow on two
    # cores), and a Parallel Append ignores the table's parallel_workers.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
        cursor.execute(
            f"SELECT entry_id, photo_id, src, {distance} FROM {table} WHERE id IN ({near})", params
        )
        return cursor.fetchall()


def photos_seen_before(
    hashes: dict[int, tuple[int, int]], *, before: datetime, community: Community, post_id: int
) -> dict[int, list[PhotoMatch]]:
    """For each photo (id -> its hashes), the published photos near it in entries published before
    `before`, oldest first: from any community, but not the post's own live version."""
    found = {photo_id: near_photo_hashes(pair) for photo_id, pair in hashes.items()}
    entry_ids = {row[0] for rows in found.values() for row in rows}
    entries = FeedEntry.objects.filter(pk__in=entry_ids, published_at__lt=before).exclude(
        community=community, post_id=post_id
    )
    by_id = {entry.pk: entry for entry in entries.select_related("regency")}
    matches: dict[int, list[PhotoMatch]] = {}
    for photo_id, rows in found.items():
        nearest: dict[tuple[int, int], PhotoMatch] = {}  # a photo's two hashes may both be near
        for entry_id, published_photo, src, distance in rows:
            key = (entry_id, published_photo)
            if entry_id in by_id and (key not in nearest or distance < nearest[key].distance):
                nearest[key] = PhotoMatch(by_id[entry_id], src, distance)
        if nearest:
            matches[photo_id] = sorted(nearest.values(), key=lambda m: (m.entry.published_at, m.entry.pk))
    return matches
