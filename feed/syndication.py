"""RSS 2.0 and Atom feeds of published posts: province, kabupaten/kota, tag (community feeds live on
the community's host). Conditional GET (ETag, Last-Modified) comes from ConditionalGetMiddleware.

Every link is absolute and built from settings: Django's Feed would otherwise build the channel's
links from the request's Host header, and feeds are cached for every reader."""

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed, SyndicationFeed

from communities.hosts import absolute_url, community_url_for
from kimportal.hosts import main_url_for
from notices import selectors as notices

from . import selectors
from .views import home_province

FEED_SIZE = 30


class EntryFeed(Feed):
    feed_type: type[SyndicationFeed] = Rss201rev2Feed
    page_name = ""  # URL names of the page the feed follows and of the feed itself
    feed_name = ""

    def items(self, obj):
        return selectors.entry_rows(self.where(obj), None, FEED_SIZE)

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.excerpt

    def item_link(self, item):
        return item.canonical_url

    def item_guid(self, item):
        return item.canonical_url

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return item.community_name

    def item_categories(self, item):
        return item.tag_names

    def item_enclosure_url(self, item):
        og = (item.cover or {}).get("og")
        return absolute_url(og) if og else None

    item_enclosure_mime_type = "image/jpeg"
    item_enclosure_length = 0

    def get_object(self, request, *args, **kwargs):
        # One Feed instance serves every request (and thread): nothing request-specific on self.
        return self.lookup(request, **kwargs)

    def link(self, obj):
        return self.absolute(obj, self.page_name)

    def feed_url(self, obj):
        return self.absolute(obj, self.feed_name)

    def url_kwargs(self, obj) -> dict:
        return {"slug": obj.slug}

    def absolute(self, obj, viewname: str) -> str:
        return main_url_for(viewname, **self.url_kwargs(obj))


class ProvinceRss(EntryFeed):
    page_name, feed_name = "province", "province_rss"

    def lookup(self, request, slug):
        province = selectors.province_by_slug(slug)
        if province is None:
            raise Http404("No such province")
        return province

    def title(self, obj):
        return f"KIM {obj.name}"

    def description(self, obj):
        return f"Kabar Komunitas Informasi Masyarakat {obj.name}"

    def where(self, obj) -> selectors.EntryFilter:
        return selectors.EntryFilter(province_id=obj.pk)


class RegencyRss(EntryFeed):
    page_name, feed_name = "regency", "regency_rss"

    def lookup(self, request, slug):
        regency = selectors.regency_by_slug(slug)
        if regency is None:
            raise Http404("No such regency")
        return regency

    def title(self, obj):
        return f"KIM {obj}"

    def description(self, obj):
        return f"Kabar Komunitas Informasi Masyarakat {obj}"

    def where(self, obj) -> selectors.EntryFilter:
        return selectors.EntryFilter(regency_id=obj.pk)


class TagRss(EntryFeed):
    page_name, feed_name = "tag", "tag_rss"

    def lookup(self, request, tag):
        return tag

    def title(self, obj):
        return f"KIM #{obj}"

    def description(self, obj):
        return f"Kabar KIM bertanda #{obj}"

    def url_kwargs(self, obj) -> dict:
        return {"tag": obj}

    def where(self, obj) -> selectors.EntryFilter:
        return selectors.EntryFilter(tag=obj)


class ProvinceAtom(ProvinceRss):
    feed_type = Atom1Feed
    feed_name = "province_atom"
    subtitle = ProvinceRss.description


class RegencyAtom(RegencyRss):
    feed_type = Atom1Feed
    feed_name = "regency_atom"
    subtitle = RegencyRss.description


class TagAtom(TagRss):
    feed_type = Atom1Feed
    feed_name = "tag_atom"
    subtitle = TagRss.description


class CommunityRss(EntryFeed):
    """The feed of the community whose subdomain serves the request."""

    page_name, feed_name = "home", "rss"

    def lookup(self, request):
        return request.community

    def title(self, obj):
        return obj.name

    def description(self, obj):
        return obj.about or f"Kabar {obj.name}"

    def absolute(self, obj, viewname: str) -> str:
        return community_url_for(obj, viewname)

    def where(self, obj) -> selectors.EntryFilter:
        return selectors.EntryFilter(community_id=obj.pk)


class CommunityAtom(CommunityRss):
    feed_type = Atom1Feed
    feed_name = "atom"
    subtitle = CommunityRss.description


class NoticeRss(Feed):
    """The home province's official notices showing now (every area), newest first."""

    feed_type: type[SyndicationFeed] = Rss201rev2Feed

    def get_object(self, request, *args, **kwargs):
        return home_province() or selectors.provinces_with_communities().first()

    def items(self, obj):
        if obj is None:
            return []
        showing = notices.showing().filter(province=obj).defer("search_vector", "photo")
        return notices.with_regions(showing.order_by("-published_at", "-id")[:FEED_SIZE])

    def title(self, obj):
        return f"Info Diskominfo {obj.name}" if obj else "Info Diskominfo"

    def description(self, obj):
        return "Informasi resmi Diskominfo untuk Komunitas Informasi Masyarakat"

    def link(self, obj):
        return main_url_for("notices")

    def feed_url(self, obj):
        return main_url_for("notices_rss")

    def item_title(self, item):
        return f"[{item.get_kind_display()}] {item.title}"

    def item_description(self, item):
        return item.body

    def item_link(self, item):
        return item.url

    def item_guid(self, item):
        return item.url

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return item.issuer

    def item_categories(self, item):
        return [item.area]
