"""The one place that turns a request's host into a community (and a community into URLs)."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import caches
from django.urls import reverse
from django_tenants.utils import get_public_schema_name, schema_context

from kimportal.hosts import get_subdomain_from_hostname, main_url, site_url

from . import fastpath

if TYPE_CHECKING:
    from .models import Community

# Remembered "no such community" answers, so a flood of made-up hosts does not hit the database.
_UNKNOWN = "unknown"
_UNKNOWN_SECONDS = 60


def _cache_key(hostname: str) -> str:
    return f"community-host:{hostname}"


def community_for_host(hostname: str) -> Community | None:
    """The community served on this host, from the cache when warm (no query): this worker's copy
    of the last seconds (fastpath.local_community), else the shared cache, else the database. A new
    object each time, its kabupaten/kota and province too."""
    community = fastpath.local_community(hostname)
    if community is None:
        community = _shared_community_for_host(hostname)
        if community is not None:
            fastpath.keep_local_community(hostname, community)
    return community


def _shared_community_for_host(hostname: str) -> Community | None:
    cache = caches["hosts"]
    key = _cache_key(hostname)
    cached = cache.get(key)
    if cached == _UNKNOWN:
        return None
    if cached is not None:
        return cached

    from django.db.models import OuterRef, Subquery

    from .models import Domain, PageVersion

    # With the version its pages had when it was read: a page rendered later from this copy, after
    # a change (another worker's profile edit, say), knows to read the community again.
    version = PageVersion.objects.filter(schema_name=OuterRef("tenant__schema_name")).values("version")[:1]
    with schema_context(get_public_schema_name()):
        domain = (
            Domain.objects.select_related("tenant__regency__province")
            .annotate(page_version=Subquery(version))
            .filter(domain=hostname)
            .first()
        )
    if domain is None:
        cache.set(key, _UNKNOWN, _UNKNOWN_SECONDS)
        return None
    community = domain.tenant
    community.page_version = domain.page_version or 0
    cache.set(key, community, settings.TENANT_CACHE_SECONDS)
    return community


def community_reread(hostname: str) -> Community | None:
    """The host's community read again: its remembered copy is older than a change to its pages."""
    forget_host(hostname)
    return community_for_host(hostname)


def schema_for_host(hostname: str) -> str | None:
    """The schema a host's pages come from; None for a host that serves no pages of its own."""
    subdomain = get_subdomain_from_hostname(hostname)
    if subdomain == "":
        return get_public_schema_name()
    community = community_for_host(hostname) if subdomain and subdomain != "www" else None
    return community.schema_name if community else None


def forget_host(hostname: str) -> None:
    fastpath.forget_local_community(hostname)
    caches["hosts"].delete(_cache_key(hostname))


def forget_local_hosts() -> None:
    """Drop this worker's own copies (tests start from nothing; the shared cache is theirs to clear)."""
    fastpath.forget_local_community()


def community_url(community: Community, path: str = "/") -> str:
    return site_url(path, subdomain=community.slug)


def community_url_for(community: Community, viewname: str, **kwargs) -> str:
    """Absolute URL of a named page of a community's site, from any host."""
    return community_url(community, reverse(viewname, kwargs=kwargs, urlconf=settings.ROOT_URLCONF))


def absolute_url(url: str, community: Community | None = None) -> str:
    """A stored file's URL as a link for other sites (previews, feeds): object storage and CDNs give
    absolute URLs already; the tenant file storage gives a path on the portal's own hosts."""
    if urlsplit(url).scheme:
        return url
    return community_url(community, url) if community else main_url(url)
