from django.contrib.sitemaps.views import sitemap
from django.urls import path

import kimportal.converters  # noqa: F401  (the <tag:...> converter)

from . import syndication, views, views_notices
from .cache import public_page
from .sitemaps import MAIN_SITEMAPS, robots_txt

urlpatterns = [
    path("", views.home, name="home"),
    path("provinsi/<slug:slug>/", views.province_feed, name="province"),
    path("kabupaten/<slug:slug>/", views.regency_page, name="regency"),
    path("kabupaten/<slug:slug>/komunitas/", views.regency_directory, name="regency_directory"),
    path("kategori/<slug:category>/", views.category_page, name="category"),
    path("tag/<tag:tag>/", views.tag_page, name="tag"),
    path("komunitas/", views.directory, name="directory"),
    path("cari/", views.search, name="search"),
    path("provinsi/<slug:slug>/rss/", public_page(syndication.ProvinceRss()), name="province_rss"),
    path("provinsi/<slug:slug>/atom/", public_page(syndication.ProvinceAtom()), name="province_atom"),
    path("kabupaten/<slug:slug>/rss/", public_page(syndication.RegencyRss()), name="regency_rss"),
    path("kabupaten/<slug:slug>/atom/", public_page(syndication.RegencyAtom()), name="regency_atom"),
    path("tag/<tag:tag>/rss/", public_page(syndication.TagRss()), name="tag_rss"),
    path("tag/<tag:tag>/atom/", public_page(syndication.TagAtom()), name="tag_atom"),
    path("info/", views_notices.notice_list, name="notices"),
    path("info/rss/", public_page(syndication.NoticeRss()), name="notices_rss"),
    path("info/<int:notice_id>-<slug:slug>/", views_notices.notice_detail, name="notice"),
    path("robots.txt", robots_txt),
    path("sitemap.xml", sitemap, {"sitemaps": MAIN_SITEMAPS}, name="sitemap"),
]
