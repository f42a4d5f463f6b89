"""Reads of notices: the box every KIM site of an area shows, a notice's own page, the source of a
re-share. Each is one indexed query over the public table; provinces and kabupaten/kota come from
the regions each process keeps (communities.selectors.regions), not from joins."""

from collections.abc import Iterable

from django.db.models import Q, QuerySet
from django.utils import timezone

from communities.models import Community, Province
from communities.selectors import regency_by_id, regions

from . import fastpath
from .models import ClarifiedPost, Notice

BOX_SIZE = fastpath.BOX_SIZE
# What a box or a list shows of a notice (not its text, files or search vector).
LISTED = ("kind", "title", "slug", "province", "regency", "by_province", "expires_on", "published_at")


def _province(pk: int) -> Province:
    found = next((p for p in regions().provinces_by_code.values() if p.pk == pk), None)
    return found or Province.objects.get(pk=pk)


def with_regions(notices: Iterable[Notice]) -> list[Notice]:
    """The notices with their province and kabupaten/kota from memory (issuer and area need them)."""
    found = list(notices)
    for notice in found:
        notice.province = _province(notice.province_id)
        if notice.regency_id is not None:
            notice.regency = regency_by_id(notice.regency_id)
    return found


def showing() -> QuerySet[Notice]:
    """Notices that show now: published, not withdrawn, not past their last day."""
    return Notice.objects.filter(state=Notice.State.PUBLISHED, expires_on__gte=timezone.localdate())


def area_notices(
    *, province_id: int, regency_id: int | None, page_version: tuple[str, int] | None = None
) -> list[Notice]:
    """What a KIM site (or a kabupaten/kota page) of this area shows: the province's notices and
    its kabupaten/kota's, newest first, at most BOX_SIZE. regency_id None: the province-wide ones.
    Kept in each process (see fastpath); `page_version`: the version of the page being rendered."""
    return fastpath.area_notices(province_id=province_id, regency_id=regency_id, page_version=page_version)


def public_notice(notice_id: int) -> Notice | None:
    """A notice for its own page, whatever its state (the page says when it expired or was withdrawn)."""
    notice = Notice.objects.defer("search_vector").filter(pk=notice_id).first()
    return with_regions([notice])[0] if notice else None


def notice_for_community(notice_id: int | None, community: Community) -> Notice | None:
    """A notice this community's members may write from: showing now, aimed at its area."""
    if not notice_id:
        return None
    regency = community.regency
    area = Q(regency__isnull=True) | Q(regency_id=regency.pk)
    notice = showing().filter(area, pk=notice_id, province_id=regency.province_id).only(*LISTED).first()
    return with_regions([notice])[0] if notice else None


def notice_source(notice_id: int | None) -> Notice | None:
    """The notice a post was written from, for its "Sumber" line (any state: the post stays)."""
    if not notice_id:
        return None
    notice = Notice.objects.only(*LISTED, "state").filter(pk=notice_id).first()
    return with_regions([notice])[0] if notice else None


def clarified_posts(notice: Notice) -> list[ClarifiedPost]:
    return list(notice.clarified_posts.select_related("community").order_by("linked_at", "id"))
