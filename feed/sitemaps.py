"""sitemap.xml and robots.txt for each host (a sitemap may only list its own host's URLs)."""

from django.contrib.sitemaps import Sitemap
from django.http import HttpResponse
from django.urls import reverse

from communities.hosts import community_url
from communities.models import Regency
from communities.requests import CommunityRequest, PortalRequest
from kimportal.hosts import main_url
from posts.models import Category

from .models import FeedEntry


class MainPages(Sitemap):
    changefreq = "hourly"

    def items(self):
        return [("home", {}), ("directory", {}), *(("category", {"category": c}) for c in Category.values)]

    def location(self, item):
        viewname, kwargs = item
        return reverse(viewname, kwargs=kwargs)


class RegencyPages(Sitemap):
    changefreq = "daily"

    def items(self):
        return Regency.objects.filter(communities__isnull=False).distinct().order_by("code").only("slug")

    def location(self, item):
        return reverse("regency", kwargs={"slug": item.slug})


class CommunityPages(Sitemap):
    changefreq = "daily"

    def items(self):
        return ["home", "about", "gallery"]

    def location(self, item):
        return reverse(item)


class CommunityPosts(Sitemap):
    """The current community's published posts (the request's host decides which community)."""

    changefreq = "weekly"

    def __init__(self, community=None):
        self.community = community

    def items(self):
        entries = FeedEntry.objects.filter(community=self.community).only("slug", "updated_at")
        return entries.order_by("-published_at", "-pk")

    def location(self, item):
        return reverse("post", kwargs={"slug": item.slug})

    def lastmod(self, item):
        return item.updated_at


MAIN_SITEMAPS = {"pages": MainPages, "kabupaten": RegencyPages}


def community_sitemaps(request: CommunityRequest) -> dict:
    return {"pages": CommunityPages, "berita": CommunityPosts(request.community)}


def robots_txt(request: PortalRequest) -> HttpResponse:
    # From the settings, like every link the portal gives out, not from the request's Host header.
    sitemap = reverse("sitemap")
    sitemap_url = community_url(request.community, sitemap) if request.community else main_url(sitemap)
    lines = [
        "User-agent: *",
        "Disallow: /kelola/",
        "Disallow: /akun/",
        "Disallow: /moderasi/",
        "Disallow: /admin/",
        "Disallow: /cari/",
        "Disallow: /undangan/",
        f"Sitemap: {sitemap_url}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
