"""Feed entries' cards, rendered in Python: lists show twenty of them on every page, and the
template engine spent most of a feed page's time on them (see docs/benchmarks.md).

Everything a card needs that is the same for all cards (translated labels, month names, regency
links) is resolved once per language and process, not once per card or page.
"""

from html import escape  # not Django's: its lazy-string check costs more than the escaping here

from django.utils import translation
from django.utils.dates import MONTHS_3
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import get_current_timezone, localtime
from django.utils.translation import gettext as _

from communities.selectors import Regions, regency_by_id, regions
from kimportal.hosts import site_url
from posts.models import Category
from posts.snapshots import srcset

from .models import FeedEntry

CATEGORY_LABELS = dict(Category.choices)


def highlight(snippet: str) -> SafeString:
    """Escape a search snippet, then turn its \\x02…\\x03 markers into <mark>."""
    return mark_safe(escape(snippet or "").replace("\x02", "<mark>").replace("\x03", "</mark>"))


class Cards:
    """Renders cards in the language active when it was built; get one with `cards_for`."""

    def __init__(self, main_url: str, regions: Regions):
        self.main_url = main_url
        self.regions = regions
        self.categories = {value: escape(str(label)) for value, label in CATEGORY_LABELS.items()}
        self.months = {number: str(name).title() for number, name in MONTHS_3.items()}  # as |date:"M"
        self.latest_label = escape(_("Terbaru:"))
        self.no_news_label = escape(_("Belum ada berita."))
        self.regencies: dict[int, str] = {}

    def regency(self, entry: FeedEntry) -> str:
        if entry.regency_id not in self.regencies:
            regency = self.regions.regencies_by_id.get(entry.regency_id) or regency_by_id(entry.regency_id)
            self.regencies[entry.regency_id] = (
                f'<a href="{self.main_url}kabupaten/{escape(regency.slug)}/">{escape(str(regency))}</a>'
            )
        return self.regencies[entry.regency_id]

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
        return (
            f'<li><a href="{escape(site_url("/", subdomain=row.slug))}">{escape(row.name)}</a>'
            f'<br><span class="meta">{latest}</span></li>'
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
        category = (
            f' · <a href="/kategori/{escape(entry.category)}/">{self.categories.get(entry.category, "")}</a>'
            if entry.category
            else ""
        )
        snippet_html = f'<p class="snippet">{highlight(snippet)}</p>' if snippet else ""
        return mark_safe(
            f'<article class="card">{self.cover(entry)}<div class="card-body">'
            f'<h3 class="card-title"><a href="{escape(entry.canonical_url)}">{escape(entry.title)}</a></h3>'
            f'<p class="meta">{escape(entry.community_name)} · {self.regency(entry)} · '
            f'<time datetime="{published.isoformat()}">{day}</time>{category}</p>{snippet_html}'
            "</div></article>"
        )


_renderers: dict[tuple[str, str], Cards] = {}


def cards_for(main_url: str) -> Cards:
    """The process's renderer for the active language (rebuilt when the regions are reloaded)."""
    key = (translation.get_language(), main_url)
    current = regions()
    renderer = _renderers.get(key)
    if renderer is None or renderer.regions is not current:
        renderer = _renderers[key] = Cards(main_url, current)
    return renderer
