"""Reads for the public pages: all from the public FeedEntry table, never a loop over schemas.

The reads every cold public page makes (lists, a post, search) are hand-written SQL: compiling the
ORM's version of these one-table queries cost more than PostgreSQL took to answer them (see
docs/benchmarks.md). They return ordinary FeedEntry instances.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from django.db import connection
from django.db.models import Count, QuerySet

from communities.models import Community, Province, Regency
from communities.selectors import regency_by_id, regions
from kimportal.pagination import PAGE_SIZE, Key, Page, decode_cursor, keyset_page, queryset_page
from posts.models import Post, PostRevision

from .models import SEARCH_CONFIG, FeedEntry

SEARCH_MAX_QUERY = 200  # characters of the query that are used
SEARCH_CANDIDATES = 200

# What lists show: every column but the two only search reads.
_LISTED = [f for f in FeedEntry._meta.concrete_fields if f.name not in ("body_text", "search_vector")]
_TABLE = FeedEntry._meta.db_table
_COLUMNS = ", ".join(f'e."{f.column}"' for f in _LISTED)
_ATTNAMES = [f.attname for f in _LISTED]
_SNAPSHOT = PostRevision._meta.get_field("snapshot")
# Fields whose database value needs converting (JSON arrives as text with Django's psycopg setup).
_CONVERTED = [(i, f.from_db_value) for i, f in enumerate(_LISTED) if hasattr(f, "from_db_value")]


@dataclass(frozen=True)
class EntryFilter:
    """Which published entries a list shows; every combination is served by an index (see
    FeedEntry.Meta.indexes)."""

    province_id: int | None = None
    regency_id: int | None = None
    community_id: int | None = None
    category: str = ""
    tag: str = ""
    featured: bool = False

    def sql(self) -> tuple[list[str], list]:
        clauses, params = [], []
        for column in ("province_id", "regency_id", "community_id"):
            if getattr(self, column) is not None:
                clauses.append(f"e.{column} = %s")
                params.append(getattr(self, column))
        if self.category:
            clauses.append("e.category = %s")
            params.append(self.category)
        if self.tag:
            clauses.append("e.tag_slugs @> %s::varchar(100)[]")
            params.append([self.tag])
        if self.featured:
            clauses.append("e.featured")
        return clauses, params


def _entries(sql: str, params: list | dict, extra: tuple[str, ...] = ()) -> list[FeedEntry]:
    """FeedEntry instances from rows of the listed columns, then one attribute per `extra` column."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    entries = []
    for row in rows:
        values = list(row[: len(_ATTNAMES)])
        for i, convert in _CONVERTED:
            values[i] = convert(values[i], None, connection)
        entry = FeedEntry.from_db("default", _ATTNAMES, values)
        for name, value in zip(extra, row[len(_ATTNAMES) :], strict=True):
            setattr(entry, name, value)
        entries.append(entry)
    return entries


def entry_rows(where: EntryFilter, after: Key | None, limit: int) -> list[FeedEntry]:
    """Newest first, after the keyset `after` (published_at, id)."""
    clauses, params = where.sql()
    if after:
        clauses.append("(e.published_at < %s OR (e.published_at = %s AND e.id < %s))")
        params += [after[0], after[0], after[1]]
    sql = (
        f"SELECT {_COLUMNS} FROM {_TABLE} e WHERE {' AND '.join(clauses) or 'true'}"
        " ORDER BY e.published_at DESC, e.id DESC LIMIT %s"
    )
    return _entries(sql, [*params, limit])


def newest_with_picks(where: EntryFilter, limit: int, picks: int) -> tuple[list, list]:
    """The first `limit` entries of a list and its `picks` newest featured ones, in one query (two
    round trips cost a cold page more than either index scan)."""
    clauses, params = where.sql()
    condition = " AND ".join(clauses) or "true"
    newest = "ORDER BY e.published_at DESC, e.id DESC LIMIT %s"
    sql = (
        f"(SELECT {_COLUMNS}, false AS picked FROM {_TABLE} e WHERE {condition} {newest})"
        f" UNION ALL (SELECT {_COLUMNS}, true FROM {_TABLE} e WHERE {condition} AND e.featured {newest})"
        " ORDER BY picked, published_at DESC, id DESC"
    )
    rows = _entries(sql, [*params, limit, *params, picks], extra=("picked",))
    return [e for e in rows if not e.picked], [e for e in rows if e.picked]


def entries_page(where: EntryFilter, cursor: str | None, *, picks: int = 0) -> tuple[Page, list]:
    """One page of a list and, on its first page, its `picks` newest featured entries (read in the
    same query); raises BadCursor for a tampered cursor."""
    after = decode_cursor(cursor)
    if after is None and picks:
        newest, picked = newest_with_picks(where, PAGE_SIZE + 1, picks)
        return keyset_page(lambda _after, _limit: newest, None, PAGE_SIZE), picked  # already read
    return keyset_page(lambda after, limit: entry_rows(where, after, limit), after, PAGE_SIZE), []


def published_post(community: Community, slug: str) -> FeedEntry | None:
    """The community's published entry with this slug, its `snapshot` the approved version readers
    see, in one query: the entry from the public table, the snapshot from the community's own schema
    (named, not left to the search path: post ids repeat from one schema to the next)."""
    schema = connection.ops.quote_name(community.schema_name)
    found = _entries(
        f"SELECT {_COLUMNS}, r.snapshot FROM {_TABLE} e"
        f" JOIN {schema}.{Post._meta.db_table} p ON p.id = e.post_id"
        f" JOIN {schema}.{PostRevision._meta.db_table} r ON r.id = p.live_revision_id"
        " WHERE e.community_id = %s AND e.slug = %s LIMIT 1",
        [community.pk, slug],
        extra=("snapshot",),
    )
    if not found:
        return None
    entry = found[0]
    entry.snapshot = _SNAPSHOT.from_db_value(entry.snapshot, None, connection)  # type: ignore[arg-type]  # no expression needed
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
        .only("name", "slug", "regency_id")
        .order_by("name")[:DIRECTORY_MATCHES]
    )
    for community in found:
        community.regency = regency_by_id(community.regency_id)
    return found


class CommunityLatest(NamedTuple):
    name: str
    slug: str
    latest_title: str | None
    latest_url: str | None
    latest_at: datetime | None


RECENTLY_ACTIVE = 12  # communities on a regency page; the rest are on its community list


def communities_recently_active(regency: Regency, limit: int = RECENTLY_ACTIVE) -> list[CommunityLatest]:
    """The kabupaten/kota's communities that published last, each with its latest post (one query:
    an index scan over `limit` communities, one probe each, however many the regency has)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT c.name, c.slug, latest.title, latest.canonical_url, latest.published_at FROM ("
            f"  SELECT id, name, slug, last_published_at FROM {Community._meta.db_table}"
            f"  WHERE regency_id = %s AND last_published_at IS NOT NULL"
            f"  ORDER BY last_published_at DESC, id DESC LIMIT %s"
            f") c LEFT JOIN LATERAL ("
            f"  SELECT title, canonical_url, published_at FROM {_TABLE} e WHERE e.community_id = c.id"
            f"  ORDER BY e.published_at DESC, e.id DESC LIMIT 1"
            f") latest ON true ORDER BY c.last_published_at DESC, c.id DESC",
            [regency.pk, limit],
        )
        return [CommunityLatest(*row) for row in cursor.fetchall()]


def regency_communities(regency: Regency) -> list[Community]:
    """Every community of a kabupaten/kota by name: its directory page (a few hundred at most)."""
    return list(Community.objects.filter(regency=regency).only("name", "slug", "last_published_at"))


# Control characters, not tags: the snippet is escaped first, then marked (see cards.highlight).
_HEADLINE = "StartSel=\x02, StopSel=\x03, MaxWords=30, MinWords=12, MaxFragments=2"
# Snippets are cut from the start of the body, up to about 450 words: ts_headline parses all the text
# it is given (~40 us per 800 characters), and a post may hold 100,000 characters, which would cost
# ~100 ms for a page of long posts. Ranking still reads the whole post; a post that matches only
# further on shows its opening lines.
SNIPPET_SOURCE_CHARS = 3000


def search(
    query: str,
    *,
    regency: Regency | None = None,
    category: str = "",
    offset: int = 0,
    limit: int = 20,
    snippets: int | None = None,
) -> list[FeedEntry]:
    """One page of a ranked full-text search (Indonesian stemming); the first `snippets` rows (all by
    default) with a highlighted snippet."""
    sql, params = search_statement(query, regency, category, offset, limit, snippets)
    return _entries(sql, params, extra=("rank", "snippet"))


def search_statement(
    query: str, regency: Regency | None, category: str, offset: int, limit: int, snippets: int | None
) -> tuple[str, dict]:
    """The SQL and parameters of `search` (bench/measure.py explains it)."""
    filters = ""
    if regency:
        filters += " AND regency_id = %(regency)s"
    if category:
        filters += " AND category = %(category)s"
    # Only the SEARCH_CANDIDATES newest matches are ranked (a common word can match most of the
    # feed), inside one statement; only the page's rows are joined back and highlighted. Ranking and
    # highlighting read the query through a sub-select, parsed once rather than once per row; the
    # filter keeps it inline, where the planner sees it to estimate how many posts match. A row
    # fetched only to know whether there is a next page is not highlighted (`snippets`).
    sql = f"""
        WITH candidates AS (
            SELECT id, published_at, search_vector FROM {_TABLE}
            WHERE search_vector @@ websearch_to_tsquery(%(config)s, %(query)s){filters}
            ORDER BY published_at DESC, id DESC LIMIT %(candidates)s
        ), page AS (
            SELECT id, published_at,
                ts_rank(search_vector, (SELECT websearch_to_tsquery(%(config)s, %(query)s))) AS rank
            FROM candidates ORDER BY rank DESC, published_at DESC, id DESC LIMIT %(limit)s OFFSET %(offset)s
        )
        SELECT {_COLUMNS}, page.rank,
            CASE WHEN row_number() OVER (ORDER BY page.rank DESC, page.published_at DESC, page.id DESC)
                <= %(snippets)s THEN ts_headline(
                %(config)s,
                left(e.body_text, %(snippet_chars)s),
                (SELECT websearch_to_tsquery(%(config)s, %(query)s)),
                %(headline)s
            ) END AS snippet
        FROM page JOIN {_TABLE} e ON e.id = page.id
        ORDER BY page.rank DESC, page.published_at DESC, page.id DESC
    """
    params = {
        "config": SEARCH_CONFIG,
        "query": query[:SEARCH_MAX_QUERY],
        "candidates": SEARCH_CANDIDATES,
        "limit": limit,
        "offset": offset,
        "snippets": limit if snippets is None else snippets,
        "headline": _HEADLINE,
        "snippet_chars": SNIPPET_SOURCE_CHARS,
        "regency": regency.pk if regency else None,
        "category": category,
    }
    return sql, params


def gallery_page(cursor: str | None, size: int = 12) -> Page:
    """Published posts of the current community with their photos, newest first (one query a page)."""
    posts = Post.objects.filter(live_revision__isnull=False).select_related("live_revision")
    posts = posts.only("published_at", "slug", "live_revision__snapshot")
    return queryset_page(posts, decode_cursor(cursor), size)


def is_published(*, community: Community, post_id: int) -> bool:
    return FeedEntry.objects.filter(community=community, post_id=post_id).exists()
