"""The published projection: public-schema tables every public page reads, never a loop over schemas.

They hold (community, post_id) as plain values: public tables never point into a tenant schema.
"""

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _

from communities.models import Community, Province, Regency
from kimportal.hosts import site_url
from notices.models import Notice
from posts.snapshots import PostSnapshot

# The text search configuration of search snippets (ts_headline); the search vectors and queries are
# stemmed in Python (feed.textsearch) and reach PostgreSQL as literals.
SEARCH_CONFIG = "simple"


class FeedEntry(models.Model):
    """The published projection of an approved post, denormalised for lists, feeds and search."""

    community = models.ForeignKey(Community, models.CASCADE, related_name="feed_entries")
    # Denormalised so a list is one single-table index scan (kept in step by feed.services).
    community_name = models.CharField(max_length=120, default="")
    # Its logo file's place in the media store, `<schema>/<name>` ("" without one), not a URL: cards
    # make the URL when shown (communities.logos.logo_url_of), so a new media host reaches every entry.
    community_logo = models.CharField(max_length=200, blank=True, default="")
    regency = models.ForeignKey(Regency, models.PROTECT, related_name="+")
    province = models.ForeignKey(Province, models.PROTECT, related_name="+")
    post_id = models.BigIntegerField()
    slug = models.SlugField(max_length=180)
    title = models.CharField(max_length=200)
    excerpt = models.TextField(blank=True)
    body_text = models.TextField(blank=True)  # plain text, for search snippets (ts_headline)
    category = models.CharField(max_length=20, blank=True)
    tag_slugs = ArrayField(models.CharField(max_length=100), default=list, blank=True)
    tag_names = ArrayField(models.CharField(max_length=100), default=list, blank=True)
    # Media URLs computed in the community's context (the tenant storage builds them per schema).
    cover = models.JSONField(default=dict, blank=True)
    # The approved snapshot has a video (posts.videos): cards mark it, without reading the snapshot.
    has_video = models.BooleanField(default=False)
    # The post's address as a host (the community's subdomain) and a path, joined with the scheme,
    # domain and port of the settings when shown (`canonical_url`), so a change of those reaches
    # every entry, however old.
    community_slug = models.CharField(max_length=63)
    path = models.CharField(max_length=300)
    activity_date = models.DateField(null=True, blank=True)
    activity_place = models.CharField(max_length=200, blank=True, default="")
    published_at = models.DateTimeField()
    updated_at = models.DateTimeField(auto_now=True)
    featured = models.BooleanField(default=False)
    # The community's name and address (its desa or kelurahan), its kabupaten/kota and the place of
    # activity: searchable, weighted below the title.
    place_text = models.TextField(blank=True, default="")
    search_vector = SearchVectorField(null=True, editable=False)
    # The feed.textsearch.STEMMER_VERSION that made search_vector (`manage.py search_reindex`).
    search_version = models.PositiveSmallIntegerField(default=0, editable=False)
    # The official notice the post was written from: a re-share, what a notice's reach counts.
    source_notice = models.ForeignKey(
        Notice, models.PROTECT, null=True, blank=True, related_name="reshares", db_index=False
    )

    # Set on the entries some selectors return (feed.selectors), not stored here.
    picked: bool  # among the editors' picks of a feed page
    snapshot: PostSnapshot  # the approved version readers see (published_post)

    class Meta:
        verbose_name = _("berita tayang")
        verbose_name_plural = _("berita tayang")
        constraints = [models.UniqueConstraint(fields=["community", "post_id"], name="feed_unique_post")]
        indexes = [
            models.Index(fields=["province", "-published_at", "-id"], name="feed_province_recent"),
            models.Index(
                fields=["province", "-published_at", "-id"],
                condition=Q(featured=True),
                name="feed_province_featured",
            ),
            # Category and tag pages, and the newest matches of a common search word, walk this.
            models.Index(fields=["-published_at", "-id"], name="feed_recent"),
            models.Index(fields=["regency", "-published_at", "-id"], name="feed_regency_recent"),
            models.Index(fields=["community", "-published_at", "-id"], name="feed_community_recent"),
            # A notice's re-shares (its page, the console's reach figures): few rows, a partial index.
            models.Index(
                fields=["source_notice", "published_at"],
                condition=Q(source_notice__isnull=False),
                name="feed_reshares",
            ),
            GinIndex(fields=["tag_slugs"], name="feed_tags"),
            GinIndex(fields=["search_vector"], name="feed_search"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def canonical_url(self) -> str:
        return site_url(self.path, subdomain=self.community_slug)


class SearchWord(models.Model):
    """A word of the published posts, its root and how many entries hold it: the vocabulary that
    search snippets highlight (every form of a root) and "Maksud Anda" corrects a query to.

    Trigrams (as pg_trgm makes them) are kept in an array with a GIN index: the overlap operator is
    core PostgreSQL, so this works where the pg_trgm extension is not installed."""

    word = models.CharField(max_length=40, primary_key=True)
    stem = models.CharField(max_length=40)
    entries = models.PositiveIntegerField(default=0)
    trigrams = ArrayField(models.CharField(max_length=3), default=list)

    class Meta:
        indexes = [
            models.Index(fields=["stem"], name="feed_word_stem"),
            GinIndex(fields=["trigrams"], name="feed_word_trigrams"),
        ]

    def __str__(self) -> str:
        return self.word


def _hash_part(shift: int) -> models.GeneratedField:
    """16 bits of a hash, stored and indexed: the lookup's exact-match keys (feed.selectors)."""
    return models.GeneratedField(
        expression=Cast(F("phash").bitrightshift(shift).bitand(0xFFFF), models.IntegerField()),
        output_field=models.IntegerField(),
        db_persist=True,
    )


class PhotoHash(models.Model):
    """A perceptual hash of a published photo (posts.phash): two rows per photo, of the whole and of
    its centre. Written with its entry by feed.services, gone with it.

    Near-duplicates are found by multi-index hashing: the 64 bits are cut into four 16-bit parts,
    each indexed with the hash (index-only scans); a hash within 10 bits of another has one of
    its parts within 2 bits of the other's (the first part within 1), so a lookup reads only the
    rows whose parts are that near, then counts bits (feed.selectors.near_photo_hashes)."""

    entry = models.ForeignKey(FeedEntry, models.CASCADE, related_name="photo_hashes")
    photo_id = models.BigIntegerField()
    src = models.CharField(max_length=300)  # its smallest rendition's URL, as snapshots keep them
    phash = models.BigIntegerField()
    part0 = _hash_part(48)
    part1 = _hash_part(32)
    part2 = _hash_part(16)
    part3 = _hash_part(0)

    class Meta:
        indexes = [
            models.Index(fields=[f"part{n}"], include=["phash", "id"], name=f"feed_photohash_part{n}")
            for n in range(4)
        ]

    def __str__(self) -> str:
        return f"{self.entry_id}/{self.photo_id}"
