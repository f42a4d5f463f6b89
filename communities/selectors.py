"""Reads about communities and regions that more than one view needs."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import User

from .fastpath import Regions, regions, regions_forget
from .hosts import community_url_for
from .models import Community, Invitation, Membership, Regency

__all__ = ["Regions", "regions", "regions_forget"]


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


def my_communities(user: User) -> list[dict]:
    """The user's communities with their role and a link to each member area (the account menu)."""
    memberships = (
        Membership.objects.filter(user=user)
        .select_related("community")
        .order_by("community__name")
        .only("role", "community__name", "community__slug", "community__schema_name")
    )
    return [
        {
            "name": membership.community.name,
            "role": membership.get_role_display(),
            "url": community_url_for(membership.community, "posts:list"),
        }
        for membership in memberships
    ]


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


def regency_by_id(pk: int) -> Regency:
    """From the regions in memory; one added since they were read comes from the database."""
    return regions().regencies_by_id.get(pk) or Regency.objects.select_related("province").get(pk=pk)
