"""What the portal's middleware and access checks put on a request, typed for the views."""

from django.http import HttpRequest

from accounts.models import User

from .models import Community, Membership


class PortalRequest(HttpRequest):
    """Any request past CommunityHostMiddleware."""

    community: Community | None  # None on the main domain
    urlconf: str
    tenant: object  # the Community, or django-tenants' stand-in for the public schema


class SignedInRequest(PortalRequest):
    """A request whose user is signed in (after login_required or an equivalent check)."""

    user: User


class CommunityRequest(PortalRequest):
    """A request to a community's subdomain."""

    community: Community


class MemberRequest(CommunityRequest):
    """A request in a community's member area (posts.access.member_area)."""

    user: User
    membership: Membership
