"""Writes of the published projection: one FeedEntry per live post, with its photos' hashes.
Moderation calls these to carry out its decisions (publish, withdraw, feature); communities' changes
reach them through `communities.signals.community_changed`. Nothing else writes FeedEntry rows.
A move to another kabupaten/kota changes nothing in PhotoHash: its rows point at the entry."""

from collections import Counter
from datetime import date, datetime

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import connection, transaction
from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils.text import Truncator, slugify

from communities.hosts import community_url
from communities.logos import logo_media_path
from communities.models import Community, Regency
from notices.models import Notice
from posts.html import plain_text
from posts.models import Post, PostRevision
from posts.selectors import photo_hashes
from posts.snapshots import PhotoSnapshot, PostSnapshot, snapshot_cover

from . import textsearch
from .models import FeedEntry, PhotoHash, SearchWord

EXCERPT_WORDS = 40


def post_path(slug: str) -> str:
    """A published post's path on its community's subdomain."""
    return reverse("post", kwargs={"slug": slug}, urlconf=settings.ROOT_URLCONF)


def post_url(community: Community, slug: str) -> str:
    """The absolute URL of a published post on its community's subdomain."""
    return community_url(community, post_path(slug))


def cover_of(snapshot: PostSnapshot) -> dict:
    cover = snapshot_cover(snapshot["photos"], snapshot["cover_id"])
    if cover is None:
        return {}
    return {
        "src": cover["src"],
        "srcset": cover["srcset"],
        "og": cover["og"],
        "width": cover["width"],
        "height": cover["height"],
        "alt": cover["caption"] or snapshot["title"],
    }


def entry_publish(
    *,
    community: Community,
    post_id: int,
    snapshot: PostSnapshot,
    published_at: datetime,
    featured: bool | None = None,
) -> FeedEntry:
    """Write (or rewrite) the public projection of an approved snapshot, with its search vector and
    its words in the vocabulary; `featured` None keeps an existing entry's editors' pick as it is."""
    text = plain_text(snapshot["body"])
    tags = snapshot["tags"]
    activity = snapshot["activity_date"]
    before = FeedEntry.objects.filter(community=community, post_id=post_id).values_list(*SEARCHED).first()
    places = place_text(community, snapshot.get("activity_place", ""))
    defaults = {
        "community_name": community.name,
        "community_logo": community_logo(community),
        "regency_id": community.regency_id,
        "province_id": community.regency.province_id,
        "slug": snapshot["slug"],
        "title": snapshot["title"],
        "excerpt": Truncator(text).words(EXCERPT_WORDS),
        "body_text": text,
        "category": snapshot["category"],
        "tag_names": tags,
        "tag_slugs": [slugify(tag, allow_unicode=True) for tag in tags],
        "cover": cover_of(snapshot),
        "has_video": "video" in snapshot,
        "community_slug": community.slug,
        "path": post_path(snapshot["slug"]),
        "activity_date": date.fromisoformat(activity) if activity else None,
        "published_at": published_at,
        "activity_place": snapshot.get("activity_place", ""),
        "place_text": places,
        "source_notice_id": snapshot.get("source_notice"),
    }
    if featured is not None:
        defaults["featured"] = featured
    entry, _created = FeedEntry.objects.update_or_create(
        community=community, post_id=post_id, defaults=defaults
    )
    entry_photo_hashes_write(entry=entry, community=community, snapshot=snapshot)
    searched = (snapshot["title"], tags, places, text)
    FeedEntry.objects.filter(pk=entry.pk).update(**search_index(*searched))
    words_recount(before=entry_words(*before) if before else set(), after=entry_words(*searched))
    _last_published_refresh_on_commit(community)
    return entry


def entry_photo_hashes_write(*, entry: FeedEntry, community: Community, snapshot: PostSnapshot) -> int:
    """The perceptual hashes of the photos this entry shows, replacing those it had (a withdrawal
    deletes them with the entry); a photo not hashed yet is left out. Returns how many photos."""
    PhotoHash.objects.filter(entry=entry).delete()
    photos = {photo["id"]: photo for photo in snapshot["photos"]}
    hashes = photo_hashes(schema_name=community.schema_name, photo_ids=list(photos))
    PhotoHash.objects.bulk_create(
        PhotoHash(entry=entry, photo_id=photo_id, src=_smallest(photos[photo_id]), phash=value)
        for photo_id, pair in hashes.items()
        for value in pair
    )
    return len(hashes)


def _smallest(photo: PhotoSnapshot) -> str:
    return photo["srcset"][0][1] if photo["srcset"] else photo["src"]


def community_logo(community: Community) -> str:
    """What an entry keeps of its community's logo (a place in the media store, not a URL)."""
    return logo_media_path(schema_name=community.schema_name, name=community.logo.name or "")


def entry_withdraw(*, community: Community, post_id: int) -> None:
    """Take a post out of every feed and page (a take-down), and its words out of the vocabulary."""
    entries = FeedEntry.objects.filter(community=community, post_id=post_id)
    before = entries.values_list(*SEARCHED).first()
    entries.delete()
    if before:
        words_recount(before=entry_words(*before), after=set())
    _last_published_refresh_on_commit(community)


# --- search: the index and the vocabulary (feed.textsearch stems) --------------------------------

# What search reads of an entry, in the order of the fields of its search vector.
SEARCHED = ("title", "tag_names", "place_text", "body_text")


def place_text(community: Community, activity_place: str) -> str:
    """Where a post comes from, as readers name it: the community, its address (the desa or
    kelurahan), its kabupaten/kota (in Indonesian, as posts write it) and the place of activity."""
    regency = community.regency
    kind = "Kota" if regency.kind == Regency.Kind.KOTA else "Kabupaten"
    parts = (community.name, community.address, f"{kind} {regency.name}", activity_place)
    return " · ".join(part for part in parts if part)


def search_index(title: str, tags: list[str], places: str, body: str) -> dict:
    """The search vector of an entry's texts (title and tags weigh most, then places, then the body),
    as values for an update."""
    vector = textsearch.document((title, "A"), (" ".join(tags), "A"), (places, "B"), (body, "C"))
    return {
        "search_vector": Cast(Value(vector), SearchVectorField()),
        "search_version": textsearch.STEMMER_VERSION,
    }


def entry_words(title: str, tags: list[str], places: str, body: str) -> set[str]:
    return textsearch.vocabulary(title, " ".join(tags), places, body)


_WORDS = SearchWord._meta.db_table
# pg_trgm's trigrams of a word (two spaces before, one after), in core SQL.
WORD_TRIGRAMS = (
    "ARRAY(SELECT DISTINCT substr('  ' || {0} || ' ', i, 3) FROM generate_series(1, length({0}) + 1) i)"
)


def words_recount(*, before: set[str], after: set[str]) -> None:
    """Count an entry's words in the vocabulary: `after` replaces `before`. Rows are locked in word
    order, so two publications that share words cannot deadlock."""
    added, removed = sorted(after - before), sorted(before - after)
    with connection.cursor() as cursor:
        if added and removed:  # an edit: lock the existing rows of both in one order first
            cursor.execute(
                f"SELECT 1 FROM {_WORDS} WHERE word = ANY(%s::varchar[]) ORDER BY word FOR UPDATE",
                [sorted(after ^ before)],
            )
        if added:
            cursor.execute(
                f"INSERT INTO {_WORDS} (word, stem, entries, trigrams)"
                f" SELECT w.word, w.stem, 1, {WORD_TRIGRAMS.format('w.word')}"
                " FROM unnest(%s::varchar[], %s::varchar[]) WITH ORDINALITY AS w(word, stem, n) ORDER BY w.n"
                f" ON CONFLICT (word) DO UPDATE SET entries = {_WORDS}.entries + 1, stem = EXCLUDED.stem",
                [added, [textsearch.root(word) for word in added]],
            )
        if removed:
            cursor.execute(
                f"UPDATE {_WORDS} w SET entries = w.entries - 1 FROM ("
                f"  SELECT word FROM {_WORDS} WHERE word = ANY(%s::varchar[]) ORDER BY word FOR UPDATE"
                ") locked WHERE w.word = locked.word",
                [removed],
            )
            cursor.execute(
                f"DELETE FROM {_WORDS} WHERE word = ANY(%s::varchar[]) AND entries <= 0", [removed]
            )


def notice_index(*, notice: Notice) -> None:
    """The search vector of a notice's title and text: what the review screen matches a submission
    against to find the clarifications it may repeat (moderation.selectors.similar_clarifications)."""
    vector = textsearch.document((notice.title, "A"), (notice.body, "C"))
    Notice.objects.filter(pk=notice.pk).update(
        search_vector=Cast(Value(vector), SearchVectorField()), search_version=textsearch.STEMMER_VERSION
    )


def notices_reindex(*, everything: bool = False) -> int:
    """Rebuild the search vectors of the notices an older stemmer made (a few thousand at most)."""
    notices = Notice.objects.only("title", "body")
    if not everything:
        notices = notices.exclude(search_version=textsearch.STEMMER_VERSION)
    done = 0
    for notice in notices.iterator(chunk_size=200):
        notice_index(notice=notice)
        done += 1
    return done


def entry_feature(*, community: Community, post_id: int, featured: bool) -> bool:
    """Put a published post among the editors' picks, or take it out; False if it is not published
    (an editor may have taken it down since the page was shown). The update locks the entry."""
    return FeedEntry.objects.filter(community=community, post_id=post_id).update(featured=featured) > 0


def entries_follow_community(*, community: Community, changed: set[str]) -> None:
    """Carry a community's new name, logo, address or kabupaten/kota to its entries (one table per
    list) and to their searchable place names."""
    values: dict[str, object] = {}
    if "name" in changed:
        values["community_name"] = community.name
    if "logo" in changed:
        values["community_logo"] = community_logo(community)
    if "regency" in changed:
        values["regency_id"] = community.regency_id
        values["province_id"] = community.regency.province_id
    if values:
        FeedEntry.objects.filter(community=community).update(**values)
    if changed & {"name", "address", "regency"}:
        entries_reindex_places(community=community)


def entries_reindex_places(*, community: Community) -> None:
    """Rebuild the place names of the community's entries, their search vectors and words (an
    operator's change: a community has hundreds of entries, not millions)."""
    entries = FeedEntry.objects.filter(community=community)
    kept = entries.only("id", "activity_place", "place_text")
    stale = [e.pk for e in kept if place_text(community, e.activity_place) != e.place_text]
    for entry in entries.filter(pk__in=stale).only("id", "activity_place", *SEARCHED):
        places = place_text(community, entry.activity_place)
        searched = (entry.title, entry.tag_names, places, entry.body_text)
        FeedEntry.objects.filter(pk=entry.pk).update(place_text=places, **search_index(*searched))
        words_recount(
            before=entry_words(*(getattr(entry, n) for n in SEARCHED)), after=entry_words(*searched)
        )


def _last_published_refresh_on_commit(community: Community) -> None:
    """Community.last_published_at, what regency pages sort by, from its newest entry, once the
    change is committed: inside it, the community row would be locked after the entry, the reverse
    of a profile edit's order (a deadlock). A regency page cached in between keeps the old order
    until the next published change."""
    community_id = community.pk

    def refresh() -> None:
        newest = FeedEntry.objects.filter(community=OuterRef("pk")).order_by("-published_at", "-id")
        latest = Subquery(newest.values("published_at")[:1])
        Community.objects.filter(pk=community_id).update(last_published_at=latest)

    transaction.on_commit(refresh, robust=True)


def entries_reindex(*, after_id: int, batch: int, everything: bool = False) -> tuple[int, int] | None:
    """Rebuild the search index of the next `batch` entries after `after_id` that an older stemmer
    version made (every entry with `everything`), each in its own short UPDATE while the rest keep
    serving; returns (the last id done, how many), None when none is left. An entry published meanwhile is
    left as its publication wrote it (the UPDATE checks `updated_at`)."""
    entries = FeedEntry.objects.filter(id__gt=after_id).order_by("id")
    if not everything:
        entries = entries.exclude(search_version=textsearch.STEMMER_VERSION)
    found = list(
        entries.select_related("community__regency").only(
            "id", "post_id", "updated_at", "search_version", "activity_place", *SEARCHED, "community"
        )[:batch]
    )
    if not found:
        return None
    places_before = _activity_places([e for e in found if e.search_version == 0 and not e.activity_place])
    for entry in found:
        activity_place = places_before.get((entry.community_id, entry.post_id), entry.activity_place)
        places = place_text(entry.community, activity_place)
        FeedEntry.objects.filter(pk=entry.pk, updated_at=entry.updated_at).update(
            activity_place=activity_place,
            place_text=places,
            **search_index(entry.title, entry.tag_names, places, entry.body_text),
        )
    return found[-1].pk, len(found)


def _activity_places(entries: list[FeedEntry]) -> dict[tuple[int, int], str]:
    """The place of activity of entries published before FeedEntry kept it, from each community's
    live revisions (one query per community)."""
    by_community: dict[Community, list[int]] = {}
    for entry in entries:
        by_community.setdefault(entry.community, []).append(entry.post_id)
    found = {}
    for community, post_ids in by_community.items():
        schema = connection.ops.quote_name(community.schema_name)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT p.id, r.snapshot->>'activity_place' FROM {schema}.{Post._meta.db_table} p"
                f" JOIN {schema}.{PostRevision._meta.db_table} r ON r.id = p.live_revision_id"
                " WHERE p.id = ANY(%s)",
                [post_ids],
            )
            found.update({(community.pk, post_id): place or "" for post_id, place in cursor.fetchall()})
    return found


def vocabulary_rebuild() -> int:
    """Count every published entry's words again (after a reindex: roots may have changed); the
    old vocabulary serves until the new one commits. Returns the number of words."""
    counts: Counter[str] = Counter()
    for searched in FeedEntry.objects.values_list(*SEARCHED).iterator(chunk_size=500):
        counts.update(entry_words(*searched))
    words = sorted(counts)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {_WORDS}")
        for start in range(0, len(words), 5000):
            chunk = words[start : start + 5000]
            cursor.execute(
                f"INSERT INTO {_WORDS} (word, stem, entries, trigrams)"
                f" SELECT w.word, w.stem, w.entries, {WORD_TRIGRAMS.format('w.word')}"
                " FROM unnest(%s::varchar[], %s::varchar[], %s::int[]) AS w(word, stem, entries)",
                [chunk, [textsearch.root(word) for word in chunk], [counts[word] for word in chunk]],
            )
    return len(words)
