"""The one place that turns a request's host into a community (and a community into URLs)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.cache import caches
from django_tenants.utils import get_public_schema_name, schema_context

if TYPE_CHECKING:
    from django.http import HttpRequest

    from .models import Community

# Remembered "no such community" answers, so a flood of made-up hosts does not hit the database.
_UNKNOWN = "unknown"
_UNKNOWN_SECONDS = 60


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


def is_portal_host(hostname: str) -> bool:
    return get_subdomain_from_hostname(hostname) is not None


def _cache_key(hostname: str) -> str:
    return f"community-host:{hostname}"


def community_for_host(hostname: str) -> Community | None:
    """The community served on this host, from the cache when warm (no query)."""
    cache = caches["hosts"]
    key = _cache_key(hostname)
    cached = cache.get(key)
    if cached == _UNKNOWN:
        return None
    if cached is not None:
        return cached

    from .models import Domain

    with schema_context(get_public_schema_name()):
        domain = Domain.objects.select_related("tenant__regency__province").filter(domain=hostname).first()
    if domain is None:
        cache.set(key, _UNKNOWN, _UNKNOWN_SECONDS)
        return None
    cache.set(key, domain.tenant, settings.TENANT_CACHE_SECONDS)
    return domain.tenant


def forget_host(hostname: str) -> None:
    caches["hosts"].delete(_cache_key(hostname))


def _port_suffix(request: HttpRequest | None) -> str:
    if request is None:
        return settings.SITE_PORT
    # The raw header, not get_host(): this also runs while rendering the 400 page for a bad host.
    host = request.META.get("HTTP_HOST", "")
    return host[host.rindex(":") :] if ":" in host and not host.endswith("]") else ""


def site_url(path: str = "/", *, subdomain: str = "", request: HttpRequest | None = None) -> str:
    """Absolute URL on the main domain ('' subdomain) or on a community's subdomain."""
    host = f"{subdomain}.{settings.BASE_DOMAIN}" if subdomain else settings.BASE_DOMAIN
    scheme = request.scheme if request is not None else settings.SITE_SCHEME
    return f"{scheme}://{host}{_port_suffix(request)}{path}"


def community_url(community: Community, path: str = "/", request: HttpRequest | None = None) -> str:
    return site_url(path, subdomain=community.slug, request=request)


def main_url(path: str = "/", request: HttpRequest | None = None) -> str:
    return site_url(path, request=request)
