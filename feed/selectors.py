"""Reads for the public pages: all from the public FeedEntry table, never a loop over schemas."""

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db.models import F, OuterRef, QuerySet, Subquery

from communities.models import Community, Province, Regency
from communities.selectors import regions
from moderation.feed import SEARCH_CONFIG
from moderation.models import FeedEntry
from posts.models import Post, PostRevision

from .pagination import BadCursor, Page, keyset_page  # noqa: F401 - BadCursor is re-exported

SEARCH_MAX_QUERY = 200  # characters of the query that are used
SEARCH_CANDIDATES = 200


def entries() -> QuerySet[FeedEntry]:
    """Published entries, as lists show them: one table, no joins (the community's name is on the
    entry, regencies come from `regions()`)."""
    return FeedEntry.objects.defer("body_text", "search_vector")


def entry_for_post(community: Community, slug: str) -> FeedEntry | None:
    return entries().select_related("regency").filter(community=community, slug=slug).first()


def featured_entries(province: Province, limit: int = 3) -> list[FeedEntry]:
    return list(entries().filter(province=province, featured=True).order_by("-published_at", "-pk")[:limit])


def province_by_slug(slug: str) -> Province | None:
    return regions().provinces_by_slug.get(slug)


def regency_by_slug(slug: str) -> Regency | None:
    return regions().regencies_by_slug.get(slug)


def provinces_with_communities() -> QuerySet[Province]:
    return Province.objects.filter(regencies__communities__isnull=False).distinct().order_by("name")


def communities_with_latest(province: Province) -> QuerySet[Community]:
    """The province's communities, by kabupaten/kota, each with its latest published post (one query)."""
    latest = FeedEntry.objects.filter(community=OuterRef("pk")).order_by("-published_at", "-pk")
    return (
        Community.objects.filter(regency__province=province)
        .select_related("regency")
        .only("name", "slug", "regency__name", "regency__kind", "regency__slug", "regency__code")
        .annotate(
            latest_title=Subquery(latest.values("title")[:1]),
            latest_url=Subquery(latest.values("canonical_url")[:1]),
            latest_at=Subquery(latest.values("published_at")[:1]),
        )
        .order_by("regency__kind", "regency__name", "name")
    )


def search(query: str, *, regency: Regency | None = None, category: str = "") -> QuerySet[FeedEntry]:
    """Ranked full-text search (Indonesian stemming) with highlighted snippets.

    Only the SEARCH_CANDIDATES newest matches are ranked: a common word can match most of the feed,
    and ranking all of it would make one search cost as much as the whole table.
    """
    tsquery = SearchQuery(query[:SEARCH_MAX_QUERY], search_type="websearch", config=SEARCH_CONFIG)
    matches = FeedEntry.objects.filter(search_vector=tsquery)
    if regency is not None:
        matches = matches.filter(regency=regency)
    if category:
        matches = matches.filter(category=category)
    newest = matches.order_by("-published_at").values("pk")[:SEARCH_CANDIDATES]
    return (
        entries()
        .filter(pk__in=Subquery(newest))
        .annotate(
            rank=SearchRank(F("search_vector"), tsquery),
            snippet=SearchHeadline(
                "body_text",
                tsquery,
                config=SEARCH_CONFIG,
                # Control characters, not tags: the snippet is escaped first, then marked (see |highlight).
                start_sel="\x02",
                stop_sel="\x03",
                max_words=30,
                min_words=12,
                max_fragments=2,
            ),
        )
        .order_by("-rank", "-published_at", "-pk")
    )


def live_snapshot(post_id: int) -> dict | None:
    """The approved snapshot the public reads, from the current community's schema (one query)."""
    live = PostRevision.objects.filter(post_id=post_id, post__live_revision=F("pk"))
    revision = live.only("snapshot").first()
    return revision.snapshot if revision else None


def gallery_page(cursor: str | None, size: int = 12) -> Page:
    """Published posts of the current community with their photos, newest first (one query a page)."""
    posts = Post.objects.filter(live_revision__isnull=False).select_related("live_revision")
    return keyset_page(posts.only("published_at", "slug", "live_revision__snapshot"), cursor, size)
