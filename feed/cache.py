"""Whole-page caching for anonymous readers, per host, dropped when what the pages show changes.

Pages live in the default cache, whose key function puts the current schema in every key, so the
main domain and each community have their own entries. Each key carries its host's PageVersion;
publishing, editing or taking down a post, and editing a community's profile, bump the version of
the main domain and of that community inside the same transaction, which orphans their cached pages
at once (they then expire on their own).

Where a request reads the version depends on the cache: with a shared one (Redis) every worker sees
the same copy there, dropped when the change commits; with a per-process local-memory cache only
the database is shared, so each cached page costs one query reading it.
"""

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.cache import cache, caches
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django_tenants.utils import get_public_schema_name

PAGE_SECONDS = 600
# Query parameters public pages understand; any other makes the request uncached (no cache churn).
KNOWN_PARAMS = frozenset({"setelah", "q", "kabupaten", "kategori", "hal"})
_VERSION_KEY = "pages-version"


def pages_changed(community) -> None:
    """Drop the cached pages of the main domain and of this community. Call inside the change's
    transaction, so the new version and the new content become visible together."""
    schemas = sorted([get_public_schema_name(), community.schema_name])  # one lock order
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO public.feed_pageversion (schema_name, version) VALUES (%s, 1), (%s, 1)"
            " ON CONFLICT (schema_name) DO UPDATE SET version = feed_pageversion.version + 1",
            schemas,
        )
    if settings.SHARED_CACHE:
        # The "hosts" cache has plain keys, so the copies are named per schema.
        keys = [f"{_VERSION_KEY}:{schema}" for schema in schemas]
        transaction.on_commit(lambda: caches["hosts"].delete_many(keys))


def _database_version(schema: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT version FROM public.feed_pageversion WHERE schema_name = %s", [schema])
        row = cursor.fetchone()
    return row[0] if row else 0


def _version() -> int:
    schema = connection.schema_name
    if not settings.SHARED_CACHE:
        return _database_version(schema)
    key = f"{_VERSION_KEY}:{schema}"
    version = caches["hosts"].get(key)
    if version is None:
        version = _database_version(schema)
        caches["hosts"].set(key, version, PAGE_SECONDS)
    return version


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
