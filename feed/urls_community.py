from django.contrib.sitemaps.views import sitemap
from django.urls import path

import kimportal.converters  # noqa: F401  (the <tag:...> converter)

from . import syndication, views_community
from .cache import public_page
from .sitemaps import community_sitemaps, robots_txt

urlpatterns = [
    path("", views_community.home, name="home"),
    path("berita/<slug:slug>/", views_community.post_detail, name="post"),
    path("kategori/<slug:category>/", views_community.category_page, name="category"),
    path("tag/<tag:tag>/", views_community.tag_page, name="tag"),
    path("tentang/", views_community.about, name="about"),
    path("galeri/", views_community.gallery, name="gallery"),
    path("rss/", public_page(syndication.CommunityRss()), name="rss"),
    path("atom/", public_page(syndication.CommunityAtom()), name="atom"),
    path("robots.txt", robots_txt),
    path("sitemap.xml", lambda request: sitemap(request, community_sitemaps(request)), name="sitemap"),
]
