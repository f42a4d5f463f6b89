"""The portal's host names: which host is the main domain or a community's subdomain, and absolute
URLs on them. Pure functions of the settings; `communities.hosts` turns a host into its community."""

from collections.abc import Callable

from django.conf import settings
from django.urls import reverse


def get_subdomain_from_hostname(hostname: str, base_domain: str | None = None) -> str | None:
    """'' for the main domain, the label for one of its subdomains, None for any other host."""
    base = (base_domain or settings.BASE_DOMAIN).lower()
    host = hostname.lower().rstrip(".").split(":", 1)[0]
    if host == base:
        return ""
    label, _dot, rest = host.partition(".")
    if rest == base and label:
        return label
    return None


def urlconf_for(subdomain: str) -> str:
    """The URLconf of the main domain ('') or of a community's subdomain."""
    return settings.PUBLIC_SCHEMA_URLCONF if subdomain == "" else settings.ROOT_URLCONF


def request_hostname(request) -> str:
    """The request's host name (validated against ALLOWED_HOSTS): lower case, without a port or a
    trailing dot, so every spelling of a host is one host."""
    return request.get_host().split(":", 1)[0].lower().rstrip(".")


def is_portal_host(hostname: str) -> bool:
    return get_subdomain_from_hostname(hostname) is not None


# Whether a host name is an existing community's: `communities` provides it at start-up
# (CommunitiesConfig.ready), since this lowest layer cannot look communities up itself.
_community_check: Callable[[str], bool] | None = None


def set_community_check(check: Callable[[str], bool]) -> None:
    global _community_check
    _community_check = check


def is_served_host(hostname: str) -> bool:
    """The main domain, or the subdomain of a community that exists: where `next` may send a
    reader (an unknown subdomain could be anything a DNS wildcard points at later)."""
    subdomain = get_subdomain_from_hostname(hostname)
    if subdomain is None:
        return False
    return subdomain == "" or (_community_check is not None and _community_check(hostname.lower()))


def site_url(path: str = "/", *, subdomain: str = "") -> str:
    """Absolute URL on the main domain ('' subdomain) or on a community's subdomain.

    Built from settings (SITE_SCHEME, BASE_DOMAIN, SITE_PORT), never from the request's Host header:
    public pages are cached, and a header chosen by one client must not end up in everyone's links.
    """
    host = f"{subdomain}.{settings.BASE_DOMAIN}" if subdomain else settings.BASE_DOMAIN
    return f"{settings.SITE_SCHEME}://{host}{settings.SITE_PORT}{path}"


def main_url(path: str = "/") -> str:
    return site_url(path)


def main_url_for(viewname: str, **kwargs) -> str:
    """Absolute URL of a named page of the main domain, from any host."""
    return main_url(reverse(viewname, kwargs=kwargs, urlconf=settings.PUBLIC_SCHEMA_URLCONF))
