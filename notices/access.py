"""Who may publish and edit notices: the staff's reach (communities.roles) applied to an area.

A province admin publishes to the whole province or to any of its kabupaten/kota, and edits every
notice of the province. A kabupaten/kota editor publishes to the kabupaten/kota they edit, and edits
the notices their office published there, not the province's. Everyone else: none, and 404.
"""

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.models import User
from communities.models import Province, Regency
from communities.roles import administered_provinces, reviewable_regencies

from .models import Notice


@dataclass(frozen=True)
class Target:
    """An area a notice is aimed at: a whole province (regency None) or one kabupaten/kota."""

    province: Province
    regency: Regency | None = None

    @property
    def key(self) -> str:
        """Its value in a form: "p<id>" for a province, "r<id>" for a kabupaten/kota."""
        return f"r{self.regency.pk}" if self.regency else f"p{self.province.pk}"


def publish_targets(user: User) -> list[Target]:
    """Where this user may aim a notice: their provinces first, then kabupaten/kota by kind and name."""
    provinces = list(administered_provinces(user).order_by("name"))
    regencies = (
        reviewable_regencies(user).select_related("province").order_by("province__name", "kind", "name")
    )
    return [Target(province) for province in provinces] + [Target(r.province, r) for r in regencies]


def speaks_for_province(user: User, province_id: int) -> bool:
    return administered_provinces(user).filter(pk=province_id).exists()


def can_publish_to(user: User, *, province_id: int, regency_id: int | None) -> bool:
    if regency_id is None:
        return speaks_for_province(user, province_id)
    return reviewable_regencies(user).filter(pk=regency_id, province_id=province_id).exists()


def editable_notices(user: User) -> QuerySet[Notice]:
    """The notices this user may edit or withdraw (see the module's rule)."""
    if not user.is_authenticated:
        return Notice.objects.none()
    provinces = administered_provinces(user).values("pk")
    edited = reviewable_regencies(user).values("pk")
    return Notice.objects.filter(Q(province__in=provinces) | Q(by_province=False, regency__in=edited))


def get_notice_for_editor(user: User, notice_id: int) -> Notice:
    """The notice if this user may edit it; 404 otherwise (also for URL guessing)."""
    notice = (
        editable_notices(user)
        .select_related("province", "regency", "published_by")
        .filter(pk=notice_id)
        .first()
    )
    if notice is None:
        raise Http404("No such notice for this editor")
    return notice
