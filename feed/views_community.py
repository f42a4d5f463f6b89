"""Public pages of a community's subdomain: home, post, tag and category pages, about, gallery."""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from communities.hosts import community_url_for
from communities.requests import CommunityRequest
from communities.selectors import membership_for
from kimportal.pagination import PAGE_PARAM, BadCursor
from notices.selectors import notice_source
from posts.models import Category

from . import selectors
from .cache import public_page
from .seo import news_article_json_ld, post_preview_image
from .views import feed_list, notices_box


@public_page
def home(request: CommunityRequest) -> HttpResponse:
    context = {
        "heading": request.community.name,
        "is_community_home": True,
        "membership": membership_for(request.user, request.community),
        "feed_url": reverse("rss"),
        **_area_notices(request),
    }
    return feed_list(request, selectors.EntryFilter(community_id=request.community.pk), context)


@public_page
def post_detail(request: CommunityRequest, slug: str) -> HttpResponse:
    entry = selectors.published_post(request.community, slug)
    if entry is None:
        raise Http404("No published post with this slug here")
    image = post_preview_image(entry, request.community)
    context = {
        "entry": entry,
        "snapshot": entry.snapshot,
        "canonical": entry.canonical_url,
        "image": image.url if image else "",
        "image_size": image.size if image else None,
        "json_ld": news_article_json_ld(entry, image),
        "report_url": reverse("reports:report", kwargs={"slug": entry.slug}),
        "source": notice_source(entry.source_notice_id),
        "membership": membership_for(request.user, request.community),
        **_area_notices(request),
    }
    return render(request, "feed/post_detail.html", context)


def _area_notices(request: CommunityRequest) -> dict:
    """The box of official notices for this community's area (its kabupaten/kota and province)."""
    regency = request.community.regency
    return notices_box(request, province_id=regency.province_id, regency_id=regency.pk)


@public_page
def category_page(request: CommunityRequest, category: str) -> HttpResponse:
    if category not in Category.values:
        raise Http404("No such category")
    context = {"heading": Category(category).label, "category": category}
    return feed_list(
        request, selectors.EntryFilter(community_id=request.community.pk, category=category), context
    )


@public_page
def tag_page(request: CommunityRequest, tag: str) -> HttpResponse:
    context = {"heading": f"#{tag}", "tag": tag}
    return feed_list(request, selectors.EntryFilter(community_id=request.community.pk, tag=tag), context)


@public_page
def about(request: CommunityRequest) -> HttpResponse:
    canonical = community_url_for(request.community, "about")
    return render(request, "feed/about.html", {"canonical": canonical})


@public_page
def gallery(request: CommunityRequest) -> HttpResponse:
    try:
        page = selectors.gallery_page(request.GET.get(PAGE_PARAM))
    except BadCursor:
        return render(request, "feed/bad_cursor.html", status=400)
    return render(request, "feed/gallery.html", {"page": page, "page_param": PAGE_PARAM})
