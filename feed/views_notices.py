"""Official notices on the main domain: each one's page, the list of those showing, and their RSS.
Every KIM site of a notice's area links here (its box, a re-share's "Sumber" line)."""

from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from communities.hosts import absolute_url, community_url_for
from communities.models import Community, Membership
from kimportal.pagination import PAGE_PARAM, BadCursor, decode_cursor, queryset_page
from notices import files
from notices import selectors as notices
from notices.models import Notice
from posts.images import og_size

from . import selectors
from .cache import public_page
from .forms import SearchForm
from .views import home_province

LIST_SIZE = 20


@public_page
def notice_detail(request: HttpRequest, notice_id: int, slug: str) -> HttpResponse:
    notice = notices.public_notice(notice_id)
    if notice is None:
        raise Http404("No such notice")
    if notice.slug != slug:
        return redirect(notice.get_absolute_url(), permanent=True)
    if notice.is_withdrawn:
        return render(request, "feed/notice_withdrawn.html", {"notice": notice}, status=410)
    photo = files.photo_urls(notice.photo)
    image = absolute_url(photo["og"]) if photo else ""
    shared, shared_count = selectors.reshares(notice)
    context = {
        "notice": notice,
        "photo": photo,
        "pdf_url": files.pdf_url(notice.pdf) if notice.pdf else "",
        "canonical": notice.url,
        "image": image,
        "image_size": og_size(photo["width"], photo["height"]) if photo else None,
        "reshares": shared,
        "reshare_count": shared_count,
        "clarified": selectors.clarified_posts(notice) if notice.kind == Notice.Kind.CLARIFICATION else [],
        "write_links": _write_links(request, notice) if notice.is_current else [],
    }
    return render(request, "feed/notice_detail.html", context)


def _write_links(request: HttpRequest, notice: Notice) -> list[tuple[str, str]]:
    """(community name, "Tulis dari info ini" link) for each of the signed-in reader's KIM in the
    notice's area (none for anonymous readers: no query)."""
    if not request.user.is_authenticated:
        return []
    communities = Community.objects.filter(
        pk__in=Membership.objects.filter(user=request.user).values("community_id"),
        regency__province_id=notice.province_id,
        archived_at__isnull=True,
    ).only("name", "slug", "schema_name", "regency_id")
    if notice.regency_id is not None:
        communities = communities.filter(regency_id=notice.regency_id)
    return [
        (c.name, f"{community_url_for(c, 'posts:create')}?info={notice.pk}")
        for c in communities.order_by("name")
    ]


@public_page
def notice_list(request: HttpRequest) -> HttpResponse:
    """The home province's notices showing now, newest first; `kabupaten` narrows them to what that
    kabupaten/kota's KIM sites show."""
    province = home_province() or selectors.provinces_with_communities().first()
    if province is None:
        raise Http404("No province yet")
    form = SearchForm(request.GET)
    _query, regency, _category = form.filters()
    if regency is not None and regency.province_id != province.pk:
        regency = None
    showing = notices.showing().filter(province=province).only(*notices.LISTED)
    if regency is not None:
        showing = showing.filter(Q(regency__isnull=True) | Q(regency=regency))
    try:
        page = queryset_page(
            showing, decode_cursor(request.GET.get(PAGE_PARAM)), LIST_SIZE, field="published_at"
        )
    except BadCursor:
        return render(request, "feed/bad_cursor.html", status=400)
    page.items = notices.with_regions(page.items)
    context = {
        "province": province,
        "regency": regency,
        "page": page,
        "page_param": PAGE_PARAM,
        "heading": _("Info Diskominfo %(area)s") % {"area": regency or province.name},
        "feed_url": reverse("notices_rss"),
    }
    return render(request, "feed/notice_list.html", context)
