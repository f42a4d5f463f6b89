"""Who may manage a community: the one rule, and the scoped lookups its management pages use."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from . import selectors
from .models import Invitation, Membership


def require_community_admin(request: HttpRequest) -> Membership:
    """The signed-in user's admin membership of this host's community; 404 for anyone else.

    404 rather than 403, so the pages do not even confirm they exist to members or other admins.
    """
    community = getattr(request, "community", None)
    if community is None or not request.user.is_authenticated:
        raise Http404
    membership = selectors.membership_admin_of(user=request.user, community=community)
    if membership is None:
        raise Http404
    return membership


def community_admin_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Anonymous users go to the main domain's login (LOGIN_URL is absolute); non-admins get 404.

    The view receives the admin's membership (with a fresh `membership.community`) after `request`.
    """

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        return view(request, require_community_admin(request), *args, **kwargs)

    return wrapped


def get_member_for_admin(admin: Membership, membership_id: int) -> Membership:
    """A membership of the admin's own community, or 404 (never another community's)."""
    queryset = Membership.objects.select_related("user", "community")
    return get_object_or_404(queryset, pk=membership_id, community_id=admin.community_id)


def get_invitation_for_admin(admin: Membership, invitation_id: int) -> Invitation:
    return get_object_or_404(Invitation, pk=invitation_id, community_id=admin.community_id)
