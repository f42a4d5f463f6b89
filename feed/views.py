"""Public pages of the main domain: province feed, regency pages, directory, categories, tags, search."""

from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from communities.models import Province
from communities.selectors import regions
from kimportal.hosts import main_url_for
from kimportal.pagination import PAGE_PARAM, BadCursor
from notices.selectors import area_notices
from posts.models import Category

from . import selectors
from .cache import public_page
from .forms import SearchForm

SEARCH_PAGE_SIZE = 20
SEARCH_PAGES = 10
PICKS = 3  # editors' picks above the first page of a province's feed


def feed_list(
    request: HttpRequest, where: selectors.EntryFilter, context: dict, *, picks: int = 0
) -> HttpResponse:
    """Render a keyset-paginated list of entries, above its first page its `picks` newest featured
    ones; a tampered cursor gets a clear 400 page."""
    try:
        page, picked = selectors.entries_page(where, request.GET.get(PAGE_PARAM), picks=picks)
    except BadCursor:
        return render(request, "feed/bad_cursor.html", context, status=400)
    context = {**context, "page": page, "featured": picked, "page_param": PAGE_PARAM}
    return render(request, "feed/list.html", context)


def notices_box(request: HttpRequest, *, province_id: int, regency_id: int | None) -> dict:
    """The official notices a list shows above its first page ("Info Diskominfo"), and where to
    find all of them; none on later pages."""
    if request.GET.get(PAGE_PARAM):
        return {}
    cached = getattr(request, "page_cache", None)  # (key, schema, version) when the page is stored
    page_version = (cached[1], cached[2]) if cached else None
    return {
        "notices": area_notices(province_id=province_id, regency_id=regency_id, page_version=page_version),
        "notices_url": main_url_for("notices"),
    }


def home_province() -> Province | None:
    code = settings.HOME_PROVINCE_CODE
    return regions().provinces_by_code.get(code) if code else None


@public_page
def home(request: HttpRequest) -> HttpResponse:
    province = home_province()
    if province is None:
        provinces = selectors.provinces_with_communities()
        return render(request, "feed/provinces.html", {"provinces": provinces})
    return province_feed_page(request, province)


@public_page
def province_feed(request: HttpRequest, slug: str) -> HttpResponse:
    province = selectors.province_by_slug(slug)
    if province is None:
        raise Http404("No such province")
    return province_feed_page(request, province)


def province_feed_page(request: HttpRequest, province: Province) -> HttpResponse:
    context = {
        "heading": _("Kabar KIM %(province)s") % {"province": province.name},
        "province": province,
        "feed_url": reverse("province_rss", kwargs={"slug": province.slug}),
        **notices_box(request, province_id=province.pk, regency_id=None),
    }
    return feed_list(request, selectors.EntryFilter(province_id=province.pk), context, picks=PICKS)


@public_page
def regency_page(request: HttpRequest, slug: str) -> HttpResponse:
    regency = selectors.regency_by_slug(slug)
    if regency is None:
        raise Http404("No such regency")
    context = {
        "heading": str(regency),
        "regency": regency,
        "communities": selectors.communities_recently_active(regency),
        "feed_url": reverse("regency_rss", kwargs={"slug": regency.slug}),
        **notices_box(request, province_id=regency.province_id, regency_id=regency.pk),
    }
    return feed_list(request, selectors.EntryFilter(regency_id=regency.pk), context)


@public_page
def regency_directory(request: HttpRequest, slug: str) -> HttpResponse:
    regency = selectors.regency_by_slug(slug)
    if regency is None:
        raise Http404("No such regency")
    context = {"regency": regency, "communities": selectors.regency_communities(regency)}
    return render(request, "feed/regency_directory.html", context)


@public_page
def category_page(request: HttpRequest, category: str) -> HttpResponse:
    if category not in Category.values:
        raise Http404("No such category")
    context = {"heading": Category(category).label, "category": category}
    return feed_list(request, selectors.EntryFilter(category=category), context)


@public_page
def tag_page(request: HttpRequest, tag: str) -> HttpResponse:
    context = {"heading": f"#{tag}", "tag": tag, "feed_url": reverse("tag_rss", kwargs={"tag": tag})}
    return feed_list(request, selectors.EntryFilter(tag=tag), context)


@public_page
def directory(request: HttpRequest) -> HttpResponse:
    """The province's kabupaten/kota with their number of communities, and a search by name: a
    province has thousands of KIM, too many for one page on a phone."""
    province = home_province() or selectors.provinces_with_communities().first()
    if province is None:
        raise Http404("No communities yet")
    text = request.GET.get("q", "").replace("\x00", "").strip()[:100]  # PostgreSQL text holds no NUL
    context: dict[str, Any] = {"province": province, "query": text}
    if text:
        context["matches"] = selectors.communities_named(province, text)
        context["more"] = len(context["matches"]) == selectors.DIRECTORY_MATCHES
    else:
        context["regencies"] = selectors.regencies_with_communities(province)
    return render(request, "feed/directory.html", context)


def page_number(request: HttpRequest, last: int) -> int:
    """?halaman=N clamped to 1..last; anything else is page 1."""
    try:
        return min(max(int(request.GET.get(PAGE_PARAM, 1)), 1), last)
    except ValueError:
        return 1


SUGGEST_BELOW = 3  # results: fewer, and the query's unknown words get a "Maksud Anda"


@public_page
def search(request: HttpRequest) -> HttpResponse:
    # Ranked results are paged by offset, over the best SEARCH_PAGES pages only.
    form = SearchForm(request.GET)
    query, regency, category = form.filters()
    results, number = [], page_number(request, SEARCH_PAGES)
    parsed = selectors.search_query(query)
    searchable = bool(parsed.tsquery)
    if searchable:
        results = selectors.search(
            parsed,
            columns=selectors.CARD_COLUMNS,  # the page shows cards only
            regency=regency,
            category=category,
            offset=(number - 1) * SEARCH_PAGE_SIZE,
            limit=SEARCH_PAGE_SIZE + 1,  # one more: is there a next page?
            snippets=SEARCH_PAGE_SIZE,
        )
    suggestion = None
    if searchable and number == 1 and len(results) < SUGGEST_BELOW:
        suggestion = selectors.search_suggestion(query, parsed)
    named = [r for r in selectors.regencies_named_in(query) if r != regency] if searchable else []
    context = {
        "form": form,
        "query": query,
        "searchable": searchable,
        "results": results[:SEARCH_PAGE_SIZE],
        "page_number": number,
        "page_param": PAGE_PARAM,
        "has_next": len(results) > SEARCH_PAGE_SIZE and number < SEARCH_PAGES,
        "truncated": getattr(form, "truncated", False),
        "suggestion": suggestion,
        "suggestion_url": search_url(request, q=suggestion) if suggestion else "",
        "regency_filters": [(r, search_url(request, kabupaten=r.slug)) for r in named],
    }
    return render(request, "feed/search.html", context)


def search_url(request: HttpRequest, **changed: str) -> str:
    """This search's URL on its first page, with `changed` parameters."""
    params = request.GET.copy()
    params.pop(PAGE_PARAM, None)
    for name, value in changed.items():
        params[name] = value
    return f"{reverse('search')}?{params.urlencode()}"
