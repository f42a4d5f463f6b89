"""A feed entry's card, rendered in Python: lists show twenty of them on every page, and the
template engine spent most of a feed page's time on them (see docs/benchmarks.md)."""

from django.utils.formats import date_format
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import localtime

from moderation.models import FeedEntry
from posts.models import Category

CATEGORY_LABELS = dict(Category.choices)


def srcset(renditions) -> str:
    """[[480, url], [960, url]] -> 'url 480w, url 960w'."""
    return ", ".join(f"{url} {width}w" for width, url in renditions or [])


def highlight(snippet: str) -> SafeString:
    """Escape a search snippet, then turn its \\x02…\\x03 markers into <mark>."""
    return mark_safe(escape(snippet or "").replace("\x02", "<mark>").replace("\x03", "</mark>"))


def _cover(entry: FeedEntry) -> SafeString:
    cover = entry.cover or {}
    if not cover.get("src"):
        return mark_safe("")
    return format_html(
        '<a href="{}" tabindex="-1" aria-hidden="true" class="card-img"><img src="{}" srcset="{}" '
        'sizes="(min-width: 48rem) 20rem, 100vw" width="{}" height="{}" alt="" loading="lazy" '
        'decoding="async"></a>',
        entry.canonical_url,
        cover["srcset"][0][1] if cover.get("srcset") else cover["src"],
        srcset(cover.get("srcset")),
        cover.get("width", ""),
        cover.get("height", ""),
    )


def entry_card(entry: FeedEntry, main_url: str, snippet: str = "") -> SafeString:
    """`main_url` is the main domain's root (cards on a community's site link back to it)."""
    published = localtime(entry.published_at)
    category = ""
    if entry.category:
        label = CATEGORY_LABELS.get(entry.category, entry.category)
        category = format_html(' · <a href="/kategori/{}/">{}</a>', entry.category, label)
    return format_html(
        '<article class="card">{}<div class="card-body"><h3 class="card-title"><a href="{}">{}</a></h3>'
        '<p class="meta">{} · <a href="{}kabupaten/{}/">{}</a> · <time datetime="{}">{}</time>{}</p>{}'
        "</div></article>",
        _cover(entry),
        entry.canonical_url,
        entry.title,
        entry.community.name,
        main_url,
        entry.regency.slug,
        entry.regency,
        published.isoformat(),
        date_format(published, "j M Y"),
        category,
        format_html('<p class="snippet">{}</p>', highlight(snippet)) if snippet else "",
    )
