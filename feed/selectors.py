"""Reads for the public pages: all from the public FeedEntry table, never a loop over schemas."""

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


def _search_sql(filters: str) -> str:
    """Rank the SEARCH_CANDIDATES newest matches; fetch and highlight only the rows of one page.

    Hand-written because the ORM's version ranked the candidates after joining every one of them
    back to its full row, and compiling it cost more than PostgreSQL took to run it.
    """
    table = FeedEntry._meta.db_table
    columns = ", ".join(f'e."{f.column}"' for f in FeedEntry._meta.concrete_fields if f.name not in _UNLISTED)
    return f"""
        WITH candidates AS (
            SELECT id, published_at, search_vector FROM {table}
            WHERE search_vector @@ websearch_to_tsquery(%(config)s, %(query)s){filters}
            ORDER BY published_at DESC LIMIT %(candidates)s
        ), page AS (
            SELECT id, published_at,
                ts_rank(search_vector, websearch_to_tsquery(%(config)s, %(query)s)) AS rank
            FROM candidates ORDER BY rank DESC, published_at DESC, id DESC LIMIT %(limit)s OFFSET %(offset)s
        )
        SELECT {columns}, page.rank,
            ts_headline(
                %(config)s, e.body_text, websearch_to_tsquery(%(config)s, %(query)s), %(headline)s
            ) AS snippet
        FROM page JOIN {table} e ON e.id = page.id
        ORDER BY page.rank DESC, page.published_at DESC, page.id DESC
    """


_UNLISTED = {"body_text", "search_vector"}
# Control characters, not tags: the snippet is escaped first, then marked (see cards.highlight).
_HEADLINE = "StartSel=\x02, StopSel=\x03, MaxWords=30, MinWords=12, MaxFragments=2"


def search(
    query: str, *, regency: Regency | None = None, category: str = "", offset: int = 0, limit: int = 20
) -> list[FeedEntry]:
    """Ranked full-text search (Indonesian stemming) with highlighted snippets, one page of it.

    Only the SEARCH_CANDIDATES newest matches are ranked: a common word can match most of the feed,
    and ranking all of it would make one search cost as much as the whole table.
    """
    filters = (" AND regency_id = %(regency)s" if regency else "") + (
        " AND category = %(category)s" if category else ""
    )
    params = {
        "config": SEARCH_CONFIG,
        "query": query[:SEARCH_MAX_QUERY],
        "candidates": SEARCH_CANDIDATES,
        "limit": limit,
        "offset": offset,
        "headline": _HEADLINE,
        "regency": regency.pk if regency else None,
        "category": category,
    }
    return list(FeedEntry.objects.raw(_search_sql(filters), params))


def live_snapshot(post_id: int) -> dict | None:
    """The approved snapshot the public reads, from the current community's schema (one query)."""
    live = PostRevision.objects.filter(post_id=post_id, post__live_revision=F("pk"))
    revision = live.only("snapshot").first()
    return revision.snapshot if revision else None


def gallery_page(cursor: str | None, size: int = 12) -> Page:
    """Published posts of the current community with their photos, newest first (one query a page)."""
    posts = Post.objects.filter(live_revision__isnull=False).select_related("live_revision")
    return keyset_page(posts.only("published_at", "slug", "live_revision__snapshot"), cursor, size)
