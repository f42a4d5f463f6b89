"""Whole-page caching for anonymous readers, per host, dropped when what the pages show changes.

Pages live in the default cache, whose key function puts the current schema in every key, so the
main domain and each community have their own entries. Each key carries its host's PageVersion;
publishing, editing or taking down a post, and editing a community's profile, bump the version of
the main domain and of that community inside the same transaction, which orphans their cached pages
at once (they then expire on their own). A cached page costs one query: reading the version.
"""

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django_tenants.utils import get_public_schema_name

from .models import PageVersion

PAGE_SECONDS = 600
# Query parameters public pages understand; any other makes the request uncached (no cache churn).
KNOWN_PARAMS = frozenset({"setelah", "q", "kabupaten", "kategori", "hal"})


def pages_changed(community) -> None:
    """Drop the cached pages of the main domain and of this community. Call inside the change's
    transaction, so the new version and the new content become visible together."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO public.feed_pageversion (schema_name, version) VALUES (%s, 1), (%s, 1)"
            " ON CONFLICT (schema_name) DO UPDATE SET version = feed_pageversion.version + 1",
            sorted([get_public_schema_name(), community.schema_name]),  # one lock order
        )


def _version() -> int:
    return (
        PageVersion.objects.filter(schema_name=connection.schema_name)
        .values_list("version", flat=True)
        .first()
        or 0
    )


def _cacheable(request: HttpRequest) -> bool:
    return (
        settings.PAGE_CACHE
        and request.method in ("GET", "HEAD")
        and not request.user.is_authenticated
        and not request.COOKIES.get("messages")
        and KNOWN_PARAMS.issuperset(request.GET)
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
