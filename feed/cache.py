"""Whole-page caching for anonymous readers, per host, dropped when what the pages show changes.

Keys live in the default cache, whose key function puts the current schema in every key, so the
main domain and each community have their own entries. Each host's pages carry a version number;
publishing, editing or taking down a post bumps the version of the main domain and of that
community, which orphans their cached pages at once (they then expire on their own).
"""

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django_tenants.utils import get_public_schema_name, schema_context

PAGE_SECONDS = 600
_VERSION_KEY = "pages-version"


def _version() -> int:
    version = cache.get(_VERSION_KEY)
    if version is None:
        cache.add(_VERSION_KEY, 1, None)
        version = cache.get(_VERSION_KEY) or 1
    return version


def pages_changed(community) -> None:
    """Drop the cached pages of the main domain and of this community (call after commit)."""
    for schema in (get_public_schema_name(), community.schema_name):
        with schema_context(schema):
            try:
                cache.incr(_VERSION_KEY)
            except ValueError:  # never set: nothing cached under an old version
                cache.add(_VERSION_KEY, 1, None)


def _cacheable(request: HttpRequest) -> bool:
    return (
        settings.PAGE_CACHE
        and request.method in ("GET", "HEAD")
        and not request.user.is_authenticated
        and not request.COOKIES.get("messages")
    )


def public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Cache a public page's 200 responses for anonymous readers."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not _cacheable(request):
            return view(request, *args, **kwargs)
        key = f"page:{_version()}:{translation.get_language()}:{request.get_full_path()}"
        cached = cache.get(key)
        if cached is not None:
            return cached
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming:
            if hasattr(response, "render"):
                response = response.render()
            cache.set(key, response, PAGE_SECONDS)
        return response

    return wrapper
