"""Who may enter a community's member area, and which posts they may see there: the one rule.

Members and admins of the community whose host this is get in; anyone else signed in gets 404
(the area does not exist for them), anonymous visitors go to the login page on the main domain.
A member sees and edits their own posts; an admin also sees, but does not edit, everyone else's.
"""

from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, JsonResponse
from django.utils.translation import gettext as _

from communities.models import Membership
from communities.requests import MemberRequest

from .models import Post


def require_member(request: HttpRequest) -> Membership:
    """The signed-in user's membership of this host's community, or 404."""
    community = getattr(request, "community", None)
    if community is None or not request.user.is_authenticated:
        raise Http404
    membership = Membership.objects.filter(user=request.user, community=community).first()
    if membership is None:
        raise Http404
    return membership


def member_area(view=None, *, json: bool = False):
    """Decorator: sign-in redirect (or a JSON 401), then `request.membership` or 404."""

    def decorate(view):
        @wraps(view)
        def wrapper(request: MemberRequest, *args, **kwargs):  # one once this has run
            if not request.user.is_authenticated:
                if json:
                    return JsonResponse({"error": _("Sesi Anda berakhir. Silakan masuk lagi.")}, status=401)
                return redirect_to_login(request.build_absolute_uri(), settings.LOGIN_URL)
            request.membership = require_member(request)
            if request.method == "POST" and request.community.archived_at:
                message = _("Situs KIM ini diarsipkan dan tidak menerima tulisan baru.")
                if json:
                    return JsonResponse({"error": message}, status=403)
                raise PermissionDenied(message)
            return view(request, *args, **kwargs)

        return wrapper

    return decorate(view) if view is not None else decorate


def get_post_for_member(request: MemberRequest, post_id: int, *, for_edit: bool = False) -> Post:
    """A post of this community the member may see (for_edit: may change), or 404."""
    membership = getattr(request, "membership", None) or require_member(request)
    posts = Post.objects.select_related("cover")
    if for_edit or membership.role != Membership.Role.ADMIN:
        posts = posts.filter(author=request.user)
    post = posts.filter(pk=post_id).first()
    if post is None:
        raise Http404
    return post
