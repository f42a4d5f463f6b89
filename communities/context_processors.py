from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from kimportal.hosts import main_url, site_url
from kimportal.pagination import PAGE_PARAM

from .fastpath import site_links
from .selectors import my_communities


def site(request: HttpRequest) -> dict:
    """Links every page needs, absolute because the header is shared by every host."""
    community = getattr(request, "community", None)
    links = site_links()
    return {
        "community": community,
        "main_site_url": main_url("/"),
        # The page's own address, from settings and the path only (see hosts.site_url).
        "current_url": site_url(request.get_full_path(), subdomain=community.slug if community else ""),
        # What search engines and link previews are told the page is: any other query parameter
        # shows the same page, and must not make it look like another one.
        "canonical_url": site_url(_canonical_path(request), subdomain=community.slug if community else ""),
        "links": links,
        "login_url": links["login"],
        "logout_url": links["logout"],
        "base_domain": settings.BASE_DOMAIN,
        **_account_menu(request),
    }


def _account_menu(request: HttpRequest) -> dict:
    """The signed-in user's communities ("Komunitas saya"): one query, only when the header shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"my_communities": SimpleLazyObject(lambda: my_communities(user))}


CANONICAL_PARAMS = (PAGE_PARAM,)  # which page of a list: the only parameter that names another page


def _canonical_path(request: HttpRequest) -> str:
    kept = [(name, request.GET[name]) for name in CANONICAL_PARAMS if request.GET.get(name)]
    return f"{request.path}?{urlencode(kept)}" if kept else request.path
