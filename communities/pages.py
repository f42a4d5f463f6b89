"""Page versions: the number every cached page of a host is stored under (`PageVersion`, one row per
schema). A change to what a host's pages show bumps it inside the change's transaction, which
orphans their cached pages at once; `feed.cache` stores and serves the pages themselves.

With a shared cache (Redis) each host's (schema, version) is also copied there, so a cache hit is
one round trip: a change overwrites the copy after commit and a change of the host's domains drops
it. A copy filled from the database is only added, and lives VERSION_COPY_SECONDS: that bounds how
stale a copy can be if a fill, or two changes' writes, race each other.

Versions are read on the primary (or from the shared cache's copy), never on a replica: they say
which pages are current. A page may be read from the replica only once the replica has replayed
the version it will be stored under (`replica_caught_up`), else a lagging replica would store an old
page under a new version, and serve it as current until the next change.
"""

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.db import DEFAULT_DB_ALIAS, DatabaseError, transaction
from django_tenants.utils import get_public_schema_name

from kimportal.db import connection
from kimportal.outage import is_database_unavailable
from kimportal.routers import REPLICA, replica_failed

from .models import Community, Domain, PageVersion

VERSION_COPY_SECONDS = 60
# How long a page stays in the cache; with the database down it may be served stale until then.
PAGE_SECONDS = 600


def pages_cache() -> BaseCache:
    return caches["pages"]


def version_key(hostname: str) -> str:
    """The shared cache's key of a host's (schema, version) copy."""
    return f"version:{hostname}"


def changed_key(hostname: str) -> str:
    """The shared cache's key of a host's newest (schema, version), written by changes only and kept
    as long as a page: a page older than it is never served, not even stale."""
    return f"changed:{hostname}"


def pages_changed(community: Community) -> None:
    """Drop the cached pages of the main domain and of this community. Call inside the change's
    transaction, so the new version and the new content become visible together.

    Hand-written SQL: an upsert that increments and returns both rows in one round trip, in one
    lock order (the ORM's update_or_create takes three statements and a savepoint per row).
    """
    schemas = sorted([get_public_schema_name(), community.schema_name])
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO public.{PageVersion._meta.db_table} AS v (schema_name, version)"
            " VALUES (%s, 1), (%s, 1)"
            " ON CONFLICT (schema_name) DO UPDATE SET version = v.version + 1"
            " RETURNING schema_name, version",
            schemas,
        )
        versions = dict(cursor.fetchall())
    if settings.SHARED_CACHE:
        public = get_public_schema_name()
        copies = {version_key(settings.BASE_DOMAIN): (public, versions[public])}
        for hostname in community.domains.values_list("domain", flat=True):
            copies[version_key(hostname)] = (community.schema_name, versions[community.schema_name])
        changes = {changed_key(key.removeprefix("version:")): value for key, value in copies.items()}

        def write_copies() -> None:
            pages_cache().set_many(copies, VERSION_COPY_SECONDS)
            pages_cache().set_many(changes, PAGE_SECONDS)

        transaction.on_commit(write_copies)


def area_pages_changed(*, province_id: int, regency_id: int | None = None) -> None:
    """Drop the cached pages of the main domain and of every community of a kabupaten/kota (or of
    the whole province, regency_id None): what an official notice aimed there changes. Call inside
    the change's transaction, as pages_changed.

    One statement however many communities the area has, locking rows in schema order as
    pages_changed does (Python's sort of the names), so the two never deadlock.
    """
    communities = Community.objects.filter(regency__province_id=province_id)
    if regency_id is not None:
        communities = communities.filter(regency_id=regency_id)
    schemas = list(communities.order_by("schema_name").values_list("schema_name", flat=True))
    public = get_public_schema_name()
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO public.{PageVersion._meta.db_table} AS v (schema_name, version)"
            " SELECT s, 1 FROM unnest(%s::varchar[]) WITH ORDINALITY AS u(s, n) ORDER BY n"
            " ON CONFLICT (schema_name) DO UPDATE SET version = v.version + 1"
            " RETURNING schema_name, version",
            [sorted([public, *schemas])],
        )
        versions = dict(cursor.fetchall())
    if settings.SHARED_CACHE:
        copies = {version_key(settings.BASE_DOMAIN): (public, versions[public])}
        for schema, hostname in Domain.objects.filter(tenant__schema_name__in=schemas).values_list(
            "tenant__schema_name", "domain"
        ):
            copies[version_key(hostname)] = (schema, versions[schema])
        changes = {changed_key(key.removeprefix("version:")): value for key, value in copies.items()}

        def write_copies() -> None:
            pages_cache().set_many(copies, VERSION_COPY_SECONDS)
            pages_cache().set_many(changes, PAGE_SECONDS)

        transaction.on_commit(write_copies)


def forget_host_pages(hostname: str) -> None:
    """A host's domain changed: its cached pages must not be served until it is resolved again."""
    pages_cache().delete(version_key(hostname))


def database_version(schema: str, using: str = DEFAULT_DB_ALIAS) -> int:
    versions = PageVersion.objects.using(using).filter(schema_name=schema)
    return versions.values_list("version", flat=True).first() or 0


def replica_caught_up(schema: str, version: int) -> bool:
    """Whether the replica has replayed `version` of the schema's pages: what it shows is then at
    least as new as a page stored under that version. An unreachable replica is left alone for a
    while (kimportal.routers.replica_failed)."""
    try:
        return database_version(schema, using=REPLICA) >= version
    except DatabaseError as error:
        if not is_database_unavailable(error):
            raise
        replica_failed()
        return False


def current_version(hostname: str) -> tuple[str, int]:
    """(schema, version) of the pages this request renders; the tenant is already chosen."""
    schema = connection.schema_name
    if not settings.SHARED_CACHE:
        return schema, database_version(schema)
    copy = pages_cache().get(version_key(hostname))
    if copy is None or copy[0] != schema:
        fresh = (schema, database_version(schema))
        if copy is None:  # add: a change committed meanwhile has already written its newer version
            pages_cache().add(version_key(hostname), fresh, VERSION_COPY_SECONDS)
        else:  # the host now belongs to another schema
            pages_cache().set(version_key(hostname), fresh, VERSION_COPY_SECONDS)
        return fresh
    return copy
