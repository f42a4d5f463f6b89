"""Each fast path against its plain-Django version, in-process, on a seeded database (ms per call).

DATABASE_URL=... python bench/seed.py small    # once, into a database of its own
DATABASE_URL=... python bench/fastpaths.py     # the figures quoted in feed/fastpath.py,
                                               # communities/fastpath.py and kimportal/postgresql
"""

from common import lowest_ms
from portal import FeedEntry  # sets Django up: before the other imports

# isort: split
from django import forms
from django.conf import settings
from django.db import connection
from django.db.models import OuterRef, Subquery
from django.template import engines
from django.urls import set_urlconf
from django.utils import translation

from communities import fastpath as communities_fastpath
from communities import hosts
from communities.models import Community
from communities.selectors import regency_by_id, regions
from feed import fastpath, selectors
from feed.forms import SearchForm
from posts.models import Post

LISTED = [f.name for f in FeedEntry._meta.concrete_fields if f.name not in fastpath.SEARCH_ONLY]
CARD_FIELDS = [f.name for f in FeedEntry._meta.concrete_fields if f.attname in fastpath.CARD_COLUMNS.attnames]
CARD = """{% load feed i18n %}{% for entry in entries %}<article class="card">{% if entry.cover.src %}<a href="{{ entry.canonical_url }}" tabindex="-1" aria-hidden="true" class="card-img"><img src="{{ entry.cover.srcset.0.1 }}" srcset="{{ entry.cover.srcset|srcset }}" sizes="(min-width: 48rem) 20rem, 100vw" width="{{ entry.cover.width }}" height="{{ entry.cover.height }}" alt="" loading="lazy" decoding="async"></a>{% endif %}<div class="card-body"><h3 class="card-title"><a href="{{ entry.canonical_url }}">{{ entry.title }}</a></h3><p class="meta">{% if entry.community_logo %}<img class="kim-logo" src="{{ entry.community_logo|logo_url }}" width="24" height="24" alt="" loading="lazy" decoding="async">{% endif %}{{ entry.community_name }} · <a href="{{ main_site_url }}{% url 'regency' entry.regency.slug %}">{{ entry.regency }}</a> · <time datetime="{{ entry.published_at|date:'c' }}">{{ entry.published_at|date:"j M Y" }}</time>{% if entry.category %} · <a href="{% url 'category' entry.category %}">{{ entry.category|category_label }}</a>{% endif %}{% if entry.has_video %} · <span class="card-video">{% translate "Video" %}</span>{% endif %}</p></div></article>{% endfor %}"""  # noqa: E501


def show(name: str, fast, plain, n: int = 100, rounds: int = 15) -> None:
    """ms per call of `fast` and of `plain` (common.lowest_ms: interleaved rounds, the lowest)."""
    best = lowest_ms({"fast": fast, "plain": plain}, n, rounds)
    fast_ms, plain_ms = best["fast"], best["plain"]
    print(
        f"{name:60s} {fast_ms:7.3f} ms  plain {plain_ms:7.3f} ms  ({plain_ms - fast_ms:+.3f} ms)", flush=True
    )


def main() -> None:
    translation.activate(settings.LANGUAGE_CODE)
    set_urlconf(settings.PUBLIC_SCHEMA_URLCONF)
    hit = Community.objects.select_related("regency__province").get(slug="kim-bench-0000")
    province, regency = hit.regency.province, hit.regency
    where = selectors.EntryFilter(province_id=province.pk)

    def newest():
        return (
            FeedEntry.objects.filter(province_id=province.pk).only(*LISTED).order_by("-published_at", "-id")
        )

    def orm_picks():
        newest_first = newest().only(*CARD_FIELDS)
        return list(newest_first[:21].union(newest_first.filter(featured=True)[:3], all=True))

    show(
        "feed list, 21 rows: SQL / ORM",
        lambda: selectors.entry_rows(where, None, 21),
        lambda: list(newest()[:21]),
    )
    show("first page and picks: SQL / ORM union", lambda: fastpath.newest_with_picks(where, 21, 3), orm_picks)

    entry = FeedEntry.objects.filter(community=hit).order_by("-published_at").first()
    connection.set_tenant(hit)

    def orm_post():
        live = Post.objects.filter(pk=OuterRef("post_id")).values("live_revision__snapshot")[:1]
        found = FeedEntry.objects.only(*LISTED).annotate(snapshot=Subquery(live))
        return found.filter(community_id=hit.pk, slug=entry.slug).first()

    show(
        "post page's entry and snapshot: SQL / ORM",
        lambda: fastpath.published_entry(hit, entry.slug),
        orm_post,
    )
    connection.set_schema_to_public()

    def orm_active():
        latest = FeedEntry.objects.filter(community_id=OuterRef("pk")).order_by("-published_at", "-id")
        return list(
            Community.objects.filter(regency=regency, last_published_at__isnull=False)
            .order_by("-last_published_at", "-id")
            .annotate(
                latest_title=Subquery(latest.values("title")[:1]),
                latest_url=Subquery(latest.values("path")[:1]),
                latest_at=Subquery(latest.values("published_at")[:1]),
            )
            .values_list("name", "slug", "latest_title", "latest_url", "latest_at")[:12]
        )

    active = lambda: fastpath.communities_recently_active(regency, 12)  # noqa: E731
    show("regency page's 12 communities: SQL / ORM", active, orm_active)

    entries = selectors.entry_rows(where, None, 20)
    for listed in entries:
        listed.regency = regency_by_id(listed.regency_id)
    template = engines["django"].from_string(CARD)
    context = {"entries": entries, "main_site_url": ""}
    show(
        "20 cards: Python / a template",
        lambda: fastpath.cards_for().cards(entries),
        lambda: template.render(context),
    )

    form = SearchForm({"q": "x", "kabupaten": regency.slug})
    form.is_valid()
    options = form.regency_options

    class PlainSearch(forms.Form):
        kabupaten = forms.ChoiceField(choices=lambda: options, required=False)

    show(
        f"search's kabupaten/kota <select>, {len(options)} options: Python / widget",
        lambda: fastpath.select_html(form["kabupaten"], options),
        lambda: str(PlainSearch({"kabupaten": regency.slug})["kabupaten"]),
    )

    def choices_built():
        fastpath._regency_choices.clear()
        return fastpath.regency_choices()

    def regions_read():
        communities_fastpath.regions_forget()
        return regions()

    def links_reversed():
        communities_fastpath._site_links.clear()
        return communities_fastpath.site_links()

    show("kabupaten/kota choices: kept per language / built", fastpath.regency_choices, choices_built)
    show("regions (2 queries): kept per process / read", regions, regions_read, n=50)
    show(
        "header and footer links: kept per URLconf / reversed",
        communities_fastpath.site_links,
        links_reversed,
    )

    host = hit.host
    hosts.community_for_host(host)
    shared = settings.CACHES["hosts"]["BACKEND"].rsplit(".", 1)[-1]
    show(
        f"host's community: worker's copy / {shared}",
        lambda: hosts.community_for_host(host),
        lambda: hosts._shared_community_for_host(host),
        n=1000,
    )

    def select_1():
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")

    connection.ensure_connection()
    show("connection health check: socket poll / SELECT 1", connection._idle_and_quiet, select_1, n=1000)


if __name__ == "__main__":
    main()
