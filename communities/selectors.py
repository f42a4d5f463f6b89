"""Reads about communities and regions that more than one view needs."""

from django.db.models import Prefetch, QuerySet

from .models import Community, Membership, Province, Regency


def province_for_home(code: str) -> Province | None:
    return Province.objects.filter(code=code).first()


def regencies_with_communities(province: Province) -> QuerySet[Regency]:
    """The province's kabupaten/kota that have communities, each with its communities prefetched."""
    communities = Community.objects.order_by("name").only("name", "slug", "regency_id")
    return (
        Regency.objects.filter(province=province, communities__isnull=False)
        .distinct()
        .order_by("kind", "name")
        .prefetch_related(Prefetch("communities", queryset=communities))
    )


def membership_for(user, community: Community) -> Membership | None:
    if not user.is_authenticated:
        return None
    return Membership.objects.filter(user=user, community=community).first()
