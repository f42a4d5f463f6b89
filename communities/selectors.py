"""Reads about communities and regions that more than one view needs."""

import time
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import User

from .models import Community, Invitation, Membership, Province, Regency


def membership_for(user: User | AnonymousUser, community: Community) -> Membership | None:
    if not user.is_authenticated:
        return None
    return Membership.objects.filter(user=user, community=community).first()


def membership_admin_of(*, user: User, community: Community) -> Membership | None:
    """The user's admin membership, with a fresh copy of the community (the host cache may lag)."""
    return (
        Membership.objects.select_related("community")
        .filter(user=user, community_id=community.pk, role=Membership.Role.ADMIN)
        .first()
    )


def community_members(*, community: Community) -> list[Membership]:
    """Everyone in the community, admins first, with their accounts (one query)."""
    return list(
        Membership.objects.filter(community=community)
        .select_related("user")
        .order_by("role", "user__full_name", "user__email")
    )


def invitations_open(*, community: Community) -> QuerySet[Invitation]:
    return Invitation.objects.filter(
        community=community,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    ).select_related("invited_by")


def invitation_by_token(token: str) -> Invitation | None:
    return Invitation.objects.select_related("community__regency", "invited_by").filter(token=token).first()


def account_exists(*, email: str) -> bool:
    return get_user_model().objects.filter(email__iexact=email).exists()


@dataclass(frozen=True)
class Regions:
    provinces_by_code: dict[str, Province]
    provinces_by_slug: dict[str, Province]
    regencies_by_slug: dict[str, Regency]
    regencies_by_id: dict[int, Regency]


_REGIONS_SECONDS = 60
_regions: tuple[float, Regions] | None = None


def regions() -> Regions:
    """Provinces and regencies (reference data, a few hundred rows), kept in each process for a minute
    so public pages do not query them on every request."""
    global _regions
    if _regions is None or time.monotonic() - _regions[0] > _REGIONS_SECONDS:
        provinces = list(Province.objects.all())
        regencies = list(Regency.objects.select_related("province"))
        _regions = (
            time.monotonic(),
            Regions(
                provinces_by_code={p.code: p for p in provinces},
                provinces_by_slug={p.slug: p for p in provinces},
                regencies_by_slug={r.slug: r for r in regencies},
                regencies_by_id={r.pk: r for r in regencies},
            ),
        )
    return _regions[1]


def regency_by_id(pk: int) -> Regency:
    """From the regions in memory; one added since they were read comes from the database."""
    return regions().regencies_by_id.get(pk) or Regency.objects.select_related("province").get(pk=pk)


def regions_forget() -> None:
    global _regions
    _regions = None
