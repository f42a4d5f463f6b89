"""The feed's measured fast paths: the only places in feed that leave the ORM, the template engine
or Django's widgets, each because it is what keeps a cold public page within its target.

A cold page must keep 0.15 of the /healthz baseline's requests/s (search 0.08); `make bench` measured
0.153-0.237 (search 0.091), so a cold page has no room for a millisecond more. Each piece below
replaces a plain-Django version; the figures are in-process, on the small bench seed (`python
bench/seed.py small`), by `python bench/fastpaths.py`: the lowest of 15 interleaved rounds, ms per
call, this version against the plain one, over two runs (where /healthz took 0.23 ms and the
cold province feed 2.3 ms).

- `entry_rows`, `newest_with_picks` (SQL returning FeedEntry via `from_db`) replace
  `FeedEntry.objects.filter(...).only(...).order_by(...)[:21]` and its `.union()` with the picks:
  0.73-0.75 against 1.29-1.49 ms for a list's 21 rows, 0.91-0.95 against 2.00-2.08 ms for
  the first page with picks. Lists and the search page read only `CARD_COLUMNS`: converting the
  20 listed columns of 23 rows cost the cold province feed ~0.3 of its ~4.4 ms of CPU (Python and
  PostgreSQL, large seed).
- `published_entry` (the entry joined to its live snapshot in the community's schema, named, in one
  query) replaces the ORM's entry with a `Subquery` of `Post.live_revision__snapshot`: 0.45
  against 1.40-1.42 ms.
- `communities_recently_active` (a LATERAL join) replaces three `Subquery` annotations over the
  regency's communities: 0.31-0.32 against 1.55-1.64 ms.
- `search_statement`: ranking the 200 newest matches and highlighting only the page's rows needs a
  CTE, a window and `ts_headline` over a sub-select, which the ORM cannot write without RawSQL;
  kept as measured when it was made (with the filters drawn in Python, the search page's CPU
  went from 7.0 to 3.4 ms in-process, commit 796f70b).
- `Cards` draws a list's cards in one call, its labels, months and links resolved once per language,
  host URLconf and process (`cards_for`, the `_renderers` cache) instead of a `{% for %}` over
  the card's template markup: 0.11-0.12 against 3.13-3.25 ms for 20 cards. Communities' logos
  (issue 21) are drawn once per file too: their URLs are made in each community's schema.
- `select_html` draws the search form's <select>s instead of Django's Select widget, which renders a
  template per option: 0.03 against 1.43-1.45 ms for the 36 kabupaten/kota; `regency_choices` (the
  `_regency_choices` cache) labels those once per language and process: 0.002 against 0.56 ms.
  Together ~2 ms of a ~5 ms search page, which measured 0.091 against its target of 0.08.

The SQL reads through `kimportal.db.connection_for_read`, the connection the ORM's reads would take:
these are the hot public reads, so with a replica configured anonymous readers' pages read it here
too (kimportal/routers.py).

Everything else in feed is plain Django: selectors.py, views, forms and templates.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from html import escape  # not Django's: its lazy-string check costs more than the escaping here
from typing import NamedTuple

from django.conf import settings
from django.urls import get_urlconf, reverse
from django.utils import translation
from django.utils.dates import MONTHS_3
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import get_current_timezone, localtime
from django.utils.translation import gettext as _

from communities.logos import LOGO_SIDE_SHOWN, logo_url, logo_url_of
from communities.models import Community, Regency
from communities.selectors import Regions, regency_by_id, regions
from kimportal.db import connection_for_read
from kimportal.hosts import main_url_for, site_url
from kimportal.pagination import Key
from posts.models import Category, Post, PostRevision
from posts.snapshots import srcset

from . import textsearch
from .models import SEARCH_CONFIG, FeedEntry, SearchWord

# --- hand-written SQL returning FeedEntry instances ----------------------------------------------

SEARCH_MAX_QUERY = 200  # characters of the query that are used
SEARCH_CANDIDATES = 200

# What an entry shows beyond lists: every column but those only search reads (feeds, a post).
SEARCH_ONLY = ("body_text", "activity_place", "place_text", "search_vector", "search_version")
_TABLE = FeedEntry._meta.db_table
_WORDS = SearchWord._meta.db_table
_SNAPSHOT = PostRevision._meta.get_field("snapshot")


class Columns(NamedTuple):
    """The columns a read fetches (SQL), the attributes they fill, and the fields whose database
    value needs converting (JSON arrives as text with Django's psycopg setup)."""

    sql: str
    attnames: list[str]
    converted: list[tuple[int, Callable]]

    @classmethod
    def of(cls, names: Iterable[str]) -> "Columns":
        wanted = set(names)  # in the model's order, as Model.from_db reads them
        fields = [f for f in FeedEntry._meta.concrete_fields if f.name in wanted]
        return cls(
            ", ".join(f'e."{f.column}"' for f in fields),
            [f.attname for f in fields],
            [(i, f.from_db_value) for i, f in enumerate(fields) if hasattr(f, "from_db_value")],
        )


LISTED_COLUMNS = Columns.of(f.name for f in FeedEntry._meta.concrete_fields if f.name not in SEARCH_ONLY)
# What a card shows (Cards.card) and keyset paging reads: list pages and search results fetch only
# these (their other fields are deferred); each other column costs every row its conversion.
CARD_COLUMNS = Columns.of(
    ("id", "title", "community_name", "community_logo", "community_slug", "path")
    + ("regency", "category", "cover", "has_video", "published_at")
)


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


def _entries(
    sql: str, params: list | dict, extra: tuple[str, ...] = (), columns: Columns = LISTED_COLUMNS
) -> list[FeedEntry]:
    """FeedEntry instances from rows of `columns`, then one attribute per `extra` column,
    read where the ORM would read them (the replica on anonymous readers' public pages)."""
    connection = connection_for_read(FeedEntry)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    attnames, count = columns.attnames, len(columns.attnames)
    entries = []
    for row in rows:
        values = list(row[:count])
        for i, convert in columns.converted:
            values[i] = convert(values[i], None, connection)
        entry = FeedEntry.from_db(connection.alias, attnames, values)
        for name, value in zip(extra, row[count:], strict=True):
            setattr(entry, name, value)
        entries.append(entry)
    return entries


def entry_rows(
    where: EntryFilter, after: Key | None, limit: int, columns: Columns = LISTED_COLUMNS
) -> list[FeedEntry]:
    """Newest first, after the keyset `after` (published_at, id)."""
    clauses, params = where.sql()
    if after:
        clauses.append("(e.published_at < %s OR (e.published_at = %s AND e.id < %s))")
        params += [after[0], after[0], after[1]]
    sql = (
        f"SELECT {columns.sql} FROM {_TABLE} e WHERE {' AND '.join(clauses) or 'true'}"
        " ORDER BY e.published_at DESC, e.id DESC LIMIT %s"
    )
    return _entries(sql, [*params, limit], columns=columns)


def newest_with_picks(where: EntryFilter, limit: int, picks: int) -> tuple[list, list]:
    """The first `limit` entries of a list and its `picks` newest featured ones, as cards, in one
    query (two round trips cost a cold page more than either index scan)."""
    clauses, params = where.sql()
    condition = " AND ".join(clauses) or "true"
    newest = "ORDER BY e.published_at DESC, e.id DESC LIMIT %s"
    columns = CARD_COLUMNS.sql
    sql = (
        f"(SELECT {columns}, false AS picked FROM {_TABLE} e WHERE {condition} {newest})"
        f" UNION ALL (SELECT {columns}, true FROM {_TABLE} e WHERE {condition} AND e.featured {newest})"
        " ORDER BY picked, published_at DESC, id DESC"
    )
    rows = _entries(sql, [*params, limit, *params, picks], extra=("picked",), columns=CARD_COLUMNS)
    return [e for e in rows if not e.picked], [e for e in rows if e.picked]


def published_entry(community: Community, slug: str) -> FeedEntry | None:
    """The community's published entry with this slug, with its live snapshot as `snapshot` (JSON
    text): the entry from the public table, the snapshot from the community's own schema (named, not
    left to the search path: post ids repeat from one schema to the next)."""
    connection = connection_for_read(FeedEntry)
    schema = connection.ops.quote_name(community.schema_name)
    found = _entries(
        f"SELECT {LISTED_COLUMNS.sql}, r.snapshot FROM {_TABLE} e"
        f" JOIN {schema}.{Post._meta.db_table} p ON p.id = e.post_id"
        f" JOIN {schema}.{PostRevision._meta.db_table} r ON r.id = p.live_revision_id"
        " WHERE e.community_id = %s AND e.slug = %s LIMIT 1",
        [community.pk, slug],
        extra=("snapshot",),
    )
    if not found:
        return None
    entry = found[0]
    raw = getattr(entry, "snapshot")  # noqa: B009 - the column's JSON text, not yet a PostSnapshot
    entry.snapshot = _SNAPSHOT.from_db_value(raw, None, connection)  # type: ignore[arg-type]  # no expression
    return entry


class CommunityLatest(NamedTuple):
    name: str
    slug: str
    latest_title: str | None
    latest_url: str | None
    latest_at: datetime | None
    logo: str = ""  # its storage name ("" without one)
    schema_name: str = ""


def communities_recently_active(regency: Regency, limit: int) -> list[CommunityLatest]:
    """The kabupaten/kota's communities that published last, each with its latest post (one query:
    an index scan over `limit` communities, one probe each)."""
    with connection_for_read(Community).cursor() as cursor:
        cursor.execute(
            f"SELECT c.name, c.slug, latest.title, latest.path, latest.published_at, c.logo, c.schema_name"
            f" FROM ("
            f"  SELECT id, name, slug, last_published_at, logo, schema_name FROM {Community._meta.db_table}"
            f"  WHERE regency_id = %s AND last_published_at IS NOT NULL"
            f"  ORDER BY last_published_at DESC, id DESC LIMIT %s"
            f") c LEFT JOIN LATERAL ("
            f"  SELECT title, path, published_at FROM {_TABLE} e WHERE e.community_id = c.id"
            f"  ORDER BY e.published_at DESC, e.id DESC LIMIT 1"
            f") latest ON true ORDER BY c.last_published_at DESC, c.id DESC",
            [regency.pk, limit],
        )
        return [
            CommunityLatest(
                name, slug, title, site_url(path, subdomain=slug) if path else None, at, logo, schema
            )
            for name, slug, title, path, at, logo, schema in cursor.fetchall()
        ]


# Control characters, not tags: the snippet is escaped first, then marked (see cards.highlight).
_HEADLINE = "StartSel=\x02, StopSel=\x03, MaxWords=30, MinWords=12, MaxFragments=2"
# Snippets are cut from the start of the body, up to about 450 words: ts_headline parses all the text
# it is given (~40 us per 800 characters), and a post may hold 100,000 characters, which would cost
# ~100 ms for a page of long posts. Ranking still reads the whole post; a post that matches only
# further on shows its opening lines.
SNIPPET_SOURCE_CHARS = 3000


def search_query(text: str) -> textsearch.Query:
    """A reader's query, parsed once per request (its first SEARCH_MAX_QUERY characters)."""
    return textsearch.parse_query(text[:SEARCH_MAX_QUERY])


def search(
    query: textsearch.Query | str,
    *,
    regency: Regency | None = None,
    category: str = "",
    offset: int = 0,
    limit: int = 20,
    snippets: int | None = None,
    regency_ids: list[int] | None = None,
    columns: Columns = LISTED_COLUMNS,
) -> list[FeedEntry]:
    """One page of a ranked full-text search (Indonesian stemming, feed.textsearch) of a parsed
    query (or text, parsed here); the first `snippets` rows (all by default) with a highlighted
    snippet; only in `regency_ids` when given (the moderation console's scope). A query with no
    word left to search for (only stop words or symbols) finds nothing."""
    parsed = query if isinstance(query, textsearch.Query) else search_query(query)
    if not parsed.tsquery:
        return []
    sql, params = search_statement(parsed, regency, category, offset, limit, snippets, regency_ids, columns)
    return _entries(sql, params, extra=("rank", "snippet"), columns=columns)


def search_statement(
    query: textsearch.Query,
    regency: Regency | None,
    category: str,
    offset: int,
    limit: int,
    snippets: int | None,
    regency_ids: list[int] | None = None,
    columns: Columns = LISTED_COLUMNS,
) -> tuple[str, dict]:
    """The SQL and parameters of `search` (bench/measure.py explains it)."""
    filters = ""
    if regency:
        filters += " AND regency_id = %(regency)s"
    if regency_ids is not None:
        filters += " AND regency_id = ANY(%(regency_ids)s::bigint[])"
    if category:
        filters += " AND category = %(category)s"
    # Only the SEARCH_CANDIDATES newest matches are ranked (a common word can match most of the
    # feed), inside one statement; only the page's rows are joined back and highlighted. The query
    # is a tsquery literal (stemmed in Python), a constant the planner sees. A row fetched only to
    # know whether there is a next page is not highlighted (`snippets`). Snippets are cut from the
    # original text, so they highlight every form the vocabulary knows of the roots searched for
    # ("membangun", "pembangunan" for `bangun`), and the words as typed.
    sql = f"""
        WITH candidates AS (
            SELECT id, published_at, search_vector FROM {_TABLE}
            WHERE search_vector @@ %(query)s::tsquery{filters}
            ORDER BY published_at DESC, id DESC LIMIT %(candidates)s
        ), page AS (
            SELECT id, published_at, ts_rank(search_vector, %(query)s::tsquery) AS rank
            FROM candidates ORDER BY rank DESC, published_at DESC, id DESC LIMIT %(limit)s OFFSET %(offset)s
        ), forms AS (
            SELECT array_to_string(array_agg(quote_literal(word)) || %(typed)s::text[], ' | ')::tsquery AS q
            FROM {_WORDS} WHERE stem = ANY(%(roots)s::varchar[])
        )
        SELECT {columns.sql}, page.rank,
            CASE WHEN row_number() OVER (ORDER BY page.rank DESC, page.published_at DESC, page.id DESC)
                <= %(snippets)s THEN ts_headline(
                %(config)s, left(e.body_text, %(snippet_chars)s), (SELECT q FROM forms), %(headline)s
            ) END AS snippet
        FROM page JOIN {_TABLE} e ON e.id = page.id
        ORDER BY page.rank DESC, page.published_at DESC, page.id DESC
    """
    params = {
        "config": SEARCH_CONFIG,
        "query": query.tsquery,
        "typed": [textsearch.lexeme(word) for word in query.words],
        "roots": query.roots,
        "candidates": SEARCH_CANDIDATES,
        "limit": limit,
        "offset": offset,
        "snippets": limit if snippets is None else snippets,
        "headline": _HEADLINE,
        "snippet_chars": SNIPPET_SOURCE_CHARS,
        "regency": regency.pk if regency else None,
        "regency_ids": regency_ids,
        "category": category,
    }
    return sql, params


# --- cards and <select>s drawn in Python -----------------------------------------------------------

CATEGORY_LABELS = dict(Category.choices)
LOGO_SIDE_CARD = 24  # CSS px: a card's logo, beside the community's name in its small print
LOGOS_KEPT = 5000  # logo images a renderer keeps, past which it starts afresh


def highlight(snippet: str) -> SafeString:
    """Escape a search snippet, then turn its \\x02…\\x03 markers into <mark>."""
    return mark_safe(escape(snippet or "").replace("\x02", "<mark>").replace("\x03", "</mark>"))


class Cards:
    """Renders cards in the language active when it was built; get one with `cards_for`."""

    def __init__(self, regions: Regions):
        self.regions = regions
        # The category pages of the request's host (main domain or community), as {% url %} would.
        self.categories = {
            value: f'<a href="{escape(reverse("category", args=[value]))}">{escape(str(label))}</a>'
            for value, label in CATEGORY_LABELS.items()
        }
        self.community_home = reverse("home", urlconf=settings.ROOT_URLCONF)
        self.months = {number: str(name).title() for number, name in MONTHS_3.items()}  # as |date:"M"
        self.latest_label = escape(_("Terbaru:"))
        self.no_news_label = escape(_("Belum ada berita."))
        self.video_mark = f' · <span class="card-video">{escape(_("Video"))}</span>'
        self.regencies: dict[int, str] = {}
        self.logos: dict[str, str] = {}

    def regency(self, entry: FeedEntry) -> str:
        if entry.regency_id not in self.regencies:
            regency = self.regions.regencies_by_id.get(entry.regency_id) or regency_by_id(entry.regency_id)
            self.regencies[entry.regency_id] = (
                f'<a href="{escape(main_url_for("regency", slug=regency.slug))}">{escape(str(regency))}</a>'
            )
        return self.regencies[entry.regency_id]

    def logo(self, entry: FeedEntry) -> str:
        """The community's logo beside its name (alt="": the name says it), its URL made once per
        file and process: from another host it is made in the community's schema, a switch that
        would otherwise cost every card (a file name is never reused, so a kept URL stays right)."""
        path = entry.community_logo
        if not path:
            return ""
        image = self.logos.get(path)
        if image is None:
            if len(self.logos) >= LOGOS_KEPT:
                self.logos.clear()
            image = self.logos[path] = (
                f'<img class="kim-logo" src="{escape(logo_url_of(path))}" width="{LOGO_SIDE_CARD}"'
                f' height="{LOGO_SIDE_CARD}" alt="" loading="lazy" decoding="async">'
            )
        return image

    def cover(self, entry: FeedEntry) -> str:
        cover = entry.cover or {}
        if not cover.get("src"):
            return ""
        src = cover["srcset"][0][1] if cover.get("srcset") else cover["src"]
        return (
            f'<a href="{escape(entry.canonical_url)}" tabindex="-1" aria-hidden="true" class="card-img">'
            f'<img src="{escape(src)}" srcset="{escape(srcset(cover.get("srcset")))}" '
            f'sizes="(min-width: 48rem) 20rem, 100vw" width="{int(cover.get("width") or 0)}" '
            f'height="{int(cover.get("height") or 0)}" alt="" loading="lazy" decoding="async"></a>'
        )

    def day(self, moment, tz=None) -> str:
        moment = localtime(moment, tz)
        return f"{moment.day} {self.months[moment.month]} {moment.year}"

    def communities(self, rows) -> SafeString:
        """Directory lines (selectors.CommunityLatest), in one call like `cards`."""
        tz = get_current_timezone()
        return mark_safe("".join(self.community(row, tz) for row in rows))

    def community(self, row, tz=None) -> str:
        """A directory line: a community and its latest post."""
        latest = (
            f'{self.latest_label} <a href="{escape(row.latest_url)}">{escape(row.latest_title)}</a> · '
            f"{self.day(row.latest_at, tz)}"
            if row.latest_title
            else self.no_news_label
        )
        home = site_url(self.community_home, subdomain=row.slug)
        logo = logo_url(schema_name=row.schema_name, name=row.logo)
        image = (
            f'<img class="kim-logo" src="{escape(logo)}" width="{LOGO_SIDE_SHOWN}" height="{LOGO_SIDE_SHOWN}"'
            ' alt="" loading="lazy" decoding="async">'
            if logo
            else ""
        )
        return (
            f'<li><a href="{escape(home)}">{image}{escape(row.name)}</a><br>'
            f'<span class="meta">{latest}</span></li>'
        )

    def cards(self, entries, *, snippets: bool = False) -> SafeString:
        """Cards of `entries`, with each one's search snippet (`entry.snippet`) when asked."""
        tz = get_current_timezone()
        return mark_safe(
            "".join(self.card(entry, entry.snippet if snippets else "", tz=tz) for entry in entries)
        )

    def card(self, entry: FeedEntry, snippet: str = "", tz=None) -> SafeString:
        published = localtime(entry.published_at, tz)
        day = self.day(published, tz)
        category = f" · {self.categories[entry.category]}" if entry.category in self.categories else ""
        video = self.video_mark if entry.has_video else ""
        snippet_html = f'<p class="snippet">{highlight(snippet)}</p>' if snippet else ""
        return mark_safe(
            f'<article class="card">{self.cover(entry)}<div class="card-body">'
            f'<h3 class="card-title"><a href="{escape(entry.canonical_url)}">{escape(entry.title)}</a></h3>'
            f'<p class="meta">{self.logo(entry)}{escape(entry.community_name)} · {self.regency(entry)} · '
            f'<time datetime="{published.isoformat()}">{day}</time>{category}{video}</p>{snippet_html}'
            "</div></article>"
        )


_renderers: dict[tuple[str, str | None], Cards] = {}


def cards_for() -> Cards:
    """The process's renderer for the active language and the request's kind of host (rebuilt when
    the regions are reloaded)."""
    key = (translation.get_language(), get_urlconf())
    current = regions()
    renderer = _renderers.get(key)
    if renderer is None or renderer.regions is not current:
        renderer = _renderers[key] = Cards(current)
    return renderer


_regency_choices: dict[str, tuple[Regions, list[tuple[str, str]]]] = {}


def regency_choices() -> list[tuple[str, str]]:
    """The home province's kabupaten/kota for the filter, from the regions each process keeps in
    memory, labelled once per language (no query, and no translation per option per page)."""
    language, current = translation.get_language(), regions()
    kept = _regency_choices.get(language)
    if kept is None or kept[0] is not current:
        home = settings.HOME_PROVINCE_CODE
        regencies = sorted(
            (r for r in current.regencies_by_slug.values() if not home or r.province.code == home),
            key=lambda r: (r.kind, r.name),
        )
        kept = _regency_choices[language] = (current, [(r.slug, str(r)) for r in regencies])
    return kept[1]


def select_html(field, choices) -> SafeString:
    """A <select> for a bound field and its (value, label) choices, the option marked that the field
    holds: what Django's Select widget draws, without a template per option."""
    selected = "" if field.value() in (None, "") else str(field.value())

    def option(value, label) -> str:
        mark = " selected" if str(value) == selected else ""
        return f'<option value="{escape(str(value))}"{mark}>{escape(str(label))}</option>'

    options = "".join(option(value, label) for value, label in choices)
    return mark_safe(f'<select name="{field.html_name}" id="{field.id_for_label}">{options}</select>')
