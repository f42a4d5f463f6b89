"""Whole-page caching for anonymous readers, per host and language, dropped the moment what the pages
show changes.

Two halves, as in Django's own per-site cache:

- `public_page` marks a view's answers as cacheable and, before the view runs, reads the version of
  its schema's pages (`PageVersion`, one row per schema);
- `CachedPageMiddleware`, placed above everything that needs the tenant, the session or the user,
  stores that answer with every header the stack added, and serves it to the next anonymous reader
  without running the rest of the stack.

Publishing, editing or taking down a post, and editing a community's profile, bump the versions of
the main domain and of that community inside the same transaction (`communities.pages`), which
orphans their cached pages at once. A page is served only while its (schema, version) is its host's
current one, so a host name that moves to another community never shows the old community's pages.
With a shared cache (Redis) a hit is one round trip (the page and its host's version copy); with a
per-process local-memory cache each hit reads the version from the database (one query).

With the database unreachable, a reader whose page is in the cache gets it even if its version can no
longer be checked, marked with the `X-Served-Stale` header; the rest get the friendly 503
(`kimportal.outage`). A page older than its host's last change (`changed_key`) is never served so:
what was taken down stays down.

With a read replica (`DATABASE_REPLICA_URL`), `public_page` runs an anonymous reader's view on it once
the replica has replayed the version read above (`communities.pages.replica_caught_up`): the page is
then at least as new as the version it is stored under. While the replica lags behind a change, the
pages that change touched are read from the primary.
"""

from __future__ import annotations

import gzip
import hashlib
import re
from collections.abc import Callable
from functools import wraps
from typing import NamedTuple

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import parse_http_date_safe
from django.utils.text import compress_string

from communities.hosts import community_reread, schema_for_host
from communities.pages import (
    PAGE_SECONDS,
    changed_key,
    current_version,
    database_version,
    pages_cache,
    replica_caught_up,
    version_key,
)
from communities.requests import PortalRequest
from kimportal.db import connection
from kimportal.hosts import get_subdomain_from_hostname, request_hostname, urlconf_for
from kimportal.metrics import page_cache_lookup
from kimportal.outage import is_database_unavailable
from kimportal.pagination import PAGE_PARAM
from kimportal.routers import replica_available, replica_reads

from .forms import SearchForm

STALE_HEADER = "X-Served-Stale"
# Query parameters public pages understand (which page, and the search form's fields; the directory
# reads `q` too); any other makes the request uncached, so made-up parameters cannot churn the cache.
KNOWN_PARAMS = frozenset({PAGE_PARAM, *SearchForm.base_fields})
_ACCEPTS_GZIP = re.compile(r"\bgzip\b")  # as GZipMiddleware reads Accept-Encoding


class CacheableRequest(PortalRequest):
    """A request to a `public_page` view: where the page goes in the cache, if it may."""

    page_cache: tuple[str, str, int]  # (key, schema, version); absent when not cacheable


class CachedPage(NamedTuple):
    schema: str
    version: int
    headers: list[tuple[str, str]]
    gzip_body: bytes


def _page_key(hostname: str, language: str, full_path: str) -> str:
    # Hashed: a path with a long search query would make a key longer than caches accept.
    return f"page:{hostname}:{language}:{hashlib.blake2b(full_path.encode(), digest_size=16).hexdigest()}"


def _cacheable(request: HttpRequest) -> bool:
    """Anonymous readers only, recognised without touching the session: no session cookie at all."""
    return (
        settings.PAGE_CACHE
        and request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
        and KNOWN_PARAMS.issuperset(request.GET)
    )


def _may_read_replica(request: HttpRequest) -> bool:
    """Anonymous readers' GET and HEAD, when a replica is configured (kimportal/routers.py); whoever
    is signed in reads the primary, and so sees what they just did."""
    if request.method not in ("GET", "HEAD") or not replica_available():
        return False
    user = getattr(request, "user", None)
    return user is None or not user.is_authenticated


def public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Let CachedPageMiddleware keep this view's 200 answers for anonymous readers, and let those
    readers' pages be read from the replica once it has replayed the page's version."""

    @wraps(view)
    def wrapper(request: CacheableRequest, *args, **kwargs) -> HttpResponse:
        cacheable, replica = _cacheable(request), _may_read_replica(request)
        if not (cacheable or replica):
            return view(request, *args, **kwargs)
        hostname = request_hostname(request)
        # Read before rendering: a change committed meanwhile bumps the version past this one.
        schema, version = current_version(hostname)
        community = getattr(request, "community", None)
        if community is not None and getattr(community, "page_version", version) < version:
            # This worker's copy of the community predates a change (a profile edit made in
            # another worker, whose cache drop did not reach this one): a page stored under the
            # new version must not show the old name, logo or profile.
            request.community = request.tenant = community_reread(hostname) or community
        if cacheable:
            key = _page_key(hostname, translation.get_language(), request.get_full_path())
            request.page_cache = (key, schema, version)
        if replica and replica_caught_up(schema, version):
            with replica_reads(connection.tenant):
                return view(request, *args, **kwargs)
        return view(request, *args, **kwargs)

    wrapper.public_page = True  # type: ignore[attr-defined]  # the mark CachedPageMiddleware looks for
    return wrapper


class CachedPageMiddleware:
    """Serve anonymous readers the pages `public_page` views answered before, and store new ones.

    Sits below Security, WhiteNoise and GZip and above everything else: a stored page carries the
    headers the inner middleware added (language, Vary, ETag, X-Frame-Options), so a hit skips them.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        stale = None
        if _cacheable(request) and _is_public_page(request):
            page, fresh = _cached_page(request)
            page_cache_lookup(hit=fresh and page is not None)
            if fresh and page is not None:
                request.page_cache_hit = True  # type: ignore[attr-defined]  # the request log's view name
                return _response(request, page)
            stale = page
        response = self.get_response(request)
        if stale is not None and getattr(response, "database_unavailable", False):
            response = _response(request, stale)
            response.headers[STALE_HEADER] = "database unavailable"
            return response
        if hasattr(request, "page_cache") and _storable(response):
            key, schema, version = request.page_cache
            page = CachedPage(schema, version, list(response.items()), compress_string(response.content))
            pages_cache().set(key, page, PAGE_SECONDS)
            return _response(request, page)  # compressed once, for the store and this reader
        return response


def _is_public_page(request: HttpRequest) -> bool:
    """Whether the request goes to a `public_page` view: nothing else is looked up in the cache."""
    subdomain = get_subdomain_from_hostname(request_hostname(request))
    if subdomain is None:
        return False
    try:
        match = resolve(request.path_info, urlconf_for(subdomain))
    except Resolver404:
        return False
    return getattr(match.func, "public_page", False)


def _cached_page(request: HttpRequest) -> tuple[CachedPage | None, bool]:
    """The request's page in the cache and whether it is current; a page known to be older than its
    host's last change is not returned at all."""
    hostname = request_hostname(request)
    key = _page_key(hostname, translation.get_language_from_request(request), request.get_full_path())
    if settings.SHARED_CACHE:
        found = pages_cache().get_many([version_key(hostname), key, changed_key(hostname)])
        current, page, changed = (
            found.get(version_key(hostname)),
            found.get(key),
            found.get(changed_key(hostname)),
        )
        if (
            page is not None
            and changed is not None
            and (page.schema != changed[0] or page.version < changed[1])
        ):
            return None, False
    else:
        page = pages_cache().get(key)
        if page is None:
            return None, False
        try:
            schema = schema_for_host(hostname)
            current = (schema, database_version(schema)) if schema else None
        except DatabaseError as error:
            if not is_database_unavailable(error):
                raise
            return page, False
    return page, page is not None and current is not None and (page.schema, page.version) == tuple(current)


def _storable(response: HttpResponse) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not response.has_header("Content-Encoding")
    )


def _response(request: HttpRequest, page: CachedPage) -> HttpResponse:
    accepts_gzip = bool(_ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", "")))
    response = HttpResponse(page.gzip_body if accepts_gzip else gzip.decompress(page.gzip_body))
    for header, value in page.headers:
        response.headers[header] = value
    if accepts_gzip:
        response.headers["Content-Encoding"] = "gzip"
        response.headers["Content-Length"] = str(len(page.gzip_body))
        patch_vary_headers(response, ("Accept-Encoding",))
        etag = response.headers.get("ETag", "")
        if etag.startswith('"'):  # the body is no longer the one the ETag was made from
            response.headers["ETag"] = f"W/{etag}"
    conditional = get_conditional_response(
        request,
        etag=response.headers.get("ETag"),
        last_modified=parse_http_date_safe(response.headers.get("Last-Modified", "")),
        response=response,
    )
    return conditional or response  # given a response, Django answers it or a 304/412
